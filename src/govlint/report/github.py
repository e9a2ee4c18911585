"""`--format github`: GitHub Actions workflow commands, so findings annotate the pull request.

A step shows at most 10 error, 10 warning and 10 notice annotations; the rest are dropped
without a word. So the files the pull request changed come first, the findings past the limit
are printed as plain log lines (never lost), and one notice says how many were not annotated.
Paths are written from the git root, which is how GitHub places `file=`.
"""

from __future__ import annotations

from typing import TextIO

from govlint.findings import Finding
from govlint.report import Report, preamble
from govlint.report.neutral import visible
from govlint.report.text import line as text_line
from govlint.report.text import verdict

# Annotations GitHub displays per step, for each of error, warning and notice.
ANNOTATIONS_PER_LEVEL = 10


def escape_data(text: str) -> str:
    """Record text inside a command's message: `%`, CR and LF encoded as the runner decodes
    them, every other hidden character written out, so nothing ends the command early."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(encoded)


def escape_property(text: str) -> str:
    """Record text inside a property (`file=`, `title=`): `:` and `,` end a property there."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def level(finding: Finding, report: Report) -> str:
    """Waived findings and existing debt (unless it fails the check) are notices."""
    return finding.severity if report.counts(finding) else "notice"


def command(finding: Finding, report: Report) -> str:
    message = finding.message
    if finding.waived_by:
        message = f"{message} (waived by {finding.waived_by})"
    elif finding.origin == "existing":
        message = f"{message} (existing: the base has it too)"
    properties = []
    if finding.file:
        properties.append(f"file={escape_property(report.repository_path(finding.file))}")
        if finding.line:
            properties.append(f"line={finding.line}")
            if finding.column:
                properties.append(f"col={finding.column}")
    properties.append(f"title={escape_property(finding.rule)}")
    return f"::{level(finding, report)} {','.join(properties)}::{escape_data(message)}"


def annotation_order(report: Report) -> list[Finding]:
    """Findings in the files the pull request changed first, then the rest, each by file."""
    changed = report.changed_files or frozenset()
    return sorted(report.findings, key=lambda f: (f.file not in changed, f.sort_key))


class GithubFormatter:
    name = "github"

    def write(self, report: Report, out: TextIO) -> None:
        shown = {"error": 0, "warning": 0, "notice": 0}
        not_annotated: list[Finding] = []
        for finding in report.listed(annotation_order(report)):
            kind = level(finding, report)
            if shown[kind] < ANNOTATIONS_PER_LEVEL:
                shown[kind] += 1
                out.write(command(finding, report) + "\n")
            else:
                not_annotated.append(finding)
        for finding in not_annotated:
            # A plain log line starts with the file name, never with `::`.
            out.write(text_line(finding) + "\n")
        if not_annotated:
            out.write(
                f"::notice title=govlint::{len(not_annotated)} more findings not shown as annotations "
                f"(GitHub shows {ANNOTATIONS_PER_LEVEL} of each level a step); they are listed in the log above\n"
            )
        out.write(verdict(report) + "\n")
        if report.waived_note:
            out.write(f"govlint: {report.waived_note}\n")
        for note in preamble(report):
            out.write(f"govlint: {note}\n")
