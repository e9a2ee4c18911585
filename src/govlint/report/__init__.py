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
    # Change mode: unwaived findings the base already had (debt), by severity. They are in
    # `errors` and `warnings` too only when existing findings fail the check.
    existing_errors: int = 0
    existing_warnings: int = 0


@dataclass(frozen=True)
class Preview:
    """What a full check would find once a pull request that changes the rules is merged:
    the head judged by its own policies, schemas and params. Shown, never failing."""

    errors: int
    warnings: int
    files: int
    # Why the head's own rules could not judge it (a policy that does not compile, ...).
    failure: str | None = None

    def describe(self) -> str:
        """One line: `after merge: 4 errors in 3 files`."""
        if self.failure is not None:
            return f"after merge: the new rules do not run: {self.failure}"
        errors = f"{self.errors} error{'' if self.errors == 1 else 's'}"
        files = f" in {self.files} file{'' if self.files == 1 else 's'}" if self.errors else ""
        warnings = f", {self.warnings} warning{'' if self.warnings == 1 else 's'}" if self.warnings else ""
        return f"after merge: {errors}{files}{warnings} (the head judged by its own rules)"

    def to_json(self) -> dict[str, object]:
        return {"errors": self.errors, "warnings": self.warnings, "files": self.files, "failure": self.failure}


@dataclass(frozen=True)
class Report:
    """Everything a format may print: sorted findings, the rule catalog, what was read."""

    findings: list[Finding]
    rules: dict[str, Rule] = field(default_factory=dict)
    files_checked: int = 0
    strict: bool = False
    # The date the registry was judged against (--today or the day of the run).
    today: str = ""
    # Change mode: whether --approvals said who approved; None in full mode.
    approvals_checked: bool | None = None
    # Whether findings that already existed on the base fail the check too (--fail-on existing).
    fail_on_existing: bool = False
    # Change mode, when the pull request changes the rules: the default branch after the merge.
    preview: Preview | None = None
    # Where the governance folder sits in its git repository ("gov" for `govlint check gov`),
    # so SARIF and annotations name files from the git root, as GitHub resolves them.
    root_prefix: str = ""
    # Files the pull request changed (relative like Finding.file), when the check knows them.
    changed_files: frozenset[str] | None = None
    # Whether the formats for people (text, markdown, github) list waived findings; they are
    # counted either way, and JSON and SARIF, read by machines, always carry them.
    show_waived: bool = False

    def listed(self, findings: list[Finding]) -> list[Finding]:
        """The findings a format for people lists: waived ones only with --show-waived. A
        waiver is a settled decision; printing it on every run buries what needs acting on."""
        return findings if self.show_waived else [f for f in findings if not f.waived_by]

    @property
    def waived_note(self) -> str | None:
        """The line saying waived findings were counted but not listed, when some were."""
        hidden = 0 if self.show_waived else sum(1 for f in self.findings if f.waived_by)
        if not hidden:
            return None
        return f"{hidden} waived {'finding' if hidden == 1 else 'findings'} not listed (--show-waived lists them)"

    def repository_path(self, file: str) -> str:
        """A finding's file as a path from the git root."""
        return f"{self.root_prefix}/{file}" if self.root_prefix else file

    def counts(self, finding: Finding) -> bool:
        """Whether a finding can fail the check: not waived, and not existing debt unless asked."""
        return not finding.waived_by and (self.fail_on_existing or finding.origin != "existing")

    @property
    def summary(self) -> Summary:
        errors = sum(1 for f in self.findings if f.severity == "error" and self.counts(f))
        warnings = sum(1 for f in self.findings if f.severity == "warning" and self.counts(f))
        waived = sum(1 for f in self.findings if f.waived_by)
        debt = [f for f in self.findings if f.origin == "existing" and not f.waived_by]
        existing_errors = sum(1 for f in debt if f.severity == "error")
        return Summary(errors, warnings, waived, existing_errors, len(debt) - existing_errors)

    @property
    def introduced(self) -> list[Finding]:
        """The findings a format lists first: all of them, less existing debt (and waived ones)."""
        return [f for f in self.findings if f.origin != "existing" or f.waived_by]

    @property
    def existing(self) -> list[Finding]:
        """Change mode: unwaived findings the base already had, shown apart as debt."""
        return [f for f in self.findings if f.origin == "existing" and not f.waived_by]

    @property
    def failed(self) -> bool:
        summary = self.summary
        return summary.errors > 0 or (self.strict and summary.warnings > 0)


def preamble(report: Report) -> list[str]:
    """What every format says about how the check was run: its date, and missing approvals."""
    lines = [f"judged as of {report.today}"] if report.today else []
    if report.approvals_checked is False:
        lines.append("approvals not checked (no --approvals)")
    return lines


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
