"""Change mode tells the findings a pull request introduces from those it inherits, and the
decision brief is the same judgement told as decisions.

The attacks of issue 9 as tests on real git repositories: old problems blocking a new proposal,
a record whose id differs from its file, a knock-on finding in a file the pull request did not
touch, a rules change that cannot see its own effect; and a property test that the brief's
blocking set is the check's failing set whatever the change.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_decisions import NEW_TOOL
from conftest import reference_proposal, MINI_POLICY, MiniRepo, check_json, commit_all, copy_reference, git, git_init, govlint, write
from govlint.check import mark_origins, render
from govlint.findings import Finding
from govlint.report import FORMAT_NAMES, Preview, Report

# After the time-bound records the old-problems test puts on main ran out: an exception
# expiring 2027-03-31 and a trial ending 2027-01-29.
LATER = "2027-04-15"
TIME_BOUND = {
    "registry/exceptions/talentscout-scim.yaml": """kind: exception
id: talentscout-scim
name: TalentScout without SCIM until the PeopleGrid connector ships
rule: TOOL-DATA-CONTROLS
entity: tool/talentscout-ats
reason: IT reconciles recruiting accounts against PeopleGrid every Friday.
approved_by: jonah.whitfield@alderridge.example
approved_on: "2026-10-15"
expires_on: "2027-03-31"
""",
}
TODAY = "2026-11-23"

NEW_TOOL_FILE = "registry/tools/ledgerflow-close.yaml"


# The matching itself ---------------------------------------------------------------------------


def tool_finding(message: str, *, line: int = 5, severity: str = "error", waived_by: str | None = None) -> Finding:
    return Finding("TOOL-SPEND", severity, "tool/acme", "registry/tools/acme.yaml", line, message,  # type: ignore[arg-type]
                   "contract", waived_by)


def origins(head: list[Finding], base: list[Finding]) -> list[str | None]:
    return [f.origin for f in mark_origins(head, base)]


def test_a_finding_the_base_has_is_existing_whatever_its_line_and_wording() -> None:
    assert origins([tool_finding("cost 40,000", line=9)], [tool_finding("cost 30,000", line=3)]) == ["existing"]


def test_one_in_the_base_and_two_in_the_head_leaves_one_introduced_the_one_worded_anew() -> None:
    head = [tool_finding("a new problem"), tool_finding("the old problem")]
    assert origins(head, [tool_finding("the old problem")]) == ["introduced", "existing"]


def test_a_warning_turned_error_is_introduced() -> None:
    assert origins([tool_finding("late")], [tool_finding("late", severity="warning")]) == ["introduced"]


def test_a_finding_whose_waiver_the_change_withdrew_is_introduced() -> None:
    base = [tool_finding("no PO", waived_by="exception/acme-po")]
    assert origins([tool_finding("no PO")], base) == ["introduced"]
    assert origins([tool_finding("no PO", waived_by="exception/acme-po")], base) == ["existing"]


def test_findings_about_no_entity_are_matched_by_file() -> None:
    layout = Finding("REGISTRY-LAYOUT", "error", None, "registry/notes.txt", 1, "not read")
    other = Finding("REGISTRY-LAYOUT", "error", None, "registry/other.txt", 1, "not read")
    assert origins([layout, other], [layout]) == ["existing", "introduced"]


# Every format shows existing findings apart ----------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"
EXTENSION = {"text": "txt", "json": "json", "sarif": "sarif", "github": "github.txt", "junit": "xml", "markdown": "md"}
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
CHANGE_FINDINGS = [
    Finding("TOOL-SPEND", "error", "tool/new-bi", "registry/tools/new-bi.yaml", 12, "no PO", "contract", None, "introduced"),
    Finding("TOOL-TRIAL", "error", "tool/old-cpq", "registry/tools/old-cpq.yaml", 16, "trial ended on 2027-01-29",
            "trial_ends_on", None, "existing"),
    Finding("TOOL-REVIEW-OVERDUE", "warning", "tool/old-cpq", "registry/tools/old-cpq.yaml", 44, "review overdue",
            "review.last_reviewed", None, "existing"),
    Finding("POLICY-CHANGE", "warning", None, "policies/params.yaml", None, "rules changed", None, None, "introduced"),
]


def change_report(fail_on_existing: bool = False) -> Report:
    return Report(
        sorted(CHANGE_FINDINGS, key=lambda f: f.sort_key), files_checked=3, today="2027-04-15",
        approvals_checked=False, fail_on_existing=fail_on_existing, preview=Preview(errors=4, warnings=1, files=3),
    )


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_change_mode_golden(format_name: str) -> None:
    output = render(change_report(), format_name)
    golden = GOLDEN / f"report-change.{EXTENSION[format_name]}"
    if os.environ.get("GOVLINT_UPDATE_GOLDEN"):
        golden.write_text(output)
    assert output == golden.read_text()


def test_existing_findings_do_not_fail_any_format_unless_asked() -> None:
    text = render(change_report(), "text")
    assert text.index("TOOL-SPEND") < text.index("Existing findings") < text.index("TOOL-TRIAL")
    assert "after merge: 4 errors in 3 files, 1 warning" in text and "govlint: failed: 1 error, 1 warning" in text

    document = json.loads(render(change_report(), "json"))
    assert document["summary"] == {"errors": 1, "warnings": 1, "waived": 0, "existing_errors": 1, "existing_warnings": 1}
    assert document["after_merge"] == {"errors": 4, "warnings": 1, "files": 3, "failure": None}

    github = render(change_report(), "github")
    assert "::notice file=registry/tools/old-cpq.yaml,line=16" in github
    assert "::error file=registry/tools/new-bi.yaml" in github

    suites = ET.fromstring(render(change_report(), "junit"))
    assert suites.get("failures") == "1"
    assert ET.fromstring(render(change_report(fail_on_existing=True), "junit")).get("failures") == "2"

    markdown = render(change_report(), "markdown")
    assert markdown.index("new-bi") < markdown.index("Existing findings (debt)") < markdown.index("old-cpq")


def test_sarif_marks_new_and_unchanged_results_and_validates() -> None:
    from jsonschema import Draft4Validator

    document = json.loads(render(change_report(), "sarif"))
    errors = sorted(Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).iter_errors(document), key=str)
    assert not errors, errors[0].message
    states = {(r["ruleId"], r["baselineState"], r["level"]) for r in document["runs"][0]["results"]}
    assert states == {
        ("TOOL-SPEND", "new", "error"), ("POLICY-CHANGE", "new", "warning"),
        ("TOOL-TRIAL", "unchanged", "note"), ("TOOL-REVIEW-OVERDUE", "unchanged", "note"),
    }
    strict = json.loads(render(change_report(fail_on_existing=True), "sarif"))
    assert {r["level"] for r in strict["runs"][0]["results"] if r["ruleId"] == "TOOL-TRIAL"} == {"error"}


# The attacks, on the reference repository ---------------------------------------------------------


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return reference_proposal(tmp_path / "repo")


def replace_in(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text()
    assert old in text, (file, old)
    path.write_text(text.replace(old, new))


def brief(root: Path, *args: str, today: str = TODAY) -> dict[str, Any]:
    result = govlint("decisions", str(root), "--base", "main", "--today", today, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def failing(report: dict[str, Any], fail_on_existing: bool = False) -> set[tuple[Any, ...]]:
    """The check's failing findings, as the JSON report gives them."""
    return {
        (f["rule"], f["entity"], f["file"], f["path"], f["message"])
        for f in report["findings"]
        if f["severity"] == "error" and not f["waived_by"] and (fail_on_existing or f["origin"] != "existing")
    }


def blocking(document: dict[str, Any]) -> set[tuple[Any, ...]]:
    """The findings the brief shows as blocking, under whichever decision."""
    found = set()
    for decision in document["decisions"]:
        assert decision["blocked"] == bool(decision["blocking"]), decision
        found |= {(f["rule"], f["entity"], f["file"], f["path"], f["message"]) for f in decision["blocking"]}
    return found


def put_time_bound_records(root: Path) -> None:
    """Records in order on TODAY that have run out by LATER: an exception and a trial."""
    for file, text in TIME_BOUND.items():
        write(root / file, text)
    replace_in(root, "registry/tools/quotewell-cpq.yaml", "ring: assess", 'ring: trial\ntrial_ends_on: "2027-01-29"')


def test_old_problems_do_not_block_a_new_proposal(reference: Path) -> None:
    # The default branch holds records that were in order when written and have since run out.
    git(reference, "checkout", "-q", "main")
    put_time_bound_records(reference)
    commit_all(reference, "time-bound records")
    git(reference, "checkout", "-q", "proposal")
    git(reference, "merge", "-q", "--ff-only", "main")
    write(reference / NEW_TOOL_FILE, NEW_TOOL)
    commit_all(reference, "propose a close tool")

    code, report = check_json(reference, "--base", "main", "--today", LATER)
    assert code == 0, failing(report)
    debt = {(f["rule"], f["file"]) for f in report["findings"] if f["origin"] == "existing"}
    assert ("EXCEPTION-EXPIRED", "registry/exceptions/talentscout-scim.yaml") in debt
    assert ("TOOL-TRIAL", "registry/tools/quotewell-cpq.yaml") in debt
    assert report["summary"]["errors"] == 0 and report["summary"]["existing_errors"] >= 2

    text = govlint("check", str(reference), "--base", "main", "--today", LATER).stdout
    introduced_part, _, debt_part = text.partition("Existing findings (debt")
    assert "EXCEPTION-EXPIRED" in debt_part and "EXCEPTION-EXPIRED" not in introduced_part
    assert "govlint: passed" in text

    # A team that wants its debt to block says so.
    code, report = check_json(reference, "--base", "main", "--today", LATER, "--fail-on", "existing")
    assert code == 1 and ("TOOL-TRIAL", "tool/quotewell-cpq") in {(f["rule"], f["entity"]) for f in report["findings"]}

    # Without --base nothing is old or new: everything counts, as before.
    code, report = check_json(reference, "--today", LATER)
    assert code == 1 and {f["origin"] for f in report["findings"]} == {None}

    document = brief(reference, today=LATER)
    assert document["summary"]["blocked"] == 0
    assert ("EXCEPTION-EXPIRED", "exception/talentscout-scim") in {(f["rule"], f["entity"]) for f in document["debt"]}
    strict = brief(reference, "--fail-on", "existing", today=LATER)
    _, report = check_json(reference, "--base", "main", "--today", LATER, "--fail-on", "existing")
    assert strict["summary"]["blocked"] > 0 and blocking(strict) == failing(report, fail_on_existing=True)


def test_an_id_that_differs_from_its_file_blocks_the_decision_of_that_file(reference: Path) -> None:
    write(reference / NEW_TOOL_FILE, NEW_TOOL.replace("id: ledgerflow-close", "id: ledgerflow"))
    commit_all(reference, "a tool whose id is not its file name")
    code, report = check_json(reference, "--base", "main")
    assert code == 1
    assert [(f["rule"], f["entity"], f["path"]) for f in report["findings"] if f["origin"] == "introduced"] == [
        ("SCHEMA", "tool/ledgerflow-close", "id")
    ]
    document = brief(reference)
    [decision] = document["decisions"]
    assert decision["entity"] == "tool/ledgerflow-close" and decision["blocked"] is True
    assert document["summary"]["blocked"] == 1 and blocking(document) == failing(report)


def test_a_transfer_blocks_its_decision_for_the_consent_it_breaks_in_untouched_files(reference: Path) -> None:
    file = "registry/data-domains/vendor-records.yaml"
    replace_in(reference, file, "owner: procurement\nsteward: kenji.watanabe@alderridge.example",
               "owner: legal-operations\nsteward: rosa.delgado@alderridge.example")
    replace_in(reference, file, '  decided_on: "2025-09-30"', '  decided_on: "2026-11-18"')
    commit_all(reference, "vendor records move to legal operations")

    code, report = check_json(reference, "--base", "main")
    assert code == 1
    knock_on = {(f["entity"], f["origin"]) for f in report["findings"] if f["rule"] == "TOOL-DATA-CONSENT"}
    assert knock_on == {("tool/procura-suite", "introduced"), ("tool/vetline-risk", "introduced")}

    document = brief(reference)
    [decision] = document["decisions"]
    assert decision["entity"] == "data-domain/vendor-records" and decision["blocked"] is True
    assert {f["entity"] for f in decision["blocking"]} == {"tool/procura-suite", "tool/vetline-risk"}
    assert document["summary"]["blocked"] == 1 and blocking(document) == failing(report)


# A rules change sees its own effect -----------------------------------------------------------------

NAMED_POLICY = """# METADATA
# title: Tools have real names
# description: A tool called "Tool ..." tells a reader nothing.
# custom:
#   id: MINI-NAME
#   severity: error
package govlint.rules.mini_name

deny contains f if {
	some id, tool in input.registry.tools
	startswith(tool.name, "Tool ")
	f := {"rule": "MINI-NAME", "entity": sprintf("tool/%s", [id]), "message": "tool has no real name", "path": "name"}
}
"""


@pytest.fixture
def mini(mini_repo: MiniRepo) -> MiniRepo:
    mini_repo.tool("second")
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base")
    git(mini_repo.root, "checkout", "-q", "-b", "proposal")
    return mini_repo


def test_a_tightened_rule_shows_what_main_will_say_after_the_merge(mini: MiniRepo) -> None:
    mini.policy("mini_name.rego", NAMED_POLICY)
    commit_all(mini.root, "tools need real names")
    code, report = check_json(mini.root, "--base", "main")
    assert code == 0  # judged by the base's rules, rightly; the preview does not block
    assert report["after_merge"] == {"errors": 2, "warnings": 0, "files": 2, "failure": None}
    text = govlint("check", str(mini.root), "--base", "main", "--today", TODAY).stdout
    assert "after merge: 2 errors in 2 files" in text
    markdown = govlint("check", str(mini.root), "--base", "main", "--format", "markdown").stdout
    assert "after merge: 2 errors in 2 files" in markdown
    document = brief(mini.root)
    assert document["after_merge"]["errors"] == 2
    [decision] = document["decisions"]
    assert decision["entity"] == "policies" and "after merge: 2 errors in 2 files" in decision["facts"]["After merge"]
    # Without a rules change there is no preview.
    code, report = check_json(mini.root, "--base", "proposal")
    assert "after_merge" not in report


def test_rules_that_do_not_compile_are_reported_in_the_preview_not_as_exit_2(mini: MiniRepo) -> None:
    mini.policy("mini_sso.rego", MINI_POLICY.replace("not tool.sso", "not tool.sso +"))
    commit_all(mini.root, "a broken rule")
    code, report = check_json(mini.root, "--base", "main")
    assert code == 0
    assert report["after_merge"]["failure"] and "mini_sso.rego" in report["after_merge"]["failure"]
    text = govlint("check", str(mini.root), "--base", "main", "--today", TODAY).stdout
    assert "after merge: the new rules do not run" in text


# The property: whatever the change, the brief blocks exactly where the check fails ----------------

Edit = Callable[[Path], None]


def edit_replace(file: str, old: str, new: str) -> Edit:
    return lambda root: replace_in(root, file, old, new)


def edit_remove(file: str) -> Edit:
    return lambda root: (root / file).unlink()


def edit_write(file: str, text: str) -> Edit:
    return lambda root: (write(root / file, text), None)[1]


EDITS: dict[str, Edit] = {
    "add a tool": edit_write(NEW_TOOL_FILE, NEW_TOOL),
    "add a tool without a PO": edit_write(NEW_TOOL_FILE, NEW_TOOL.replace("  po_number: PO-2026-0502\n", "")),
    "add a tool under another id": edit_write("registry/tools/other-name.yaml", NEW_TOOL),
    "transfer vendor records": edit_replace(
        "registry/data-domains/vendor-records.yaml", "owner: procurement\nsteward: kenji.watanabe@alderridge.example",
        "owner: legal-operations\nsteward: rosa.delgado@alderridge.example",
    ),
    "replace the finance lead": edit_replace(
        "registry/departments/finance.yaml", "  name: Amira Nasser\n  email: amira.nasser@alderridge.example",
        "  name: Ann Other\n  email: ann.other@alderridge.example",
    ),
    "block a vendor": edit_replace("registry/vendors/tallyhall.yaml", "status: approved", "status: blocked"),
    "adopt the trial": edit_replace("registry/tools/quotewell-cpq.yaml", "ring: trial", "ring: adopt"),
    "remove the system of record": edit_remove("registry/tools/procura-suite.yaml"),
    "withdraw an exception": edit_remove("registry/exceptions/talentscout-scim.yaml"),
    "dissolve procurement": edit_remove("registry/departments/procurement.yaml"),
    "break a file": edit_write("registry/tools/keyward-sso.yaml", "kind: tool\nid: [broken\n"),
    "lower the finance threshold": edit_replace("policies/params.yaml", "finance_threshold: 25000", "finance_threshold: 100"),
}


@pytest.fixture(scope="module")
def reference_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_reference(tmp_path_factory.mktemp("property") / "repo")
    put_time_bound_records(root)
    git_init(root)
    commit_all(root, "base")
    return root


@given(
    edits=st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=4, unique=True),
    today=st.sampled_from([TODAY, LATER]),
    fail_on=st.sampled_from(["introduced", "existing"]),
)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_brief_blocks_exactly_where_the_check_fails(
    reference_repo: Path, edits: list[str], today: str, fail_on: str
) -> None:
    root = reference_repo
    git(root, "checkout", "-q", "--", ".")
    git(root, "clean", "-qfd")
    try:
        for name in edits:
            EDITS[name](root)
        code, report = check_json(root, "--base", "main", "--today", today, "--fail-on", fail_on)
        document = brief(root, "--fail-on", fail_on, today=today)
    finally:
        git(root, "checkout", "-q", "--", ".")
        git(root, "clean", "-qfd")
    failed = failing(report, fail_on_existing=fail_on == "existing")
    assert blocking(document) == failed, edits
    assert (document["summary"]["blocked"] > 0) == (code == 1), edits
