"""Linear in everything a pull request can grow: a chain of departments, a domain's aliases
and consumers, a tool's integrations. Each grows from 1,000 to 3,000 on top of the reference
registry, and the evaluation may take about three times as long, not nine.

Wall-clock time on a shared machine is noisy, so each size is timed as the best of two runs
and the bound is generous: a quadratic rule grows ninefold, a linear one threefold, and the
test fails only past six. Before the line of authority was walked per department, 3,000
departments in a chain took 26 s against 4 s for 1,000 (issue 10).
"""

from __future__ import annotations

import copy
import time
from typing import Any, Callable

import pytest

from conftest import ROOT, TODAY
from govlint.catalog import PolicySet
from govlint.engines.embedded import EmbeddedEngine
from govlint.evaluate import PolicyInput, run_rules
from govlint.read import WorkingTree
from govlint.registry import load_registry
from govlint.validate import SchemaSet

SMALL, LARGE = 1000, 3000
MOST_GROWTH = 6.0  # linear: about 3; quadratic: about 9


def _reference() -> tuple[PolicySet, dict[str, dict[str, Any]]]:
    tree = WorkingTree(ROOT)
    schemas = SchemaSet.load(tree)
    registry = load_registry(tree, schemas).as_input()
    return PolicySet.load(tree, schemas), {k: {i: copy.deepcopy(r[i]) for i in r} for k, r in registry.items()}


def _person(n: int) -> dict[str, str]:
    return {"name": f"Person {n}", "email": f"person-{n}@chain.example"}


def grow_chain(registry: dict[str, dict[str, Any]], size: int) -> None:
    """`size` departments, each the parent of the next, under the executive office; twenty
    tools owned at depths spread down the chain, the deepest included, each sponsored by
    its owner's executive, so TOOL-SPONSOR walks the chain for each."""
    departments = registry["departments"]
    template = departments["finance"]
    for depth in range(1, size + 1):
        record = copy.deepcopy(template)
        record.update(
            id=f"chain-{depth}", name=f"Chain {depth}", parent="executive-office" if depth == 1 else f"chain-{depth - 1}",
            executive_sponsor=_person(3 * depth), lead=_person(3 * depth + 1), members=[_person(3 * depth + 2)],
            function="business",
        )
        departments[record["id"]] = record
    tool = registry["tools"]["quarry-bi"]
    for step in range(20):
        depth = size - step * size // 20
        owned = copy.deepcopy(tool)
        owned.update(id=f"chain-tool-{step}", owner=f"chain-{depth}", users=[f"chain-{depth}"], data=[],
                     business_sponsor=departments["chain-1"]["executive_sponsor"]["email"],
                     justification="Measured for growth.")
        registry["tools"][owned["id"]] = owned


def grow_aliases(registry: dict[str, dict[str, Any]], size: int) -> None:
    registry["data_domains"]["matters"]["aliases"] = [f"matter name {n}" for n in range(size)]


def grow_consumers(registry: dict[str, dict[str, Any]], size: int) -> None:
    domain = registry["data_domains"]["matters"]
    consumer = {"department": "finance", "purpose": "Growth.", "approved_by": "marcus.bell@alderridge.example"}
    domain["consumers"] = [dict(consumer, purpose=f"Growth {n}.") for n in range(size)]


def grow_integrations(registry: dict[str, dict[str, Any]], size: int) -> None:
    tools = registry["tools"]
    template = tools["quarry-bi"]
    for n in range(size):
        peer = copy.deepcopy(template)
        peer.update(id=f"peer-{n}", ring="assess", justification="Growth.", integrations=["quarry-bi"])
        tools[peer["id"]] = peer
    tools["quarry-bi"]["integrations"] = [f"peer-{n}" for n in range(size)]


GROWTHS: dict[str, Callable[[dict[str, dict[str, Any]], int], None]] = {
    "department chain": grow_chain,
    "aliases": grow_aliases,
    "consumers": grow_consumers,
    "integrations": grow_integrations,
}


@pytest.fixture(scope="module")
def reference() -> tuple[PolicySet, dict[str, dict[str, Any]], EmbeddedEngine]:
    policies, registry = _reference()
    return policies, registry, EmbeddedEngine(policies.sources, timeout=None)


def _seconds(reference: Any, grow: Callable[[dict[str, dict[str, Any]], int], None], size: int) -> tuple[float, int]:
    policies, registry, engine = reference
    registry = copy.deepcopy(registry)
    grow(registry, size)
    policy_input = PolicyInput("full", TODAY, registry, None, [], None, policies.params)
    best = float("inf")
    findings = 0
    for _ in range(2):
        started = time.perf_counter()
        evaluation = run_rules(engine, policies, policy_input)
        best = min(best, time.perf_counter() - started)
        findings = len(evaluation.findings)
    return best, findings


@pytest.mark.parametrize("growth", sorted(GROWTHS))
def test_evaluation_grows_linearly(reference: Any, growth: str) -> None:
    small, found_small = _seconds(reference, GROWTHS[growth], SMALL)
    large, found_large = _seconds(reference, GROWTHS[growth], LARGE)
    baseline, _ = _seconds(reference, lambda registry, size: None, 0)
    # What the growth adds, past the fixed cost of judging the reference registry.
    ratio = max(large - baseline, 0.001) / max(small - baseline, 0.001)
    assert ratio < MOST_GROWTH or large < 1.0, f"{growth}: {SMALL} took {small:.2f} s, {LARGE} took {large:.2f} s"
    assert found_small == found_large  # the grown records are sound: the same findings
