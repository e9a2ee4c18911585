"""The reference policies' own Rego unit tests, run by `govlint test` inside pytest."""

from __future__ import annotations

import re

from conftest import ROOT, govlint


def test_every_policy_unit_test_passes() -> None:
    result = govlint("test", str(ROOT), "--coverage")
    assert result.exit_code == 0, result.stdout
    assert ", 0 failed" in result.stdout
    total = next(line for line in result.stdout.splitlines() if line.startswith("coverage total:"))
    assert float(total.split()[-1].rstrip("%")) >= 85.0, total


def test_every_rule_file_has_unit_tests() -> None:
    rules = {p.stem for p in (ROOT / "policies").glob("*.rego") if not p.stem.endswith("_test")}
    tested = {p.stem.removesuffix("_test") for p in (ROOT / "policies").glob("*_test.rego")}
    assert rules - {"approvals"} <= tested, sorted(rules - tested)


def test_policies_and_explain_read_the_metadata() -> None:
    listing = govlint("policies", str(ROOT))
    assert listing.exit_code == 0
    row = next(line for line in listing.stdout.splitlines() if line.startswith("TOOL-REVIEW-OVERDUE "))
    assert row.split(None, 2) == ["TOOL-REVIEW-OVERDUE", "warning", "Tools are reviewed on their cadence"]
    explained = govlint("explain", "tool-spend", "--repo", str(ROOT))
    assert explained.exit_code == 0
    assert explained.stdout.startswith("TOOL-SPEND: Spend above the thresholds has a purchase order")
    assert "finance_threshold: 25000" in explained.stdout
    assert govlint("explain", "NOPE", "--repo", str(ROOT)).exit_code == 2
