"""`govlint decisions`: a pull request read as decisions for executive sponsors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import TODAY, commit_all, copy_reference, git, git_init, govlint, write
from govlint.decisions import Decision, render_markdown

GOLDEN = Path(__file__).parent / "golden"

NEW_TOOL = """kind: tool
id: ledgerflow-close
name: Ledgerflow close management
vendor: tallyhall
category: close-management
owner: finance
business_sponsor: amira.nasser@alderridge.example
it_champion: omar.haddad@alderridge.example
ring: proposed
proposed_on: "2026-11-20"
hosting: saas
data:
  - domain: cost-centres
    access: read
security: {sso: true, mfa: true, scim: true, backup: true}
contract:
  annual_cost: 30000
  currency: USD
  po_number: PO-2026-0502
"""


@pytest.fixture
def proposal(tmp_path: Path) -> Path:
    root = copy_reference(tmp_path / "repo")
    git_init(root)
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "proposal")
    write(root / "registry" / "tools" / "ledgerflow-close.yaml", NEW_TOOL)
    domain = root / "registry" / "data-domains" / "vendor-records.yaml"
    text = domain.read_text()
    text = text.replace("owner: procurement\nsteward: kenji.watanabe@alderridge.example",
                        "owner: legal-operations\nsteward: rosa.delgado@alderridge.example")
    text = text.replace("  - department: legal-operations\n    purpose: Outside-counsel onboarding and e-billing firm set-up.",
                        "  - department: procurement\n    purpose: Supplier onboarding and purchase orders.")
    text = text.replace('  decided_on: "2025-09-30"', '  decided_on: "2026-11-18"')
    domain.write_text(text)
    commit_all(root, "adopt a close tool; vendor records move to legal operations")
    return root


def brief(root: Path, *args: str) -> dict:
    result = govlint("decisions", str(root), "--base", "main", "--today", TODAY, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_new_tool_and_a_transfer_read_as_two_decisions_with_their_approvers(proposal: Path) -> None:
    document = brief(proposal)
    assert document["summary"] == {"decisions": 2, "blocked": 0, "approvals_outstanding": 6, "existing": 0}
    tool, domain = document["decisions"]
    assert tool["entity"] == "tool/ledgerflow-close" and tool["action"] == "adopt tool"
    assert tool["title"] == "Propose Ledgerflow close management for Finance: annual cost 30,000 USD"
    assert tool["facts"]["Annual cost"] == "30,000 USD a year"
    assert tool["values"]["Annual cost"] == {"amount": 30000, "currency": "USD"}
    assert tool["facts"]["Data"] == "Cost centres (internal, read)"
    assert {(a["role"], tuple(a["approvers"]), a["status"]) for a in tool["approvals"]} == {
        ("executive sponsor of finance", ("victor.lindqvist@alderridge.example",), "pending"),
        ("IT champion", ("omar.haddad@alderridge.example",), "pending"),
        ("finance lead", ("amira.nasser@alderridge.example",), "pending"),
    }
    assert domain["entity"] == "data-domain/vendor-records" and domain["action"] == "transfer ownership"
    assert domain["title"] == "Legal Operations takes ownership of Vendor records from Procurement"
    assert domain["facts"]["Decided by"] == "Maren Okafor <maren.okafor@alderridge.example> on 2026-11-18"
    assert {a["role"] for a in domain["approvals"]} == {
        "executive sponsor of procurement", "executive sponsor of legal-operations", "deciding executive",
    }


def test_approvals_given_are_shown_as_approved(proposal: Path, tmp_path: Path) -> None:
    approvals = write(tmp_path / "approvals.json", json.dumps([{"by": "vlindqvist"}, {"by": "maren-okafor"}]))
    document = brief(proposal, "--approvals", str(approvals))
    statuses = {(d["entity"], a["role"]): (a["status"], a["approved_by"]) for d in document["decisions"] for a in d["approvals"]}
    assert statuses[("tool/ledgerflow-close", "executive sponsor of finance")] == ("approved", "vlindqvist")
    assert statuses[("data-domain/vendor-records", "deciding executive")] == ("approved", "maren-okafor")
    assert statuses[("tool/ledgerflow-close", "IT champion")] == ("missing", None)


def test_markdown_brief_golden(proposal: Path) -> None:
    result = govlint("decisions", str(proposal), "--base", "main", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / "decisions.md"
    if os.environ.get("GOVLINT_UPDATE_GOLDEN"):
        golden.write_text(result.stdout)
    assert result.stdout == golden.read_text()


def test_json_brief_golden(proposal: Path) -> None:
    """The JSON brief; tests/test_formats.py validates this golden file against its schema."""
    result = govlint("decisions", str(proposal), "--base", "main", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / "decisions.json"
    if os.environ.get("GOVLINT_UPDATE_GOLDEN"):
        golden.write_text(result.stdout)
    assert result.stdout == golden.read_text()


def test_blocking_findings_appear_under_their_decision(proposal: Path) -> None:
    tool = proposal / "registry" / "tools" / "ledgerflow-close.yaml"
    tool.write_text(tool.read_text().replace("  po_number: PO-2026-0502\n", ""))
    commit_all(proposal, "drop the PO")
    document = brief(proposal)
    decision = document["decisions"][0]
    assert decision["blocked"] is True
    assert [f["rule"] for f in decision["findings"]] == ["TOOL-SPEND"]


def test_a_huge_change_is_summarised_under_the_comment_limit() -> None:
    decisions = [
        Decision(f"tool/t-{i}", "adopt tool", f"Adopt tool number {i} with a long name " + "x" * 200,
                 (("Owner", "Somewhere " * 20),))
        for i in range(2000)
    ]
    text = render_markdown(decisions)
    assert len(text) <= 65_536  # GitHub's comment limit, met by the brief itself
    assert "more decisions" in text


def test_decisions_needs_a_base(tmp_path: Path) -> None:
    result = govlint("decisions", str(tmp_path))
    assert result.exit_code == 2 and "--base" in result.stderr
