"""The dashboard's panels: each a plotly figure and the table of the same numbers beside it.

Every piece of record text that reaches a figure goes through `_label`: plotly.js renders a
subset of HTML in labels and hover text (`<br>`, `<a href>`), so a tool named `<a href=...>`
would otherwise become a link. plotly.js decodes the entities back for display.
"""

from __future__ import annotations

import html
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Sequence

import plotly.graph_objects as go

from govlint.dashboard.portfolio import (
    CONTROLS,
    DUE_WINDOW_DAYS,
    RADAR_RINGS,
    RINGS,
    Portfolio,
    Tool,
    coverage,
    shared_capabilities,
    spend,
)

# A table beside a chart shows at most this many rows; all of them go to its CSV file, so
# a 10,000-tool registry gives a page of a few MB, not tens.
TABLE_ROWS = 200
# Up to this many tools the radar draws a point per tool; past it, a point per capability and ring.
RADAR_POINTS = 2000
# The bar charts show the largest this-many categories; the table and CSV hold them all.
TOP = 25
RING_COLOURS = {
    "adopt": "#1b7837", "trial": "#5aae61", "assess": "#2166ac", "proposed": "#92c5de",
    "hold": "#d6604d", "retired": "#878787",
}
CONTROL_COLOURS = ("#2166ac", "#4393c3", "#92c5de", "#1b7837")
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


@dataclass(frozen=True)
class Table:
    """The numbers of a chart as rows; `rows` may be the first TABLE_ROWS of `total` rows."""

    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class Panel:
    """One section of the page: a heading, a figure (or none when there is nothing to chart),
    its table, and what the reader should know about both."""

    key: str
    title: str
    summary: str
    figure: dict[str, Any] | None
    table: Table
    all_rows: Sequence[tuple[str, ...]] = field(repr=False, default_factory=list)
    note: str = ""


def _label(text: str) -> str:
    return html.escape(text, quote=False)


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}"


def _table(headers: Sequence[str], rows: Sequence[tuple[str, ...]]) -> Table:
    return Table(tuple(headers), rows[:TABLE_ROWS], len(rows))


def _layout(title: str, height: int = 420, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": _label(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "font": {"family": FONT, "size": 12},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.15},
    }
    layout.update(extra)
    return layout


def _trace(kind: str, **attributes: Any) -> dict[str, Any]:
    """One trace in plotly.js's JSON form. Traces stay plain data: plotly's graph objects
    validate by deep-copying every array, 7 s for the radar of 10,000 tools; the tests check
    each trace against plotly's schema instead (`go.Figure(figure)` on every panel)."""
    return {"type": kind, **attributes}


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """A figure as plotly.js reads it; the layout, small, is built and checked by plotly."""
    checked = go.Layout(template="plotly_white", **layout).to_plotly_json()
    return {"data": traces, "layout": checked}


def _jitter(key: str, salt: str) -> float:
    """A stable number in [0, 1) for a tool: its radar position does not move between runs."""
    return (zlib.crc32(f"{salt}:{key}".encode()) % 10007) / 10007


def radar(portfolio: Portfolio) -> Panel:
    """Rings from adopt (centre) to hold (edge), a sector per capability, a point per tool.
    Past RADAR_POINTS tools a point per tool is neither readable nor quick to draw (10,000
    SVG points took seconds; WebGL is missing in many headless and remote browsers), so each
    point is then a capability at a ring, sized by its number of tools."""
    tools = [tool for tool in portfolio.tools if tool.ring in RADAR_RINGS]
    categories = sorted({tool.category for tool in tools})
    width = 360 / max(len(categories), 1)
    sector = {category: index for index, category in enumerate(categories)}
    per_tool = len(tools) <= RADAR_POINTS
    traces = []
    for ring_index, ring in enumerate(RADAR_RINGS):
        members = [tool for tool in tools if tool.ring == ring]
        if not members:
            continue
        if per_tool:
            traces.append(_trace(
                "scatterpolar", name=ring, mode="markers",
                r=[ring_index + 0.15 + 0.7 * _jitter(t.id, "r") for t in members],
                theta=[(sector[t.category] + 0.1 + 0.8 * _jitter(t.id, "theta")) * width for t in members],
                marker={"size": 9, "color": RING_COLOURS[ring], "line": {"width": 0}},
                customdata=[[_label(t.name), _label(t.category), _label(t.owner), _label(t.sponsor), _label(_cost(t))]
                            for t in members],
                hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]} · " + ring + "<br>owner: %{customdata[2]}"
                               "<br>sponsor: %{customdata[3]}<br>cost: %{customdata[4]}<extra></extra>"),
            ))
            continue
        cells: dict[str, list[Tool]] = defaultdict(list)
        for tool in members:
            cells[tool.category].append(tool)
        largest = max(len(found) for found in cells.values())
        traces.append(_trace(
            "scatterpolar", name=ring, mode="markers",
            r=[ring_index + 0.5] * len(cells),
            theta=[(sector[category] + 0.5) * width for category in cells],
            marker={"size": [4 + 14 * (len(found) / largest) ** 0.5 for found in cells.values()],
                    "color": RING_COLOURS[ring], "line": {"width": 0}},
            customdata=[[_label(category), len(found), _label(_owners(found))] for category, found in cells.items()],
            hovertemplate=("<b>%{customdata[0]}</b> · " + ring + "<br>%{customdata[1]} tools"
                           "<br>owners: %{customdata[2]}<extra></extra>"),
        ))
    labelled = len(categories) <= 40  # past that the labels overlap; hover names the capability
    layout = _layout(
        "Technology radar", height=640,
        polar={
            "hole": 0.08,
            "radialaxis": {
                "range": [0, len(RADAR_RINGS)], "tickvals": [i + 0.5 for i in range(len(RADAR_RINGS))],
                "ticktext": list(RADAR_RINGS), "angle": 90, "tickangle": 90, "showline": False,
            },
            "angularaxis": {
                "tickmode": "array", "tickvals": [(i + 0.5) * width for i in range(len(categories))],
                "ticktext": [_label(c) for c in categories], "direction": "clockwise", "rotation": 90,
                "showticklabels": labelled,
            },
        },
        margin={"l": 90, "r": 90, "t": 60, "b": 60},
    )
    rows = [(t.name, t.category, t.ring, t.owner, t.sponsor, _cost(t)) for t in tools]
    retired = sum(1 for tool in portfolio.tools if tool.ring == "retired")
    notes = [f"{retired} retired tool(s) are off the radar."] if retired else []
    if not per_tool:
        notes.append(f"With more than {RADAR_POINTS:,} tools each point is a capability at a ring, sized by "
                     "its number of tools; the table and its CSV list every tool.")
    if not labelled:
        notes.append(f"{len(categories)} capabilities: hover a point for its name.")
    return Panel(
        "radar", "Technology radar",
        f"{len(tools)} tools in {len(categories)} capabilities, adopt at the centre, hold at the edge.",
        _figure(traces, layout) if traces else None,
        _table(("Tool", "Capability", "Ring", "Owner", "Business sponsor", "Annual cost"), rows), rows,
        note=" ".join(notes),
    )


def _owners(tools: list[Tool], shown: int = 3) -> str:
    counts = Counter(tool.owner for tool in tools)
    names = [owner for owner, _ in counts.most_common(shown)]
    more = len(counts) - len(names)
    return ", ".join(names) + (f" and {more} more" if more else "")


def _cost(tool: Tool) -> str:
    return _money(tool.annual_cost, tool.currency) if tool.annual_cost is not None else "none recorded"


def tools_by_department(portfolio: Portfolio) -> Panel:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for tool in portfolio.tools:
        counts[tool.owner][tool.ring] += 1
    ordered = sorted(counts, key=lambda owner: (-sum(counts[owner].values()), owner))
    shown = list(reversed(ordered[:TOP]))  # largest at the top of a horizontal bar chart
    traces = [
        _trace("bar", name=ring, orientation="h", y=[_label(o) for o in shown], x=[counts[o][ring] for o in shown],
               marker={"color": RING_COLOURS[ring]})
        for ring in RINGS if any(counts[o][ring] for o in shown)
    ]
    layout = _layout("Tools per department and ring", height=max(300, 60 + 24 * len(shown)),
                     barmode="stack", margin={"l": 180, "r": 20, "t": 50, "b": 60})
    rows = [(owner, *(str(counts[owner][ring]) for ring in RINGS), str(sum(counts[owner].values())))
            for owner in ordered]
    return Panel(
        "departments", "Tools per department and ring",
        f"{len(ordered)} owning departments.",
        _figure(traces, layout) if traces else None,
        _table(("Department", *RINGS, "Total"), rows), rows,
        note=f"The chart shows the {TOP} departments owning most tools." if len(ordered) > TOP else "",
    )


def controls_coverage(portfolio: Portfolio) -> Panel:
    table = coverage(portfolio.active_tools, portfolio.classifications)
    classes = [_label(name) for name, _, _ in table]
    traces = [
        _trace("bar", name=label, x=classes, y=[round(100 * have[key] / total, 1) for _, total, have in table],
               marker={"color": colour},
               customdata=[[have[key], total] for _, total, have in table],
               hovertemplate=label + ": %{customdata[0]} of %{customdata[1]} tools (%{y}%)<extra></extra>")
        for (key, label), colour in zip(CONTROLS, CONTROL_COLOURS)
    ]
    layout = _layout("Controls coverage by data classification", barmode="group",
                     yaxis={"title": {"text": "% of tools"}, "range": [0, 100]})
    rows = [(name, str(total), *(f"{have[key]} ({100 * have[key] / total:.0f}%)" for key, _ in CONTROLS))
            for name, total, have in table]
    return Panel(
        "controls", "Controls coverage by data classification",
        "Tools in use, grouped by the most sensitive data they handle; the share with each control.",
        _figure(traces, layout) if table else None,
        _table(("Classification", "Tools", *(label for _, label in CONTROLS)), rows), rows,
        note="Security review counts an approved review; retired tools are left out.",
    )


def _spend_panel(portfolio: Portfolio, key: str, title: str, who: str) -> Panel:
    totals = spend(portfolio.active_tools, key)
    traces = []
    rows = []
    for currency, by in totals.items():
        ordered = sorted(by.items(), key=lambda item: (-item[1], item[0]))
        rows += [(name, currency, _money(amount, "").strip()) for name, amount in ordered]
        top = ordered[:TOP]
        traces.append(_trace("bar", name=currency, x=[_label(name) for name, _ in top], y=[amount for _, amount in top],
                             hovertemplate="%{x}: %{y:,.0f} " + _label(currency) + "<extra></extra>"))
    layout = _layout(title, barmode="group", yaxis={"title": {"text": "annual cost"}},
                     xaxis={"tickangle": -35, "automargin": True}, height=460)
    sums = ", ".join(_money(sum(by.values()), currency) for currency, by in totals.items()) or "none recorded"
    many = any(len(by) > TOP for by in totals.values())
    return Panel(
        f"spend-{key}", title, f"Annual cost of tools in use: {sums}. Currencies are not converted.",
        _figure(traces, layout) if traces else None,
        _table((who, "Currency", "Annual cost"), rows), rows,
        note=f"The chart shows the {TOP} largest per currency." if many else "",
    )


def spend_by_department(portfolio: Portfolio) -> Panel:
    return _spend_panel(portfolio, "owner", "Spend by department", "Department")


def spend_by_vendor(portfolio: Portfolio) -> Panel:
    return _spend_panel(portfolio, "vendor", "Spend by vendor", "Vendor")


def duplicate_capabilities(portfolio: Portfolio) -> Panel:
    shared = shared_capabilities(portfolio.active_tools)
    shown = list(shared.items())[:TOP]
    traces = [
        _trace("bar", name=ring, x=[_label(c) for c, _ in shown], y=[sum(t.ring == ring for t in ts) for _, ts in shown],
               marker={"color": RING_COLOURS[ring]})
        for ring in RADAR_RINGS if any(t.ring == ring for _, ts in shown for t in ts)
    ]
    layout = _layout("Capabilities with more than one tool", barmode="stack", yaxis={"title": {"text": "tools"}},
                     xaxis={"tickangle": -35, "automargin": True})
    rows = [(category, str(len(ts)), "; ".join(f"{t.name} ({t.ring}, {t.owner})" for t in ts))
            for category, ts in shared.items()]
    return Panel(
        "capabilities", "Capabilities with more than one tool",
        f"{len(shared)} capabilities are provided by more than one tool in use.",
        _figure(traces, layout) if traces else None,
        _table(("Capability", "Tools", "Which (ring, owner)"), rows), rows,
    )


def data_ownership(portfolio: Portfolio) -> Panel:
    """A Sankey of owner department → data domain → consumer departments; the table adds
    the steward and the system of record for every domain."""
    ordered = sorted(portfolio.ownership, key=lambda d: (-len(d.consumers), d.name))
    shown = ordered[:40]
    nodes: dict[tuple[str, str], int] = {}

    def node(side: str, name: str) -> int:
        return nodes.setdefault((side, name), len(nodes))

    sources, targets, values = [], [], []
    for domain in shown:
        middle = node("domain", domain.name)
        sources.append(node("owner", domain.owner))
        targets.append(middle)
        values.append(max(len(domain.consumers), 1))
        for consumer in domain.consumers:
            sources.append(middle)
            targets.append(node("consumer", consumer))
            values.append(1)
    colours = {"owner": "#2166ac", "domain": "#5aae61", "consumer": "#d6604d"}
    trace = _trace("sankey", 
        arrangement="snap",
        node={"label": [_label(name) for _, name in nodes], "color": [colours[side] for side, _ in nodes],
              "pad": 8, "thickness": 12},
        link={"source": sources, "target": targets, "value": values, "color": "rgba(120,120,120,0.25)"},
    )
    layout = _layout("Data ownership: owner → domain → consumers", height=max(420, 22 * len(shown)))
    rows = [(d.name, d.classification, d.owner, d.steward, d.system_of_record, ", ".join(d.consumers) or "none")
            for d in sorted(portfolio.ownership, key=lambda d: d.name)]
    return Panel(
        "ownership", "Data-ownership map",
        f"{len(portfolio.ownership)} data domains: who owns each, where it is kept and who else uses it.",
        _figure([trace], layout) if shown else None,
        _table(("Domain", "Classification", "Owner", "Steward", "System of record", "Consumers"), rows), rows,
        note="The chart shows the 40 domains with most consumers." if len(ordered) > 40 else "",
    )


def due_soon(portfolio: Portfolio) -> Panel:
    kinds = ("trial ends", "exception expires", "review due", "contract renews")
    traces = []
    for kind, colour in zip(kinds, ("#5aae61", "#d6604d", "#2166ac", "#8073ac")):
        items = [due for due in portfolio.due if due.what == kind]
        if items:
            traces.append(_trace("scatter", 
                name=kind, mode="markers", x=[due.on.isoformat() for due in items], y=[kind] * len(items),
                marker={"size": 10, "color": colour, "symbol": ["x" if due.overdue else "circle" for due in items]},
                customdata=[[_label(due.name), _label(due.owner)] for due in items],
                hovertemplate="<b>%{customdata[0]}</b><br>" + kind + " %{x}<br>%{customdata[1]}<extra></extra>",
            ))
    layout = _layout("Falls due in the next 90 days", height=320, showlegend=False,
                     xaxis={"type": "date"},
                     shapes=[{"type": "line", "x0": portfolio.today.isoformat(), "x1": portfolio.today.isoformat(),
                              "yref": "paper", "y0": 0, "y1": 1, "line": {"color": "#444", "dash": "dot"}}],
                     margin={"l": 130, "r": 20, "t": 50, "b": 40})
    rows = [(due.on.isoformat(), due.what + (" (overdue)" if due.overdue else ""), due.name, due.entity, due.owner)
            for due in portfolio.due]
    overdue = sum(due.overdue for due in portfolio.due)
    return Panel(
        "due", "Falls due in the next 90 days",
        f"{len(portfolio.due)} items by {_plus_days(portfolio.today)}, {overdue} of them already overdue (×).",
        _figure(traces, layout) if traces else None,
        _table(("Date", "What", "Name", "Record", "Owner"), rows), rows,
    )


def _plus_days(today: date) -> str:
    return (today + timedelta(days=DUE_WINDOW_DAYS)).isoformat()


def open_findings(portfolio: Portfolio) -> Panel:
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in portfolio.findings:
        by_rule[finding.rule][finding.severity] += 1
    rules = sorted(by_rule, key=lambda rule: (-sum(by_rule[rule].values()), rule))[:TOP]
    traces = [
        _trace("bar", name=severity, x=list(rules), y=[by_rule[r][severity] for r in rules], marker={"color": colour})
        for severity, colour in (("error", "#b2182b"), ("warning", "#ef8a62")) if any(by_rule[r][severity] for r in rules)
    ]
    layout = _layout("Open findings by rule", barmode="stack", height=360,
                     xaxis={"tickangle": -35, "automargin": True})
    rows = [(f.severity, f.rule, f.entity or "", f.location, f.message) for f in portfolio.findings]
    errors = sum(f.severity == "error" for f in portfolio.findings)
    return Panel(
        "findings", "Open findings",
        f"The same judgement as govlint check (full mode): {errors} error(s), "
        f"{len(portfolio.findings) - errors} warning(s), unwaived.",
        _figure(traces, layout) if traces else None,
        _table(("Severity", "Rule", "Record", "Where", "Message"), rows), rows,
    )


def waivers(portfolio: Portfolio) -> Panel:
    rows = [(w.entity, w.rule, w.waives, w.approved_by, w.expires_on, "live" if w.live else "expired",
             str(w.findings_waived)) for w in portfolio.waivers]
    traces = []
    if portfolio.waivers:
        traces.append(_trace("bar", 
            orientation="h", y=[_label(w.entity) for w in portfolio.waivers],
            x=[max((_days(w.expires_on) or portfolio.today) - portfolio.today, timedelta(0)).days for w in portfolio.waivers],
            marker={"color": ["#5aae61" if w.live else "#b2182b" for w in portfolio.waivers]},
            hovertemplate="%{y}: %{x} days left<extra></extra>",
        ))
    layout = _layout("Waivers: days until expiry", height=max(240, 60 + 26 * len(portfolio.waivers)),
                     margin={"l": 220, "r": 20, "t": 50, "b": 40}, showlegend=False)
    return Panel(
        "waivers", "Waivers and their expiry",
        f"{len(portfolio.waivers)} exception record(s); {sum(w.live for w in portfolio.waivers)} live.",
        _figure(traces, layout) if traces else None,
        _table(("Exception", "Rule", "Waives", "Approved by", "Expires on", "State", "Findings waived"), rows), rows,
    )


def _days(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def lead_time_panel(portfolio: Portfolio) -> Panel:
    stages = ("proposal → trial end", "proposal → adoption")
    traces = []
    for stage, colour in zip(stages, ("#5aae61", "#1b7837")):
        measured = [row for row in portfolio.lead_times.rows if row.stage == stage]
        if measured:
            traces.append(_trace("box", 
                name=stage, x=[row.days for row in measured], orientation="h", marker={"color": colour},
                boxpoints="all" if len(measured) <= 300 else "outliers", jitter=0.4, pointpos=0,
                text=[_label(row.tool) for row in measured], hovertemplate="%{text}: %{x} days<extra></extra>",
            ))
    layout = _layout("Lead times (days)", height=320, showlegend=False, margin={"l": 160, "r": 20, "t": 50, "b": 40},
                     xaxis={"title": {"text": "days"}})
    rows = [(row.tool, row.stage, row.start.isoformat(), row.end.isoformat(), str(row.days))
            for row in portfolio.lead_times.rows]
    return Panel(
        "lead-times", "Lead times from proposal to trial to adoption",
        f"{len(rows)} measured transitions.",
        _figure(traces, layout) if traces else None,
        _table(("Tool", "Stage", "From", "To", "Days"), rows), rows,
        note=portfolio.lead_times.source,
    )


def panels(portfolio: Portfolio) -> list[Panel]:
    """The page's sections, in reading order."""
    return [
        radar(portfolio), tools_by_department(portfolio), controls_coverage(portfolio),
        spend_by_department(portfolio), spend_by_vendor(portfolio), duplicate_capabilities(portfolio),
        data_ownership(portfolio), due_soon(portfolio), open_findings(portfolio), waivers(portfolio),
        lead_time_panel(portfolio),
    ]
