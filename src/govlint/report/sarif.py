"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning, one reportingDescriptor per rule id.

What code scanning relies on is here: `partialFingerprints.primaryLocationLineHash` from the
rule, entity, field and file (never the message, which may say "682 days ago", nor the line,
which moves), a `startLine` on every located result, URIs from the git root percent-encoded,
`automationDetails.id`, `helpUri`, and `security-severity` on the rules that guard security.
Waived findings are left out: code scanning ignores `suppressions` and would open alerts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO
from urllib.parse import quote

from govlint import __version__
from govlint.findings import Finding
from govlint.report import Report, preamble
from govlint.report.neutral import visible

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning"}
HELP_URI = "https://pypi.org/project/govlint/"
# Where a finding about no file at all, from a rule of no known file, is shown.
FALLBACK_ANCHOR = "policies/params.yaml"
# Rules whose findings are security weaknesses, with the CVSS-like score code scanning ranks
# them by (9.0+ critical, 7.0+ high, 4.0+ medium). Prefixes end in "-".
SECURITY_SEVERITY = {
    "TOOL-DATA-CONTROLS": "8.0",
    "TOOL-VENDOR": "7.0",
    "TOOL-DATA-CONSENT": "6.5",
    "APPROVAL-MISSING": "7.5",
    "ATTESTATION-": "7.5",
}


def message(text: str) -> str:
    """Record text in a SARIF message: JSON escapes the rest, hidden characters are written out
    so a viewer cannot be made to show something other than what the record says."""
    return visible(text)


def artifact_uri(path: str) -> str:
    """A repository path as a relative URI reference: everything but unreserved characters
    and `/` percent-encoded as UTF-8 (spaces, `%`, `<`, `|`, `:` in a first segment)."""
    return quote(path, safe="/", errors="backslashreplace")


def security_severity(rule_id: str) -> str | None:
    for name, score in SECURITY_SEVERITY.items():
        if rule_id == name or (name.endswith("-") and rule_id.startswith(name)):
            return score
    return None


def fingerprint(finding: Finding, report: Report) -> str:
    """Stable across runs, days and line moves: the same problem keeps the same alert."""
    file = report.repository_path(finding.file) if finding.file else ""
    key = "\0".join([finding.rule, finding.entity or "", finding.path or "", file])
    return hashlib.sha256(key.encode("utf-8", "backslashreplace")).hexdigest()[:32]


class SarifFormatter:
    name = "sarif"

    def write(self, report: Report, out: TextIO) -> None:
        reported = [finding for finding in report.findings if not finding.waived_by]
        rule_ids = sorted(set(report.rules) | {f.rule for f in reported})
        index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "govlint",
                    "version": __version__,
                    "informationUri": HELP_URI,
                    "rules": [self._rule(report, rule_id) for rule_id in rule_ids],
                }
            },
            # One category per governance folder, so two folders of a monorepo keep their alerts.
            "automationDetails": {"id": f"govlint/{report.root_prefix}/" if report.root_prefix else "govlint/"},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the git repository."}}},
            "results": [self._result(report, finding, index[finding.rule]) for finding in reported],
        }
        notes = preamble(report)
        if notes:
            run["properties"] = {"notes": notes}
        document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        json.dump(document, out, indent=2, ensure_ascii=True)
        out.write("\n")

    def _rule(self, report: Report, rule_id: str) -> dict[str, Any]:
        rule = report.rules.get(rule_id)
        title = rule.title if rule else rule_id
        severity = rule.severity if rule else "error"
        tags = ["governance"]
        properties: dict[str, Any] = {"tags": tags}
        score = security_severity(rule_id)
        if score is not None:
            tags.append("security")
            properties["security-severity"] = score
        descriptor: dict[str, Any] = {
            "id": message(rule_id),
            "name": message(rule_id),
            "shortDescription": {"text": message(title)},
            "defaultConfiguration": {"level": LEVEL.get(severity, "error")},
            "helpUri": f"{HELP_URI}#{quote(rule_id.lower(), safe='')}",
            "properties": properties,
        }
        if rule and rule.description:
            # Titles and descriptions come from the policies the check was judged by (the base
            # revision's in a pull request), not from the records under judgement.
            descriptor["fullDescription"] = {"text": rule.description}
            descriptor["help"] = {"text": f"{rule.description}\n\nRun `govlint explain {rule_id}` for details."}
        return descriptor

    def _result(self, report: Report, finding: Finding, rule_index: int) -> dict[str, Any]:
        # Existing debt is kept, at a level that does not fail code scanning unless asked.
        debt = finding.origin == "existing" and not report.fail_on_existing
        result: dict[str, Any] = {
            "ruleId": message(finding.rule),
            "ruleIndex": rule_index,
            "level": "note" if debt else LEVEL[finding.severity],
            "message": {"text": message(finding.message)},
            "partialFingerprints": {"primaryLocationLineHash": fingerprint(finding, report)},
        }
        if finding.origin is not None:
            # SARIF 2.1.0 section 3.27.24: new in this run, or unchanged from the baseline (the base).
            result["baselineState"] = "new" if finding.origin == "introduced" else "unchanged"
        location: dict[str, Any] = {}
        # Code scanning rejects the whole file if one result lacks a physical location, so a
        # finding about no file is anchored at the first line of the policy that found it.
        rule = report.rules.get(finding.rule)
        file = finding.file or (rule.file if rule else None) or FALLBACK_ANCHOR
        region: dict[str, Any] = {"startLine": (finding.line or 1) if finding.file else 1}
        if finding.file and finding.line and finding.column:
            region["startColumn"] = finding.column
        location["physicalLocation"] = {
            "artifactLocation": {"uri": artifact_uri(report.repository_path(file)), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
        if finding.entity:
            location["logicalLocations"] = [{"fullyQualifiedName": message(finding.entity), "kind": "object"}]
        result["locations"] = [location]
        properties = {key: message(value) for key, value in (("entity", finding.entity), ("path", finding.path)) if value}
        if finding.origin:
            properties["origin"] = finding.origin
        if properties:
            result["properties"] = properties
        return result
