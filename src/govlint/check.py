"""The check: read, parse, validate, evaluate, waive, locate, report; one function, one exit code."""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

from govlint.atomic import write_atomically
from govlint.cache import CheckedSchemas, EvaluationCache, LineCache, RecordCache, cache_directory
from govlint.catalog import PARAMS_FILE, PolicySet
from govlint.changes import Change, base_input, changed_rule_files, compute_changes
from govlint.engines import Engine, EngineName, embedded_engine_version, make_engine
from govlint.errors import GovlintError
from govlint.evaluate import CachedEngine, PolicyInput, run_rules
from govlint.findings import Finding, Origin
from govlint.locate import LineIndex
from govlint.read import Tree, WorkingTree, shown_path
from govlint.registry import Registry, load_registry
from govlint.timings import Timings
from govlint.report import Preview, Report, formatters
from govlint.validate import SchemaSet
from govlint.waive import apply_waivers

DEFAULT_TIMEOUT_SECONDS = 120.0
# Which findings fail a pull request: those it introduces, or existing debt as well.
FailOn = Literal["introduced", "existing"]
MAX_TIMEOUT_SECONDS = 3600.0  # the bounds of eval_timeout_seconds in params.schema.json
DEFAULT_MEMORY_MIB = 2048
MIN_MEMORY_MIB, MAX_MEMORY_MIB = 64, 1048576  # the bounds of eval_memory_mib


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
    fail_on: FailOn = "introduced"
    show_waived: bool = False
    timings: bool = False


@dataclass(frozen=True)
class Judgement:
    """A registry judged by a set of policies."""

    report: Report
    registry: Registry
    policies: PolicySet
    policy_input: PolicyInput
    changes: list[Change]
    approvals_required: list[dict[str, Any]]
    # The whole base revision in change mode (input.base holds only part of it).
    base_registry: Registry | None


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
    for number, item in enumerate(document, 1):
        # JSON's \ud800 escape spells a lone surrogate, which no UTF-8 text (so no policy
        # input) can carry; control characters would reach the report. Neither is printable.
        if not item["by"].isprintable():
            raise GovlintError(
                f"approvals file {path}: entry {number} has a login or email with a control character "
                "or a lone surrogate; no GitHub login or email holds one"
            )
    return [{"by": item["by"]} for item in document]


def _limit_param(policies: PolicySet, key: str, default: float, low: float, high: float) -> float:
    """A limit from params.yaml, checked here too: a repository without a params schema
    could otherwise set it to `.nan`, `true` or a string."""
    value = policies.params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise GovlintError(f"{PARAMS_FILE}: {key} must be a number from {low:.12g} to {high:.12g}, not {value!r}")
    return float(value)


def timeout_of(settings: CheckSettings, policies: PolicySet) -> float:
    if settings.timeout is not None:
        return settings.timeout
    return _limit_param(policies, "eval_timeout_seconds", DEFAULT_TIMEOUT_SECONDS, 0.1, MAX_TIMEOUT_SECONDS)


def memory_limit_of(policies: PolicySet) -> int:
    """MiB of memory one policy evaluation may take beyond the loaded policies and input."""
    return int(_limit_param(policies, "eval_memory_mib", DEFAULT_MEMORY_MIB, MIN_MEMORY_MIB, MAX_MEMORY_MIB))


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


def rule_changes_of(revisions: Revisions) -> list[str]:
    """The files under policies/ and schemas/ the pull request changes: its head against the
    fork point, so that rules changed on the target since then are not counted as its own.
    Each is named printably: a file name that is not UTF-8 must not reach the engine's input."""
    if revisions.base is None:
        return []
    return [shown_path(path) for path in changed_rule_files(revisions.base, revisions.head)]


def policy_change_findings(rule_changes: list[str]) -> list[Finding]:
    return [
        Finding(
            "POLICY-CHANGE", "warning", None, path, None,
            "this pull request changes the rules; it was judged by the base revision's policies "
            "and schemas, and the change itself needs the governance owners' review",
        )
        for path in rule_changes
    ]


def rules_engine(
    settings: CheckSettings,
    policies: PolicySet,
    cache_dir: Path | None,
    limits: tuple[float, int] | None = None,
) -> Engine:
    """The engine for one set of policies; with a cache, answers it gave before are reused.
    `limits` (seconds, MiB) override the ones the policies' own params set."""
    timeout, memory_mib = limits if limits is not None else (timeout_of(settings, policies), memory_limit_of(policies))
    engine: Engine = make_engine(
        settings.engine, policies.sources, opa_url=settings.opa_url, timeout=timeout, memory_mib=memory_mib,
    )
    if cache_dir is not None and settings.engine == "embedded":
        engine = CachedEngine(engine, EvaluationCache(cache_dir), policies, embedded_engine_version())
    return engine


OriginKey = tuple[str, str, str, str]


def origin_key(finding: Finding) -> OriginKey:
    """What makes findings on two revisions the same problem: the rule, what it is about (its
    entity; the file for a finding about no entity), the field, and the severity. Not the
    message or the line, which move with unrelated edits. The severity is part of it so that
    a warning a pull request turns into an error counts as new."""
    where = finding.entity or f"file:{finding.file or ''}"
    return (finding.rule, where, finding.path or "", finding.severity)


def mark_origins(head: list[Finding], base: list[Finding]) -> list[Finding]:
    """Each head finding `existing` when the base, judged the same way, has it; else `introduced`.

    Findings are matched as a multiset per key: when the base has one and the head two, one of
    the two is introduced, and a head finding whose message the base also has is matched first,
    so the one left over reads differently. Counting findings are matched only with counting
    ones: a finding the base had waived and the head no longer waives (its exception withdrawn)
    is introduced, since the pull request made it count.
    """
    origins: list[Origin] = ["introduced"] * len(head)
    for waived in (False, True):
        # A waived head finding never counts; matching it against every base finding only
        # tells the reader whether it is old.
        pool = [f for f in base if waived or not f.waived_by]
        left: dict[OriginKey, Counter[str]] = {}
        for finding in pool:
            left.setdefault(origin_key(finding), Counter())[finding.message] += 1
        indices = [i for i, f in enumerate(head) if bool(f.waived_by) == waived]
        unmatched = []
        for index in indices:
            messages = left.get(origin_key(head[index]))
            if messages is not None and messages[head[index].message] > 0:
                messages[head[index].message] -= 1
                origins[index] = "existing"
            else:
                unmatched.append(index)
        for index in unmatched:
            messages = left.get(origin_key(head[index]))
            spare = next((m for m, n in sorted(messages.items()) if n > 0), None) if messages else None
            if messages is not None and spare is not None:
                messages[spare] -= 1
                origins[index] = "existing"
    return [replace(finding, origin=origin) for finding, origin in zip(head, origins)]


def judge_registry(
    registry: Registry,
    policies: PolicySet,
    engine: Engine,
    policy_input: PolicyInput,
    *,
    lines: LineIndex | None = None,
    with_approvals: bool = False,
) -> tuple[list[Finding], list[dict[str, Any]]]:
    """One registry's findings under one set of rules, waivers applied, the rules' findings
    placed at their lines when `lines` is given; and, when asked, the approvals its changes need."""
    evaluation = run_rules(
        engine, policies, policy_input, unreadable=registry.unreadable, with_approvals=with_approvals
    )
    if lines is None:
        return apply_waivers(registry.findings + evaluation.findings, registry), evaluation.approvals_required
    findings = apply_waivers(place(registry.findings, registry, lines) + place(evaluation.findings, registry, lines), registry)
    return findings, evaluation.approvals_required


def preview_after_merge(
    settings: CheckSettings,
    revisions: Revisions,
    cache_dir: Path | None,
    today: str,
    limits: tuple[float, int],
    timings: Timings | None = None,
) -> Preview:
    """What a full check of the head would find with the head's own rules: what the default
    branch shows once a pull request that changes the rules is merged. It never blocks; rules
    that do not load or compile are reported as such rather than ending the check. It runs
    under the base's time and memory limits: the pull request's params do not get to lift them."""
    timings = timings or Timings()
    try:
        with timings.stage("read head rules (preview)"):
            schemas = SchemaSet.load(revisions.head, CheckedSchemas(cache_dir) if cache_dir else None)
            policies = PolicySet.load(revisions.head, schemas)
        with timings.stage("read+validate head (preview)"):
            cache = RecordCache(cache_dir, schemas.fingerprint) if cache_dir else None
            registry = load_registry(revisions.head, schemas, cache)
            if cache is not None:
                cache.save()
        policy_input = PolicyInput(
            mode="full", today=today, registry=registry.as_input(), base=None, changes=[], approvals=None,
            params=policies.params,
        )
        engine = rules_engine(settings, policies, cache_dir, limits)
        with timings.stage("evaluate head by head rules (preview)"):
            findings, _ = judge_registry(registry, policies, engine, policy_input)
    except GovlintError as exc:
        return Preview(errors=0, warnings=0, files=0, failure=exc.message)
    findings += schemas.refused + policies.refused
    counted = [f for f in findings if not f.waived_by]
    errors = [f for f in counted if f.severity == "error"]
    return Preview(
        errors=len(errors),
        warnings=len(counted) - len(errors),
        files=len({f.file or "" for f in errors}),
    )


def judge(settings: CheckSettings, *, with_approvals: bool = False, timings: Timings | None = None) -> Judgement:
    """Judge the head; in change mode also the base, by the same rules on the same day, to tell
    the findings a pull request introduces from those it inherits, and, when it changes the
    rules, the head by its own rules, to preview the default branch after the merge.
    Each stage is timed in `timings` when given."""
    timings = timings or Timings()
    with timings.stage("read rules"):
        revisions = open_revisions(settings)
        cache_dir = None if settings.no_cache else cache_directory(settings.cache_dir)
        schemas = SchemaSet.load(revisions.rules, CheckedSchemas(cache_dir) if cache_dir else None)
        policies = PolicySet.load(revisions.rules, schemas)
    # Records are read, parsed and validated file by file (in worker processes when there are
    # many), so reading and validating are one stage per revision. Without a cache directory a
    # change-mode check still keeps this run's results: the base's files are, all but the
    # changed ones, the head's blobs, and reading them twice doubled a cold pull-request check.
    if cache_dir:
        cache: RecordCache | None = RecordCache(cache_dir, schemas.fingerprint)
    else:
        cache = RecordCache(None, schemas.fingerprint) if revisions.base is not None else None
    with timings.stage("read+validate head"):
        registry = load_registry(revisions.head, schemas, cache)
    base_registry = None
    if revisions.base is not None:
        with timings.stage("read+validate base"):
            base_registry = load_registry(revisions.base, schemas, cache)
    if cache is not None:
        with timings.stage("save record cache"):
            cache.save()
    changes = compute_changes(base_registry, registry) if base_registry is not None else []
    today = today_of(settings)
    approvals = load_approvals(settings.approvals)
    rule_changes = rule_changes_of(revisions)
    whole_base = policies.params.get("base_records") == "all"
    policy_input = PolicyInput(
        mode="change" if base_registry is not None else "full",
        today=today,
        registry=registry.as_input(),
        base=base_input(base_registry, registry, changes, whole=whole_base) if base_registry is not None else None,
        changes=[change.to_json() for change in changes],
        approvals=approvals,
        params=policies.params,
        rule_changes=rule_changes,
    )
    engine = rules_engine(settings, policies, cache_dir)
    line_cache = LineCache(cache_dir) if cache_dir else None
    with timings.stage("evaluate head"):
        evaluation = run_rules(
            engine, policies, policy_input, unreadable=registry.unreadable, with_approvals=with_approvals
        )
    approvals_required = evaluation.approvals_required
    with timings.stage("locate"):
        lines = LineIndex(revisions.head, registry.blob_ids, line_cache)
        judged = apply_waivers(
            place(registry.findings, registry, lines) + place(evaluation.findings, registry, lines), registry
        )
        if line_cache is not None:
            line_cache.save()
    refused = schemas.refused + policies.refused
    findings = judged + refused + policy_change_findings(rule_changes)
    preview = None
    if base_registry is not None:
        # The pull request undone: the base as head, nothing changed, the same approvals. What
        # this finds is what the default branch already had; the rest the pull request brought.
        unchanged = PolicyInput(
            mode="change", today=today, registry=base_registry.as_input(),
            base=base_input(base_registry, base_registry, [], whole=whole_base),
            changes=[], approvals=approvals, params=policies.params,
        )
        with timings.stage("evaluate base"):
            inherited, _ = judge_registry(base_registry, policies, engine, unchanged)
            findings = mark_origins(findings, inherited + refused)
        if rule_changes:
            preview = preview_after_merge(
                settings, revisions, cache_dir, today, (timeout_of(settings, policies), memory_limit_of(policies)),
                timings,
            )
    report = Report(
        findings=sorted(findings, key=lambda f: f.sort_key),
        rules=policies.rules,
        files_checked=len(registry.files),
        strict=settings.strict,
        today=today,
        approvals_checked=(approvals is not None) if base_registry is not None else None,
        fail_on_existing=settings.fail_on == "existing",
        preview=preview,
        show_waived=settings.show_waived,
    )
    return Judgement(report, registry, policies, policy_input, changes, approvals_required, base_registry)


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


def run_check(settings: CheckSettings, out: TextIO, err: TextIO | None = None) -> int:
    """Run the check and print its report; 0 passed, 1 findings of severity error.

    `err` receives the progress line of a long run on a terminal and, with settings.timings,
    one line per stage once the report is written; the report itself is the same either way."""
    timings = Timings(progress=err)
    try:
        judgement = judge(settings, timings=timings)
        with timings.stage("report"):
            report = for_output(judgement, settings)
            text = render(report, settings.format)
            if settings.output is not None:
                write_atomically(settings.output, text)
            else:
                out.write(text)
                out.flush()
    finally:
        timings.finish()
    if settings.timings and err is not None:
        err.write("".join(line + "\n" for line in timings.lines()))
        err.flush()
    return 1 if report.failed else 0
