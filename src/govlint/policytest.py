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
            if name_filter and name_filter not in name:
                continue
            results.append(_run_one(engine, policy, name))
    covered = _coverage(engine, files) if coverage else []
    return results, covered


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


def print_results(results: list[TestResult], coverage: list[FileCoverage], out: TextIO, verbose: bool) -> int:
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
