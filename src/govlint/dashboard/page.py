"""Write the dashboard into a folder: index.html, plotly.min.js, its own script and style,
and each table in full as CSV. Nothing on the page is fetched from the network.

Record text is untrusted. The HTML comes from a Jinja2 template with autoescaping; figures
travel as JSON inside `<script type="application/json">`, with `<`, `>` and `&` written as
JSON escapes so no string can close the element; the page's own script parses them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Sequence, TextIO

from govlint.atomic import write_atomically
from govlint.dashboard.portfolio import Tool, spend
from govlint.errors import GovlintError
from govlint.history import LeadTime as LedgerLeadTime

PLOTLY_JS = "plotly.min.js"
ASSETS = ("dashboard.js", "dashboard.css")
# A CSV cell that starts like a formula is run by spreadsheets; a leading apostrophe keeps it text.
_FORMULA = re.compile(r"^[=+\-@\t\r]")


@dataclass(frozen=True)
class ReportSettings:
    """What `govlint report` was asked to do."""

    repo: Path
    output: Path
    today: str | None = None
    no_cache: bool = False


def script_json(value: Any) -> str:
    """JSON safe to place between <script> tags: no `</script>`, `<!--` or `&` survives."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["'" + cell if _FORMULA.match(cell) else cell for cell in row])
    return buffer.getvalue()


def prepare_folder(folder: Path) -> None:
    """Create DIR (and its data/ folder) or refuse, in one line, what cannot hold the page."""
    for path in (folder, folder / "data"):
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise GovlintError(f"cannot write the dashboard into {path}: it exists and is not a directory")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GovlintError(f"cannot create {path}: {exc.strerror}") from None


def plotly_js() -> str:
    """plotly.js as the installed plotly package ships it: the same version the figures were
    built for, with no CDN."""
    from plotly.offline import get_plotlyjs

    source: str = get_plotlyjs()
    return source


def write_page(folder: Path, context: dict[str, Any]) -> Path:
    """Render the template into folder/index.html and put the assets beside it."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("govlint.dashboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["script_json"] = script_json
    page = environment.get_template("index.html.j2").render(**context)
    prepare_folder(folder)
    static = resources.files("govlint.dashboard") / "static"
    for name in ASSETS:
        write_atomically(folder / name, (static / name).read_bytes())
    _write_if_changed(folder / PLOTLY_JS, plotly_js())
    for panel in context["panels"]:
        write_atomically(folder / "data" / f"{panel.key}.csv", csv_text(panel.table.headers, panel.all_rows))
    index = folder / "index.html"
    write_atomically(index, page)
    _readable_as_umask_allows(folder)
    return index


def _readable_as_umask_allows(folder: Path) -> None:
    """Temporary files are created private (0600); a page meant to be published or opened
    by others gets the mode any new file would have under the user's umask."""
    umask = os.umask(0)
    os.umask(umask)
    paths = [folder / name for name in (*ASSETS, PLOTLY_JS, "index.html")] + list((folder / "data").glob("*.csv"))
    for path in paths:
        try:
            if path.is_file() and not path.is_symlink():
                path.chmod(0o666 & ~umask)
        except OSError:
            pass  # a file someone else owns: it stays as it was


def _write_if_changed(path: Path, text: str) -> None:
    """plotly.js is 4-5 MB: rewrite it only when the installed version differs."""
    data = text.encode("utf-8")
    try:
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomically(path, data)


def _ledger(settings: ReportSettings) -> list[LedgerLeadTime] | None:
    """Lead times from the decision ledger of the checked-out branch; None outside git (the
    dashboard then estimates them from the records' dates and says so)."""
    from govlint.history import HistorySettings, build_ledger, lead_times

    try:
        return lead_times(build_ledger(HistorySettings(repo=settings.repo, no_cache=settings.no_cache)))
    except GovlintError:
        return None


def run_report(settings: ReportSettings, out: TextIO) -> int:
    """Judge the registry as `govlint check` does (full mode), and write the dashboard."""
    try:
        import jinja2  # noqa: F401
        import plotly  # noqa: F401
    except ImportError as exc:
        raise GovlintError(
            f"govlint report needs {exc.name}: pip install 'govlint[report]'"
        ) from None
    from govlint import __version__
    from govlint.check import CheckSettings, judge, today_of
    from govlint.dashboard.charts import panels
    from govlint.dashboard.portfolio import build_portfolio

    # One date for the judgement and for what falls due, fixed before either starts.
    today = today_of(CheckSettings(today=settings.today))
    judgement = judge(CheckSettings(repo=settings.repo, today=today, no_cache=settings.no_cache))
    report = judgement.report
    portfolio = build_portfolio(judgement.registry, judgement.policies.params, report.findings, today,
                                report.files_checked, ledger=_ledger(settings))
    sections = panels(portfolio)
    active = portfolio.active_tools
    context = {
        "today": today,
        "version": __version__,
        "repo_name": settings.repo.resolve().name,
        "panels": sections,
        "headline": [
            ("Tools in use", str(len(active))),
            ("Adopted", str(sum(t.ring == "adopt" for t in active))),
            ("In trial", str(sum(t.ring == "trial" for t in active))),
            ("Annual spend", _spend_line(active)),
            ("Open errors", str(sum(f.severity == "error" for f in portfolio.findings))),
            ("Open warnings", str(sum(f.severity == "warning" for f in portfolio.findings))),
            ("Due in 90 days", str(len(portfolio.due))),
        ],
        "notes": portfolio.notes,
        "files_checked": portfolio.files_checked,
    }
    index = write_page(settings.output, context)
    out.write(f"dashboard written to {index}\n")
    return 0


def _spend_line(tools: list[Tool]) -> str:
    """Annual spend of the tools in use, one total per currency: `180,000 EUR, 1,661,100 USD`."""
    totals = spend(tools, "owner")
    return ", ".join(f"{sum(by.values()):,.0f} {currency}" for currency, by in totals.items()) or "none"
