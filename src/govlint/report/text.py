"""The default format: one finding a line, `path:line:col: RULE severity message`, then a summary.

Findings are grouped by file (a blank line between files). Every piece of record text passes
through `plain`, so a name holding a line break, an ANSI escape or a `::error::` workflow
command stays inside its line: the log shows it, nothing acts on it.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from govlint.findings import Finding
from govlint.report import Report, preamble
from govlint.report.neutral import visible


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def plain(text: str) -> str:
    """Record text made safe for a terminal or a CI log: hidden characters written out."""
    return visible(text)


def line(finding: Finding) -> str:
    """One finding as one line: `path:line:col: RULE severity[ (waived by X)] message`."""
    waived = f" (waived by {plain(finding.waived_by)})" if finding.waived_by else ""
    where = plain(finding.location)
    if where.startswith(":"):  # a line starting `::` would be read as a workflow command
        where = f"./{where}"
    return f"{where}: {plain(finding.rule)} {finding.severity}{waived} {plain(finding.message)}"


def verdict(report: Report) -> str:
    """The closing summary line, shared by the formats that print one."""
    summary = report.summary
    existing = summary.existing_errors + summary.existing_warnings
    debt = f", {existing} existing" if existing else ""
    return (
        f"govlint: {'failed' if report.failed else 'passed'}: {plural(summary.errors, 'error')}, "
        f"{plural(summary.warnings, 'warning')}, {summary.waived} waived{debt} "
        f"in {plural(report.files_checked, 'file')}"
    )


class TextFormatter:
    name = "text"

    def write(self, report: Report, out: TextIO) -> None:
        self._findings(report.listed(report.introduced), out)
        if report.existing:
            fails = "they fail this check (--fail-on existing)" if report.fail_on_existing else "they do not fail this check"
            out.write(f"Existing findings (debt: the base has them too; {fails}):\n\n")
            self._findings(report.existing, out)
        if report.preview is not None:
            out.write(f"Rules change, {plain(report.preview.describe())}; shown, not failing.\n")
        out.write(verdict(report) + "\n")
        if report.waived_note:
            out.write(f"govlint: {report.waived_note}\n")
        for note in preamble(report):
            out.write(f"govlint: {note}\n")

    def _findings(self, findings: list[Finding], out: TextIO) -> None:
        for _, group in groupby(findings, key=lambda f: f.file or ""):
            for finding in group:
                out.write(line(finding) + "\n")
            out.write("\n")
