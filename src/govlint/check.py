"""The check: read, parse, validate, evaluate, waive, locate, report; one function, one exit code."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from govlint.atomic import write_atomically
from govlint.cache import CheckedSchemas, EvaluationCache, LineCache, RecordCache, default_directory
from govlint.catalog import PolicySet
from govlint.changes import Change, changed_rule_files, compute_changes
from govlint.engines import Engine, EngineName, embedded_engine_version, make_engine
from govlint.errors import GovlintError
from govlint.evaluate import CachedEngine, PolicyInput, run_rules
from govlint.findings import Finding
from govlint.locate import LineIndex
from govlint.read import Tree, WorkingTree
from govlint.registry import Registry, load_registry
from govlint.report import Report, formatters
from govlint.validate import SchemaSet
from govlint.waive import apply_waivers

DEFAULT_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class CheckSettings:
    """What `govlint check` was asked to do."""

    repo: Path = Path(".")
    base: str | None = None
    head: str | None = None
    format: str = "text"
    output: Path | None = None
    today: str | None = None
    approvals: Path | None = None
    engine: EngineName = "embedded"
    opa_url: str | None = None
    strict: bool = False
    timeout: float | None = None
    no_cache: bool = False
    cache_dir: Path | None = None


@dataclass(frozen=True)
class Judgement:
    """A registry judged by a set of policies."""

    report: Report
    registry: Registry
    policies: PolicySet
    policy_input: PolicyInput
    changes: list[Change]
    approvals_required: list[dict[str, Any]]


def today_of(settings: CheckSettings) -> str:
    if settings.today is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(settings.today).isoformat()
    except ValueError:
        raise GovlintError(f"--today must be a date written YYYY-MM-DD, not {settings.today!r}") from None


def load_approvals(path: Path | None) -> list[dict[str, Any]] | None:
    """--approvals FILE: a JSON array of {"by": email or github login}."""
    if path is None:
        return None
    try:
        document = json.loads(path.read_bytes())
    except OSError as exc:
        raise GovlintError(f"cannot read approvals file {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise GovlintError(f"approvals file {path} is not valid JSON: {exc}") from None
    if not isinstance(document, list) or not all(
        isinstance(item, dict) and isinstance(item.get("by"), str) and item["by"] for item in document
    ):
        raise GovlintError(f'approvals file {path} must be a JSON array of objects like {{"by": "login or email"}}')
    return [{"by": item["by"]} for item in document]


def timeout_of(settings: CheckSettings, policies: PolicySet) -> float:
    if settings.timeout is not None:
        return settings.timeout
    configured = policies.params.get("eval_timeout_seconds")
    return float(configured) if isinstance(configured, (int, float)) else DEFAULT_TIMEOUT_SECONDS


def place(findings: list[Finding], registry: Registry, lines: LineIndex) -> list[Finding]:
    """Give each policy finding the line and column of its path in its entity's file, and a
    schema finding (placed when its file was read) the column of its field."""
    placed = []
    for finding in findings:
        if not finding.file or finding.file not in registry.files:
            placed.append(finding)
        elif finding.line is None:
            line = lines.line_of_dotted(finding.file, finding.path)
            placed.append(finding.at_line(line, lines.column(finding.file, line, finding.path)))
        elif finding.rule == "SCHEMA" and finding.column is None:
            placed.append(finding.at_line(finding.line, lines.column(finding.file, finding.line, finding.path)))
        else:
            placed.append(finding)
    return placed


@dataclass(frozen=True)
class Revisions:
    """The trees a check reads: the head it judges, the rules it judges by, the base it diffs."""

    head: Tree
    rules: Tree
    base: Tree | None


def open_revisions(settings: CheckSettings) -> Revisions:
    if settings.base is None and settings.head is None:
        tree = WorkingTree(settings.repo)
        return Revisions(tree, tree, None)
    from govlint import git

    if not settings.repo.is_dir():
        raise GovlintError(f"{settings.repo} is not a directory")
    repo, prefix = git.open_repository(settings.repo)
    head: Tree = git.GitTree(repo, settings.head, prefix) if settings.head else WorkingTree(settings.repo)
    if settings.base is None:
        return Revisions(head, head, None)
    target = git.GitTree(repo, settings.base, prefix)
    head_commit = head.commit if isinstance(head, git.GitTree) else git.resolve_commit(repo, "HEAD")
    fork_point = git.merge_base(repo, target.commit, head_commit)
    base = git.GitTree(repo, fork_point.hexsha, prefix) if fork_point is not None else target
    return Revisions(head, target, base)


def policy_change_findings(revisions: Revisions) -> list[Finding]:
    if revisions.base is None:
        return []
    return [
        Finding(
            "POLICY-CHANGE", "warning", None, path, None,
            "this pull request changes the rules; it was judged by the base revision's policies "
            "and schemas, and the change itself needs the governance owners' review",
        )
        for path in changed_rule_files(revisions.rules, revisions.head)
    ]


def judge(settings: CheckSettings, *, with_approvals: bool = False) -> Judgement:
    revisions = open_revisions(settings)
    cache_dir = None if settings.no_cache else settings.cache_dir or default_directory()
    schemas = SchemaSet.load(revisions.rules, CheckedSchemas(cache_dir) if cache_dir else None)
    policies = PolicySet.load(revisions.rules, schemas)
    cache = RecordCache(cache_dir, schemas.fingerprint) if cache_dir else None
    registry = load_registry(revisions.head, schemas, cache)
    base_registry = load_registry(revisions.base, schemas, cache) if revisions.base is not None else None
    if cache is not None:
        cache.save()
    changes = compute_changes(base_registry, registry) if base_registry is not None else []
    policy_input = PolicyInput(
        mode="change" if base_registry is not None else "full",
        today=today_of(settings),
        registry=registry.as_input(),
        base=base_registry.as_input() if base_registry is not None else None,
        changes=[change.to_json() for change in changes],
        approvals=load_approvals(settings.approvals),
        params=policies.params,
    )
    engine: Engine = make_engine(
        settings.engine, policies.sources, opa_url=settings.opa_url, timeout=timeout_of(settings, policies)
    )
    if cache is not None and settings.engine == "embedded":
        engine = CachedEngine(engine, EvaluationCache(cache.directory), policies, embedded_engine_version())
    evaluation = run_rules(
        engine, policies, policy_input, unreadable=registry.unreadable, with_approvals=with_approvals
    )
    line_cache = LineCache(cache_dir) if cache_dir else None
    lines = LineIndex(revisions.head, registry.blob_ids, line_cache)
    rule_findings = place(evaluation.findings, registry, lines)
    record_findings = place(registry.findings, registry, lines)
    if line_cache is not None:
        line_cache.save()
    refused = schemas.refused + policies.refused
    findings = apply_waivers(record_findings + rule_findings, registry) + refused + policy_change_findings(revisions)
    report = Report(
        findings=sorted(findings, key=lambda f: f.sort_key),
        rules=policies.rules,
        files_checked=len(registry.files),
        strict=settings.strict,
    )
    return Judgement(report, registry, policies, policy_input, changes, evaluation.approvals_required)


def render(report: Report, format_name: str) -> str:
    formatter_class = formatters().get(format_name)
    if formatter_class is None:
        raise GovlintError(f"unknown format {format_name!r}")
    buffer = io.StringIO()
    formatter_class().write(report, buffer)
    return buffer.getvalue()


def for_output(judgement: Judgement, settings: CheckSettings) -> Report:
    """The report with what the formats say about the run: its date, whether approvals were
    checked, the files the change touched (annotated first), and the governance folder's place
    in its git repository (SARIF and annotations name files from the git root)."""
    from govlint.git import repository_prefix

    report = judgement.report
    changed = {change.entity for change in judgement.changes}
    changed_files = frozenset(
        f.file for f in report.findings if f.file and (f.entity in changed or f.rule == "POLICY-CHANGE")
    )
    change_mode = judgement.policy_input.base is not None
    return replace(
        report,
        today=report.today or judgement.policy_input.today,
        approvals_checked=(
            report.approvals_checked if report.approvals_checked is not None
            else (judgement.policy_input.approvals is not None if change_mode else None)
        ),
        changed_files=changed_files if change_mode else None,
        root_prefix=repository_prefix(settings.repo),
    )


def run_check(settings: CheckSettings, out: TextIO) -> int:
    """Run the check and print its report; 0 passed, 1 findings of severity error."""
    report = for_output(judge(settings), settings)
    text = render(report, settings.format)
    if settings.output is not None:
        write_atomically(settings.output, text)
    else:
        out.write(text)
    return 1 if report.failed else 0
