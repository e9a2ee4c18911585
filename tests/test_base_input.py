"""What `input.base` holds in a pull request: every base department, and of the other kinds
only the records the change adds, modifies or removes and those they name. The rules must
judge every change exactly as they would with the whole base revision in hand."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import commit_all, govlint, reference_proposal, write
from govlint.changes import base_input, compute_changes
from govlint.check import CheckSettings, judge
from govlint.engines.embedded import EmbeddedEngine
from govlint.evaluate import PolicyInput, run_rules
from govlint.registry import KINDS, RecordMap, Registry
from test_parity import TODAY, _generated_registry, _Material


def _judged(root: Path) -> Any:
    return judge(CheckSettings(repo=root, base="main", today=TODAY))


def test_a_pull_request_hands_the_engine_only_the_base_it_touches(tmp_path: Path) -> None:
    root = reference_proposal(tmp_path / "repo")
    tool = root / "registry" / "tools" / "canvasly-design.yaml"
    tool.write_text(tool.read_text().replace("annual_cost: 9600", "annual_cost: 240000"))
    commit_all(root, "Canvasly costs more")
    judgement = _judged(root)
    base = judgement.policy_input.base
    whole = judgement.base_registry.as_input()
    assert base is not None and judgement.changes and [c.entity for c in judgement.changes] == ["tool/canvasly-design"]
    # Every department, for the line of authority.
    assert set(base["departments"]) == set(whole["departments"])
    # The changed tool, and only what it names among the other kinds.
    assert set(base["tools"]) == {"canvasly-design"}
    named = json.dumps(whole["tools"]["canvasly-design"])
    for key in ("data_domains", "vendors", "exceptions"):
        assert set(base[key]) == {i for i in whole[key] if f'"{i}"' in named}, key
    assert set(base["vendors"]), "the tool's vendor is named, so it is in the input"
    assert len(json.dumps({k: dict(v) for k, v in base.items()})) < len(json.dumps({k: dict(v) for k, v in whole.items()})) / 2


def test_params_can_ask_for_the_whole_base(tmp_path: Path) -> None:
    root = reference_proposal(tmp_path / "repo")
    params = root / "policies" / "params.yaml"
    params.write_text(params.read_text().replace("base_records: changed", "base_records: all"))
    commit_all(root, "rules that read the whole base")
    tool = root / "registry" / "tools" / "canvasly-design.yaml"
    tool.write_text(tool.read_text().replace("annual_cost: 9600", "annual_cost: 23000"))
    judgement = judge(CheckSettings(repo=root, base="HEAD", today=TODAY))
    base = judgement.policy_input.base
    assert base is not None
    whole = judgement.base_registry.as_input()
    assert {k: set(v) for k, v in base.items()} == {k: set(v) for k, v in whole.items()}


def test_an_own_rule_reading_other_base_records_sees_them_only_with_the_whole_base(tmp_path: Path) -> None:
    """An organisation's rule that reads an unchanged base record (here: counts the base's
    tools) is told by params.yaml; the check's verdict then follows the whole base."""
    root = reference_proposal(tmp_path / "repo")
    write(root / "policies" / "base_size.rego", """# METADATA
# title: The base is seen whole
# description: Counts the tools of the base revision.
# custom:
#   id: BASE-SIZE
#   severity: warning
package govlint.rules.base_size

import rego.v1

warn contains {"rule": "BASE-SIZE", "entity": "tool/canvasly-design", "message": sprintf("%d", [count(input.base.tools)])} if {
	input.mode == "change"
}
""")
    commit_all(root, "a rule reading the base")
    tool = root / "registry" / "tools" / "canvasly-design.yaml"
    tool.write_text(tool.read_text().replace("annual_cost: 9600", "annual_cost: 23000"))
    tools = len(list((root / "registry" / "tools").glob("*.yaml")))

    def seen() -> str:
        judgement = judge(CheckSettings(repo=root, base="HEAD", today=TODAY))
        return next(f.message for f in judgement.report.findings if f.rule == "BASE-SIZE")

    assert seen() == "1"
    params = root / "policies" / "params.yaml"
    params.write_text(params.read_text().replace("base_records: changed", "base_records: all"))
    commit_all(root, "the rule asks for the whole base")
    tool.write_text(tool.read_text().replace("annual_cost: 23000", "annual_cost: 24000"))
    assert seen() == str(tools)


def test_a_mistyped_base_records_setting_is_refused(tmp_path: Path) -> None:
    root = reference_proposal(tmp_path / "repo")
    params = root / "policies" / "params.yaml"
    params.write_text(params.read_text().replace("base_records: changed", "base_records: everything"))
    result = govlint("check", str(root), "--today", TODAY)
    assert result.exit_code == 2
    assert "policies/params.yaml" in result.stderr and "base_records" in result.stderr and "changed" in result.stderr


# Every change judged with part of the base and with all of it -----------------------------------


def _registry_of(records: dict[str, dict[str, Any]]) -> Registry:
    registry = Registry()
    for kind in KINDS:
        texts = {rid: json.dumps(record, sort_keys=True) for rid, record in records.get(kind.key, {}).items()}
        registry.records[kind.key] = RecordMap(texts)
        for rid, text in texts.items():
            registry.written[kind.entity(rid)] = text
    return registry


def _proposal(material: _Material, seed: int) -> dict[str, dict[str, Any]]:
    """The reference registry with records mutated and removed (as the parity test makes
    them), plus records added: a copied tool under a new id, and an exception waiving a rule
    for any entity."""
    rng = random.Random(seed)
    head = _generated_registry(material, seed, rng.choice([0.8, 0.95, 1.0]))
    tools = sorted(material.records["tools"])
    for number in range(rng.randint(0, 2)):
        copied = copy.deepcopy(material.records["tools"][rng.choice(tools)])
        copied["id"] = f"copied-{number}"
        head["tools"][copied["id"]] = copied
    if rng.random() < 0.5 and material.records["exceptions"]:
        exception = copy.deepcopy(rng.choice(list(material.records["exceptions"].values())))
        kind = rng.choice(["tools", "data_domains", "departments", "vendors"])
        entity_kind = {"tools": "tool", "data_domains": "data-domain", "departments": "department", "vendors": "vendor"}[kind]
        exception["id"] = "new-waiver"
        exception["entity"] = f"{entity_kind}/{rng.choice(sorted(material.records[kind]))}"
        head["exceptions"]["new-waiver"] = exception
    return head


@pytest.fixture(scope="module")
def material() -> _Material:
    return _Material()


@pytest.fixture(scope="module")
def engine(material: _Material) -> EmbeddedEngine:
    return EmbeddedEngine(material.policies.sources, timeout=None)


def _verdict(engine: EmbeddedEngine, material: _Material, policy_input: PolicyInput) -> Any:
    evaluation = run_rules(engine, material.policies, policy_input, with_approvals=True)
    findings = sorted((f.rule, f.severity, f.entity, f.message, f.path or "") for f in evaluation.findings)
    return findings, sorted(json.dumps(a, sort_keys=True) for a in evaluation.approvals_required)


@given(
    seed=st.integers(min_value=0, max_value=2**32),
    approvals=st.sampled_from([None, [], [{"by": "lena.brandt@alderridge.example"}]]),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_part_of_the_base_judges_every_change_as_the_whole_base_does(
    material: _Material, engine: EmbeddedEngine, seed: int, approvals: Any
) -> None:
    base = _registry_of(material.records)
    head = _registry_of(_proposal(material, seed))
    changes = compute_changes(base, head)

    def input_with(part: dict[str, RecordMap]) -> PolicyInput:
        return PolicyInput(
            mode="change", today=TODAY, registry=head.as_input(), base=part,
            changes=[change.to_json() for change in changes], approvals=approvals, params=material.policies.params,
        )

    assert _verdict(engine, material, input_with(base_input(base, head, changes))) == _verdict(
        engine, material, input_with(base_input(base, head, changes, whole=True))
    )

