"""`govlint test`: the `test_*` rules of `policies/*_test.rego`, run like `opa test`, with coverage."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal, TextIO

import regorus

from govlint.catalog import PolicyFile
from govlint.engines.embedded import describe_engine_error, quiet_fds
from govlint.errors import GovlintError

Outcome = Literal["pass", "fail", "error"]
_TEST_RULE = re.compile(r"^(test_[A-Za-z0-9_]+)\b", re.MULTILINE)

# The portable subset (policies/README.md): constructs on which regorus and OPA answer
# differently. Each pattern is matched on one line of a policy, comments and string
# contents aside except where the construct is itself in a string (`%v`).
_FIELD_REF = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])+"
_NOT_CALL_ON_FIELD = re.compile(
    r"\bnot\s+[A-Za-z_][A-Za-z0-9_.]*\((?P<args>[^()]*(?:\([^()]*\)[^()]*)*)\)"
)
_NOT_FIELD_COMPARED = re.compile(rf"\bnot\s+{_FIELD_REF}\s*(?:\bin\b|==|!=|<=|>=|<|>)")
_LOWER_UPPER = re.compile(r"(?<![A-Za-z0-9_.])(?:lower|upper)\s*\(")
_PACKAGE_GET = re.compile(r"object\.get\(\s*data\.[A-Za-z0-9_.]+\s*,\s*\"(?:deny|warn)\"")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`')


@dataclass(frozen=True)
class PortabilityWarning:
    """A policy line outside the portable subset: it may judge differently on OPA."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: warning: {self.message}"


def portability_warnings(files: list[PolicyFile]) -> list[PortabilityWarning]:
    """The lines of the rules (tests aside) that use a construct outside the portable subset."""
    found: list[PortabilityWarning] = []
    for policy in files:
        if policy.is_test:
            continue
        for number, line in enumerate(policy.text.splitlines(), 1):
            code = _strip_comment(line)
            found.extend(PortabilityWarning(policy.path, number, message) for message in _line_problems(code))
    return found


def _strip_comment(line: str) -> str:
    """The line up to a `#` that is outside every string."""
    blanked = _STRING.sub(lambda m: " " * len(m.group(0)), line)
    cut = blanked.find("#")
    return line if cut < 0 else line[:cut]


def _line_problems(code: str) -> list[str]:
    problems = []
    if re.search(r'"[^"]*%v[^"]*"', code):
        problems.append('`%v` prints numbers differently on regorus and OPA (3e+17); use lib.whole or format_int')
    bare = _STRING.sub('""', code)
    for match in _NOT_CALL_ON_FIELD.finditer(bare):
        # A field reference among the arguments, not the dotted name of a nested call.
        if re.search(_FIELD_REF + r"(?![A-Za-z0-9_.\[(])", match.group("args")):
            problems.append(
                "`not` applied to a call on a field that may be absent: OPA leaves the line undefined, "
                'regorus makes it true; bind it first (v := object.get(x, "field", null); not f(v))'
            )
            break
    if _NOT_FIELD_COMPARED.search(bare):
        problems.append(
            "`not` applied to a comparison or membership of a field that may be absent: bind it first "
            '(v := object.get(x, "field", null); not v in S)'
        )
    if _LOWER_UPPER.search(bare):
        problems.append("lower()/upper() on non-ASCII text differs between engines; use lib.lower_ascii")
    if _PACKAGE_GET.search(code):
        problems.append(
            'object.get(data.<package>, "deny", ...) fails OPA\'s type checker when the package defines '
            'functions; use object.get(data.<parent>, ["<package>", "deny"], [])'
        )
    return problems


@dataclass(frozen=True)
class TestResult:
    file: str
    package: str
    name: str
    outcome: Outcome
    detail: str = ""


@dataclass(frozen=True)
class FileCoverage:
    file: str
    covered: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


def _engine(files: list[PolicyFile], coverage: bool) -> Any:
    engine = regorus.Engine()
    for policy in files:
        try:
            with quiet_fds():
                engine.add_policy(policy.path, policy.text)
        except Exception as exc:
            raise GovlintError(f"policy does not compile: {describe_engine_error(str(exc), policy.path)}") from None
    # regorus checks the policies as a whole (imports, unsafe variables) at the first query.
    # Probing once here reports such an error once, rather than once for every test it stops.
    try:
        with quiet_fds():
            engine.eval_query_as_json("true")
    except Exception as exc:
        raise GovlintError(f"policy does not compile: {describe_engine_error(str(exc))}") from None
    engine.set_enable_coverage(coverage)
    return engine


def run_tests(files: list[PolicyFile], name_filter: str | None = None, coverage: bool = False) -> tuple[list[TestResult], list[FileCoverage]]:
    engine = _engine(files, coverage)
    results = []
    for policy in files:
        if not policy.is_test:
            continue
        names = sorted(set(_TEST_RULE.findall(policy.text)))
        for name in names:
            if name_filter and not selected(name_filter, policy, name):
                continue
            results.append(_run_one(engine, policy, name))
    covered = _coverage(engine, files) if coverage else []
    return results, covered


def selected(name_filter: str, policy: PolicyFile, name: str) -> bool:
    """Whether `--run TEXT` picks the test: TEXT is part of its file's path, its package or its
    name, so `--run restricted`, `--run tool_trial_test.rego` and `--run govlint.rules.tool_trial`
    all work as a policy author would try them."""
    return any(name_filter in where for where in (policy.path, policy.package, name))


def _run_one(engine: Any, policy: PolicyFile, name: str) -> TestResult:
    query = f"data.{policy.package}.{name}"
    try:
        with quiet_fds():
            raw = engine.eval_query_as_json(query)
    except Exception as exc:
        return TestResult(policy.path, policy.package, name, "error", describe_engine_error(str(exc), policy.path))
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        return TestResult(policy.path, policy.package, name, "error", f"engine panic: {exc}")
    result = json.loads(raw).get("result") or []
    value = result[0]["expressions"][0]["value"] if result else None
    return TestResult(policy.path, policy.package, name, "pass" if value is True else "fail")


def _coverage(engine: Any, files: list[PolicyFile]) -> list[FileCoverage]:
    report = json.loads(engine.get_coverage_report_as_json())
    measured = []
    for entry in report.get("files", []):
        path = entry.get("path", "")
        if path.endswith("_test.rego"):
            continue
        covered = len(entry.get("covered", []))
        total = covered + len(entry.get("not_covered", []))
        measured.append(FileCoverage(path, covered, total))
    measured.sort(key=lambda c: c.file)
    return measured


def print_results(
    results: list[TestResult],
    coverage: list[FileCoverage],
    out: TextIO,
    verbose: bool,
    warnings: list[PortabilityWarning] | None = None,
) -> int:
    """The report of a test run, portability warnings first; 0 when every test passed.
    Warnings do not fail the run: a policy outside the portable subset still works on the
    embedded engine, but may judge otherwise on OPA (`--engine opa`, bundles)."""
    for warning in warnings or []:
        out.write(f"{warning}\n")
    for result in results:
        if result.outcome != "pass" or verbose:
            detail = f": {result.detail}" if result.detail else ""
            out.write(f"{result.file}: {result.name}: {result.outcome.upper()}{detail}\n")
    for item in coverage:
        out.write(f"coverage {item.file}: {item.percent:.1f}% ({item.covered}/{item.total} lines)\n")
    if coverage:
        covered = sum(c.covered for c in coverage)
        total = sum(c.total for c in coverage)
        out.write(f"coverage total: {100.0 * covered / total if total else 100.0:.1f}%\n")
    passed = sum(1 for r in results if r.outcome == "pass")
    failed = len(results) - passed
    out.write(f"policy tests: {passed} passed, {failed} failed\n")
    if not results:
        out.write("no test_* rules found in policies/*_test.rego\n")
        return 1
    return 0 if failed == 0 else 1
