"""The executive brief, read as a CFO or General Counsel reads it: golden briefs of five
typical decisions on real git repositories made from the reference registry, in markdown,
plain text and JSON, plus the stumbles of issue 12 each pinned by a test.

Refresh the golden files with GOVLINT_UPDATE_GOLDEN=1 and read them before committing: they
are reviewed for wording, not only for bytes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import TODAY, commit_all, copy_reference, git, git_init, govlint, write
from govlint.changes import Change
from govlint.decisions import (
    Approval, Attestation, Authority, Decision, FactChange, Names, Spend, Touch, describe_change, plain_reason,
    plain_role, render_json, render_markdown, render_text,
)
from govlint.report.json import published_schema
from test_formats import HOSTILE, assert_inert_markdown, assert_valid_json

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"markdown": "md", "text": "txt", "json": "json"}

BOARDLY = """kind: tool
id: boardly
name: Boardly
description: >-
  Online whiteboard for workshops and planning sessions, shared with outside facilitators.
justification: >-
  Three teams pay for whiteboards on personal cards; one company tool with single sign-on
  replaces them and keeps workshop boards in the company's hands.
vendor: canvasly
category: whiteboard
owner: it
business_sponsor: priya.raman@alderridge.example
it_champion: lena.fischer@alderridge.example
ring: proposed
proposed_on: "2026-11-20"
hosting: saas
data: []
security: {sso: true, mfa: true, scim: false, backup: false}
contract:
  annual_cost: 18000
  currency: USD
"""


def _edit(root: Path, relative: str, edit: Callable[[str], str]) -> None:
    path = root / relative
    before = path.read_text()
    after = edit(before)
    assert after != before, f"the scenario's edit of {relative} changed nothing"
    path.write_text(after)


def _canvasly_on_trial(root: Path) -> None:
    """The base of the spend rise: Canvasly on trial at 22,000 USD, its trial ending 2027-01-29."""
    _edit(root, "registry/tools/canvasly-design.yaml", lambda text: text.replace(
        'ring: adopt\nproposed_on: "2024-04-15"', 'ring: trial\nproposed_on: "2026-11-01"\ntrial_ends_on: "2027-01-29"'
    ).replace("  annual_cost: 9600\n", "  annual_cost: 22000\n").replace(
        # Reviewed for this trial, after its proposal (TOOL-DATE-ORDER warns of an older review).
        'date: "2024-04-24"', 'date: "2026-11-10"'
    ))


def new_tool(root: Path) -> None:
    write(root / "registry" / "tools" / "boardly.yaml", BOARDLY)


def spend_rise(root: Path) -> None:
    # Adopted, at ten times the cost; the trial end is left behind in the file, as people do.
    _edit(root, "registry/tools/canvasly-design.yaml", lambda text: text.replace(
        "ring: trial\n", "ring: adopt\n"
    ).replace("  annual_cost: 22000\n", "  annual_cost: 240000\n  po_number: PO-2026-0871\n"))


def transfer(root: Path) -> None:
    _edit(root, "registry/data-domains/outside-counsel-invoices.yaml", lambda text: text.replace(
        "owner: legal-operations\nsteward: rosa.delgado@alderridge.example",
        "owner: finance\nsteward: amira.nasser@alderridge.example",
    ) + (
        "decision:\n"
        "  decided_by: maren.okafor@alderridge.example\n"
        '  decided_on: "2026-11-19"\n'
        "  rationale: >-\n"
        "    Finance pays every invoice and owns accruals; one owner for the invoice from receipt to payment.\n"
    ))


def retirement(root: Path) -> None:
    _edit(root, "registry/tools/dockett-matters.yaml", lambda text: text.replace("ring: adopt\n", "ring: retired\n"))


def vendor_change(root: Path) -> None:
    _edit(root, "registry/vendors/canvasly.yaml", lambda text: text.replace("status: approved", "status: blocked"))


SCENARIOS: dict[str, tuple[Callable[[Path], None] | None, Callable[[Path], None]]] = {
    "new-tool": (None, new_tool),
    "spend-rise": (_canvasly_on_trial, spend_rise),
    "transfer": (None, transfer),
    "retirement": (None, retirement),
    "vendor-change": (None, vendor_change),
}


def scenario_repo(tmp_path: Path, name: str) -> Path:
    """A git repository of the reference registry: `main` as the base, the decision on a branch."""
    prepare, change = SCENARIOS[name]
    root = copy_reference(tmp_path / name)
    if prepare is not None:
        prepare(root)
    git_init(root)
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", name)
    change(root)
    commit_all(root, name)
    return root


def run_brief(root: Path, format_name: str, *args: str) -> str:
    result = govlint("decisions", str(root), "--base", "main", "--today", TODAY, "--format", format_name, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def decision_of(root: Path, *args: str) -> dict[str, Any]:
    document = json.loads(run_brief(root, "json", *args))
    first: dict[str, Any] = document["decisions"][0]
    return first


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_golden_brief(tmp_path: Path, name: str, format_name: str) -> None:
    text = run_brief(scenario_repo(tmp_path, name), format_name)
    golden = GOLDEN / f"brief-{name}.{FORMATS[format_name]}"
    if os.environ.get("GOVLINT_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()
    if format_name == "json":
        validator = Draft202012Validator(published_schema("decisions"), format_checker=FormatChecker())  # type: ignore[arg-type]
        assert not list(validator.iter_errors(json.loads(text)))


def test_an_adopted_tool_shows_no_leftover_trial_end_and_its_cost_before_and_after(tmp_path: Path) -> None:
    decision = decision_of(scenario_repo(tmp_path, "spend-rise"))
    assert decision["title"] == "Adopt Canvasly for Marketing: annual cost 22,000 → 240,000 USD (+218,000)"
    assert decision["facts"]["Stage"] == "adopted"
    assert "2027-01-29" not in json.dumps(decision["facts"])
    cost = next(c for c in decision["changes"] if c["field"] == "contract.annual_cost")
    assert (cost["before"], cost["after"], cost["difference"]) == (
        {"amount": 22000, "currency": "USD"}, {"amount": 240000, "currency": "USD"}, 218000,
    )
    assert {(c["label"], c["before_text"], c["after_text"]) for c in decision["changes"]} >= {
        ("Stage", "on trial", "adopted"), ("Purchase order", "not set", "PO-2026-0871"),
    }
    # Marketing's other live tools: EventHive 15,000 (on hold) and SignalBloom 68,000; the
    # retired Freeform costs nothing.
    assert decision["spend"] == [{"department": "marketing", "currency": "USD", "before": 105000, "after": 323000}]
    assert decision["values"]["Annual cost"] == {"amount": 240000, "currency": "USD"}


def test_no_heading_is_a_field_path(tmp_path: Path) -> None:
    text = run_brief(scenario_repo(tmp_path, "spend-rise"), "markdown")
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings and not any(re.search(r"\b[a-z_]+\.[a-z_]+\b", h) for h in headings)
    assert "contract.annual_cost" not in text and "po_number" not in text


def test_a_transfer_names_who_decides_and_what_it_touches(tmp_path: Path) -> None:
    decision = decision_of(scenario_repo(tmp_path, "transfer"))
    assert decision["title"] == "Finance takes ownership of Outside counsel invoices from Legal Operations"
    assert decision["description"].startswith("Invoices from law firms")
    # Legal Operations sits under Legal, Finance under the Executive Office: their lowest
    # common department is the Executive Office.
    assert decision["authority"]["department"] == "executive-office"
    assert decision["authority"]["executive"] == "maren.okafor@alderridge.example"
    touched = {(t["relation"], t["entity"]) for t in decision["touches"]}
    assert ("system of record", "tool/briefly-ebilling") in touched
    assert ("approved by the old owner", "department/finance") in touched


def test_a_retirement_names_its_integrations_and_the_data_that_depends_on_it(tmp_path: Path) -> None:
    decision = decision_of(scenario_repo(tmp_path, "retirement"))
    assert decision["title"] == "Retire Dockett matter management (Legal)"
    touched = {(t["relation"], t["entity"]) for t in decision["touches"]}
    assert ("integration", "tool/briefly-ebilling") in touched
    assert ("system of record", "data-domain/matters") in touched


def test_a_vendor_change_names_the_tools_that_use_it(tmp_path: Path) -> None:
    decision = decision_of(scenario_repo(tmp_path, "vendor-change"))
    assert decision["title"] == "Vendor Canvasly goes from approved to blocked"
    assert ("uses the vendor", "tool/canvasly-design") in {(t["relation"], t["entity"]) for t in decision["touches"]}


def test_attestations_given_on_record_and_missing(tmp_path: Path) -> None:
    root = scenario_repo(tmp_path, "transfer")
    approvals = write(tmp_path / "approvals.json", json.dumps([{"by": "maren-okafor"}]))
    decision = decision_of(root, "--approvals", str(approvals))
    statuses = {(a["field"], a["person"]): a["status"] for a in decision["attestations"]}
    assert statuses[("decision.decided_by", "maren.okafor@alderridge.example")] == "given"
    assert statuses[("consumers.0.approved_by", "rosa.delgado@alderridge.example")] == "on_record"
    nobody = write(tmp_path / "nobody.json", "[]")
    decision = decision_of(root, "--approvals", str(nobody))
    statuses = {a["field"]: a["status"] for a in decision["attestations"]}
    assert statuses["decision.decided_by"] == "missing"


EXCEPTION = """kind: exception
id: canvasly-backup
rule: TOOL-DATA-CONTROLS
entity: tool/canvasly-design
reason: Backups come with the enterprise plan, bought at renewal.
approved_by: jonah.whitfield@alderridge.example
approved_on: "2026-11-20"
expires_on: "2027-04-30"
"""


def test_a_pending_exception_never_reads_approved_by(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "repo")
    git_init(root)
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "waiver")
    write(root / "registry" / "exceptions" / "canvasly-backup.yaml", EXCEPTION)
    commit_all(root, "waive backups for Canvasly")
    nobody = write(tmp_path / "nobody.json", "[]")
    for format_name in ("markdown", "text"):
        text = run_brief(root, format_name, "--approvals", str(nobody))
        assert "Approved by" not in text
        assert re.search(r"Approval of the exception, Jonah Whitfield .*: missing", text)
    decision = decision_of(root, "--approvals", str(nobody))
    assert decision["title"] == "Waive TOOL-DATA-CONTROLS for Canvasly until 2027-04-30"
    assert decision["facts"]["Rule waived"].startswith("TOOL-DATA-CONTROLS: ")
    assert decision["attestations"] == [{
        "field": "approved_by", "label": "Approval of the exception",
        "person": "jonah.whitfield@alderridge.example", "status": "missing",
    }]


def test_the_terminal_brief_has_no_html_entities_and_keeps_record_text_on_its_line(tmp_path: Path) -> None:
    root = scenario_repo(tmp_path, "new-tool")
    tool = root / "registry" / "tools" / "boardly.yaml"
    tool.write_text(tool.read_text().replace("name: Boardly", 'name: "Boardly <b>&amp;\\n::error::forged"'))
    commit_all(root, "a hostile name")
    text = run_brief(root, "text")
    assert "&lt;" not in text and "&amp;amp;" not in text and "\\<" not in text
    assert "Propose Boardly <b>&amp;" in text
    assert not any(line.startswith("::error::") for line in text.splitlines())


MALFORMED = """kind: tool
id: boardly
name: [not, a, name]
owner: 5
vendor: {id: canvasly}
ring: 7
integrations: dockett-matters
data: cost-centres
contract: {annual_cost: lots, currency: 12}
approvals: broken
"""


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_malformed_record_is_told_without_a_traceback(tmp_path: Path, format_name: str) -> None:
    """Schema findings judge a malformed record; the brief still tells it, whatever its types."""
    root = copy_reference(tmp_path / "repo")
    git_init(root)
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "broken")
    write(root / "registry" / "tools" / "boardly.yaml", MALFORMED)
    _edit(root, "registry/tools/dockett-matters.yaml", lambda text: text.replace("ring: adopt\n", "ring: retired\n"))
    commit_all(root, "a malformed tool")
    text = run_brief(root, format_name)
    assert "boardly" in text
    if format_name == "json":
        document = json.loads(text)
        retired = next(d for d in document["decisions"] if d["entity"] == "tool/dockett-matters")
        # A string is not a list of integrations: the malformed tool is not counted as one.
        assert ("integration", "tool/boardly") not in {(t["relation"], t["entity"]) for t in retired["touches"]}
        assert any(f["rule"] == "SCHEMA" for d in document["decisions"] for f in d["findings"])


def hostile_brief_decision() -> Decision:
    """A decision with record text in every part a brief shows."""
    return Decision(
        "tool/t1", "change cost", f"Change what {HOSTILE} costs", (("Owner", HOSTILE),),
        values=(("Annual cost", {"amount": 1, "currency": HOSTILE}),),
        changes=(FactChange("contract.po_number", "Purchase order", HOSTILE, HOSTILE, HOSTILE, HOSTILE),),
        description=HOSTILE, justification=HOSTILE,
        attestations=(Attestation("approved_by", HOSTILE, HOSTILE, HOSTILE, "missing"),),
        touches=(Touch("integration", "tool/x", HOSTILE),),
        spend=(Spend("d", HOSTILE, HOSTILE, 1, 2),),
        authority=Authority("d", HOSTILE, HOSTILE),
        approvals=(Approval(HOSTILE, (HOSTILE,), HOSTILE, "pending"),),
    )


def test_record_text_in_every_part_of_the_brief_stays_inert() -> None:
    decision = hostile_brief_decision()
    assert_inert_markdown(render_markdown([decision]))
    text = render_text([decision])
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text and "\u2028" not in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    assert_valid_json(render_json([decision]), "decisions")


def test_a_change_is_worded_from_its_two_records_alone() -> None:
    """The decision history words each commit without a judgement: two records and the names."""
    head = {
        "departments": {"marketing": {"name": "Marketing"}, "legal": {"name": "Legal"}},
        "tools": {"canvasly": {"name": "Canvasly", "owner": "marketing", "ring": "adopt",
                               "trial_ends_on": "2027-01-29", "contract": {"annual_cost": 240000, "currency": "USD"}}},
    }
    base = {"departments": head["departments"], "tools": {"canvasly": {
        "name": "Canvasly", "owner": "marketing", "ring": "trial", "trial_ends_on": "2027-01-29",
        "contract": {"annual_cost": 22000, "currency": "USD"}}}}
    names = Names(head, base)
    change = Change("tool", "canvasly", "modify", ("contract.annual_cost", "ring"))
    old, new = base["tools"]["canvasly"], head["tools"]["canvasly"]
    assert describe_change(change, old, new, names) == (
        "change ring", "Adopt Canvasly for Marketing: annual cost 22,000 → 240,000 USD (+218,000)"
    )
    moved = {**new, "owner": "legal"}
    assert describe_change(Change("tool", "canvasly", "modify", ("owner",)), new, moved, names)[1] == (
        "Legal takes ownership of Canvasly from Marketing"
    )
    assert plain_reason("IT takes on tool canvasly at ring proposed", names) == "IT supports Canvasly (proposed)"
    assert plain_reason("tool canvasly moves from trial to adopt in marketing", names) == (
        "Canvasly moves from trial to adoption in Marketing"
    )
    assert plain_reason("annual cost above the executive threshold of 150000 USD", names) == (
        "annual cost above the executive threshold of 150,000 USD"
    )
    assert plain_role("executive sponsor of marketing", names) == "executive sponsor of Marketing"
