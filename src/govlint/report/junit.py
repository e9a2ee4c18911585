"""`--format junit`: JUnit XML for CI dashboards: a test suite per rule, a test case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TextIO

from govlint.report import Report


class JunitFormatter:
    name = "junit"

    def write(self, report: Report, out: TextIO) -> None:
        by_rule = {rule: list(group) for rule, group in groupby(sorted(report.findings, key=lambda f: (f.rule, f.sort_key)), key=lambda f: f.rule)}
        rule_ids = sorted(set(report.rules) | set(by_rule))
        root = ET.Element("testsuites", name="govlint")
        totals = {"tests": 0, "failures": 0, "skipped": 0}
        for rule_id in rule_ids:
            findings = by_rule.get(rule_id, [])
            suite = ET.SubElement(root, "testsuite", name=rule_id)
            counts = {"tests": 0, "failures": 0, "skipped": 0}
            if not findings:
                ET.SubElement(suite, "testcase", classname=rule_id, name="no findings")
                counts["tests"] += 1
            for finding in findings:
                where = f"{finding.file}:{finding.line}" if finding.line else (finding.file or "(repository)")
                case = ET.SubElement(suite, "testcase", classname=rule_id, name=f"{where} {finding.entity or ''}".strip())
                counts["tests"] += 1
                if finding.waived_by:
                    ET.SubElement(case, "skipped", message=f"waived by {finding.waived_by}")
                    counts["skipped"] += 1
                elif not report.counts(finding):
                    # Existing debt: recorded, not a failure of this change.
                    ET.SubElement(case, "system-out").text = f"existing {finding.severity}: {finding.message}"
                elif finding.severity == "error" or report.strict:
                    failure = ET.SubElement(case, "failure", message=finding.message, type=rule_id)
                    failure.text = f"{where}: {finding.message}"
                    counts["failures"] += 1
                else:
                    ET.SubElement(case, "system-out").text = f"warning: {finding.message}"
            for key, value in counts.items():
                suite.set(key, str(value))
                totals[key] += value
        for key, value in totals.items():
            root.set(key, str(value))
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")
