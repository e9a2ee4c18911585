"""`--format markdown`: a job summary or pull-request comment, kept under GitHub's size limit."""

from __future__ import annotations

from typing import TextIO

from govlint.findings import Finding
from govlint.report import Report
from govlint.report.text import plural

# GitHub refuses comments over 65,536 characters; leave room for a header around the report.
LIMIT = 60_000


def cell(text: str) -> str:
    """Text safe in a table cell: no pipes or line breaks, and no HTML GitHub would render."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def row(finding: Finding) -> str:
    line = str(finding.line) if finding.line else ""
    return (
        f"| {finding.severity} | `{finding.rule}` | {cell(finding.file or '')} | {line} "
        f"| {cell(finding.entity or '')} | {cell(finding.message)} |"
    )


def existing_note(report: Report) -> str:
    """`, 2 existing` when the base has findings too; nothing otherwise."""
    count = report.summary.existing_errors + report.summary.existing_warnings
    return f", {count} existing" if count else ""


class MarkdownFormatter:
    name = "markdown"

    def write(self, report: Report, out: TextIO) -> None:
        summary = report.summary
        verdict = "❌ govlint: failed" if report.failed else "✅ govlint: passed"
        parts = [
            f"### {verdict}",
            "",
            f"{plural(summary.errors, 'error')}, {plural(summary.warnings, 'warning')}, {summary.waived} waived"
            f"{existing_note(report)}.",
            "",
        ]
        if report.preview is not None:
            parts += [f"Rules change, {report.preview.describe()}; shown, not failing.", ""]
        active = [f for f in report.introduced if not f.waived_by]
        existing = report.existing
        waived = [f for f in report.findings if f.waived_by]
        budget = LIMIT - sum(len(p) + 1 for p in parts) - 600
        if active:
            parts += self._table(active, budget)
        if existing:
            fails = "they fail this check" if report.fail_on_existing else "they do not fail this check"
            parts += ["", "#### Existing findings (debt)", "", f"{plural(len(existing), 'finding')} the base has too; {fails}.", ""]
            parts += self._table(existing, max(0, LIMIT - sum(len(p) + 1 for p in parts) - 900))
        if waived:
            parts += ["", f"<details><summary>{plural(len(waived), 'waived finding')}</summary>", ""]
            parts += self._table(waived, max(0, LIMIT - sum(len(p) + 1 for p in parts) - 300))
            parts += ["", "</details>"]
        out.write("\n".join(parts) + "\n")

    def _table(self, findings: list[Finding], budget: int) -> list[str]:
        lines = ["| Severity | Rule | File | Line | Entity | Message |", "| --- | --- | --- | ---: | --- | --- |"]
        used = sum(len(line) + 1 for line in lines)
        for shown, finding in enumerate(findings):
            text = row(finding)
            if used + len(text) + 1 > budget:
                lines.append("")
                lines.append(f"… and {len(findings) - shown} more not shown; see the job log or the SARIF report.")
                break
            lines.append(text)
            used += len(text) + 1
        return lines
