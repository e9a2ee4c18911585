"""`govlint decisions`: a pull request as decisions for executive sponsors, with their approvals.

Each change becomes one decision in plain language (adopt a tool, move it between rings, retire
it, transfer data ownership, add a department, change a policy), with what a sponsor weighs:
owner, sponsor, cost, data and classification, who must approve and who has, and the findings
that block it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from collections.abc import Mapping
from typing import Any, Callable, Literal, TextIO

from govlint.changes import Change
from govlint.check import CheckSettings, Judgement, judge
from govlint.errors import GovlintError
from govlint.findings import Finding
from govlint.registry import KIND_BY_NAME
from govlint.report import Preview, Report, preamble
from govlint.report.json import header
from govlint.report.markdown import code, inline

BriefFormat = Literal["markdown", "json"]
# How a new tool's ring reads as the decision asked for.
RING_VERBS = {"proposed": "Propose", "assess": "Assess", "trial": "Trial", "adopt": "Adopt"}
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
            "facts": dict(self.facts),
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


def _name(records: Mapping[str, Any], record_id: Any) -> str:
    if record_id is None:
        return "no department named"
    record = records.get(record_id) if isinstance(record_id, str) else None
    if isinstance(record, dict) and isinstance(record.get("name"), str):
        return str(record["name"])
    return str(record_id)


def _money(contract: Any) -> str | None:
    if not isinstance(contract, dict) or not isinstance(contract.get("annual_cost"), (int, float)):
        return None
    return f"{contract['annual_cost']:,.0f} {contract.get('currency', '')} a year".replace("  ", " ")


class DecisionWriter:
    """Turns a judged change into decisions."""

    def __init__(self, judgement: Judgement) -> None:
        policy_input = judgement.policy_input
        self.head = policy_input.registry
        self.base = policy_input.base or {}
        self.approvals_given = policy_input.approvals
        self.people = People({**self.base.get("departments", {}), **self.head.get("departments", {})})
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

    def _lookup(self, key: str, record_id: Any) -> Mapping[str, Any]:
        """A record of the head, or of the base when the change removed it; {} if neither."""
        if not isinstance(record_id, str):
            return {}
        for registry in (self.head, self.base):
            found = registry.get(key, {}).get(record_id)
            if isinstance(found, Mapping):
                return found
        return {}

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
        key = {"department": "departments", "tool": "tools", "data-domain": "data_domains",
               "vendor": "vendors", "exception": "exceptions"}[change.kind]
        new = self.head.get(key, {}).get(change.id) or {}
        old = self.base.get(key, {}).get(change.id) or {}
        record = new or old
        action, title = self._describe(change, old, new)
        return Decision(
            entity=change.entity,
            action=action,
            title=title,
            facts=self._facts(change.kind, record, old),
            approvals=self._approvals(change.entity),
            findings=tuple(self.findings_by_entity.get(change.entity, [])),
            fail_on_existing=self.fail_on_existing,
        )

    def _describe(self, change: Change, old: dict[str, Any], new: dict[str, Any]) -> tuple[str, str]:
        record = new or old
        name = record.get("name", change.id)
        departments = self.departments()
        if change.kind == "tool":
            owner = _name(departments, record.get("owner"))
            if change.op == "add":
                ring = record.get("ring", "proposed")
                verb = RING_VERBS.get(ring, f"Register at ring {ring}:")
                return "adopt tool", f"{verb} {name} {'for' if ring in ('proposed', 'assess') else 'in'} {owner}"
            if change.op == "remove":
                return "remove tool", f"Remove {name} from the registry"
            if old.get("owner") != new.get("owner"):
                return "transfer ownership", (
                    f"Transfer {name} from {_name(departments, old.get('owner'))} to {owner}"
                )
            if old.get("ring") != new.get("ring"):
                if new.get("ring") == "retired":
                    return "retire tool", f"Retire {name} ({owner})"
                return "change ring", f"Move {name} from {old.get('ring')} to {new.get('ring')} ({owner})"
            return "update tool", f"Update {name}: {', '.join(change.fields)}"
        if change.kind == "data-domain":
            owner = _name(departments, record.get("owner"))
            if change.op == "add":
                return "assign ownership", f"Record data domain {name}, owned by {owner}"
            if change.op == "remove":
                return "remove data domain", f"Remove data domain {name}"
            if old.get("owner") != new.get("owner"):
                decision = new.get("decision")
                by = decision.get("decided_by") if isinstance(decision, dict) else None
                decided = f", decided by {self.people.show(by)}" if isinstance(by, str) else ""
                return "transfer ownership", (
                    f"Data domain {name} moves from {_name(departments, old.get('owner'))} to {owner}{decided}"
                )
            return "update data domain", f"Update data domain {name}: {', '.join(change.fields)}"
        if change.kind == "department":
            if change.op == "add":
                return "new department", f"Create department {name} under {_name(departments, record.get('parent'))}"
            if change.op == "remove":
                return "remove department", f"Dissolve department {name}"
            return "update department", f"Update department {name}: {', '.join(change.fields)}"
        if change.kind == "vendor":
            if change.op == "modify" and old.get("status") != new.get("status"):
                return "vendor status", f"Vendor {name}: {old.get('status')} to {new.get('status')}"
            verb = {"add": "Add", "remove": "Remove", "modify": "Update"}[change.op]
            return f"{change.op} vendor", f"{verb} vendor {name}"
        if change.op == "add":
            return "grant exception", (
                f"Waive {record.get('rule')} for {record.get('entity')} until {record.get('expires_on')}"
            )
        verb = {"remove": "Withdraw", "modify": "Amend"}[change.op]
        return f"{change.op} exception", f"{verb} exception {change.id} ({record.get('rule')} for {record.get('entity')})"

    def _facts(self, kind: str, record: dict[str, Any], old: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        facts: list[tuple[str, str]] = []
        departments = self.departments()
        if "owner" in record:
            owner = record["owner"]
            sponsor = departments.get(owner, {}).get("executive_sponsor") if isinstance(owner, str) else None
            shown = _name(departments, owner)
            if isinstance(sponsor, dict) and isinstance(sponsor.get("email"), str):
                shown += f" (executive sponsor {self.people.show(sponsor['email'])})"
            facts.append(("Owner", shown))
        if kind == "tool":
            if isinstance(record.get("business_sponsor"), str):
                facts.append(("Business sponsor", self.people.show(record["business_sponsor"])))
            if record.get("ring"):
                ring = str(record["ring"])
                if record.get("trial_ends_on"):
                    ring += f" until {record['trial_ends_on']}"
                facts.append(("Ring", ring))
            money = _money(record.get("contract"))
            if money:
                facts.append(("Annual cost", money))
            data = []
            for use in record.get("data") or []:
                if isinstance(use, dict):
                    domain = self._lookup("data_domains", use.get("domain"))
                    label = f"{use.get('domain')} ({domain.get('classification', 'unknown')}, {use.get('access')})"
                    data.append(label)
            if data:
                facts.append(("Data", "; ".join(data)))
            if record.get("vendor"):
                vendor = self._lookup("vendors", record["vendor"])
                facts.append(("Vendor", f"{vendor.get('name', record['vendor'])} ({vendor.get('status', 'unknown')})"))
        if kind == "data-domain" and record.get("classification"):
            facts.append(("Classification", str(record["classification"])))
            if record.get("system_of_record"):
                facts.append(("System of record", _name(self.head.get("tools", {}), record["system_of_record"])))
            decision = record.get("decision")
            if isinstance(decision, dict) and decision != old.get("decision") and isinstance(decision.get("rationale"), str):
                facts.append(("Rationale", " ".join(decision["rationale"].split())))
        if kind == "exception" and isinstance(record.get("approved_by"), str):
            facts.append(("Reason", str(record.get("reason", ""))))
            facts.append(("Approved by", self.people.show(record["approved_by"])))
        return tuple(facts)


def comment_length(text: str) -> int:
    """Characters as GitHub counts them: a character outside the BMP counts twice."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _markdown_decision(number: int, decision: Decision, compact: bool, people: People | None = None) -> str:
    mark = "⛔ blocked" if decision.blocked else "✅ passes the rules"
    lines = [f"### {number}. {inline(decision.title)}", "", f"{code(decision.entity)}: {mark}", ""]
    if not compact and decision.facts:
        lines += ["| | |", "| --- | --- |"]
        lines += [f"| {inline(label)} | {inline(value)} |" for label, value in decision.facts]
        lines.append("")
    if decision.approvals:
        lines.append("**Approvals**")
        lines.append("")
        for approval in decision.approvals:
            box = "x" if approval.status == "approved" else " "
            who = ", ".join(people.show(a) if people else a for a in approval.approvers) or "nobody named"
            state = f"approved by {inline(approval.approved_by)}" if approval.approved_by else approval.status
            reason = "" if compact or not approval.reason else f": {inline(approval.reason)}"
            lines.append(f"- [{box}] {inline(approval.role)} ({inline(who)}), {state}{reason}")
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
        parts = head + [_markdown_decision(n, d, compact, people) for n, d in enumerate(decisions, 1)]
        parts += _debt_lines(debt, compact)
        text = "\n".join(parts) + "\n"
        if comment_length(text) <= limit:
            return text
    # Still too long: as many whole compact decisions as fit, and how many were left out.
    parts, used = list(head), comment_length("\n".join(head)) + 1
    for number, decision in enumerate(decisions, 1):
        block = _markdown_decision(number, decision, True, people)
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
    return Brief(decisions, writer.people, writer.debt, judgement.report.preview, for_output(judgement, settings))


def run_decisions(settings: CheckSettings, format_name: BriefFormat, out: TextIO) -> int:
    brief = build_brief(settings)
    if format_name == "json":
        text = render_json(brief.decisions, brief.report, debt=brief.debt, preview=brief.preview)
    else:
        text = render_markdown(
            brief.decisions, people=brief.people, report=brief.report, debt=brief.debt, preview=brief.preview
        )
    if settings.output is not None:
        from govlint.atomic import write_atomically

        write_atomically(settings.output, text)
    else:
        out.write(text)
    return 0


class _RecordsOnly(DecisionWriter):
    """The brief's wording without a judgement: only the departments it names people and
    owners from. What `govlint history` words each past change with."""

    def __init__(self, departments: dict[str, Any]) -> None:  # no super(): nothing is judged
        self.head = {"departments": departments}
        self.base = {}
        self.people = People(departments)


def change_wording(departments: dict[str, Any]) -> Callable[[Change, dict[str, Any], dict[str, Any]], tuple[str, str]]:
    """How the brief words a change, given the departments of the time: a function from a
    change and its records before and after to the decision's action and one-line title.
    Made once per set of departments (naming their people costs a pass over them)."""
    return _RecordsOnly(departments)._describe
