"""`--format markdown`: a job summary or pull-request comment, kept under GitHub's size limit.

A bot's comment is trusted text on GitHub, so record text in it must stay text: `inline` keeps
it from becoming a link, an image, an HTML element, a mention that notifies someone, an issue
reference, math, or a new table cell, while it still reads as what the record says.
"""

from __future__ import annotations

import re
from typing import TextIO

from govlint.findings import Finding
from govlint.report import Report, preamble
from govlint.report.neutral import visible
from govlint.report.text import plural

# GitHub refuses comments over 65,536 characters; leave room for a header around the report.
LIMIT = 60_000
# A zero-width joiner: invisible, but it splits `@team`, `www.` and `http://` for the linkers.
JOINER = "\u200d"
# Markdown punctuation that can start a link, an image, HTML, an entity, emphasis, code, math
# or a table cell; each is written with a backslash, which renders as the character itself.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#!|~&$])")
# What GitHub turns into a link or a notification by itself, without any markup.
_AUTOLINKED = re.compile(r"(@|://|(?i:www)(?=\.)|\\#(?=\w))")


def inline(text: str) -> str:
    """Record text for a markdown paragraph or table cell, shown as written and inert."""
    escaped = _PUNCTUATION.sub(r"\\\1", visible(text))
    return _AUTOLINKED.sub(_split, escaped)


def _split(match: re.Match[str]) -> str:
    found = match.group()
    if found == "://":
        return JOINER + found
    return found + JOINER


def code(text: str) -> str:
    """Text as a code span (inert by nature): a fence longer than any backtick run inside, and
    `|` escaped, which GitHub's tables need even inside code."""
    shown = visible(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def row(finding: Finding) -> str:
    line = str(finding.line) if finding.line else ""
    return (
        f"| {finding.severity} | {code(finding.rule)} | {inline(finding.file or '')} | {line} "
        f"| {inline(finding.entity or '')} | {inline(finding.message)} |"
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
        notes = "".join(f" {note[0].upper()}{note[1:]}." for note in preamble(report))
        parts = [
            f"### {verdict}",
            "",
            f"{plural(summary.errors, 'error')}, {plural(summary.warnings, 'warning')}, {summary.waived} waived"
            f"{existing_note(report)}.{notes}"
            + (f" {report.waived_note[0].upper()}{report.waived_note[1:]}." if report.waived_note else ""),
            "",
        ]
        if report.preview is not None:
            parts += [f"Rules change, {inline(report.preview.describe())}; shown, not failing.", ""]
        active = [f for f in report.introduced if not f.waived_by]
        existing = report.existing
        waived = [f for f in report.listed(report.findings) if f.waived_by]
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
