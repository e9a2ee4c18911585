"""`--format junit`: JUnit XML for CI dashboards: a test suite per rule, a test case per finding.

The shape is the one the Jenkins xunit plugin's `junit-10.xsd` accepts (`errors` on every
suite, no `skipped` on `testsuites`), and every string from a record passes `xml_text`, so a
control character never makes the file unreadable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TextIO

from govlint.findings import Finding
from govlint.report import Report
from govlint.report.neutral import visible

# Characters XML 1.0 cannot hold at all, even escaped, beyond what `visible` already writes out.
_NOT_XML = re.compile("[\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Record text for an XML attribute or element: hidden characters (which include every C0
    control XML forbids) written out, and the two non-characters XML forbids too."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text))


def case_name(finding: Finding) -> str:
    return xml_text(f"{finding.location} {finding.entity or ''}".strip())


class JunitFormatter:
    name = "junit"

    def write(self, report: Report, out: TextIO) -> None:
        ordered = sorted(report.findings, key=lambda f: (f.rule, f.sort_key))
        by_rule = {rule: list(group) for rule, group in groupby(ordered, key=lambda f: f.rule)}
        rule_ids = sorted(set(report.rules) | set(by_rule))
        root = ET.Element("testsuites", name="govlint")
        totals = {"tests": 0, "failures": 0, "errors": 0}
        # Consumers key test cases by name: two findings at one place for one entity (two
        # messages, or two rules) must stay two cases.
        names: dict[str, int] = {}
        for rule_id in rule_ids:
            findings = by_rule.get(rule_id, [])
            suite = ET.SubElement(root, "testsuite", name=xml_text(rule_id))
            counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
            if not findings:
                ET.SubElement(suite, "testcase", classname=xml_text(rule_id), name=f"{xml_text(rule_id)}: no findings")
                counts["tests"] += 1
            for finding in findings:
                name = case_name(finding)
                names[name] = names.get(name, 0) + 1
                if names[name] > 1:
                    name = f"{name} #{names[name]}"
                case = ET.SubElement(suite, "testcase", classname=xml_text(rule_id), name=name)
                counts["tests"] += 1
                message = xml_text(finding.message)
                if finding.waived_by:
                    ET.SubElement(case, "skipped", message=f"waived by {xml_text(finding.waived_by)}")
                    counts["skipped"] += 1
                elif report.counts(finding) and (finding.severity == "error" or report.strict):
                    failure = ET.SubElement(case, "failure", message=message, type=xml_text(rule_id))
                    failure.text = f"{xml_text(finding.location)}: {message}"
                    counts["failures"] += 1
                else:
                    # A warning, or existing debt: recorded, not a failure of this change.
                    debt = "existing " if finding.origin == "existing" and not finding.waived_by else ""
                    ET.SubElement(case, "system-out").text = f"{debt}{finding.severity}: {message}"
            for key, value in counts.items():
                suite.set(key, str(value))
                if key in totals:
                    totals[key] += value
        for key, value in totals.items():
            root.set(key, str(value))
        facts = [("judged as of", report.today)] if report.today else []
        if report.approvals_checked is False:
            facts.append(("approvals", "not checked (no --approvals)"))
        if facts and len(root):
            # The xsd allows properties on a suite only, not on testsuites: the first carries them.
            properties = ET.Element("properties")
            for fact, said in facts:
                ET.SubElement(properties, "property", name=fact, value=said)
            root[0].insert(0, properties)
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")
