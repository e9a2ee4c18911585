"""`--format github`: GitHub Actions workflow commands, so findings annotate the pull request."""

from __future__ import annotations

from typing import TextIO

from govlint.findings import Finding
from govlint.report import Report
from govlint.report.markdown import existing_note
from govlint.report.text import plural


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding, fail_on_existing: bool = False) -> str:
    if finding.waived_by:
        level, message = "notice", f"{finding.message} (waived by {finding.waived_by})"
    elif finding.origin == "existing" and not fail_on_existing:
        level, message = "notice", f"{finding.message} (existing: the base has it too)"
    else:
        level, message = finding.severity, finding.message
    properties = []
    if finding.file:
        properties.append(f"file={escape_property(finding.file)}")
        if finding.line:
            properties.append(f"line={finding.line}")
    properties.append(f"title={escape_property(finding.rule)}")
    return f"::{level} {','.join(properties)}::{escape_data(message)}"


class GithubFormatter:
    name = "github"

    def write(self, report: Report, out: TextIO) -> None:
        for finding in report.findings:
            out.write(command(finding, report.fail_on_existing) + "\n")
        summary = report.summary
        out.write(
            f"govlint: {'failed' if report.failed else 'passed'}: {plural(summary.errors, 'error')}, "
            f"{plural(summary.warnings, 'warning')}, {summary.waived} waived{existing_note(report)}\n"
        )
