"""`govlint codeowners`: a CODEOWNERS file derived from the registry.

GitHub asks the owners of each changed file for a review. Deriving the file from the
registry keeps it true as departments, teams and ownership change: each department's
`github_team` owns its own record and the tools and data domains it owns; procurement owns
the vendor list; the governance owners own the rules (`policies/`, `schemas/`, `.github/`)
and exceptions, since those change what every other record is judged by.

CODEOWNERS means "any one of these owners may approve". Rules that need several people
(an executive and finance, say) stay with the policies and `--approvals`, not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from govlint.atomic import write_atomically
from govlint.catalog import load_params
from govlint.errors import GovlintError
from govlint.read import WorkingTree
from govlint.registry import KIND_BY_NAME, Registry, load_registry
from govlint.validate import SchemaSet

# GitHub reads .github/CODEOWNERS first, then CODEOWNERS at the root, then docs/CODEOWNERS.
CODEOWNERS_FILE = ".github/CODEOWNERS"
OTHER_LOCATIONS = ("CODEOWNERS", "docs/CODEOWNERS")
# Folders whose changes alter the rules every record is judged by.
RULE_FOLDERS = ("/policies/", "/schemas/", "/.github/")

HEADER = """\
# Written by `govlint codeowners` from the registry; edit the registry, then run it again
# (`govlint codeowners --check` fails while this file is stale).
#
# GitHub requests a review from the owners of each changed file, and any ONE of them may
# approve. Approvals that need several people stay with the rules (`govlint check`).
# The last matching pattern wins, so general patterns come first and specific ones later.
"""


@dataclass(frozen=True)
class OwnerLine:
    """One CODEOWNERS line: a pattern and the owners GitHub asks for it."""

    pattern: str
    owners: tuple[str, ...]
    why: str = ""

    def render(self) -> str:
        comment = f"# {self.why}\n" if self.why else ""
        return f"{comment}{self.pattern} {' '.join(self.owners)}"


def _people_by_email(departments: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    people: dict[str, Mapping[str, Any]] = {}
    for department in departments.values():
        listed = [department.get(role) for role in ("executive_sponsor", "lead", "it_champion")]
        listed += list(department.get("members") or [])
        for person in listed:
            if isinstance(person, Mapping) and isinstance(person.get("email"), str):
                key = person["email"].lower()
                # A login given anywhere counts, even where another mention of the person omits it.
                if person.get("github") or key not in people:
                    people[key] = person
    return people


def _team(department: Mapping[str, Any] | None) -> str | None:
    team = department.get("github_team") if department else None
    return team if isinstance(team, str) and team.startswith("@") else None


def _teams_of_function(departments: Mapping[str, Mapping[str, Any]], function: str) -> tuple[str, ...]:
    found = {_team(d) for d in departments.values() if d.get("function") == function}
    return tuple(sorted(team for team in found if team))


def governance_owners(registry: Registry, params: Mapping[str, Any]) -> tuple[str, ...]:
    """Who owns the rules: `params.governance_owners` (e-mails, mapped to the GitHub logins
    the registry gives those people), else the teams of the `it` departments."""
    departments = registry.records["departments"]
    configured = params.get("governance_owners")
    if isinstance(configured, list) and configured:
        people = _people_by_email(departments)
        owners = []
        for email in configured:
            person = people.get(str(email).lower())
            login = person.get("github") if person else None
            if not login:
                raise GovlintError(
                    f"governance owner {email} in policies/params.yaml has no GitHub login in the registry; "
                    "add `github:` to that person in their department's file"
                )
            owners.append(f"@{login}")
        return tuple(sorted(set(owners)))
    teams = _teams_of_function(departments, "it")
    if not teams:
        raise GovlintError(
            "no governance owners: set governance_owners (e-mails) in policies/params.yaml, "
            "or give an `it` department a github_team"
        )
    return teams


def owner_lines(registry: Registry, params: Mapping[str, Any]) -> list[OwnerLine]:
    """The CODEOWNERS lines, general first: the catch-all, then each record, then the rules."""
    departments = registry.records["departments"]
    governance = governance_owners(registry, params)
    lines = [OwnerLine("*", governance, "everything not named below")]

    def record_line(kind: str, record_id: str, owners: Iterable[str | None]) -> None:
        named = tuple(dict.fromkeys(owner for owner in owners if owner))
        if named:
            lines.append(OwnerLine("/" + KIND_BY_NAME[kind].file(record_id), named))

    for department_id in sorted(departments):
        record_line("department", department_id, [_team(departments[department_id])])
    for kind, key in (("tool", "tools"), ("data-domain", "data_domains")):
        records = registry.records[key]
        for record_id in sorted(records):
            owner = records[record_id].get("owner")
            record_line(kind, record_id, [_team(departments.get(owner)) if isinstance(owner, str) else None])
    procurement = _teams_of_function(departments, "procurement")
    if procurement:
        lines.append(OwnerLine("/registry/vendors/", procurement, "the approved-supplier list"))
    lines.append(OwnerLine("/registry/exceptions/", governance, "waivers of the rules"))
    for folder in RULE_FOLDERS:
        lines.append(OwnerLine(folder, governance, "the rules and the workflow that applies them"))
    return lines


def render_codeowners(lines: list[OwnerLine]) -> str:
    return HEADER + "\n" + "".join(line.render() + "\n" for line in lines)


def codeowners_of(root: Path) -> str:
    """The CODEOWNERS text the registry at `root` implies."""
    tree = WorkingTree(root)
    schemas = SchemaSet.load(tree)
    registry = load_registry(tree, schemas)
    broken = [f for f in registry.findings if f.severity == "error" and f.entity and f.entity.startswith("department/")]
    if broken:
        first = broken[0]
        raise GovlintError(
            f"{first.file}:{first.line}: {first.message}; fix the department records first (`govlint check`)"
        )
    return render_codeowners(owner_lines(registry, load_params(tree, schemas)))


def run_codeowners(root: Path, check_only: bool, out: TextIO) -> int:
    """Write CODEOWNERS, or with `check_only` say whether it is stale: 0 current, 1 stale."""
    wanted = codeowners_of(root)
    target = root / CODEOWNERS_FILE
    try:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise GovlintError(f"cannot read {CODEOWNERS_FILE}: {exc}") from None
    shadowed = [name for name in OTHER_LOCATIONS if (root / name).exists()]
    if check_only:
        if current == wanted:
            out.write(f"{CODEOWNERS_FILE} is up to date\n")
            return 0
        state = "missing" if current is None else "stale"
        out.write(f"{CODEOWNERS_FILE} is {state}: run `govlint codeowners` and commit the result\n")
        return 1
    if current != wanted:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, wanted)
        out.write(f"wrote {CODEOWNERS_FILE}\n")
    else:
        out.write(f"{CODEOWNERS_FILE} is up to date\n")
    for name in shadowed:
        out.write(f"note: GitHub ignores {name} while {CODEOWNERS_FILE} exists; remove it\n")
    return 0
