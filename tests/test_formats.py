"""Every output format against a golden file, and the checks each format's consumer makes.

Set GOVLINT_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from govlint.catalog import Rule
from govlint.check import render
from govlint.findings import Finding
from govlint.report import FORMAT_NAMES, Report
from govlint.report.github import escape_property
from govlint.report.markdown import LIMIT

GOLDEN = Path(__file__).parent / "golden"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
EXTENSION = {"text": "txt", "json": "json", "sarif": "sarif", "github": "txt", "junit": "xml", "markdown": "md"}

RULES = {
    "TOOL-SPEND": Rule("TOOL-SPEND", "Spend needs a purchase order", "Finance needs a PO above the threshold.", "error", ("spend",), "policies/tool_spend.rego"),
    "TOOL-REVIEW-OVERDUE": Rule("TOOL-REVIEW-OVERDUE", "Tools are reviewed", "Review on a cadence.", "warning"),
    "TOOL-DATA-CONTROLS": Rule("TOOL-DATA-CONTROLS", "Controls for the data", "Controls per classification.", "error"),
    "YAML": Rule("YAML", "File cannot be read strictly", "Strict YAML.", "error"),
    "POLICY-CHANGE": Rule("POLICY-CHANGE", "Pull request changes the rules", "Needs the owners' review.", "warning"),
}
FINDINGS = [
    Finding("POLICY-CHANGE", "warning", None, "policies/tool_spend.rego", None, "rules changed, 100% of them"),
    Finding("TOOL-SPEND", "error", "tool/acme-bi", "registry/tools/acme-bi.yaml", 12,
            "annual cost 48,000 USD: above 25,000 | no PO", "contract"),
    Finding("TOOL-DATA-CONTROLS", "error", "tool/acme-bi", "registry/tools/acme-bi.yaml", 20,
            "lacks SSO\nand MFA <for> confidential & restricted data", "security.sso"),
    Finding("TOOL-DATA-CONTROLS", "error", "tool/hr-ats", "registry/tools/hr-ats.yaml", 22,
            "lacks SCIM", "security.scim", "exception/hr-ats-scim"),
    Finding("TOOL-REVIEW-OVERDUE", "warning", "tool/old-wiki", "registry/tools/old-wiki.yaml", 30,
            "last reviewed 2025-01-01, 400 days ago", "review.last_reviewed"),
    Finding("YAML", "error", None, "registry/tools/link,odd:name.yaml", 1, "symlinks are not followed"),
    Finding("SCHEMA", "error", "vendor/x", None, None, "no file at all"),
]


def report(strict: bool = False) -> Report:
    return Report(sorted(FINDINGS, key=lambda f: f.sort_key), RULES, files_checked=42, strict=strict)


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_golden(format_name: str) -> None:
    output = render(report(), format_name)
    golden = GOLDEN / f"report.{EXTENSION[format_name]}" if format_name != "github" else GOLDEN / "report.github.txt"
    if os.environ.get("GOVLINT_UPDATE_GOLDEN"):
        golden.write_text(output)
    assert output == golden.read_text()


def test_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    document = json.loads(render(report(), "sarif"))
    errors = sorted(Draft4Validator(schema).iter_errors(document), key=str)
    assert not errors, errors[0].message
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    spend = next(r for r in run["results"] if r["ruleId"] == "TOOL-SPEND")
    assert spend["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    waived = next(r for r in run["results"] if "suppressions" in r)
    assert waived["suppressions"][0]["justification"] == "waived by exception/hr-ats-scim"


def test_sarif_of_the_reference_repository_validates() -> None:
    from govlint.check import CheckSettings, judge

    root = Path(__file__).resolve().parents[1]
    judged = judge(CheckSettings(repo=root, today="2026-11-22", no_cache=True)).report
    schema = json.loads(SARIF_SCHEMA.read_text())
    assert not list(Draft4Validator(schema).iter_errors(json.loads(render(judged, "sarif"))))


def test_github_escapes_data_and_properties() -> None:
    lines = render(report(), "github").splitlines()
    assert "::error file=registry/tools/link%2Codd%3Aname.yaml,line=1,title=YAML::symlinks are not followed" in lines
    assert any(line.endswith("::lacks SSO%0Aand MFA <for> confidential & restricted data") for line in lines)
    assert any(line.startswith("::notice file=registry/tools/hr-ats.yaml,line=22,") for line in lines)
    assert "::warning file=policies/tool_spend.rego,title=POLICY-CHANGE::rules changed, 100%25 of them" in lines
    assert escape_property("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A"


def test_junit_counts() -> None:
    root = ET.fromstring(render(report(), "junit"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("7", "4", "1")
    suites = {suite.get("name"): suite for suite in root}
    assert suites["TOOL-DATA-CONTROLS"].get("failures") == "1" and suites["TOOL-DATA-CONTROLS"].get("skipped") == "1"
    strict = ET.fromstring(render(report(strict=True), "junit"))
    assert strict.get("failures") == "6"


def test_markdown_stays_under_the_comment_limit() -> None:
    many = [
        Finding("TOOL-SPEND", "error", f"tool/t-{i}", f"registry/tools/t-{i}.yaml", 5, "x" * 120, "contract")
        for i in range(1000)
    ]
    text = render(Report(many, RULES, 1000), "markdown")
    assert len(text) < LIMIT
    assert "more not shown" in text
    assert text.count("| error |") < 1000


def test_markdown_escapes_table_cells() -> None:
    text = render(report(), "markdown")
    assert "above 25,000 \\| no PO" in text
    assert "lacks SSO and MFA &lt;for&gt; confidential &amp; restricted data" in text
