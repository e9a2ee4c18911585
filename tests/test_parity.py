"""The embedded engine (regorus) gives the verdicts OPA gives: same findings, same approvals.

Each comparison runs govlint's own `judge()` twice on the same repository, once with the
embedded engine and once with OPA v1 in-process (tests/opa_oracle.py), over the reference
repository, every rule case of tests/cases, the policy unit tests, and generated registries
with random records and random missing fields. Where OPA in-process cannot be had the tests
skip and say why; `.ci/run` fetches it, so the project's CI runs them.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import random
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import govlint.check as check_module
from conftest import ROOT, TODAY, copy_reference, write
from govlint.catalog import PolicyFile, PolicySet
from govlint.check import CheckSettings, Judgement, judge
from govlint.engines.embedded import EmbeddedEngine
from govlint.errors import GovlintError
from govlint.evaluate import PolicyInput, run_rules
from govlint.policytest import run_tests
from govlint.read import WorkingTree
from govlint.registry import load_registry
from govlint.validate import SchemaSet
from opa_oracle import OracleEngine, oracle_or_skip_reason
from test_rules import Case, case_repository, load_cases

OPA_MODULE, WHY_NOT = oracle_or_skip_reason()
pytestmark = pytest.mark.skipif(OPA_MODULE is None, reason=f"parity with OPA not tested: {WHY_NOT}")


def _comparable(judgement: Judgement) -> tuple[list[tuple[Any, ...]], list[str]]:
    findings = [
        (f.rule, f.severity, f.entity, f.file, f.line, f.message, f.path, f.waived_by)
        for f in judgement.report.findings
    ]
    approvals = sorted(json.dumps(a, sort_keys=True) for a in judgement.approvals_required)
    return findings, approvals


def judge_on_both(settings: CheckSettings, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The same check judged by regorus and by OPA, each as a comparable verdict."""
    settings = dataclasses.replace(settings, no_cache=True)  # a cached answer would hide the engine
    embedded = _comparable(judge(settings, with_approvals=True))
    oracles: list[OracleEngine] = []

    def oracle_engine(name: str, policies: list[PolicyFile], **_: Any) -> OracleEngine:
        oracles.append(OracleEngine(OPA_MODULE, policies))
        return oracles[-1]

    with monkeypatch.context() as patch:
        patch.setattr(check_module, "make_engine", oracle_engine)
        try:
            served = _comparable(judge(settings, with_approvals=True))
        finally:
            for oracle in oracles:
                oracle.close()
    assert oracles, "the OPA engine was not used"
    return embedded, served


def test_the_reference_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_reference(tmp_path / "repo")
    embedded, served = judge_on_both(CheckSettings(repo=root, today=TODAY), monkeypatch)
    assert served == embedded


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case.name)
def test_each_rule_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = case.spec
    root = tmp_path / "repo"
    base = case_repository(root, spec)
    approvals = None
    if "approvals" in spec:
        approvals = write(tmp_path / "approvals.json", json.dumps(spec["approvals"]))
    settings = CheckSettings(repo=root, base=base, today=TODAY, approvals=approvals)
    embedded, served = judge_on_both(settings, monkeypatch)
    assert served == embedded
    assert embedded[0] or not spec.get("expect"), "the case found nothing: the comparison proves little"


def test_the_policy_unit_tests_pass_on_both() -> None:
    """Every `test_*` rule of policies/*_test.rego passes on regorus and on OPA alike."""
    tree = WorkingTree(ROOT)
    policies = PolicySet.load(tree, SchemaSet.load(tree))
    results, _ = run_tests(policies.files)
    assert results and all(r.outcome == "pass" for r in results), [r for r in results if r.outcome != "pass"]
    engine = OPA_MODULE.OpaEngine()
    try:
        for policy in policies.files:
            engine.add_policy(policy.path, policy.text)
        failed = []
        for result in results:
            bindings = engine.eval_query(f"x := data.{result.package}.{result.name}")
            if not bindings or bindings[0].get("x") is not True:
                failed.append(f"{result.file}: {result.name}")
    finally:
        engine.close()
    assert failed == [], f"pass on regorus but not on OPA: {failed}"


# Generated registries ------------------------------------------------------------------------
#
# The reference registry's records are the material: each example keeps a random subset of
# them, deletes random fields anywhere in them (required ones too: a field that breaks its
# schema reaches the policies absent), and replaces a few values by others of the kind the
# schema lets through there: another record's value for the same field, or an awkward one
# (e-mails and names in other cases and scripts, large and fractional costs, the far ends
# of the dates both engines handle). Both engines then judge it in full mode and in change
# mode against the untouched reference registry.

AWKWARD_TEXT = [
    "İSTANBUL@example.com", "istanbul@example.com", "ΣΟΦΊΑ@EXAMPLE.COM", "σοφία@example.com",
    "LENA.BRANDT@EXAMPLE.COM", "Straße", "STRASSE", "ǅemal", "İnsan Kaynakları", "insan kaynakları",
]
AWKWARD_INTEGERS = [0, 1, 3, 3_000_000_000_000_000, 9_007_199_254_740_991]
AWKWARD_FRACTIONS = [0.125, 2.675, 99999.995, 123456.789, 1e15 + 0.5]
AWKWARD_DATES = ["1677-09-22", "2262-04-10", "2026-11-22", "2026-11-21", "2000-02-29"]


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"


class _Material:
    """The reference registry, its policies and params, read once for all examples, and
    every value each field name holds anywhere in it."""

    def __init__(self) -> None:
        tree = WorkingTree(ROOT)
        schemas = SchemaSet.load(tree)
        self.policies = PolicySet.load(tree, schemas)
        registry = load_registry(tree, schemas)
        self.records: dict[str, dict[str, Any]] = {
            kind: {record_id: copy.deepcopy(records[record_id]) for record_id in records}
            for kind, records in registry.as_input().items()
        }
        self.values: dict[str, list[Any]] = {}
        for records in self.records.values():
            for record in records.values():
                self._collect(record, "")

    def _collect(self, value: Any, field: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                self._collect(item, key)
        elif isinstance(value, list):
            for item in value:
                self._collect(item, field)
        else:
            self.values.setdefault(field, [])
            if value not in self.values[field]:
                self.values[field].append(value)

    def another_value(self, field: Any, value: Any, rng: random.Random) -> Any:
        """A value the schema lets through where `value` is: same type, same format."""
        if isinstance(value, bool):
            return not value
        if field == "annual_cost":  # a number >= 0
            return rng.choice(AWKWARD_INTEGERS + AWKWARD_FRACTIONS)
        if field == "cadence_days":  # an integer from 1 to 3650
            return rng.choice([1, 2, 3650])
        if isinstance(value, (int, float)):
            return rng.choice([v for v in self.values.get(str(field), []) if isinstance(v, type(value))] or [value])
        if _is_date(value):
            return rng.choice(AWKWARD_DATES + [v for v in self.values.get(str(field), []) if _is_date(v)])
        if isinstance(value, str):
            seen = [v for v in self.values.get(str(field), []) if isinstance(v, str)]
            if "@" in value:
                return rng.choice([t for t in AWKWARD_TEXT if "@" in t] + seen + [value.upper()])
            if field in ("name", "aliases", "justification", "purpose", "rationale"):
                return rng.choice([t for t in AWKWARD_TEXT if "@" not in t] + seen)
            return rng.choice(seen or [value])
        return value


@pytest.fixture(scope="module")
def material() -> _Material:
    return _Material()


@pytest.fixture(scope="module")
def engines(material: _Material) -> Iterator[tuple[EmbeddedEngine, OracleEngine]]:
    oracle = OracleEngine(OPA_MODULE, material.policies.sources)
    yield EmbeddedEngine(material.policies.sources, timeout=None), oracle  # in-process: no fork per example
    oracle.close()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append(prefix + (key,))
            found.extend(_paths(item, prefix + (key,)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append(prefix + (index,))
            found.extend(_paths(item, prefix + (index,)))
    return found


def _parent_of(record: dict[str, Any], path: tuple[Any, ...]) -> Any:
    parent: Any = record
    for step in path[:-1]:
        parent = parent[step]
    return parent


def _mutated(material: _Material, record: dict[str, Any], rng: random.Random, deletions: int, replacements: int) -> dict[str, Any]:
    record = copy.deepcopy(record)
    for _ in range(replacements):
        leaves = [p for p in _paths(record) if p not in (("kind",), ("id",))
                  and not isinstance(_parent_of(record, p)[p[-1]], (dict, list))]
        if not leaves:
            break
        path = rng.choice(leaves)
        field = next((step for step in reversed(path) if isinstance(step, str)), "")
        parent = _parent_of(record, path)
        parent[path[-1]] = material.another_value(field, parent[path[-1]], rng)
    for _ in range(deletions):
        paths = [p for p in _paths(record) if p not in (("kind",), ("id",))]
        if not paths:
            break
        path = rng.choice(paths)
        del _parent_of(record, path)[path[-1]]
    return record


def _generated_registry(material: _Material, seed: int, share: float) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    registry: dict[str, dict[str, Any]] = {}
    for kind, records in material.records.items():
        kept = {rid: record for rid, record in records.items() if rng.random() < share}
        for rid in rng.sample(sorted(kept), k=min(len(kept), rng.randint(0, 4))):
            kept[rid] = _mutated(material, kept[rid], rng, rng.randint(0, 3), rng.randint(0, 2))
        registry[kind] = kept
    return registry


def _verdict(engine: Any, material: _Material, policy_input: PolicyInput, with_approvals: bool) -> Any:
    try:
        evaluation = run_rules(engine, material.policies, policy_input, with_approvals=with_approvals)
    except GovlintError as exc:
        return f"the check stopped: {exc}"
    findings = sorted((f.rule, f.severity, f.entity, f.message, f.path or "") for f in evaluation.findings)
    approvals = sorted(json.dumps(a, sort_keys=True) for a in evaluation.approvals_required)
    return findings, approvals


def _generated_input(material: _Material, seed: int, share: float, change: bool, approvals: Any) -> PolicyInput:
    registry = _generated_registry(material, seed, share)
    changes = []
    if change:
        for kind_key, records in registry.items():
            kind = KIND_OF_KEY[kind_key]
            for rid, record in records.items():
                before = material.records[kind_key].get(rid)
                if before != record:
                    fields = sorted({*record, *before} - {"kind", "id"}) if before else []
                    changes.append({"kind": kind, "id": rid, "op": "modify", "fields": fields})
    return PolicyInput(
        mode="change" if change else "full",
        today=TODAY,
        registry=registry,
        base=material.records if change else None,
        changes=changes,
        approvals=approvals if change else None,
        params=material.policies.params,
    )


KIND_OF_KEY = {
    "departments": "department", "tools": "tool", "data_domains": "data-domain", "vendors": "vendor",
    "exceptions": "exception",
}
SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
# 1,000 examples take about a minute of CPU (both engines); GOVLINT_PARITY_EXAMPLES lowers it
# for a quick local run.
EXAMPLES = int(os.environ.get("GOVLINT_PARITY_EXAMPLES", "1000"))


@given(
    seed=st.integers(min_value=0, max_value=2**32),
    share=st.sampled_from([0.15, 0.3, 0.6]),
    change=st.booleans(),
)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=SLOW_OK)
def test_generated_registries_with_missing_fields_agree(
    material: _Material, engines: tuple[EmbeddedEngine, OracleEngine], seed: int, share: float, change: bool
) -> None:
    """Findings of every rule, in full mode and in change mode; approvals unknown, so the
    approval rules stay out of it (the next test holds them to OPA)."""
    policy_input = _generated_input(material, seed, share, change, None)
    embedded, oracle = engines
    verdict = _verdict(embedded, material, policy_input, with_approvals=False)
    assert _verdict(oracle, material, policy_input, with_approvals=False) == verdict
    assert not isinstance(verdict, str), verdict


@given(
    seed=st.integers(min_value=0, max_value=2**32),
    share=st.sampled_from([0.6, 1.0]),
    approvals=st.sampled_from([None, [], [{"by": "LENA.BRANDT@example.com"}], [{"by": "İSTANBUL@example.com"}]]),
)
@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_OK, phases=[Phase.generate])
def test_generated_changes_need_the_same_approvals(
    material: _Material, engines: tuple[EmbeddedEngine, OracleEngine], seed: int, share: float, approvals: Any
) -> None:
    policy_input = _generated_input(material, seed, share, True, approvals)
    embedded, oracle = engines
    verdict = _verdict(embedded, material, policy_input, with_approvals=True)
    assert _verdict(oracle, material, policy_input, with_approvals=True) == verdict
    assert not isinstance(verdict, str), verdict
