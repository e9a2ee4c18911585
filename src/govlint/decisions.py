"""`govlint decisions`: a pull request as decisions for executive sponsors, with their approvals.

Each change becomes one decision in plain language (adopt a tool, move it between rings, retire
it, transfer data ownership, add a department, change a policy), with what a sponsor weighs:
owner, sponsor, cost, data and classification, who must approve and who has, and the findings
that block it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any, Literal, TextIO

from govlint.changes import Change
from govlint.check import CheckSettings, Judgement, judge
from govlint.errors import GovlintError
from govlint.findings import Finding
from govlint.report.markdown import cell

BriefFormat = Literal["markdown", "json"]
# How a new tool's ring reads as the decision asked for.
RING_VERBS = {"proposed": "Propose", "assess": "Assess", "trial": "Trial", "adopt": "Adopt"}
# GitHub refuses comments over 65,536 characters; stay well under it.
COMMENT_LIMIT = 60_000


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

    @property
    def blocked(self) -> bool:
        return any(f.severity == "error" and not f.waived_by for f in self.findings)

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
        found = [self._decision(change) for change in changes]
        if self.policy_files:
            found.append(
                Decision(
                    entity="policies",
                    action="change policy",
                    title="Change the rules: " + ", ".join(self.policy_files),
                    facts=(("Review", "governance owners (CODEOWNERS); this change was judged by the base's rules"),),
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


def _markdown_decision(number: int, decision: Decision, compact: bool, people: People | None = None) -> str:
    mark = "⛔ blocked" if decision.blocked else "✅ passes the rules"
    lines = [f"### {number}. {cell(decision.title)}", "", f"`{decision.entity}`: {mark}", ""]
    if not compact and decision.facts:
        lines += ["| | |", "| --- | --- |"]
        lines += [f"| {label} | {cell(value)} |" for label, value in decision.facts]
        lines.append("")
    if decision.approvals:
        lines.append("**Approvals**")
        lines.append("")
        for approval in decision.approvals:
            box = "x" if approval.status == "approved" else " "
            who = ", ".join(people.show(a) if people else a for a in approval.approvers) or "nobody named"
            state = f"approved by {approval.approved_by}" if approval.approved_by else approval.status
            reason = "" if compact or not approval.reason else f": {approval.reason}"
            lines.append(f"- [{box}] {cell(approval.role)} ({cell(who)}), {state}{cell(reason)}")
        lines.append("")
    blocking = [f for f in decision.findings if f.severity == "error" and not f.waived_by]
    others = [f for f in decision.findings if f not in blocking]
    for heading, findings in (("Blocking findings", blocking), ("Warnings and waived findings", others)):
        if not findings:
            continue
        lines.append(f"**{heading}**")
        lines.append("")
        shown = findings[:3] if compact else findings
        for finding in shown:
            where = f"{finding.file}:{finding.line}" if finding.line else (finding.file or "")
            note = f" (waived by {finding.waived_by})" if finding.waived_by else ""
            lines.append(f"- `{finding.rule}` {where}: {cell(finding.message)}{note}")
        if len(shown) < len(findings):
            lines.append(f"- ... and {len(findings) - len(shown)} more")
        lines.append("")
    return "\n".join(lines)


def render_markdown(decisions: list[Decision], limit: int = COMMENT_LIMIT, people: People | None = None) -> str:
    blocked = sum(1 for d in decisions if d.blocked)
    pending = sum(1 for d in decisions for a in d.approvals if a.status != "approved")
    head = [
        "## govlint decision brief",
        "",
        f"{len(decisions)} decision{'s' if len(decisions) != 1 else ''}, {blocked} blocked by the rules, "
        f"{pending} approval{'s' if pending != 1 else ''} outstanding.",
        "",
    ]
    if not decisions:
        return "\n".join(head + ["This change records no decisions."]) + "\n"
    for compact in (False, True):
        parts = head + [_markdown_decision(n, d, compact, people) for n, d in enumerate(decisions, 1)]
        text = "\n".join(parts)
        if len(text) <= limit:
            return text
    # Still too long: list as many compact decisions as fit and say how many were left out.
    parts, used = list(head), sum(len(p) + 1 for p in head)
    for number, decision in enumerate(decisions, 1):
        block = _markdown_decision(number, decision, True, people)
        if used + len(block) + 200 > limit:
            parts.append(f"... and {len(decisions) - number + 1} more decisions; run `govlint decisions` for all.")
            break
        parts.append(block)
        used += len(block) + 1
    return "\n".join(parts)


def render_json(decisions: list[Decision]) -> str:
    document = {
        "version": 1,
        "summary": {
            "decisions": len(decisions),
            "blocked": sum(1 for d in decisions if d.blocked),
            "approvals_outstanding": sum(1 for d in decisions for a in d.approvals if a.status != "approved"),
        },
        "decisions": [d.to_json() for d in decisions],
    }
    return json.dumps(document, indent=2) + "\n"


def build_decisions(settings: CheckSettings) -> tuple[list[Decision], People]:
    if settings.base is None:
        raise GovlintError("decisions needs --base REF: the revision the change is judged against")
    judgement = judge(settings, with_approvals=True)
    writer = DecisionWriter(judgement)
    return writer.decisions(judgement.changes), writer.people


def run_decisions(settings: CheckSettings, format_name: BriefFormat, out: TextIO) -> int:
    decisions, people = build_decisions(settings)
    text = render_json(decisions) if format_name == "json" else render_markdown(decisions, people=people)
    if settings.output is not None:
        from govlint.atomic import write_atomically

        write_atomically(settings.output, text)
    else:
        out.write(text)
    return 0
