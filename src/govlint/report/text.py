"""The default format: findings grouped by file, `file:line: RULE message`, then a summary."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from govlint.findings import Finding
from govlint.report import Report


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TextFormatter:
    name = "text"

    def write(self, report: Report, out: TextIO) -> None:
        self._findings(report.introduced, out)
        if report.existing:
            fails = "they fail this check (--fail-on existing)" if report.fail_on_existing else "they do not fail this check"
            out.write(f"Existing findings (debt: the base has them too; {fails}):\n\n")
            self._findings(report.existing, out)
        if report.preview is not None:
            out.write(f"Rules change, {report.preview.describe()}; shown, not failing.\n")
        summary = report.summary
        verdict = "failed" if report.failed else "passed"
        existing = summary.existing_errors + summary.existing_warnings
        debt = f", {existing} existing" if existing else ""
        out.write(
            f"govlint: {verdict}: {plural(summary.errors, 'error')}, "
            f"{plural(summary.warnings, 'warning')}, {summary.waived} waived{debt} "
            f"in {plural(report.files_checked, 'file')}\n"
        )

    def _findings(self, findings: list[Finding], out: TextIO) -> None:
        for file, group in groupby(findings, key=lambda f: f.file or ""):
            for finding in group:
                where = f"{file or '(repository)'}:{finding.line}" if finding.line else (file or "(repository)")
                tags = []
                if finding.severity == "warning":
                    tags.append("warning")
                if finding.waived_by:
                    tags.append(f"waived by {finding.waived_by}")
                tag = f" ({', '.join(tags)})" if tags else ""
                out.write(f"{where}: {finding.rule}{tag} {finding.message}\n")
            out.write("\n")
