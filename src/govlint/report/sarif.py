"""`--format sarif`: SARIF 2.1.0 for code scanning, one reportingDescriptor per rule id."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from govlint import __version__
from govlint.findings import Finding
from govlint.report import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning"}


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves, so code scanning keeps tracking the same alert."""
    key = "\0".join([finding.rule, finding.entity or "", finding.file or "", finding.path or "", finding.message])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class SarifFormatter:
    name = "sarif"

    def write(self, report: Report, out: TextIO) -> None:
        rule_ids = sorted(set(report.rules) | {f.rule for f in report.findings})
        index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
        document = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "govlint",
                            "version": __version__,
                            "rules": [self._rule(report, rule_id) for rule_id in rule_ids],
                        }
                    },
                    "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The governance repository."}}},
                    "results": [self._result(finding, index[finding.rule], report) for finding in report.findings],
                }
            ],
        }
        json.dump(document, out, indent=2)
        out.write("\n")

    def _rule(self, report: Report, rule_id: str) -> dict[str, Any]:
        rule = report.rules.get(rule_id)
        title = rule.title if rule else rule_id
        severity = rule.severity if rule else "error"
        descriptor: dict[str, Any] = {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": title},
            "defaultConfiguration": {"level": LEVEL.get(severity, "error")},
            "properties": {"tags": ["governance"]},
        }
        if rule and rule.description:
            descriptor["fullDescription"] = {"text": rule.description}
            descriptor["help"] = {"text": rule.description}
        return descriptor

    def _result(self, finding: Finding, rule_index: int, report: Report) -> dict[str, Any]:
        # Existing debt is kept, at a level that does not fail code scanning unless asked.
        debt = finding.origin == "existing" and not report.fail_on_existing
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": rule_index,
            "level": "note" if debt else LEVEL[finding.severity],
            "message": {"text": finding.message},
            "partialFingerprints": {"govlintFinding/v1": fingerprint(finding)},
        }
        if finding.origin is not None:
            # SARIF 2.1.0 section 3.27.24: new in this run, or unchanged from the baseline (the base).
            result["baselineState"] = "new" if finding.origin == "introduced" else "unchanged"
        location: dict[str, Any] = {}
        if finding.file:
            physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file, "uriBaseId": "%SRCROOT%"}}
            if finding.line:
                physical["region"] = {"startLine": finding.line}
            location["physicalLocation"] = physical
        if finding.entity:
            location["logicalLocations"] = [{"fullyQualifiedName": finding.entity, "kind": "object"}]
        if location:
            result["locations"] = [location]
        properties = {key: value for key, value in (("entity", finding.entity), ("path", finding.path)) if value}
        if properties:
            result["properties"] = properties
        if finding.waived_by:
            result["suppressions"] = [{"kind": "external", "justification": f"waived by {finding.waived_by}"}]
        return result
