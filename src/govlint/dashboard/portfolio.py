"""The portfolio as an executive reads it: the facts the dashboard charts, drawn from one
judged registry. Plain data and plain functions; no charting library, no HTML.

Records reach here as the policies saw them: a field that failed its schema was dropped, so
every field is read as possibly absent or of the wrong type, and a bad record shows as
less, never as a crash.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Sequence

from govlint.findings import Finding
from govlint.history import LeadTime as LedgerLeadTime
from govlint.registry import Registry

# Rings from the centre of the radar outwards; `retired` tools are off the radar.
RADAR_RINGS = ("adopt", "trial", "assess", "proposed", "hold")
RINGS = RADAR_RINGS + ("retired",)
CONTROLS = (("sso", "SSO"), ("mfa", "MFA"), ("scim", "SCIM"), ("security_review", "Security review"))
DEFAULT_CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
NO_DATA = "no data"
DUE_WINDOW_DAYS = 90


def _text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _day(value: Any) -> date | None:
    """An ISO date field, or None where it is absent or not a date."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Tool:
    """One tool as the dashboard shows it: names resolved, cost and controls flattened."""

    id: str
    name: str
    category: str
    ring: str
    owner: str  # the owner department's name (its id when it has none)
    owner_id: str
    sponsor: str  # the business sponsor's name where the registry knows the e-mail
    vendor: str
    annual_cost: float | None
    currency: str
    classification: str  # the most sensitive classification of the data it handles
    controls: dict[str, bool]
    proposed_on: date | None
    trial_ends_on: date | None
    adopted_on: date | None  # an estimate from the records: see adoption_estimate


@dataclass(frozen=True)
class Due:
    """Something that falls due: a trial's end, an exception's expiry, a review, a renewal."""

    on: date
    what: str  # "trial ends", "exception expires", "review due", "contract renews"
    entity: str
    name: str
    owner: str
    overdue: bool


@dataclass(frozen=True)
class Waiver:
    """An exception record: what it waives, until when, and how many findings it waives now."""

    entity: str
    rule: str
    waives: str
    approved_by: str
    expires_on: str
    live: bool
    findings_waived: int


@dataclass(frozen=True)
class DataOwnership:
    """One data-ownership decision: domain, owner, system of record, consumers."""

    domain: str
    name: str
    classification: str
    owner: str
    steward: str
    system_of_record: str
    consumers: tuple[str, ...]


@dataclass(frozen=True)
class LeadTime:
    """Days a tool took from one stage to the next."""

    tool: str
    stage: str  # "proposal → trial end" or "proposal → adoption"
    days: int
    start: date
    end: date


@dataclass(frozen=True)
class LeadTimes:
    """Lead times and where they come from, which the dashboard states beside the chart."""

    source: str
    rows: list[LeadTime]


@dataclass
class Portfolio:
    """Everything the dashboard shows, computed once from a judged registry."""

    today: date
    tools: list[Tool]
    departments: dict[str, str]  # id → name
    classifications: tuple[str, ...]
    due: list[Due]
    findings: list[Finding]  # open (not waived)
    waivers: list[Waiver]
    ownership: list[DataOwnership]
    lead_times: LeadTimes
    files_checked: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def active_tools(self) -> list[Tool]:
        """Tools still in use or on the way in: everything but `retired`."""
        return [tool for tool in self.tools if tool.ring != "retired"]


def _people(registry: Registry) -> dict[str, str]:
    """E-mail → name, from every person a department names."""
    names: dict[str, str] = {}
    for record in registry.records["departments"].values():
        people = [record.get("executive_sponsor"), record.get("lead"), record.get("it_champion")]
        people += _items(record.get("members"))
        for person in people:
            person = _mapping(person)
            email, name = _text(person.get("email")), _text(person.get("name"))
            if email and name:
                names.setdefault(email, name)
    return names


def _classification_order(params: Mapping[str, Any]) -> tuple[str, ...]:
    order = params.get("classification_order")
    if isinstance(order, list) and order and all(isinstance(item, str) for item in order):
        return tuple(order)
    return DEFAULT_CLASSIFICATIONS


def adoption_estimate(record: Mapping[str, Any]) -> date | None:
    """When an adopted tool was adopted, as far as its own record tells: the contract's start,
    else the latest approval recorded on it. The records hold no adoption date; the decision
    ledger (`govlint history`) will."""
    if record.get("ring") != "adopt":
        return None
    start = _day(_mapping(record.get("contract")).get("start"))
    if start is not None:
        return start
    approved = [_day(_mapping(item).get("date")) for item in _items(record.get("approvals"))]
    known = [day for day in approved if day is not None]
    return max(known) if known else None


def _tool(
    tool_id: str, record: Mapping[str, Any], departments: Mapping[str, str], people: Mapping[str, str],
    domain_class: Mapping[str, str], rank: Mapping[str, int],
) -> Tool:
    security = _mapping(record.get("security"))
    contract = _mapping(record.get("contract"))
    handled = [domain_class.get(_text(_mapping(item).get("domain")), "") for item in _items(record.get("data"))]
    handled = [c for c in handled if c in rank]
    owner_id = _text(record.get("owner"))
    sponsor = _text(record.get("business_sponsor"))
    return Tool(
        id=tool_id,
        name=_text(record.get("name"), tool_id),
        category=_text(record.get("category"), "(none)"),
        ring=_text(record.get("ring"), "(none)"),
        owner=departments.get(owner_id, owner_id or "(none)"),
        owner_id=owner_id,
        sponsor=people.get(sponsor, sponsor or "(none)"),
        vendor=_text(record.get("vendor"), "(none)"),
        annual_cost=_number(contract.get("annual_cost")),
        currency=_text(contract.get("currency"), "?"),
        classification=max(handled, key=rank.__getitem__) if handled else NO_DATA,
        controls={
            "sso": security.get("sso") is True,
            "mfa": security.get("mfa") is True,
            "scim": security.get("scim") is True,
            "security_review": _mapping(security.get("review")).get("status") == "approved",
        },
        proposed_on=_day(record.get("proposed_on")),
        trial_ends_on=_day(record.get("trial_ends_on")),
        adopted_on=adoption_estimate(record),
    )


def lead_times(tools: Iterable[Tool]) -> LeadTimes:
    """Proposal to trial end, and proposal to adoption, in days, from the records' dates.

    Kept small and apart: when the decision ledger lands, this is the one function that
    switches to it, for dates of the ring changes themselves rather than estimates."""
    rows = []
    for tool in tools:
        if tool.proposed_on is None:
            continue
        if tool.trial_ends_on is not None and tool.trial_ends_on >= tool.proposed_on:
            rows.append(LeadTime(tool.name, "proposal → trial end", (tool.trial_ends_on - tool.proposed_on).days,
                                 tool.proposed_on, tool.trial_ends_on))
        if tool.adopted_on is not None and tool.adopted_on >= tool.proposed_on:
            rows.append(LeadTime(tool.name, "proposal → adoption", (tool.adopted_on - tool.proposed_on).days,
                                 tool.proposed_on, tool.adopted_on))
    source = (
        "Source: the records' own dates, not git history. Proposal is proposed_on; trial end is "
        "trial_ends_on (planned, for tools in trial); adoption is estimated as the contract's start, "
        "or else the latest approval on the record."
    )
    return LeadTimes(source, rows)


def ledger_lead_times(tools: Iterable[Tool], ledger: Sequence[LedgerLeadTime]) -> LeadTimes:
    """Lead times from the decision ledger (`govlint history`) for the tools whose moves the
    branch saw: proposal is the day the record first reached it, trial and adoption the first
    days its ring became `trial` and `adopt`. A tool that arrived already adopted (a registry
    started with what the organisation had) moved before the branch began, so its lead time
    comes from its own dates, as `lead_times` estimates them."""
    ordered = list(tools)
    by_id = {tool.id: tool for tool in ordered}
    rows: list[LeadTime] = []
    seen: set[str] = set()
    for entry in ledger:
        tool = by_id.get(entry.tool)
        if tool is None or entry.proposed is None:
            continue
        start = date.fromisoformat(entry.proposed)
        moves = [
            (stage, date.fromisoformat(end))
            for stage, end in (("proposal → trial", entry.trial), ("proposal → adoption", entry.adopted))
            if end is not None
        ]
        if not any(day > start for _, day in moves):
            continue  # nothing happened on the branch between proposal and its next ring
        seen.add(tool.id)
        rows += [LeadTime(tool.name, stage, (day - start).days, start, day) for stage, day in moves if day >= start]
    estimated = lead_times(tool for tool in ordered if tool.id not in seen)
    source = (
        "Source: the decision ledger (git history of the branch) for the tools whose ring changes "
        "it records; for tools that were already in use when the registry began, "
        + estimated.source[len("Source: "):]
    )
    return LeadTimes(source, rows + estimated.rows)


def falls_due(registry: Registry, tools: Mapping[str, Tool], params: Mapping[str, Any], today: date,
              within: int = DUE_WINDOW_DAYS) -> list[Due]:
    """What falls due by `within` days from today, overdue items included: trial ends,
    exception expiries, tool reviews and contract renewals, soonest first."""
    horizon = today + timedelta(days=within)
    default_cadence = _number(_mapping(params.get("review")).get("default_cadence_days")) or 365
    items: list[Due] = []

    def add(on: date | None, what: str, entity: str, name: str, owner: str) -> None:
        if on is not None and on <= horizon:
            items.append(Due(on, what, entity, name, owner, on < today))

    for tool_id, record in registry.records["tools"].items():
        tool = tools[tool_id]
        if tool.ring == "retired":
            continue
        entity = f"tool/{tool_id}"
        if tool.ring == "trial":
            add(tool.trial_ends_on, "trial ends", entity, tool.name, tool.owner)
        review = _mapping(record.get("review"))
        last = _day(review.get("last_reviewed"))
        cadence = _number(review.get("cadence_days")) or default_cadence
        if last is not None:
            add(last + timedelta(days=int(cadence)), "review due", entity, tool.name, tool.owner)
        add(_day(_mapping(record.get("contract")).get("renewal")), "contract renews", entity, tool.name, tool.owner)
    for exception_id, record in registry.records["exceptions"].items():
        waived = _text(record.get("entity"))
        kind, _, waived_id = waived.partition("/")
        # Who answers for an expiring waiver: the owner of the tool it covers, where it covers one.
        owner = tools[waived_id].owner if kind == "tool" and waived_id in tools else waived
        add(_day(record.get("expires_on")), "exception expires", f"exception/{exception_id}",
            _text(record.get("name"), exception_id), owner)
    return sorted(items, key=lambda due: (due.on, due.what, due.entity))


def _waivers(registry: Registry, findings: list[Finding], today: date) -> list[Waiver]:
    waived = Counter(finding.waived_by for finding in findings if finding.waived_by)
    rows = []
    for exception_id, record in sorted(registry.records["exceptions"].items()):
        entity = f"exception/{exception_id}"
        expires = _day(record.get("expires_on"))
        rows.append(Waiver(
            entity=entity,
            rule=_text(record.get("rule")),
            waives=_text(record.get("entity")),
            approved_by=_text(record.get("approved_by")),
            expires_on=_text(record.get("expires_on")),
            live=expires is not None and expires >= today,
            findings_waived=waived[entity],
        ))
    return rows


def _ownership(registry: Registry, departments: Mapping[str, str], tools: Mapping[str, Tool],
               people: Mapping[str, str]) -> list[DataOwnership]:
    rows = []
    for domain_id, record in sorted(registry.records["data_domains"].items()):
        owner = _text(record.get("owner"))
        system = _text(record.get("system_of_record"))
        consumers = sorted({
            departments.get(d, d) for d in (_text(_mapping(c).get("department")) for c in _items(record.get("consumers"))) if d
        })
        steward = _text(record.get("steward"))
        rows.append(DataOwnership(
            domain=domain_id,
            name=_text(record.get("name"), domain_id),
            classification=_text(record.get("classification"), "(none)"),
            owner=departments.get(owner, owner or "(none)"),
            steward=people.get(steward, steward),
            system_of_record=tools[system].name if system in tools else (system or "(none)"),
            consumers=tuple(consumers),
        ))
    return rows


def build_portfolio(registry: Registry, params: Mapping[str, Any], findings: list[Finding], today: str,
                    files_checked: int = 0, ledger: Sequence[LedgerLeadTime] | None = None) -> Portfolio:
    """The dashboard's facts from one registry judged in full mode on `today`; lead times from
    the decision ledger when there is one (a git repository), else from the records' dates."""
    day = date.fromisoformat(today)
    departments = {
        dept_id: _text(record.get("name"), dept_id) for dept_id, record in registry.records["departments"].items()
    }
    people = _people(registry)
    classifications = _classification_order(params)
    rank = {name: index for index, name in enumerate(classifications)}
    domain_class = {
        domain_id: _text(record.get("classification")) for domain_id, record in registry.records["data_domains"].items()
    }
    tools = {
        tool_id: _tool(tool_id, record, departments, people, domain_class, rank)
        for tool_id, record in registry.records["tools"].items()
    }
    ordered = sorted(tools.values(), key=lambda tool: (tool.name.casefold(), tool.id))
    notes = []
    unreadable = sum(len(ids) for ids in registry.unreadable.values())
    if unreadable:
        notes.append(f"{unreadable} record(s) could not be read and are missing from the charts; see the findings.")
    return Portfolio(
        today=day,
        tools=ordered,
        departments=departments,
        classifications=classifications,
        due=falls_due(registry, tools, params, day),
        findings=[finding for finding in findings if not finding.waived_by],
        waivers=_waivers(registry, findings, day),
        ownership=_ownership(registry, departments, tools, people),
        lead_times=ledger_lead_times(ordered, ledger) if ledger is not None else lead_times(ordered),
        files_checked=files_checked,
        notes=notes,
    )


def spend(tools: Iterable[Tool], key: str) -> dict[str, dict[str, float]]:
    """Annual cost per currency, then per department (`key="owner"`) or vendor (`key="vendor"`)."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for tool in tools:
        if tool.annual_cost is not None:
            totals[tool.currency][getattr(tool, key)] += tool.annual_cost
    return {currency: dict(by) for currency, by in sorted(totals.items())}


def shared_capabilities(tools: Iterable[Tool]) -> dict[str, list[Tool]]:
    """Capabilities (categories) more than one tool in use provides, most tools first."""
    by_category: dict[str, list[Tool]] = defaultdict(list)
    for tool in tools:
        by_category[tool.category].append(tool)
    shared = {category: found for category, found in by_category.items() if len(found) > 1}
    return dict(sorted(shared.items(), key=lambda item: (-len(item[1]), item[0])))


def coverage(tools: Iterable[Tool], classifications: Iterable[str]) -> list[tuple[str, int, dict[str, int]]]:
    """Per classification (and `no data`): tools, and how many have each control."""
    rows = []
    grouped: dict[str, list[Tool]] = defaultdict(list)
    for tool in tools:
        grouped[tool.classification].append(tool)
    for classification in (*classifications, NO_DATA):
        members = grouped.get(classification, [])
        if members:
            rows.append((classification, len(members),
                         {key: sum(tool.controls[key] for tool in members) for key, _ in CONTROLS}))
    return rows
