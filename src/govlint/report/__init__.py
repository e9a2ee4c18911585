"""Output formats: a registry of formatter classes by name, and the report they print."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

from govlint.findings import Finding

if TYPE_CHECKING:
    from govlint.catalog import Rule


@dataclass(frozen=True)
class Summary:
    errors: int
    warnings: int
    waived: int


@dataclass(frozen=True)
class Report:
    """Everything a format may print: sorted findings, the rule catalog, what was read."""

    findings: list[Finding]
    rules: dict[str, Rule] = field(default_factory=dict)
    files_checked: int = 0
    strict: bool = False

    @property
    def summary(self) -> Summary:
        errors = sum(1 for f in self.findings if f.severity == "error" and not f.waived_by)
        warnings = sum(1 for f in self.findings if f.severity == "warning" and not f.waived_by)
        waived = sum(1 for f in self.findings if f.waived_by)
        return Summary(errors, warnings, waived)

    @property
    def failed(self) -> bool:
        summary = self.summary
        return summary.errors > 0 or (self.strict and summary.warnings > 0)


class Formatter(Protocol):
    name: str

    def write(self, report: Report, out: TextIO) -> None: ...


def formatters() -> dict[str, type[Formatter]]:
    from govlint.report.github import GithubFormatter
    from govlint.report.json import JsonFormatter
    from govlint.report.junit import JunitFormatter
    from govlint.report.markdown import MarkdownFormatter
    from govlint.report.sarif import SarifFormatter
    from govlint.report.text import TextFormatter

    found: list[type[Formatter]] = [
        TextFormatter, JsonFormatter, SarifFormatter, GithubFormatter, JunitFormatter, MarkdownFormatter,
    ]
    return {formatter.name: formatter for formatter in found}


FORMAT_NAMES: tuple[str, ...] = ("text", "json", "sarif", "github", "junit", "markdown")
