"""`govlint decisions`: a pull request as decisions for executive sponsors, with their approvals.

Each change becomes one decision in a sentence a non-engineer reads ("Finance takes ownership
of Outside counsel invoices from Legal Operations"), with what a sponsor weighs: every changed
fact before → after, the record's own description and justification, the status of each
attestation, what else the decision touches, who decides a transfer, who must approve and who
has, and the findings that block it. The judgement is `check`'s; this module only tells it.

Record text is untrusted: markdown passes every string from a record through `inline`/`code`,
text through `plain`, and JSON keeps values structured (numbers as numbers). `describe_change`
words one change from the two versions of its record alone, for the decision history.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from collections.abc import Mapping
from typing import Any, Callable, Literal, TextIO

from govlint.changes import Change, changed_fields
from govlint.check import CheckSettings, Judgement, judge
from govlint.errors import GovlintError
from govlint.findings import Finding
from govlint.registry import KIND_BY_NAME
from govlint.report import Preview, Report, preamble
from govlint.report.json import header
from govlint.report.markdown import code, inline
from govlint.report.text import line as finding_line, plain

BriefFormat = Literal["markdown", "text", "json"]
# The version of the JSON brief's shape (decisions.schema.json); bumped when the shape changes.
DECISIONS_VERSION = 3
# How a radar ring reads in a sentence: "Canvasly is adopted", "Boardly is on trial".
RING_WORDS = {
    "proposed": "proposed", "assess": "under assessment", "trial": "on trial", "adopt": "adopted",
    "hold": "on hold", "retired": "retired",
}
# A ring as the stage a tool moves into: "moves from trial to adoption".
RING_NOUNS = {
    "proposed": "proposal", "assess": "assessment", "trial": "trial", "adopt": "adoption", "hold": "hold",
    "retired": "retirement",
}
# Plain names for the fields a change touches, so no heading is a field path.
FIELD_LABELS = {
    "name": "Name", "description": "Description", "justification": "Justification", "vendor": "Vendor",
    "category": "Category", "owner": "Owner", "users": "Used by", "business_sponsor": "Business sponsor",
    "it_champion": "IT champion", "ring": "Stage", "proposed_on": "Proposed on", "trial_ends_on": "Trial ends",
    "hosting": "Hosting", "data_residency": "Data kept in", "data": "Data used", "integrations": "Connected tools",
    "replaces": "Replaces", "security.sso": "Single sign-on", "security.mfa": "Multi-factor sign-in",
    "security.scim": "Automatic user provisioning", "security.backup": "Backups",
    "security.review": "Security review", "security.review.status": "Security review status",
    "security.review.date": "Security review date", "security.review.reviewer": "Security reviewer",
    "security.review.ticket": "Security review ticket", "contract": "Contract",
    "contract.annual_cost": "Annual cost", "contract.currency": "Contract currency",
    "contract.po_number": "Purchase order", "contract.start": "Contract start", "contract.renewal": "Contract renewal",
    "contract.legal_review": "Legal review", "contract.legal_review.status": "Legal review status",
    "contract.legal_review.date": "Legal review date", "contract.legal_review.reviewer": "Legal reviewer",
    "review.last_reviewed": "Last reviewed", "review.cadence_days": "Reviewed every (days)",
    "approvals": "Approvals recorded", "classification": "Classification", "steward": "Data steward",
    "aliases": "Also called", "system_of_record": "System of record", "consumers": "Departments using it",
    "decision": "Ownership decision", "decision.decided_by": "Decided by", "decision.decided_on": "Decided on",
    "decision.rationale": "Rationale", "decision.supersedes": "Supersedes", "parent": "Reports to",
    "function": "Function", "executive_sponsor": "Executive sponsor", "lead": "Lead", "members": "Members",
    "github_team": "GitHub team", "cost_center": "Cost centre", "status": "Status", "risk_tier": "Risk tier",
    "risk_assessment": "Risk assessment", "risk_assessment.date": "Risk assessment date",
    "risk_assessment.assessor": "Risk assessor", "dpa_signed": "Data processing agreement signed",
    "certifications": "Certifications", "rule": "Rule waived", "entity": "Waives the rule for",
    "reason": "Reason", "approved_by": "Approver", "approved_on": "Approved on", "expires_on": "Expires on",
}
# What each attestation field attests, in words (params.attestations names the fields).
ATTESTATION_LABELS = {
    "approvals.*.by": "Approval recorded on the tool", "security.review.reviewer": "Security review",
    "contract.legal_review.reviewer": "Legal review of the contract", "decision.decided_by": "Ownership decision",
    "consumers.*.approved_by": "Approval of a department's use", "risk_assessment.assessor": "Vendor risk assessment",
    "approved_by": "Approval of the exception",
}
ATTESTATION_STATUS_WORDS = {
    "given": "given on this pull request", "on_record": "already on record", "missing": "missing",
    "unconfirmed": "not checked (no --approvals)",
}
# Where a field names another record: how to show it by name, by dotted path.
NAMED_BY = {
    "owner": "departments", "users": "departments", "parent": "departments", "vendor": "vendors",
    "system_of_record": "tools", "integrations": "tools", "replaces": "tools",
}
KEYS = {"department": "departments", "tool": "tools", "data-domain": "data_domains",
        "vendor": "vendors", "exception": "exceptions"}
# GitHub refuses comments over 65,536 characters: the brief fits by itself, so the workflow
# posting it never has to cut it (counted in UTF-16 units, as the web counts characters),
# with room left for the marker line the workflow puts above it to find its comment again.
COMMENT_LIMIT = 65_536
MARKER_ROOM = 512
# A finding about a file here, rather than a record, belongs to the rules change.
RULE_FOLDERS = ("policies", "schemas")
# How many references a knock-on finding is followed through to the change that caused it:
# a tool, its owner department, that department's parent.
CAUSE_DEPTH = 3


@dataclass(frozen=True)
class FactChange:
    """One fact the change alters, before and after: structured values for JSON, words for people."""

    field: str
    label: str
    before: Any
    after: Any
    before_text: str
    after_text: str
    # After minus before, for an amount in one currency.
    difference: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field, "label": self.label, "before": self.before, "after": self.after,
            "before_text": self.before_text, "after_text": self.after_text, "difference": self.difference,
        }


AttestationStatus = Literal["given", "on_record", "missing", "unconfirmed"]


@dataclass(frozen=True)
class Attestation:
    """A field naming someone as having approved, decided or reviewed, and whether it holds:
    given on this pull request, already on record in the base, missing, or unconfirmed when
    nobody said who approved (no --approvals)."""

    field: str
    label: str
    person: str
    shown: str
    status: AttestationStatus

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "person": self.person, "status": self.status}


@dataclass(frozen=True)
class Touch:
    """A record the decision reaches beyond its own: a tool holding a transferred domain, an
    integration of a retired tool, a consumer whose approval came from the old owner."""

    relation: str
    entity: str | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"relation": self.relation, "entity": self.entity, "text": self.text}


@dataclass(frozen=True)
class Spend:
    """A department's yearly spend on its tools in one currency, before and after the change."""

    department: str
    name: str
    currency: str
    before: float
    after: float

    @property
    def text(self) -> str:
        return (
            f"{self.name} spends {amount(self.before)} → {amount(self.after)} {self.currency} a year "
            f"on its tools ({difference(self.before, self.after)})"
        )

    def to_json(self) -> dict[str, Any]:
        return {"department": self.department, "currency": self.currency, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Authority:
    """Who decides a transfer: the executive sponsor of the lowest department over both sides,
    as the base registry has it."""

    department: str
    executive: str | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"department": self.department, "executive": self.executive, "text": self.text}


@dataclass(frozen=True)
class Approval:
    """One approval a decision needs, and whether it has been given."""

    role: str
    approvers: tuple[str, ...]
    reason: str
    status: Literal["approved", "pending", "missing"]
    approved_by: str | None = None


@dataclass(frozen=True)
class Decision:
    """One change, told as a decision."""

    entity: str
    action: str
    title: str
    facts: tuple[tuple[str, str], ...]
    approvals: tuple[Approval, ...] = ()
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    # Whether findings the base already had block too (--fail-on existing), as in the check.
    fail_on_existing: bool = False
    # Structured values of some facts (an amount as a number and its currency), by label.
    values: tuple[tuple[str, Any], ...] = ()
    changes: tuple[FactChange, ...] = ()
    description: str | None = None
    justification: str | None = None
    attestations: tuple[Attestation, ...] = ()
    touches: tuple[Touch, ...] = ()
    spend: tuple[Spend, ...] = ()
    authority: Authority | None = None

    @property
    def blocking(self) -> list[Finding]:
        """The findings that fail the check, judged exactly as the check judges them."""
        return [
            f for f in self.findings
            if f.severity == "error" and not f.waived_by and (self.fail_on_existing or f.origin != "existing")
        ]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking)

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "action": self.action,
            "title": self.title,
            "description": self.description,
            "justification": self.justification,
            "facts": dict(self.facts),
            "values": dict(self.values),
            "changes": [c.to_json() for c in self.changes],
            "attestations": [a.to_json() for a in self.attestations],
            "touches": [t.to_json() for t in self.touches],
            "spend": [s.to_json() for s in self.spend],
            "authority": self.authority.to_json() if self.authority else None,
            "approvals": [
                {
                    "role": a.role,
                    "approvers": list(a.approvers),
                    "reason": a.reason,
                    "status": a.status,
                    "approved_by": a.approved_by,
                }
                for a in self.approvals
            ],
            "blocked": self.blocked,
            "findings": [f.to_json() for f in self.findings],
            # Those of the findings that fail the check: the brief's verdict, spelled out.
            "blocking": [f.to_json() for f in self.blocking],
        }


class People:
    """Names and github logins of the people in the departments, by lower-cased email."""

    def __init__(self, departments: dict[str, Any]) -> None:
        self.names: dict[str, str] = {}
        self.logins: dict[str, str] = {}
        for department in departments.values():
            people = [department.get(role) for role in ("executive_sponsor", "lead", "it_champion")]
            people += department.get("members") or []
            for person in people:
                if isinstance(person, dict) and isinstance(person.get("email"), str):
                    email = person["email"].lower()
                    if isinstance(person.get("name"), str):
                        self.names.setdefault(email, person["name"])
                    if isinstance(person.get("github"), str):
                        self.logins.setdefault(email, person["github"].lower())

    def show(self, email: str) -> str:
        name = self.names.get(email.lower())
        return f"{name} <{email}>" if name else email

    def approver_of(self, approvals: list[dict[str, Any]], emails: tuple[str, ...]) -> str | None:
        wanted = {e.lower() for e in emails} | {self.logins[e.lower()] for e in emails if e.lower() in self.logins}
        for approval in approvals:
            if str(approval.get("by", "")).lower() in wanted:
                return str(approval["by"])
        return None


# The fields through which one record refers to another, by kind: (dotted path, kind referred to).
# A `*` steps into each item of a list.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "tool": (
        ("owner", "department"), ("users.*", "department"), ("vendor", "vendor"), ("data.*.domain", "data-domain"),
        ("integrations.*", "tool"), ("replaces.*", "tool"),
    ),
    "data-domain": (("owner", "department"), ("system_of_record", "tool"), ("consumers.*.department", "department")),
    "department": (("parent", "department"),),
    "exception": (("entity", "entity"),),
    "vendor": (),
}
# The fields naming a person by e-mail, by kind: a change to the department holding that person
# (a member removed, a lead replaced) reaches every record that names them.
PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    "tool": ("business_sponsor", "it_champion", "security.review.reviewer", "contract.legal_review.reviewer", "approvals.*.by"),
    "data-domain": ("steward", "consumers.*.approved_by", "decision.decided_by"),
    "exception": ("approved_by",),
    "vendor": ("risk_assessment.assessor",),
    "department": (),
}


def values_at(record: Any, path: str) -> list[Any]:
    """The values at a dotted path of a record, `*` standing for every item of a list."""
    found = [record]
    for part in path.split("."):
        step: list[Any] = []
        for value in found:
            if part == "*" and isinstance(value, list):
                step.extend(value)
            elif isinstance(value, dict) and part in value:
                step.append(value[part])
        found = step
    return found


class Names:
    """Records by id for their names: the head first, then the base (a removed record is still
    named). Both registries are shaped as `input.registry`: key, then id, then record."""

    def __init__(self, head: Mapping[str, Any], base: Mapping[str, Any], people: People | None = None) -> None:
        self.head = head
        self.base = base
        self.people = people or People({**(base.get("departments") or {}), **(head.get("departments") or {})})

    def record(self, key: str, record_id: Any) -> Mapping[str, Any]:
        """A record of the head, or of the base when the change removed it; {} if neither."""
        if not isinstance(record_id, str):
            return {}
        for registry in (self.head, self.base):
            found = (registry.get(key) or {}).get(record_id)
            if isinstance(found, Mapping):
                return found
        return {}

    def name(self, key: str, record_id: Any) -> str:
        if record_id is None:
            return "nobody" if key == "departments" else "none"
        name = self.record(key, record_id).get("name")
        return name if isinstance(name, str) else str(record_id)

    def entity(self, entity: Any) -> str:
        """`tool/acme` as the record's name, for a sentence."""
        kind, _, record_id = str(entity).partition("/")
        return self.name(KEYS[kind], record_id) if kind in KEYS else str(entity)


def label(path: str) -> str:
    """A field path in words: `contract.annual_cost` is `Annual cost`."""
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    words = " ".join(part.replace("_", " ") for part in path.split(".") if not part.isdigit())
    return words[:1].upper() + words[1:]


def amount(value: float) -> str:
    """A sum of money as a CFO reads it: thousands separated, cents only when there are any."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def difference(before: float, after: float) -> str:
    change = after - before
    return f"{'+' if change >= 0 else '-'}{amount(abs(change))}"


def _cost(record: Mapping[str, Any]) -> tuple[float, str] | None:
    contract = record.get("contract")
    if not isinstance(contract, dict):
        return None
    cost = contract.get("annual_cost")
    if isinstance(cost, bool) or not isinstance(cost, (int, float)):
        return None
    return cost, str(contract.get("currency") or "")


def cost_words(old: Mapping[str, Any], new: Mapping[str, Any]) -> str | None:
    """`annual cost 22,000 → 240,000 USD (+218,000)`; None when the cost did not change."""
    before, after = _cost(old), _cost(new)
    if before == after or after is None:
        return None
    if before is None:
        return f"annual cost {amount(after[0])} {after[1]}".rstrip()
    if before[1] != after[1]:
        return f"annual cost {amount(before[0])} {before[1]} → {amount(after[0])} {after[1]}"
    return f"annual cost {amount(before[0])} → {amount(after[0])} {after[1]} ({difference(before[0], after[0])})".replace("  ", " ")


def show(path: str, value: Any, names: Names) -> str:
    """A field's value in words: names for ids and e-mails, yes/no, lists joined."""
    leaf = path.split(".")[-1]
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return amount(value)
    if isinstance(value, str):
        if leaf == "ring":
            return RING_WORDS.get(value, value)
        if leaf in NAMED_BY:
            return names.name(NAMED_BY[leaf], value)
        if "@" in value and " " not in value:
            return names.people.show(value)
        return " ".join(value.split())
    if isinstance(value, list):
        return "; ".join(show(path, item, names) for item in value) or "none"
    if isinstance(value, dict):
        if path in ("data", "data.*") and "domain" in value:
            return f"{names.name('data_domains', value['domain'])} ({value.get('access', 'access not stated')})"
        if "department" in value:
            return names.name("departments", value["department"])
        if "email" in value:
            return names.people.show(str(value["email"]))
        if "by" in value:
            return f"{names.people.show(str(value['by']))}" + (f" on {value['on']}" if value.get("on") else "")
        return "; ".join(f"{label(str(k)).lower()} {show(str(k), v, names)}" for k, v in value.items())
    return str(value)


def _department_of(record: Mapping[str, Any], names: Names) -> str:
    return names.name("departments", record.get("owner"))


def describe_change(change: Change, old: Mapping[str, Any], new: Mapping[str, Any], names: Names) -> tuple[str, str]:
    """The decision a change makes, as (action, sentence) a non-engineer reads: "Finance takes
    ownership of Outside counsel invoices from Legal Operations". Needs only the two versions
    of the record and the registries for names, so the decision history can tell a commit the
    same way the brief tells a pull request."""
    record = new or old
    name = str(record.get("name") or change.id)
    if change.kind == "tool":
        return _tool_sentence(change, old, new, name, names)
    if change.kind == "data-domain":
        owner = _department_of(record, names)
        if change.op == "add":
            return "assign ownership", f"Record {name} as data owned by {owner}"
        if change.op == "remove":
            return "remove data domain", f"Stop recording {name} as data owned by {owner}"
        if old.get("owner") != new.get("owner"):
            return "transfer ownership", f"{owner} takes ownership of {name} from {_department_of(old, names)}"
        if old.get("system_of_record") != new.get("system_of_record"):
            return "change system of record", (
                f"{name} moves its system of record from {names.name('tools', old.get('system_of_record'))} "
                f"to {names.name('tools', new.get('system_of_record'))}"
            )
        if old.get("classification") != new.get("classification"):
            return "reclassify data", f"Reclassify {name} from {old.get('classification')} to {new.get('classification')}"
        return "update data domain", f"Update {name} ({owner}): {_field_list(change)}"
    if change.kind == "department":
        if change.op == "add":
            parent = record.get("parent")
            where = f"under {names.name('departments', parent)}" if parent is not None else "at the top of the organisation"
            return "new department", f"Create the {name} department {where}"
        if change.op == "remove":
            return "remove department", f"Dissolve the {name} department"
        if old.get("parent") != new.get("parent"):
            return "move department", (
                f"{name} moves from under {names.name('departments', old.get('parent'))} "
                f"to under {names.name('departments', new.get('parent'))}"
            )
        return "update department", f"Update the {name} department: {_field_list(change)}"
    if change.kind == "vendor":
        if change.op == "modify" and old.get("status") != new.get("status"):
            return "vendor status", f"Vendor {name} goes from {old.get('status')} to {new.get('status')}"
        if change.op == "add":
            return "add vendor", f"Add vendor {name} ({record.get('status', 'status not stated')})"
        if change.op == "remove":
            return "remove vendor", f"Remove vendor {name}"
        return "modify vendor", f"Update vendor {name}: {_field_list(change)}"
    waived = f"{record.get('rule')} for {names.entity(record.get('entity'))}"
    if change.op == "add":
        return "grant exception", f"Waive {waived} until {record.get('expires_on')}"
    if change.op == "remove":
        return "remove exception", f"Withdraw the waiver of {waived}"
    if old.get("expires_on") != new.get("expires_on"):
        return "modify exception", f"Extend the waiver of {waived} to {new.get('expires_on')}"
    return "modify exception", f"Amend the waiver of {waived}: {_field_list(change)}"


def _field_list(change: Change) -> str:
    shown: list[str] = []
    for path in change.fields:
        words = label(path).lower()
        if words not in shown:
            shown.append(words)
    return ", ".join(shown)


def _tool_sentence(
    change: Change, old: Mapping[str, Any], new: Mapping[str, Any], name: str, names: Names
) -> tuple[str, str]:
    record = new or old
    owner = _department_of(record, names)
    cost = cost_words(old, new)
    suffix = f": {cost}" if cost else ""
    ring = record.get("ring")
    if change.op == "add":
        return "adopt tool", _ring_sentence(ring, name, owner, record) + suffix
    if change.op == "remove":
        return "remove tool", f"Remove {name} ({owner}) from the registry"
    if old.get("owner") != new.get("owner"):
        return "transfer ownership", f"{owner} takes ownership of {name} from {_department_of(old, names)}{suffix}"
    if old.get("ring") != new.get("ring"):
        action = "retire tool" if ring == "retired" else "change ring"
        return action, _ring_sentence(ring, name, owner, record) + suffix
    if old.get("vendor") != new.get("vendor"):
        return "change vendor", (
            f"{name} ({owner}) moves from vendor {names.name('vendors', old.get('vendor'))} "
            f"to {names.name('vendors', new.get('vendor'))}{suffix}"
        )
    if cost:
        return "change cost", f"Change what {name} ({owner}) costs: {cost}"
    return "update tool", f"Update {name} ({owner}): {_field_list(change)}"


def _ring_sentence(ring: Any, name: str, owner: str, record: Mapping[str, Any]) -> str:
    if ring == "proposed":
        return f"Propose {name} for {owner}"
    if ring == "assess":
        return f"Assess {name} for {owner}"
    if ring == "trial":
        ends = f" until {record['trial_ends_on']}" if record.get("trial_ends_on") else ""
        return f"Trial {name} in {owner}{ends}"
    if ring == "adopt":
        return f"Adopt {name} for {owner}"
    if ring == "hold":
        return f"Put {name} ({owner}) on hold: no new use"
    if ring == "retired":
        return f"Retire {name} ({owner})"
    return f"Record {name} for {owner} at stage {ring}"


def plain_reason(reason: str, names: Names) -> str:
    """An approval's reason as the rules word it, with record ids and ring names in words:
    "IT takes on tool boardly at ring proposed" reads "IT supports Boardly (proposed)"."""
    def tool(match: re.Match[str]) -> str:
        ring = RING_WORDS.get(match.group(2), match.group(2))
        return f"{names.name('tools', match.group(1))} ({ring})"

    it_takes_on = re.fullmatch(r"IT takes on tool ([a-z0-9][a-z0-9-]*) at ring ([a-z]+)", reason)
    if it_takes_on:
        tool_name = names.name("tools", it_takes_on.group(1))
        if it_takes_on.group(2) == "retired":
            return f"IT winds down {tool_name}"
        return f"IT supports {tool_name} ({RING_WORDS.get(it_takes_on.group(2), it_takes_on.group(2))})"
    reason = re.sub(r"\bvendor ([a-z0-9][a-z0-9-]*)", lambda m: f"vendor {names.name('vendors', m.group(1))}", reason)
    new_tool = reason.startswith("new tool ")
    reason = re.sub(r"\btool ([a-z0-9][a-z0-9-]*) at ring ([a-z]+)", tool, reason)
    if new_tool and not reason.startswith("new tool "):
        reason = "new tool " + reason[len("new "):]
    reason = re.sub(r"\bin ([a-z0-9][a-z0-9-]*)$", lambda m: f"in {names.name('departments', m.group(1))}", reason)
    reason = re.sub(r"\btool ([a-z0-9][a-z0-9-]*)", lambda m: names.name("tools", m.group(1)), reason)
    reason = re.sub(
        r"\bmoves from ([a-z]+) to ([a-z]+)\b",
        lambda m: f"moves from {RING_NOUNS[m.group(1)]} to {RING_NOUNS[m.group(2)]}"
        if m.group(1) in RING_NOUNS and m.group(2) in RING_NOUNS else m.group(0),
        reason,
    )
    reason = re.sub(r"\bthreshold of (\d+)\b", lambda m: f"threshold of {amount(int(m.group(1)))}", reason)
    reason = re.sub(
        r"\bfrom ([a-z0-9][a-z0-9-]*) to ([a-z0-9][a-z0-9-]*)",
        lambda m: f"from {names.name('departments', m.group(1))} to {names.name('departments', m.group(2))}", reason,
    )
    return reason


def plain_role(role: str, names: Names) -> str:
    """An approver's role with the department named: "executive sponsor of Finance"."""
    departments = names.head.get("departments") or {}
    return " ".join(names.name("departments", w) if w in departments else w for w in role.split(" "))


def chain_of_command(departments: Mapping[str, Any], department: Any) -> list[str]:
    """A department and those above it, nearest first; stops at a cycle or an unknown parent."""
    found: list[str] = []
    current = department
    while isinstance(current, str) and current not in found and isinstance(departments.get(current), dict):
        found.append(current)
        current = departments[current].get("parent")
    return found


def lowest_common(departments: Mapping[str, Any], first: Any, second: Any) -> str | None:
    """The lowest department over both (either one itself when it is over the other)."""
    above_second = set(chain_of_command(departments, second))
    for department in chain_of_command(departments, first):
        if department in above_second:
            return department
    return None


class Causes:
    """Finds the changed record a finding on an unchanged record follows from: the finding's
    record refers to it (a tool reading a data domain whose owner moved), through at most
    CAUSE_DEPTH references, or names a person the changed department holds, or the changed
    record refers to the finding's record. Both revisions are followed, so a reference the
    change removed still explains its effect."""

    def __init__(self, head: Mapping[str, Any], base: Mapping[str, Any], changed: Mapping[str, int]) -> None:
        self.registries = (head, base)
        self.changed = changed
        self.holders: dict[str, set[str]] = {}
        self.referred_by: dict[str, str] = {}
        for registry in self.registries:
            for department_id, department in (registry.get("departments") or {}).items():
                entity = f"department/{department_id}"
                if entity not in changed or not isinstance(department, dict):
                    continue
                people = [department.get(role) for role in ("executive_sponsor", "lead", "it_champion")]
                people += department.get("members") or [] if isinstance(department.get("members"), list) else []
                for person in people:
                    if isinstance(person, dict) and isinstance(person.get("email"), str):
                        self.holders.setdefault(person["email"].lower(), set()).add(entity)
        for entity in sorted(changed, key=changed.__getitem__):
            for referred in self._references(entity):
                self.referred_by.setdefault(referred, entity)

    def _records(self, entity: str) -> list[Any]:
        kind_name, _, record_id = entity.partition("/")
        kind = KIND_BY_NAME.get(kind_name)
        if kind is None:
            return []
        return [r for r in (reg.get(kind.key, {}).get(record_id) for reg in self.registries) if isinstance(r, dict)]

    def _references(self, entity: str) -> list[str]:
        kind = entity.partition("/")[0]
        found: list[str] = []
        for record in self._records(entity):
            for path, target in REFERENCES.get(kind, ()):
                for value in values_at(record, path):
                    if isinstance(value, str):
                        found.append(value if target == "entity" else f"{target}/{value}")
        return found

    def _people(self, entity: str) -> list[str]:
        kind = entity.partition("/")[0]
        return [
            value.lower()
            for record in self._records(entity)
            for path in PERSON_FIELDS.get(kind, ())
            for value in values_at(record, path)
            if isinstance(value, str)
        ]

    def of(self, entity: str | None) -> str | None:
        """The changed entity behind a finding on `entity`, or None when nothing explains it."""
        if entity is None:
            return None
        direct = sorted((r for r in self._references(entity) if r in self.changed), key=self.changed.__getitem__)
        if direct:
            return direct[0]
        if entity in self.referred_by:
            return self.referred_by[entity]
        for email in self._people(entity):
            holders = sorted(self.holders.get(email, ()), key=self.changed.__getitem__)
            if holders:
                return holders[0]
        seen = {entity}
        frontier = [entity]
        for _ in range(CAUSE_DEPTH):
            step = []
            for current in frontier:
                for referred in self._references(current):
                    if referred in self.changed:
                        return referred
                    if referred not in seen:
                        seen.add(referred)
                        step.append(referred)
            frontier = step
        return None


class DecisionWriter:
    """Turns a judged change into decisions."""

    def __init__(self, judgement: Judgement) -> None:
        policy_input = judgement.policy_input
        self.head = policy_input.registry
        # The whole base revision: input.base holds only what the rules read of it.
        self.base: Mapping[str, Mapping[str, Any]] = (
            judgement.base_registry.as_input() if judgement.base_registry is not None else {}
        )
        self.approvals_given = policy_input.approvals
        self.people = People({**self.base.get("departments", {}), **self.head.get("departments", {})})
        self.names = Names(self.head, self.base, self.people)
        # The base's params: which fields are attestations is the target branch's rule.
        self.params: Mapping[str, Any] = policy_input.params or {}
        # What each rule checks, in its own words (METADATA titles), for a waiver's reader.
        self.rule_titles = {rule_id: rule.title for rule_id, rule in judgement.policies.rules.items()}
        # Who approved is matched against the base's people only: logins are authority.
        self.approvers = People(dict(self.base.get("departments", {})))
        self.findings_by_entity: dict[str, list[Finding]] = {}
        for finding in judgement.report.findings:
            if finding.entity:
                self.findings_by_entity.setdefault(finding.entity, []).append(finding)
        self.required: dict[str, list[dict[str, Any]]] = {}
        for requirement in judgement.approvals_required:
            self.required.setdefault(str(requirement.get("entity")), []).append(requirement)
        self.policy_files = [f.file for f in judgement.report.findings if f.rule == "POLICY-CHANGE" and f.file]
        self.report = judgement.report
        self.fail_on_existing = judgement.report.fail_on_existing
        # Change mode findings the base already had, on no changed record: the brief's debt.
        self.debt: list[Finding] = []

    def departments(self) -> dict[str, Any]:
        return {**self.base.get("departments", {}), **self.head.get("departments", {})}

    def decisions(self, changes: list[Change]) -> list[Decision]:
        """One decision per change, plus the rules change and, when the change reaches records
        it does not touch in ways no reference explains, a decision for those records; every
        finding that blocks the check lands under one of them."""
        found = [self._decision(change) for change in changes]
        changed = {decision.entity: index for index, decision in enumerate(found)}
        extra: dict[int, list[Finding]] = {}
        rules_wide: list[Finding] = []
        elsewhere: list[Finding] = []
        inherited: list[Finding] = []
        causes = Causes(self.head, self.base, changed)
        for finding in self.report.findings:
            if finding.entity in changed:
                continue
            if finding.origin == "existing":
                # Not caused by any change: debt, blocking only when the team asked for that.
                if not finding.waived_by:
                    (inherited if self.fail_on_existing else self.debt).append(finding)
                continue
            if finding.entity is None and finding.file and finding.file.split("/")[0] in RULE_FOLDERS:
                rules_wide.append(finding)
                continue
            cause = causes.of(finding.entity)
            if cause is None:
                elsewhere.append(finding)
            else:
                extra.setdefault(changed[cause], []).append(finding)
        for index, knock_on in extra.items():
            found[index] = replace(found[index], findings=found[index].findings + tuple(knock_on))
        if self.policy_files or rules_wide:
            facts = [("Review", "governance owners (CODEOWNERS); this change was judged by the base's rules")]
            if self.report.preview is not None:
                facts.append(("After merge", self.report.preview.describe()))
            found.append(
                Decision(
                    entity="policies",
                    action="change policy",
                    title="Change the rules: " + ", ".join(self.policy_files or sorted({f.file or "" for f in rules_wide})),
                    facts=tuple(facts),
                    findings=tuple(rules_wide),
                    fail_on_existing=self.fail_on_existing,
                )
            )
        if inherited:
            found.append(
                Decision(
                    entity="existing",
                    action="existing findings",
                    title="Findings the base already had, which block with --fail-on existing",
                    facts=(("Files", ", ".join(sorted({f.file or "(repository)" for f in inherited}))),),
                    findings=tuple(inherited),
                    fail_on_existing=True,
                )
            )
        if elsewhere:
            found.append(
                Decision(
                    entity="registry",
                    action="affected records",
                    title="Other records affected by this change",
                    facts=(("Files", ", ".join(sorted({f.file or "(repository)" for f in elsewhere}))),),
                    findings=tuple(elsewhere),
                    fail_on_existing=self.fail_on_existing,
                )
            )
        return found

    def _approvals(self, entity: str) -> tuple[Approval, ...]:
        result = []
        for requirement in sorted(self.required.get(entity, []), key=lambda r: str(r.get("role"))):
            approvers = tuple(str(a) for a in requirement.get("approvers") or [])
            by = self.approvers.approver_of(self.approvals_given, approvers) if self.approvals_given is not None else None
            if by is not None:
                status: Literal["approved", "pending", "missing"] = "approved"
            else:
                status = "pending" if self.approvals_given is None else "missing"
            result.append(
                Approval(str(requirement.get("role", "approver")), approvers, str(requirement.get("reason", "")), status, by)
            )
        return tuple(result)

    def _decision(self, change: Change) -> Decision:
        key = KEYS[change.kind]
        new = (self.head.get(key) or {}).get(change.id) or {}
        old = (self.base.get(key) or {}).get(change.id) or {}
        record = new or old
        action, title = describe_change(change, old, new, self.names)
        facts, values = self._facts(change.kind, record)
        description = record.get("description")
        justification = record.get("justification")
        return Decision(
            entity=change.entity,
            action=action,
            title=title,
            facts=facts,
            approvals=self._approvals(change.entity),
            findings=tuple(self.findings_by_entity.get(change.entity, [])),
            fail_on_existing=self.fail_on_existing,
            values=values,
            changes=self._changes(change, old, new) if change.op == "modify" else (),
            description=" ".join(description.split()) if isinstance(description, str) else None,
            justification=" ".join(justification.split()) if isinstance(justification, str) else None,
            attestations=self._attestations(change, new, old),
            touches=self._touches(change, old, new),
            spend=self._spend(change, old, new),
            authority=self._authority(old, new) if change.op == "modify" else None,
        )

    def _changes(self, change: Change, old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FactChange, ...]:
        """Before → after for every changed field; the cost and its currency read as one amount."""
        found: list[FactChange] = []
        fields: list[str] = []
        for path in change.fields:
            before, after = _at(old, path), _at(new, path)
            # A mapping added or removed whole reads better leaf by leaf (decided by, decided on).
            if isinstance(before, dict) or isinstance(after, dict):
                fields += changed_fields(before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}, path)
            else:
                fields.append(path)
        for path in sorted(dict.fromkeys(fields), key=_weight):
            if path in ("description", "justification"):
                continue  # shown whole as the record's own words
            before, after = _at(old, path), _at(new, path)
            if path == "contract.currency" and "contract.annual_cost" in change.fields:
                continue
            if path == "contract.annual_cost":
                found.append(self._cost_change(old, new))
                continue
            found.append(FactChange(path, label(path), before, after, _shown(path, before, self.names), _shown(path, after, self.names)))
        if "contract.annual_cost" not in fields and _cost(old) != _cost(new):
            found.append(self._cost_change(old, new))
        return tuple(found)

    def _cost_change(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> FactChange:
        before, after = _cost(old), _cost(new)
        change = after[0] - before[0] if before and after and before[1] == after[1] else None
        after_text = f"{amount(after[0])} {after[1]} a year".replace("  ", " ") if after else "none"
        if change is not None and before is not None and after is not None:
            after_text += f" ({difference(before[0], after[0])})"
        return FactChange(
            "contract.annual_cost", "Annual cost",
            {"amount": before[0], "currency": before[1]} if before else None,
            {"amount": after[0], "currency": after[1]} if after else None,
            f"{amount(before[0])} {before[1]} a year".replace("  ", " ") if before else "none",
            after_text, change,
        )

    def _attestations(self, change: Change, record: Mapping[str, Any], old: Mapping[str, Any]) -> tuple[Attestation, ...]:
        """The record's attestations (params.attestations) and whether each holds, judged as
        ATTESTATION-UNCONFIRMED judges them: held when the base has the same mapping (or the
        same list item), else given when the named person approved the pull request."""
        if change.op == "remove":
            return ()
        patterns = (self.params.get("attestations") or {}).get(change.kind) or []
        found: list[Attestation] = []
        for pattern in patterns:
            if not isinstance(pattern, str):
                continue
            parts = pattern.split(".")
            named: list[tuple[str, str, bool, str]] = []  # (path, email, held in base, label)
            words = ATTESTATION_LABELS.get(pattern, label(pattern))
            if "*" in parts:
                star = parts.index("*")
                items, base_items = _at(record, ".".join(parts[:star])), _at(old, ".".join(parts[:star]))
                for index, item in enumerate(items if isinstance(items, list) else []):
                    email = _at(item, ".".join(parts[star + 1:]))
                    if isinstance(email, str):
                        held = isinstance(base_items, list) and item in base_items
                        where = ".".join(parts[:star] + [str(index)] + parts[star + 1:])
                        if isinstance(item, dict) and isinstance(item.get("department"), str):
                            # Whose use was approved says more than "a department's".
                            named.append((where, email, held, f"Approval of {self.names.name('departments', item['department'])}'s use"))
                        else:
                            named.append((where, email, held, words))
            else:
                email = _at(record, pattern)
                if isinstance(email, str):
                    unit = ".".join(parts[:-1])
                    held = bool(old) and _at(old, unit) == _at(record, unit)
                    named.append((pattern, email, held, words))
            for path, email, held, words in named:
                status: AttestationStatus
                if held:
                    status = "on_record"
                elif self.approvals_given is None:
                    status = "unconfirmed"
                elif self.approvers.approver_of(self.approvals_given, (email,)) is not None:
                    status = "given"
                else:
                    status = "missing"
                found.append(Attestation(path, words, email, self.people.show(email), status))
        return tuple(found)

    def _tools(self) -> dict[str, Any]:
        return {**(self.base.get("tools") or {}), **(self.head.get("tools") or {})}

    def _owned(self, record: Mapping[str, Any]) -> str:
        return self.names.name("departments", record.get("owner"))

    def _touches(self, change: Change, old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[Touch, ...]:
        """What else the decision reaches, by kind of decision."""
        found: list[Touch] = []
        record = new or old
        tools = {i: t for i, t in (self.head.get("tools") or {}).items() if isinstance(t, dict)}
        domains = {i: d for i, d in (self.head.get("data_domains") or {}).items() if isinstance(d, dict)}
        if change.kind == "data-domain" and (change.op == "remove" or old.get("owner") != new.get("owner")):
            holder = record.get("system_of_record")
            if isinstance(holder, str):
                tool = self.names.record("tools", holder)
                found.append(Touch("system of record", f"tool/{holder}",
                                   f"{self.names.name('tools', holder)} holds it (owned by {self._owned(tool)})"))
            for tool_id, tool in sorted(tools.items()):
                for use in tool.get("data") or []:
                    if isinstance(use, dict) and use.get("domain") == change.id and tool_id != holder:
                        found.append(Touch("reads it", f"tool/{tool_id}",
                                           f"{tool.get('name', tool_id)} ({self._owned(tool)}) has {use.get('access', 'some')} access"))
            old_owner = (self.base.get("departments") or {}).get(str(old.get("owner")))
            old_people = set(_people_of(old_owner)) if isinstance(old_owner, dict) else set()
            for consumer in record.get("consumers") or []:
                if isinstance(consumer, dict) and str(consumer.get("approved_by", "")).lower() in old_people:
                    found.append(Touch("approved by the old owner", f"department/{consumer.get('department')}",
                                       f"{self.names.name('departments', consumer.get('department'))}'s use was approved by "
                                       f"{self.people.show(str(consumer['approved_by']))} of {self._owned(old)}, the old owner"))
        if change.kind == "tool" and (change.op == "remove" or new.get("ring") == "retired" != old.get("ring")):
            for tool_id, tool in sorted(tools.items()):
                if _listed(change.id, tool.get("integrations")) and tool_id != change.id:
                    found.append(Touch("integration", f"tool/{tool_id}",
                                       f"{tool.get('name', tool_id)} ({self._owned(tool)}) is connected to it"))
            own = record.get("integrations")
            for other in own if isinstance(own, list) else []:
                if isinstance(other, str):
                    found.append(Touch("integration", f"tool/{other}",
                                       f"it is connected to {self.names.name('tools', other)} ({self._owned(self.names.record('tools', other))})"))
        transferred = change.op == "modify" and old.get("owner") != new.get("owner")
        if change.kind == "tool" and (change.op == "remove" or new.get("ring") == "retired" != old.get("ring") or transferred):
            for domain_id, domain in sorted(domains.items()):
                if domain.get("system_of_record") == change.id:
                    found.append(Touch("system of record", f"data-domain/{domain_id}",
                                       f"it is the system of record of {domain.get('name', domain_id)} (owned by {self._owned(domain)})"))
            for use in record.get("data") or []:
                if isinstance(use, dict) and use.get("access") != "system-of-record" and isinstance(use.get("domain"), str):
                    used = self.names.record("data_domains", use["domain"])
                    found.append(Touch("data", f"data-domain/{use['domain']}",
                                       f"it has {use.get('access', 'some')} access to {self.names.name('data_domains', use['domain'])} "
                                       f"(owned by {self._owned(used)})"))
        if change.kind == "vendor" and (change.op == "remove" or old.get("status") != new.get("status")):
            for tool_id, tool in sorted(tools.items()):
                if tool.get("vendor") == change.id and tool.get("ring") != "retired":
                    ring = RING_WORDS.get(str(tool.get("ring")), str(tool.get("ring")))
                    found.append(Touch("uses the vendor", f"tool/{tool_id}", f"{tool.get('name', tool_id)} ({self._owned(tool)}), {ring}"))
        return tuple(found)

    def _spend(self, change: Change, old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[Spend, ...]:
        """The owner department's yearly spend before and after, when the change moves it."""
        if change.kind != "tool" or (_cost(old) is None and _cost(new) is None):
            return ()
        touched = change.op != "modify" or any(
            f.startswith("contract") or f in ("owner", "ring") for f in change.fields
        )
        if not touched:
            return ()
        found: list[Spend] = []
        for department in dict.fromkeys(d for d in (old.get("owner"), new.get("owner")) if isinstance(d, str)):
            before, after = _spend_of(self.base, department), _spend_of(self.head, department)
            for currency in sorted(set(before) | set(after)):
                if before.get(currency, 0) != after.get(currency, 0):
                    found.append(Spend(department, self.names.name("departments", department), currency,
                                       before.get(currency, 0), after.get(currency, 0)))
        return tuple(found)

    def _authority(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> Authority | None:
        """For a transfer, the lowest executive over both departments, from the base registry."""
        if old.get("owner") == new.get("owner") or not old or not new:
            return None
        departments = self.base.get("departments") or {}
        common = lowest_common(departments, old.get("owner"), new.get("owner"))
        if common is None:
            return Authority("", None, f"no department is over both {self._owned(old)} and {self._owned(new)} in the base registry")
        sponsor = departments[common].get("executive_sponsor")
        email = sponsor.get("email") if isinstance(sponsor, dict) and isinstance(sponsor.get("email"), str) else None
        who = f"{self.people.show(email)}, executive sponsor of {self.names.name('departments', common)}" if email else (
            f"the executive sponsor of {self.names.name('departments', common)} (none named)"
        )
        return Authority(common, email, f"{who}: the lowest executive over both {self._owned(old)} and {self._owned(new)}")

    def _facts(self, kind: str, record: Mapping[str, Any]) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, Any], ...]]:
        """The facts a sponsor weighs, in words, with structured values where there are some."""
        facts: list[tuple[str, str]] = []
        values: list[tuple[str, Any]] = []
        departments = self.departments()
        if "owner" in record:
            owner = record["owner"]
            owning = departments.get(owner) if isinstance(owner, str) else None
            sponsor = owning.get("executive_sponsor") if isinstance(owning, dict) else None
            shown = self.names.name("departments", owner)
            if isinstance(sponsor, dict) and isinstance(sponsor.get("email"), str):
                shown += f" (executive sponsor {self.people.show(sponsor['email'])})"
            facts.append(("Owner", shown))
        if kind == "tool":
            if isinstance(record.get("business_sponsor"), str):
                facts.append(("Business sponsor", self.people.show(record["business_sponsor"])))
            if record.get("ring"):
                ring = str(record["ring"])
                stage = RING_WORDS.get(ring, ring)
                # A trial end means something only while the tool is on trial.
                if ring == "trial" and record.get("trial_ends_on"):
                    stage += f" until {record['trial_ends_on']}"
                facts.append(("Stage", stage))
            cost = _cost(record)
            if cost is not None:
                facts.append(("Annual cost", f"{amount(cost[0])} {cost[1]} a year".replace("  ", " ")))
                values.append(("Annual cost", {"amount": cost[0], "currency": cost[1]}))
            data = []
            for use in record.get("data") or []:
                if isinstance(use, dict):
                    domain = self.names.record("data_domains", use.get("domain"))
                    name = self.names.name("data_domains", use.get("domain"))
                    data.append(f"{name} ({domain.get('classification', 'unclassified')}, {use.get('access')})")
            if data:
                facts.append(("Data", "; ".join(data)))
            if record.get("vendor"):
                vendor = self.names.record("vendors", record["vendor"])
                facts.append(("Vendor", f"{vendor.get('name', record['vendor'])} ({vendor.get('status', 'status unknown')})"))
        if kind == "data-domain":
            if record.get("classification"):
                facts.append(("Classification", str(record["classification"])))
            if record.get("system_of_record"):
                facts.append(("System of record", self.names.name("tools", record["system_of_record"])))
            decision = record.get("decision")
            if isinstance(decision, dict):
                if isinstance(decision.get("decided_by"), str):
                    on = f" on {decision['decided_on']}" if decision.get("decided_on") else ""
                    facts.append(("Decided by", f"{self.people.show(decision['decided_by'])}{on}"))
                if isinstance(decision.get("rationale"), str):
                    facts.append(("Rationale", " ".join(decision["rationale"].split())))
        if kind == "vendor":
            for field_name in ("status", "risk_tier"):
                if isinstance(record.get(field_name), str):
                    facts.append((label(field_name), str(record[field_name])))
        if kind == "exception":
            # Who the exception names as approver is an attestation, shown with its status:
            # a pending exception never reads "Approved by".
            rule = str(record.get("rule", ""))
            title = self.rule_titles.get(rule)
            facts.append(("Rule waived", f"{rule}: {title}" if title else rule))
            facts.append(("For", self.names.entity(record.get("entity"))))
            facts.append(("Expires on", str(record.get("expires_on", "not stated"))))
            if isinstance(record.get("reason"), str):
                facts.append(("Reason", " ".join(record["reason"].split())))
        return tuple(facts), tuple(values)


# The changed facts a sponsor looks for first; the rest follow in the record's order.
FIRST = ("owner", "ring", "contract.annual_cost", "contract.currency", "vendor", "status", "classification",
         "system_of_record", "expires_on")


def _weight(path: str) -> int:
    return FIRST.index(path) if path in FIRST else len(FIRST)


def _at(record: Any, path: str) -> Any:
    """The value at a dotted path without `*`; the record itself for the empty path."""
    found = values_at(record, path) if path else [record]
    return found[0] if found else None


def _shown(path: str, value: Any, names: Names) -> str:
    """One side of a before → after: a field the record did not have reads "not set"."""
    return "not set" if value is None else show(path, value, names)


def _listed(value: str, items: Any) -> bool:
    """Whether a list holds the value; a malformed field (a string, a mapping) holds nothing."""
    return isinstance(items, list) and value in items


def _people_of(department: Mapping[str, Any]) -> list[str]:
    people = [department.get(role) for role in ("executive_sponsor", "lead", "it_champion")]
    people += department.get("members") or [] if isinstance(department.get("members"), list) else []
    return [p["email"].lower() for p in people if isinstance(p, dict) and isinstance(p.get("email"), str)]


def _spend_of(registry: Mapping[str, Any], department: str) -> dict[str, float]:
    """A department's yearly spend on the tools it owns and has not retired, by currency."""
    totals: dict[str, float] = {}
    for tool in (registry.get("tools") or {}).values():
        if isinstance(tool, dict) and tool.get("owner") == department and tool.get("ring") != "retired":
            cost = _cost(tool)
            if cost is not None:
                totals[cost[1]] = totals.get(cost[1], 0) + cost[0]
    return totals


def comment_length(text: str) -> int:
    """Characters as GitHub counts them: a character outside the BMP counts twice."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _approval_words(approval: Approval, people: People | None, names: Names | None) -> tuple[str, str, str]:
    """(who, state, reason) of an approval in words; record text, still to be escaped."""
    who = ", ".join(people.show(a) if people else a for a in approval.approvers) or "nobody named"
    state = f"approved by {approval.approved_by}" if approval.approved_by else approval.status
    reason = plain_reason(approval.reason, names) if names else approval.reason
    return who, state, reason


def _role(approval: Approval, names: Names | None) -> str:
    return plain_role(approval.role, names) if names else approval.role


def _markdown_decision(
    number: int, decision: Decision, compact: bool, people: People | None = None, names: Names | None = None
) -> str:
    mark = "⛔ blocked" if decision.blocked else "✅ passes the rules"
    lines = [f"### {number}. {inline(decision.title)}", "", f"{code(decision.entity)}: {mark}", ""]
    if not compact:
        if decision.description:
            lines += [f"**What it is:** {inline(decision.description)}", ""]
        if decision.justification:
            lines += [f"**Why:** {inline(decision.justification)}", ""]
        if decision.changes:
            lines += ["| What changes | Before | After |", "| --- | --- | --- |"]
            lines += [f"| {inline(c.label)} | {inline(c.before_text)} | {inline(c.after_text)} |" for c in decision.changes]
            lines.append("")
        if decision.facts:
            lines += ["| | |", "| --- | --- |"]
            lines += [f"| {inline(label)} | {inline(value)} |" for label, value in decision.facts]
            lines.append("")
        if decision.attestations:
            lines += ["**Attestations**", ""]
            lines += [
                f"- {inline(a.label)}, {inline(a.shown)}: {ATTESTATION_STATUS_WORDS[a.status]}" for a in decision.attestations
            ]
            lines.append("")
        if decision.touches or decision.spend:
            lines += ["**What it touches**", ""]
            lines += [f"- {inline(t.text)}" for t in decision.touches]
            lines += [f"- {inline(s.text)}" for s in decision.spend]
            lines.append("")
        if decision.authority is not None:
            lines += [f"**Who decides:** {inline(decision.authority.text)}", ""]
    if decision.approvals:
        lines.append("**Approvals**")
        lines.append("")
        for approval in decision.approvals:
            box = "x" if approval.status == "approved" else " "
            who, state, reason = _approval_words(approval, people, names)
            why = "" if compact or not reason else f": {inline(reason)}"
            lines.append(f"- [{box}] {inline(_role(approval, names))} ({inline(who)}), {inline(state)}{why}")
        lines.append("")
    blocking = decision.blocking
    others = [f for f in decision.findings if f not in blocking]
    for heading, findings in (("Blocking findings", blocking), ("Warnings, waived and existing findings", others)):
        if not findings:
            continue
        lines.append(f"**{heading}**")
        lines.append("")
        shown = findings[:3] if compact else findings
        for finding in shown:
            where = inline(finding.location) if finding.file else ""
            note = f" (waived by {inline(finding.waived_by)})" if finding.waived_by else ""
            note += " (existing: the base has it too)" if finding.origin == "existing" and not finding.waived_by else ""
            lines.append(f"- {code(finding.rule)} {where}: {inline(finding.message)}{note}")
        if len(shown) < len(findings):
            lines.append(f"- ... and {len(findings) - len(shown)} more")
        lines.append("")
    return "\n".join(lines)


def _text_decision(number: int, decision: Decision, people: People | None, names: Names | None) -> list[str]:
    """One decision for a terminal: every piece of record text through `plain`."""
    mark = "BLOCKED" if decision.blocked else "passes the rules"
    lines = [f"{number}. {plain(decision.title)}", f"   {plain(decision.entity)}: {mark}"]
    if decision.description:
        lines.append(f"   What it is: {plain(decision.description)}")
    if decision.justification:
        lines.append(f"   Why: {plain(decision.justification)}")
    if decision.changes:
        lines.append("   What changes:")
        lines += [f"     {plain(c.label)}: {plain(c.before_text)} → {plain(c.after_text)}" for c in decision.changes]
    if decision.facts:
        width = max(len(plain(label)) for label, _ in decision.facts)
        lines += [f"   {plain(label) + ':':<{width + 1}} {plain(value)}" for label, value in decision.facts]
    if decision.attestations:
        lines.append("   Attestations:")
        lines += [f"     {plain(a.label)}, {plain(a.shown)}: {ATTESTATION_STATUS_WORDS[a.status]}" for a in decision.attestations]
    if decision.touches or decision.spend:
        lines.append("   What it touches:")
        lines += [f"     - {plain(t.text)}" for t in decision.touches]
        lines += [f"     - {plain(s.text)}" for s in decision.spend]
    if decision.authority is not None:
        lines.append(f"   Who decides: {plain(decision.authority.text)}")
    if decision.approvals:
        lines.append("   Approvals:")
        for approval in decision.approvals:
            box = "x" if approval.status == "approved" else " "
            who, state, reason = _approval_words(approval, people, names)
            why = f": {plain(reason)}" if reason else ""
            lines.append(f"     [{box}] {plain(_role(approval, names))} ({plain(who)}), {plain(state)}{why}")
    blocking = decision.blocking
    others = [f for f in decision.findings if f not in blocking]
    for heading, findings in (("Blocking findings", blocking), ("Warnings, waived and existing findings", others)):
        if findings:
            lines.append(f"   {heading}:")
            lines += [f"     {finding_line(f)}" for f in findings]
    return lines + [""]


@dataclass(frozen=True)
class Brief:
    """The decisions of a change, and what the brief says besides them: the findings the base
    already had on records the change does not touch (debt, not blocking), and, for a change
    to the rules, what the default branch shows after the merge."""

    decisions: list[Decision]
    people: People | None = None
    debt: list[Finding] = field(default_factory=list)
    preview: Preview | None = None
    report: Report | None = None
    names: Names | None = None


def _debt_lines(debt: list[Finding], compact: bool) -> list[str]:
    if not debt:
        return []
    errors = sum(1 for f in debt if f.severity == "error")
    lines = [
        "### Existing debt",
        "",
        f"{errors} error{'s' if errors != 1 else ''} and {len(debt) - errors} warning{'s' if len(debt) - errors != 1 else ''} "
        "the base already had, in records this change does not touch; they do not block it "
        "(`--fail-on existing` makes them block).",
        "",
    ]
    shown = debt[:5] if compact else debt[:50]
    for finding in shown:
        where = inline(finding.location) if finding.file else ""
        lines.append(f"- {code(finding.rule)} {where}: {inline(finding.message)}")
    if len(shown) < len(debt):
        lines.append(f"- ... and {len(debt) - len(shown)} more")
    lines.append("")
    return lines


def render_markdown(
    decisions: list[Decision],
    limit: int = COMMENT_LIMIT - MARKER_ROOM,
    people: People | None = None,
    report: Report | None = None,
    *,
    debt: list[Finding] | None = None,
    preview: Preview | None = None,
    names: Names | None = None,
) -> str:
    """The brief as markdown of at most `limit` characters: in full if it fits, else each
    decision compact, else as many whole compact decisions as fit and how many were left out."""
    blocked = sum(1 for d in decisions if d.blocked)
    pending = sum(1 for d in decisions for a in d.approvals if a.status != "approved")
    notes = "".join(f" {note[0].upper()}{note[1:]}." for note in (preamble(report) if report else []))
    head = [
        "## govlint decision brief",
        "",
        f"{len(decisions)} decision{'s' if len(decisions) != 1 else ''}, {blocked} blocked by the rules, "
        f"{pending} approval{'s' if pending != 1 else ''} outstanding.{notes}",
        "",
    ]
    if preview is not None:
        head += [f"Rules change, {inline(preview.describe())}; shown, not blocking.", ""]
    debt = debt or []
    if not decisions:
        return "\n".join(head + ["This change records no decisions.", ""] + _debt_lines(debt, False)).rstrip("\n") + "\n"
    for compact in (False, True):
        parts = head + [_markdown_decision(n, d, compact, people, names) for n, d in enumerate(decisions, 1)]
        parts += _debt_lines(debt, compact)
        text = "\n".join(parts) + "\n"
        if comment_length(text) <= limit:
            return text
    # Still too long: as many whole compact decisions as fit, and how many were left out.
    parts, used = list(head), comment_length("\n".join(head)) + 1
    for number, decision in enumerate(decisions, 1):
        block = _markdown_decision(number, decision, True, people, names)
        if used + comment_length(block) + 1 + 200 > limit:
            left_out = len(decisions) - number + 1
            parts.append(
                f"... and {left_out} more decision{'s' if left_out != 1 else ''} left out to fit "
                "GitHub's comment limit; run `govlint decisions` for all."
            )
            break
        parts.append(block)
        used += comment_length(block) + 1
    return "\n".join(parts) + "\n"


def render_text(
    decisions: list[Decision],
    people: People | None = None,
    report: Report | None = None,
    *,
    debt: list[Finding] | None = None,
    preview: Preview | None = None,
    names: Names | None = None,
) -> str:
    """The brief for a terminal: no markup and no HTML entities, record text through `plain`
    so a line break or an escape sequence in a record cannot forge a line of the brief."""
    blocked = sum(1 for d in decisions if d.blocked)
    pending = sum(1 for d in decisions for a in d.approvals if a.status != "approved")
    lines = [
        "govlint decision brief",
        "",
        f"{len(decisions)} decision{'s' if len(decisions) != 1 else ''}, {blocked} blocked by the rules, "
        f"{pending} approval{'s' if pending != 1 else ''} outstanding.",
    ]
    lines += [f"{note[0].upper()}{note[1:]}." for note in (preamble(report) if report else [])]
    if preview is not None:
        lines.append(f"Rules change, {plain(preview.describe())}; shown, not blocking.")
    lines.append("")
    if not decisions:
        lines += ["This change records no decisions.", ""]
    for number, decision in enumerate(decisions, 1):
        lines += _text_decision(number, decision, people, names)
    debt = debt or []
    if debt:
        errors = sum(1 for f in debt if f.severity == "error")
        lines.append(
            f"Existing debt: {errors} error{'s' if errors != 1 else ''} and {len(debt) - errors} "
            f"warning{'s' if len(debt) - errors != 1 else ''} the base already had, in records this change "
            "does not touch; they do not block it (--fail-on existing makes them block)."
        )
        lines += [f"  {finding_line(f)}" for f in debt]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json(
    decisions: list[Decision],
    report: Report | None = None,
    *,
    debt: list[Finding] | None = None,
    preview: Preview | None = None,
) -> str:
    """The brief as one JSON object described by the published `decisions.schema.json`."""
    debt = debt or []
    document = {
        **header("govlint-decisions", report or Report([])),
        # The brief's own shape has its own version (3: before/after, attestations, touches).
        "version": DECISIONS_VERSION,
        "summary": {
            "decisions": len(decisions),
            "blocked": sum(1 for d in decisions if d.blocked),
            "approvals_outstanding": sum(1 for d in decisions for a in d.approvals if a.status != "approved"),
            "existing": len(debt),
        },
        "decisions": [d.to_json() for d in decisions],
        "debt": [f.to_json() for f in debt],
        "after_merge": preview.to_json() if preview is not None else None,
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def build_brief(settings: CheckSettings) -> Brief:
    """The brief from the same judgement `check` makes: the same findings, origins and verdict."""
    from govlint.check import for_output

    if settings.base is None:
        raise GovlintError("decisions needs --base REF: the revision the change is judged against")
    judgement = judge(settings, with_approvals=True)
    writer = DecisionWriter(judgement)
    decisions = writer.decisions(judgement.changes)
    return Brief(
        decisions, writer.people, writer.debt, judgement.report.preview, for_output(judgement, settings), writer.names
    )


def run_decisions(settings: CheckSettings, format_name: BriefFormat, out: TextIO) -> int:
    brief = build_brief(settings)
    if format_name == "json":
        text = render_json(brief.decisions, brief.report, debt=brief.debt, preview=brief.preview)
    elif format_name == "text":
        text = render_text(
            brief.decisions, brief.people, brief.report, debt=brief.debt, preview=brief.preview, names=brief.names
        )
    else:
        text = render_markdown(
            brief.decisions, people=brief.people, report=brief.report, debt=brief.debt, preview=brief.preview,
            names=brief.names,
        )
    if settings.output is not None:
        from govlint.atomic import write_atomically

        write_atomically(settings.output, text)
    else:
        out.write(text)
    return 0


def change_wording(departments: dict[str, Any]) -> Callable[[Change, dict[str, Any], dict[str, Any]], tuple[str, str]]:
    """How the brief words a change, given the departments of the time: a function from a
    change and its records before and after to the decision's action and one-line title.
    What `govlint history` words each past change with. Made once per set of departments
    (naming their people costs a pass over them)."""
    names = Names({"departments": departments}, {})
    return lambda change, old, new: describe_change(change, old, new, names)
