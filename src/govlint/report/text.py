"""The default format: findings grouped by file, `file:line: RULE message`, then a summary."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from govlint.report import Report


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class TextFormatter:
    name = "text"

    def write(self, report: Report, out: TextIO) -> None:
        for file, group in groupby(report.findings, key=lambda f: f.file or ""):
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
        summary = report.summary
        verdict = "failed" if report.failed else "passed"
        out.write(
            f"govlint: {verdict}: {plural(summary.errors, 'error')}, "
            f"{plural(summary.warnings, 'warning')}, {summary.waived} waived "
            f"in {plural(report.files_checked, 'file')}\n"
        )
