"""`govlint init`: a new governance repository, written from the reference govlint carries.

The wheel carries the project's own `policies/`, `schemas/`, workflows and a small starter
registry under `govlint/reference/` (pyproject's force-include); a source checkout reads the
same files from the repository itself. Nothing is copied into `src/`, so there is one source
of truth for each file.

`init` never overwrites: when any file it would write already exists it writes nothing and
names the files in the way. It may write into a folder that holds other things (a fresh clone
with a LICENSE, say), so adopting govlint in an existing repository is one command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from govlint.codeowners import CODEOWNERS_FILE, codeowners_of
from govlint.errors import GovlintError

PARAMS_FILE = "policies/params.yaml"
# How many files in the way to name before "and N more".
NAMED_CONFLICTS = 5


@dataclass(frozen=True)
class Reference:
    """Where the files a new repository starts from are, in this installation."""

    policies: Path
    schemas: Path
    workflows: Path
    starter: Path

    @classmethod
    def installed(cls) -> Reference:
        packaged = Path(__file__).resolve().parent / "reference"
        if packaged.is_dir():
            return cls(packaged / "policies", packaged / "schemas", packaged / "workflows", packaged / "starter")
        # A source checkout (an editable install): the files in the repository itself.
        checkout = Path(__file__).resolve().parents[2]
        found = cls(checkout / "policies", checkout / "schemas", checkout / ".github" / "workflows", checkout / "starter")
        if all(folder.is_dir() for folder in (found.policies, found.schemas, found.workflows, found.starter)):
            return found
        raise GovlintError(
            "this govlint installation carries no reference repository (govlint/reference); reinstall govlint from its wheel"
        )

    def plan(self) -> dict[str, Path]:
        """Each file of the new repository (posix path) and the file it is copied from."""
        files: dict[str, Path] = {}

        def tree(source: Path, target: str) -> None:
            for path in sorted(source.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    files[f"{target}/{path.relative_to(source).as_posix()}"] = path

        tree(self.policies, "policies")
        tree(self.schemas, "schemas")
        tree(self.starter / "registry", "registry")
        for name in ("govlint.yml", "govlint-comment.yml"):
            files[f".github/workflows/{name}"] = self.workflows / name
        files["README.md"] = self.starter / "README.md"
        files[".pre-commit-config.yaml"] = self.starter / ".pre-commit-config.yaml"
        missing = [str(source) for source in files.values() if not source.is_file()]
        if missing:
            raise GovlintError(f"this govlint installation is missing {missing[0]}; reinstall govlint from its wheel")
        return files


def starter_governance_owners(registry_folder: Path) -> list[str]:
    """The leads of the starter's IT and security departments: who owns the rules until the
    governance team names its own owners."""
    owners = []
    for path in sorted((registry_folder / "departments").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(record, dict) and record.get("function") in ("it", "security"):
            lead = record.get("lead")
            if isinstance(lead, dict) and isinstance(lead.get("email"), str):
                owners.append(lead["email"])
    return owners


def with_governance_owners(params_text: str, owners: list[str]) -> str:
    """params.yaml with its top-level `governance_owners` list (if it has one) naming `owners`:
    the reference repository's owners are people of its fictional company, unknown here."""
    lines = params_text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.match(r"governance_owners\s*:", line):
            end = index + 1
            # The key's value continues on indented lines and list items.
            while end < len(lines) and lines[end].startswith((" ", "\t", "-")):
                end += 1
            listed = "".join(f"  - {owner}\n" for owner in owners)
            return "".join(lines[:index]) + "governance_owners:\n" + listed + "".join(lines[end:])
    return params_text


def next_steps(target: Path, made_repository: bool) -> str:
    where = str(target)
    return (
        f"wrote a governance repository in {where}"
        + (" (and ran git init)" if made_repository else "")
        + "\nnext:\n"
        f"  1. cd {where} and read README.md: replace the starter people and teams with your own\n"
        "  2. govlint check && govlint test\n"
        "  3. govlint codeowners   (after editing departments), then commit and push\n"
        "  4. protect the default branch: require the govlint check and a code owner's review\n"
    )


def run_init(target: Path, out: TextIO) -> int:
    """Write a new governance repository into `target`; 0 when written."""
    from govlint import git

    reference = Reference.installed()
    files = reference.plan()
    writes = {**files, CODEOWNERS_FILE: None}
    if target.exists() and not target.is_dir():
        raise GovlintError(f"{target} exists and is not a folder")
    in_the_way = sorted(path for path in writes if (target / path).exists() or (target / path).is_symlink())
    if in_the_way:
        named = ", ".join(in_the_way[:NAMED_CONFLICTS])
        more = f" and {len(in_the_way) - NAMED_CONFLICTS} more" if len(in_the_way) > NAMED_CONFLICTS else ""
        raise GovlintError(
            f"{target} already has {named}{more}; govlint init writes nothing over existing files "
            "(move them aside, or init an empty folder)"
        )
    owners = starter_governance_owners(reference.starter / "registry")
    try:
        for relative, source in files.items():
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            if relative == PARAMS_FILE:
                data = with_governance_owners(data.decode("utf-8"), owners).encode("utf-8")
            with open(destination, "xb") as handle:  # "x": never overwrite, even in a race
                handle.write(data)
        (target / CODEOWNERS_FILE).write_text(codeowners_of(target), encoding="utf-8")
    except FileExistsError as exc:
        raise GovlintError(f"{exc.filename} appeared while writing; nothing further was written") from None
    except OSError as exc:
        raise GovlintError(f"cannot write into {target}: {exc.strerror}") from None
    made_repository = git.ensure_repository(target)
    out.write(next_steps(target, made_repository))
    return 0
