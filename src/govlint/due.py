"""What falls due: the registry's deadlines within a number of days, by owner department.

The deadlines themselves (trial ends, exception expiries, review due dates, contract
renewals) are worked out by the DUE-SOON rule's `deadlines` set in policies/due_soon.rego,
so that `govlint due` and the warnings of `govlint check` never disagree on a date. This
module reads the registry as `check` does, asks the engine for that set, and arranges it for
the people who must act: each owner department with its lead, each record with its sponsor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, Mapping, TextIO

from govlint import __version__
from govlint.catalog import PARAMS_FILE, PolicySet
from govlint.check import CheckSettings, memory_limit_of, timeout_of, today_of
from govlint.decisions import People
from govlint.engines import make_engine
from govlint.errors import GovlintError
from govlint.evaluate import PolicyInput, policy_data
from govlint.locate import LineIndex
from govlint.read import WorkingTree
from govlint.registry import Registry, entity_file, load_registry
from govlint.report.markdown import code, inline
from govlint.validate import SchemaSet

DueFormat = Literal["text", "markdown", "json"]
DUE_FORMATS: tuple[DueFormat, ...] = ("text", "markdown", "json")
DEADLINES_PACKAGE = "govlint.rules.due_soon"
DEADLINES_QUERY = f"[d | some d in data.{DEADLINES_PACKAGE}.deadlines]"
DOCUMENT_VERSION = 1
MAX_WITHIN_DAYS = 3650
# What each kind of deadline is called in the listing.
WHAT: dict[str, str] = {
    "trial-end": "trial ends",
    "exception-expiry": "exception expires",
    "review": "review due",
    "renewal": "contract renews",
}


@dataclass(frozen=True)
class DueSettings:
    """What `govlint due` was asked to do."""

    repo: Path = Path(".")
    within: int | None = None  # days ahead; params.notice_days when None
    today: str | None = None
    format: DueFormat = "text"
    output: Path | None = None


@dataclass(frozen=True)
class Person:
    """Someone to tell, by name when the departments know the e-mail."""

    email: str
    name: str | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email}

    def shown(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True, order=True)
class Deadline:
    """One date by which someone must act, ordered by that date."""

    date: str
    entity: str
    path: str
    days: int  # from today to the date; negative once it has passed
    what: str
    counted_from: str  # the date on the record (for a review, the last review)
    file: str | None = None
    line: int | None = None
    record_name: str | None = None
    sponsor: Person | None = None

    @property
    def overdue(self) -> bool:
        return self.days < 0

    def when(self) -> str:
        if self.days == 0:
            return "today"
        if self.days < 0:
            return f"{-self.days} day{'s' if self.days != -1 else ''} overdue"
        return f"in {self.days} day{'s' if self.days != 1 else ''}"

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "days": self.days,
            "status": "overdue" if self.overdue else "due",
            "what": self.what,
            "entity": self.entity,
            "name": self.record_name,
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "counted_from": self.counted_from,
            "sponsor": self.sponsor.to_json() if self.sponsor else None,
        }


@dataclass(frozen=True)
class OwnerGroup:
    """The deadlines of one owner department (id None: records no department owns)."""

    department: str | None
    name: str
    lead: Person | None
    deadlines: list[Deadline] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.department,
            "name": self.name,
            "lead": self.lead.to_json() if self.lead else None,
            "deadlines": [d.to_json() for d in self.deadlines],
        }


@dataclass(frozen=True)
class DueList:
    """What falls due within `within` days of `today`, overdue items included."""

    today: str
    within: int
    groups: list[OwnerGroup]
    # Files whose YAML or schema errors kept fields (dates among them) from the rules.
    unread_files: tuple[str, ...] = ()

    @property
    def until(self) -> str:
        return (date.fromisoformat(self.today) + timedelta(days=self.within)).isoformat()

    @property
    def deadlines(self) -> list[Deadline]:
        return [d for group in self.groups for d in group.deadlines]

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.deadlines if d.overdue)


def within_of(settings: DueSettings, policies: PolicySet) -> int:
    """--within, or the notice the rules give (params.notice_days)."""
    if settings.within is not None:
        return settings.within
    value = policies.params.get("notice_days")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WITHIN_DAYS:
        raise GovlintError(
            f"{PARAMS_FILE}: notice_days must be a whole number of days from 0 to {MAX_WITHIN_DAYS}, "
            f"not {value!r}; set it, or pass --within DAYS"
        )
    return value


def query_deadlines(policies: PolicySet, registry: Registry, today: str) -> list[dict[str, Any]]:
    """The DUE-SOON rule's `deadlines` set, evaluated on the registry as `check` would."""
    if policies.file_of_package(DEADLINES_PACKAGE) is None:
        raise GovlintError(
            f"no policy defines package {DEADLINES_PACKAGE} (policies/due_soon.rego, rule DUE-SOON), "
            "whose `deadlines` set govlint due lists"
        )
    settings = CheckSettings()
    engine = make_engine(
        "embedded", policies.sources, timeout=timeout_of(settings, policies), memory_mib=memory_limit_of(policies)
    )
    policy_input = PolicyInput(
        mode="full", today=today, registry=registry.as_input(), base=None, changes=[], approvals=None,
        params=policies.params,
    )
    [value] = engine.evaluate(
        [DEADLINES_QUERY], policy_input.to_json_text(), policy_data(policies, registry.unreadable)
    )
    if value is None:
        return []  # undefined: the package has no deadlines rule that holds
    if not isinstance(value, list) or not all(_is_deadline(item) for item in value):
        shown = json.dumps(value)[:120]
        raise GovlintError(
            f"policy {policies.file_of_package(DEADLINES_PACKAGE)}: `deadlines` must be a set of "
            f'{{"entity", "path", "what" ({", ".join(WHAT)}), "date", "days"}}, not {shown}'
        )
    return value


def _is_deadline(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and all(isinstance(item.get(key), str) for key in ("entity", "path", "what", "date"))
        and item["what"] in WHAT
        and isinstance(item.get("days"), (int, float))
        and not isinstance(item["days"], bool)
        and float(item["days"]).is_integer()
    )


class Owners:
    """Who answers for each record: its owner department, that department's lead, its sponsor."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]]) -> None:
        self.records = records
        self.departments: Mapping[str, Any] = records.get("departments", {})
        self.people = People(dict(self.departments))
        # A vendor is procurement's: the department whose function is procurement (first by id).
        procurement = sorted(
            id for id in self.departments if _field(self.departments[id], "function") == "procurement"
        )
        self.procurement = procurement[0] if procurement else None

    def record(self, entity: str) -> Mapping[str, Any] | None:
        kind, _, record_id = entity.partition("/")
        key = {"department": "departments", "tool": "tools", "data-domain": "data_domains",
               "vendor": "vendors", "exception": "exceptions"}.get(kind)
        by_id = self.records.get(key, {}) if key else {}
        found = by_id.get(record_id) if record_id in by_id else None
        return found if isinstance(found, Mapping) else None

    def owner_of(self, entity: str, depth: int = 0) -> str | None:
        """The department that owns an entity; an exception is owned by the owner of what it
        waives (one step only: an exception waiving an exception is still someone's)."""
        kind, _, record_id = entity.partition("/")
        record = self.record(entity)
        if kind == "department":
            return record_id if record is not None else None
        if kind == "vendor":
            return self.procurement
        if record is None:
            return None
        if kind == "exception":
            waived = _field(record, "entity")
            return self.owner_of(waived, depth + 1) if isinstance(waived, str) and depth == 0 else None
        owner = _field(record, "owner")
        return owner if isinstance(owner, str) and owner in self.departments else None

    def person(self, email: Any) -> Person | None:
        if not isinstance(email, str):
            return None
        return Person(email, self.people.names.get(email.lower()))

    def sponsor_of(self, entity: str) -> Person | None:
        """The person a record names as answering for it: a tool's business sponsor, an
        exception's approver."""
        record = self.record(entity)
        if record is None:
            return None
        return self.person(_field(record, "business_sponsor") or _field(record, "approved_by"))

    def lead_of(self, department: str | None) -> Person | None:
        lead = _field(self.departments.get(department), "lead") if department else None
        return self.person(lead.get("email")) if isinstance(lead, Mapping) else None

    def name_of(self, department: str | None) -> str:
        if department is None:
            return "No owner department"
        name = _field(self.departments.get(department), "name")
        return name if isinstance(name, str) else department


def _field(record: Any, key: str) -> Any:
    return record.get(key) if isinstance(record, Mapping) else None


def arrange(found: list[dict[str, Any]], records: Mapping[str, Mapping[str, Any]], today: str, within: int,
            lines: LineIndex | None = None) -> DueList:
    """The deadlines up to `within` days ahead (all overdue ones too), each with its file, line
    and sponsor, grouped by owner department; groups ordered by their earliest date."""
    owners = Owners(records)
    start = date.fromisoformat(today)
    by_owner: dict[str | None, list[Deadline]] = {}
    for item in found:
        days = int(item["days"])
        if days > within:
            continue
        entity = item["entity"]
        file = entity_file(entity)
        name = _field(owners.record(entity), "name")
        by_owner.setdefault(owners.owner_of(entity), []).append(
            Deadline(
                date=(start + timedelta(days=days)).isoformat(),
                entity=entity,
                path=item["path"],
                days=days,
                what=item["what"],
                counted_from=item["date"],
                file=file,
                line=lines.line_of_dotted(file, item["path"]) if lines is not None and file else None,
                record_name=name if isinstance(name, str) else None,
                sponsor=owners.sponsor_of(entity),
            )
        )
    groups = [
        OwnerGroup(department, owners.name_of(department), owners.lead_of(department), sorted(deadlines))
        for department, deadlines in by_owner.items()
    ]
    groups.sort(key=lambda g: (g.deadlines[0].date, g.department is None, g.department or ""))
    return DueList(today, within, groups)


def build_due(settings: DueSettings) -> DueList:
    """Read the working tree as `check` does and list what falls due."""
    tree = WorkingTree(settings.repo)
    schemas = SchemaSet.load(tree)
    policies = PolicySet.load(tree, schemas)
    registry = load_registry(tree, schemas)
    today = today_of(CheckSettings(today=settings.today))
    within = within_of(settings, policies)
    found = query_deadlines(policies, registry, today)
    due = arrange(found, registry.as_input(), today, within, LineIndex(tree, registry.blob_ids))
    unread = sorted({f.file for f in registry.findings if f.file and f.severity == "error"})
    return replace(due, unread_files=tuple(unread))


# Output --------------------------------------------------------------------------------------


def _heading(due: DueList) -> str:
    return f"What falls due by {due.until} (within {due.within} days of {due.today})"


def _summary(due: DueList) -> str:
    total = len(due.deadlines)
    return (
        f"{total} deadline{'s' if total != 1 else ''}, {due.overdue} overdue, "
        f"in {len(due.groups)} department{'s' if len(due.groups) != 1 else ''}"
    )


def _where(deadline: Deadline) -> str:
    if deadline.file is None:
        return deadline.entity
    return f"{deadline.file}:{deadline.line}" if deadline.line else deadline.file


def _printable(text: str) -> str:
    """Record text on one terminal line: control characters shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render_text(due: DueList) -> str:
    lines = [_heading(due), ""]
    for group in due.groups:
        lead = f", lead {group.lead.shown()}" if group.lead else ""
        lines.append(_printable(f"{group.name}{lead}"))
        for d in group.deadlines:
            sponsor = f"  sponsor {d.sponsor.shown()}" if d.sponsor else ""
            lines.append(_printable(
                f"  {d.date}  {d.when():<16} {WHAT.get(d.what, d.what):<17} {d.entity}  {_where(d)}{sponsor}"
            ))
        lines.append("")
    if not due.groups:
        lines += ["Nothing falls due.", ""]
    lines.append(f"govlint: {_summary(due)}")
    return "\n".join(lines) + "\n"


def render_markdown(due: DueList) -> str:
    """Markdown for a job summary or an issue; record text escaped: it is untrusted."""
    parts = [f"## {_heading(due)}", "", f"{_summary(due)}.", ""]
    for group in due.groups:
        lead = f" (lead: {inline(group.lead.shown())})" if group.lead else ""
        parts += [f"### {inline(group.name)}{lead}", ""]
        parts += ["| Date | When | What | Record | Sponsor | File |", "| --- | --- | --- | --- | --- | --- |"]
        for d in group.deadlines:
            when = f"**{d.when()}**" if d.overdue else d.when()
            record = inline(d.record_name) + " " + code(d.entity) if d.record_name else code(d.entity)
            sponsor = inline(d.sponsor.shown()) if d.sponsor else ""
            parts.append(
                f"| {d.date} | {when} | {WHAT.get(d.what, d.what)} | {record} | {sponsor} | {code(_where(d))} |"
            )
        parts.append("")
    if not due.groups:
        parts += ["Nothing falls due.", ""]
    return "\n".join(parts)


def render_json(due: DueList) -> str:
    """One JSON object described by the published `due.schema.json`."""
    document = {
        "kind": "govlint-due",
        "version": DOCUMENT_VERSION,
        "tool": {"name": "govlint", "version": __version__},
        "today": due.today,
        "within_days": due.within,
        "until": due.until,
        "summary": {"deadlines": len(due.deadlines), "overdue": due.overdue, "departments": len(due.groups)},
        "departments": [group.to_json() for group in due.groups],
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def run_due(settings: DueSettings, out: TextIO, err: TextIO) -> int:
    """Print what falls due; 0 whatever it lists (a listing, not a verdict). Files whose
    errors hid fields from the rules are named on `err`: a date in them may be missing."""
    due = build_due(settings)
    if due.unread_files:
        shown = ", ".join(due.unread_files[:3]) + (f" and {len(due.unread_files) - 3} more" if len(due.unread_files) > 3 else "")
        err.write(
            f"govlint: warning: {len(due.unread_files)} file(s) have YAML or schema errors, so a date in them "
            f"may be missing from this list: {_printable(shown)}; run govlint check\n"
        )
    text = RENDERERS[settings.format](due)
    if settings.output is not None:
        from govlint.atomic import write_atomically

        write_atomically(settings.output, text)
    else:
        out.write(text)
    return 0


