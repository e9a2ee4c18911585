"""`govlint report -o DIR`: the portfolio dashboard, its facts, its escaping, and the page in
a real headless Chromium (no console errors, no network request, every chart drawn)."""

from __future__ import annotations

import csv
import html
import importlib.util
import json
import os
import re
import shutil
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from conftest import ROOT, copy_reference, govlint

pytest.importorskip("plotly", reason="the dashboard needs the report extra: pip install 'govlint[report]'")
pytest.importorskip("jinja2", reason="the dashboard needs the report extra: pip install 'govlint[report]'")

import plotly.graph_objects as go  # noqa: E402

from govlint.dashboard.portfolio import Tool, adoption_estimate, lead_times, ledger_lead_times  # noqa: E402
from govlint.history import HistorySettings, build_ledger  # noqa: E402
from govlint.history import lead_times as ledger_times  # noqa: E402

TODAY = "2026-11-23"
ARTIFACTS = ROOT / "test-artifacts"
FIGURE = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)
HOSTILE_NAME = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"> {{ 7*7 }} <br>'


def report(repo: Path, out: Path, *extra: str) -> Path:
    result = govlint("report", str(repo), "-o", str(out), "--today", TODAY, *extra)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out / "index.html"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def figures(index: Path) -> dict[str, dict[str, Any]]:
    return {key: json.loads(text) for key, text in FIGURE.findall(index.read_text(encoding="utf-8"))}


def reference_tools() -> dict[str, dict[str, Any]]:
    return {path.stem: yaml.safe_load(path.read_text()) for path in (ROOT / "registry" / "tools").glob("*.yaml")}


@pytest.fixture(scope="module")
def reference_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report(ROOT, tmp_path_factory.mktemp("dashboard") / "site")


# ---- the facts -----------------------------------------------------------------------------


def test_radar_table_lists_every_tool_in_use_with_owner_sponsor_and_cost(reference_page: Path) -> None:
    tools = reference_tools()
    rows = read_csv(reference_page.parent / "data" / "radar.csv")
    in_use = {record["name"] for record in tools.values() if record["ring"] != "retired"}
    assert {row["Tool"] for row in rows} == in_use
    bastion = next(row for row in rows if row["Tool"] == tools["bastion-endpoint"]["name"])
    assert bastion["Owner"] == "Information Security"
    assert bastion["Annual cost"] == "72,000 USD"
    assert "@" not in bastion["Business sponsor"], "the sponsor is named, not shown as an e-mail"


def test_spend_per_currency_adds_up_to_the_records(reference_page: Path) -> None:
    expected: dict[str, float] = defaultdict(float)
    for record in reference_tools().values():
        if record["ring"] != "retired" and "contract" in record:
            expected[record["contract"]["currency"]] += record["contract"]["annual_cost"]
    totals: dict[str, float] = defaultdict(float)
    for row in read_csv(reference_page.parent / "data" / "spend-owner.csv"):
        totals[row["Currency"]] += float(row["Annual cost"].replace(",", ""))
    assert totals == expected


def test_figures_are_valid_plotly_and_every_chart_has_its_table(reference_page: Path) -> None:
    text = reference_page.read_text(encoding="utf-8")
    found = figures(reference_page)
    assert {"figure-radar", "figure-departments", "figure-controls", "figure-spend-owner", "figure-spend-vendor",
            "figure-ownership", "figure-lead-times"} <= set(found)
    for key, figure in found.items():
        go.Figure(figure)  # plotly's own schema: raises on an unknown or mistyped attribute
        section = text[text.index(f'id="{key}"'):]
        assert section.index("<table>") < section.index("</section>"), f"{key} has no table beside it"


def test_nothing_on_the_page_reaches_for_the_network(reference_page: Path) -> None:
    text = reference_page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "default-src 'none'" in text  # the page's own policy forbids requests too
    assert (reference_page.parent / "plotly.min.js").stat().st_size > 1_000_000


def test_lead_times_come_from_the_records_dates_and_say_so() -> None:
    def tool(tool_id: str, proposed: str | None, trial_end: str | None, adopted: str | None) -> Tool:
        day = lambda text: date.fromisoformat(text) if text else None  # noqa: E731
        return Tool(tool_id, tool_id.title(), "crm", "adopt", "Sales", "sales", "A", "v", None, "USD", "internal",
                    {}, day(proposed), day(trial_end), day(adopted))

    times = lead_times([
        tool("a", "2026-01-01", "2026-03-02", "2026-04-01"),
        tool("b", None, None, "2026-04-01"),  # never proposed: nothing to measure from
        tool("c", "2026-05-01", None, "2026-04-01"),  # adopted before proposed: a bad record, not -30 days
    ])
    assert [(row.tool, row.stage, row.days) for row in times.rows] == [
        ("A", "proposal → trial end", 60), ("A", "proposal → adoption", 90),
    ]
    assert "not git history" in times.source
    assert adoption_estimate({"ring": "adopt", "contract": {"start": "2026-02-01"}}) == date(2026, 2, 1)
    assert adoption_estimate({"ring": "adopt", "approvals": [{"date": "2026-01-05"}, {"date": "2026-03-01"}]}) == date(2026, 3, 1)
    assert adoption_estimate({"ring": "trial", "contract": {"start": "2026-02-01"}}) is None


def test_lead_times_come_from_the_ledger_where_the_branch_saw_the_tool_move(tmp_path: Path) -> None:
    """A tool proposed on the branch and adopted two commits later: its lead time is the days
    between those commits; a tool that arrived adopted keeps its record-date estimate."""
    from conftest import commit_all, git, git_init

    repo = copy_reference(tmp_path / "repo")
    tool = repo / "registry" / "tools" / "quarry-bi.yaml"
    adopted = tool.read_text()
    tool.unlink()
    git_init(repo)
    commit_all(repo, "the registry as the organisation had it")

    def commit_on(day: str, message: str) -> None:
        git(repo, "add", "-A")
        stamp = f"{day}T10:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        import subprocess

        subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", message], check=True, env=env)

    tool.write_text(re.sub(r"^ring: \w+", "ring: assess", adopted, flags=re.M))
    commit_on("2026-03-01", "propose Quarry")
    tool.write_text(adopted)
    commit_on("2026-05-30", "adopt Quarry")

    ledger = ledger_times(build_ledger(HistorySettings(repo=repo, no_cache=True)))
    def record_tool(tool_id: str, name: str) -> Tool:
        return Tool(tool_id, name, "bi", "adopt", "Finance", "finance", "A", "v", None, "USD", "internal",
                    {}, date(2025, 1, 1), None, date(2025, 2, 1))

    times = ledger_lead_times([record_tool("quarry-bi", "Quarry"), record_tool("fathom-warehouse", "Fathom")], ledger)
    assert ("Quarry", "proposal → adoption", 90) in [(r.tool, r.stage, r.days) for r in times.rows]
    assert ("Fathom", "proposal → adoption", 31) in [(r.tool, r.stage, r.days) for r in times.rows]
    assert "decision ledger" in times.source and "not git history" in times.source


def test_due_lists_a_trial_end_and_an_expiring_waiver_but_not_a_retired_tool(tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    tool = repo / "registry" / "tools" / "quarry-bi.yaml"
    text = re.sub(r"^ring: \w+", "ring: trial", tool.read_text(), flags=re.M)
    tool.write_text(text.replace("proposed_on:", 'trial_ends_on: "2027-01-10"\nproposed_on:', 1))
    (repo / "registry" / "exceptions" / "quarry-trial.yaml").parent.mkdir(exist_ok=True)
    (repo / "registry" / "exceptions" / "quarry-trial.yaml").write_text(
        "kind: exception\nid: quarry-trial\nname: Quarry trial runs long\nrule: TOOL-TRIAL\n"
        "entity: tool/quarry-bi\nreason: The pilot needs the quarter close.\n"
        "approved_by: thomas.brandt@alderridge.example\napproved_on: \"2026-11-01\"\nexpires_on: \"2026-12-31\"\n"
    )
    index = report(repo, tmp_path / "site")
    due = read_csv(index.parent / "data" / "due.csv")
    assert {"Date": "2027-01-10", "What": "trial ends"}.items() <= next(r for r in due if r["What"] == "trial ends").items()
    expiring = next(r for r in due if r["What"] == "exception expires")
    assert (expiring["Date"], expiring["Owner"]) == ("2026-12-31", "Finance")
    retired = {r["name"] for r in reference_tools().values() if r["ring"] == "retired"}
    assert not retired & {r["Name"] for r in due}
    waivers = read_csv(index.parent / "data" / "waivers.csv")
    assert [(w["Exception"], w["State"]) for w in waivers] == [("exception/quarry-trial", "live")]


def test_open_findings_are_the_checks_own(tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    tool = repo / "registry" / "tools" / "bastion-endpoint.yaml"
    tool.write_text(tool.read_text().replace("  sso: true", "  sso: false"))
    check = json.loads(govlint("check", str(repo), "--format", "json", "--today", TODAY).stdout)
    index = report(repo, tmp_path / "site")
    rows = read_csv(index.parent / "data" / "findings.csv")
    expected = sorted((f["rule"], f["entity"]) for f in check["findings"] if not f["waived_by"])
    assert expected and sorted((r["Rule"], r["Record"]) for r in rows) == expected


# ---- untrusted text and bad input ----------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry whose tool, department and category carry markup, a template expression
    and a spreadsheet formula: the page must show them as text."""
    root = tmp_path_factory.mktemp("hostile")
    repo = copy_reference(root / "repo")
    tool = repo / "registry" / "tools" / "quarry-bi.yaml"
    text = re.sub(r"^name: .*$", "name: " + json.dumps(HOSTILE_NAME), tool.read_text(), count=1, flags=re.M)
    tool.write_text(text)
    dept = repo / "registry" / "departments" / "marketing.yaml"
    dept.write_text(re.sub(r"^name: .*$", 'name: "=HYPERLINK(\\"http://x.invalid\\")</title><b>"', dept.read_text(),
                           count=1, flags=re.M))
    return report(repo, root / "site")


def test_record_text_is_escaped_in_html_and_json(hostile_page: Path) -> None:
    text = hostile_page.read_text(encoding="utf-8")
    assert "<script>window.pwned" not in text
    assert "<img src=x" not in text and "</title><b>" not in text
    assert "{{ 7*7 }}" in text.replace("&#123;", "{")  # shown, not evaluated
    for _, body in FIGURE.findall(text):
        assert "<" not in body and ">" not in body
    radar = figures(hostile_page)["figure-radar"]
    names = {point[0] for trace in radar["data"] for point in trace["customdata"]}
    assert html.escape(HOSTILE_NAME, quote=False) in names, "plotly labels carry the name as entities"


def test_csv_cells_that_look_like_formulas_stay_text(hostile_page: Path) -> None:
    rows = read_csv(hostile_page.parent / "data" / "departments.csv")
    assert any(row["Department"].startswith("'=HYPERLINK") for row in rows)


def test_output_that_is_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    occupied = tmp_path / "occupied"
    occupied.write_text("not a folder")
    result = govlint("report", str(ROOT), "-o", str(occupied), "--today", TODAY)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert occupied.read_text() == "not a folder"


def test_without_the_report_extra_it_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "plotly", None)  # import plotly now raises ImportError
    result = govlint("report", str(ROOT), "-o", str(tmp_path / "site"), "--today", TODAY)
    assert result.exit_code == 2
    assert result.stderr.strip() == "govlint: error: govlint report needs plotly: pip install 'govlint[report]'"


def test_report_needs_an_output_folder() -> None:
    result = govlint("report", str(ROOT))
    assert result.exit_code == 2 and "--output" in result.stderr


def test_a_broken_policy_stops_the_report_with_one_line(tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    (repo / "policies" / "broken.rego").write_text("package govlint.rules.broken\n\ndeny contains f if {\n")
    result = govlint("report", str(repo), "-o", str(tmp_path / "site"), "--today", TODAY)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "site" / "index.html").exists()


# ---- in a real browser ---------------------------------------------------------------------


def _chromium() -> str | None:
    for candidate in (os.environ.get("GOVLINT_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (the test extra has it)")
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium installed (apt-get install chromium; .ci/run does it as root on Debian)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_dashboard(browser: Any, index: Path, screenshot: str, timeout_ms: int = 60_000) -> dict[str, Any]:
    """Load the page, refusing every request that is not a file beside it; wait until every
    chart is drawn; keep full-page and first-screen screenshots in test-artifacts/."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    console: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.on("dialog", lambda dialog: (console.append(f"dialog: {dialog.message}"), dialog.dismiss()))

    def guard(route: Any) -> None:
        requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.goto(index.as_uri())
    page.wait_for_selector("body[data-rendered=true]", timeout=timeout_ms)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{screenshot}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"{screenshot}-top.png"))
    result = {
        "console": console,
        "requests": requests,
        "charts": page.locator("div.chart").count(),
        "drawn": page.locator("div.chart .main-svg").evaluate_all(
            "nodes => new Set(nodes.map(n => n.closest('div.chart').dataset.figure)).size"),
        "timing": page.evaluate("window.govlintDashboard"),
        "pwned": page.evaluate("window.pwned === undefined ? null : window.pwned"),
        "text": page.inner_text("main"),
        "charts_text": " ".join(page.locator("div.chart").all_inner_texts()),
    }
    page.close()
    return result


def _errors(console: list[str]) -> list[str]:
    return [line for line in console if line.startswith(("error", "pageerror", "dialog"))]


def test_reference_dashboard_in_chromium(browser: Any, reference_page: Path) -> None:
    seen = open_dashboard(browser, reference_page, "dashboard-reference")
    assert _errors(seen["console"]) == []
    assert all(url.startswith("file://") for url in seen["requests"]), seen["requests"]
    assert seen["charts"] == len(figures(reference_page)) >= 7
    assert seen["drawn"] == seen["charts"], "a chart div without plotly's .main-svg"
    assert "WebGL" not in seen["charts_text"]
    assert (ARTIFACTS / "dashboard-reference.png").stat().st_size > 10_000


def test_hostile_text_runs_nothing_in_chromium(browser: Any, hostile_page: Path) -> None:
    seen = open_dashboard(browser, hostile_page, "dashboard-hostile")
    assert seen["pwned"] is None and _errors(seen["console"]) == []
    assert HOSTILE_NAME.strip() in seen["text"]


def _generate(out: Path, tools: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.generate(out, tools))


def test_ten_thousand_tools_stay_small_and_draw(browser: Any, tmp_path: Path) -> None:
    repo = _generate(tmp_path / "large", 10_000)
    index = report(repo, tmp_path / "site", "--no-cache")
    size = index.stat().st_size
    seen = open_dashboard(browser, index, "dashboard-10000")
    print(f"10,000 tools: index.html {size / 1e6:.2f} MB, page load to last chart drawn "
          f"{seen['timing']['loadMs'] / 1000:.2f} s (drawing {seen['timing']['drawMs'] / 1000:.2f} s)")
    assert size < 4_000_000
    assert _errors(seen["console"]) == []
    assert all(url.startswith("file://") for url in seen["requests"])
    assert seen["drawn"] == seen["charts"] >= 7
    assert "WebGL" not in seen["charts_text"], "a chart that needs a GPU the reader may not have"
    # The README states the figure measured on an idle machine (under 3 s). Here the budget
    # is wider, because CI machines are shared; a page that draws 10,000 points as SVG took
    # four times as long and still fails it.
    budget_s = float(os.environ.get("GOVLINT_DASHBOARD_BUDGET_S", "20"))
    assert seen["timing"]["loadMs"] < budget_s * 1000
