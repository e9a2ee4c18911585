"""Evaluation: the policy input of a check, one engine run, and its deny/warn sets as findings."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from govlint.cache import EvaluationCache
from govlint.catalog import RULES_PACKAGE, PolicySet
from govlint.engines import Engine
from govlint.errors import GovlintError
from govlint.findings import Finding, Severity
from govlint.registry import entity_file, records_json

Mode = Literal["full", "change"]
# Above this many records the rule packages are evaluated in groups side by side, one per core.
PARALLEL_RECORDS = 3000


def rules_query(names: list[str]) -> str:
    """The deny and warn sets of the named rule packages only (each a package's path below
    govlint.rules, `tool_spend` or `team.tool_budget`), each named literally: only the deny
    and warn rules and what they read are evaluated, not a package's other rules. A
    package chosen through a variable, or `object.get(data.govlint.rules, [name, "deny"], [])`,
    makes both engines evaluate every package. Each set is read as a one-element array
    comprehension (empty where the package has no such rule), which both engines evaluate
    for that rule alone; `object.get(data.<package>, "deny", [])` would fail OPA's type
    checker for a package that defines functions. `_unwrap_group` takes the arrays apart."""
    entries = ",\n".join(
        f'"{name}": {{"deny": [s | s := data.{RULES_PACKAGE}.{name}.deny], '
        f'"warn": [s | s := data.{RULES_PACKAGE}.{name}.warn]}}'
        for name in names
    )
    return "{\n" + entries + "\n}"  # a line per package: regorus limits line length


def _unwrap_group(value: Any) -> Any:
    """A grouped query's answer with each [set] or [] as the set: {package path: {deny, warn}}."""
    if not isinstance(value, dict):
        return value
    unwrapped: dict[str, Any] = {}
    for package, sets in value.items():
        if not isinstance(sets, dict):
            unwrapped[package] = sets
            continue
        # An empty comprehension means the package has no such rule: no findings.
        unwrapped[package] = {
            name: found[0] if isinstance(found, list) and len(found) == 1 else []
            for name, found in sets.items()
        }
    return unwrapped


def rule_queries(policies: PolicySet, records: int, side_by_side: int = 1) -> list[str]:
    """One query for all rule packages; or, for a large registry on an engine that runs
    queries side by side, one query per worker, each for a share of them. The packages are
    shared out longest source first to the group with the least so far: the length of a
    rule's source stands in for its cost. Packages in one query share the indexes of lib/
    they read, computed once per query; a query per package would compute them over and
    over and fork a child for each."""
    prefix = RULES_PACKAGE + "."
    weight: dict[str, int] = {}
    for policy in policies.sources:
        if policy.package.startswith(prefix) and not policy.is_test:
            # The whole path: a package nested below another is a package of its own.
            name = policy.package[len(prefix):]
            weight[name] = weight.get(name, 0) + len(policy.text)
    if not weight:
        return []
    if records < PARALLEL_RECORDS or side_by_side < 2 or len(weight) < 2:
        return [rules_query(sorted(weight))]
    groups: list[list[str]] = [[] for _ in range(min(side_by_side, len(weight)))]
    loads = [0] * len(groups)
    for name in sorted(weight, key=lambda n: (-weight[n], n)):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += weight[name]
    return [rules_query(sorted(group)) for group in groups]


APPROVALS_QUERY = "data.govlint.approvals.required"
_SEVERITY: dict[str, Severity] = {"deny": "error", "warn": "warning"}


@dataclass(frozen=True)
class PolicyInput:
    """`input` as DESIGN section 4 fixes it."""

    mode: Mode
    today: str
    registry: Mapping[str, Mapping[str, Any]]
    base: Mapping[str, Mapping[str, Any]] | None
    changes: list[dict[str, Any]]
    approvals: list[dict[str, Any]] | None
    params: dict[str, Any]
    # Change mode: the files under policies/ and schemas/ the pull request changes, which
    # need the governance owners' approval.
    rule_changes: list[str] = field(default_factory=list)

    def to_json_text(self) -> str:
        """The input as JSON text, the registries put together from their records' text."""
        return (
            f'{{"mode":{json.dumps(self.mode)},"today":{json.dumps(self.today)},'
            f'"registry":{records_json(self.registry)},'
            f'"base":{"null" if self.base is None else records_json(self.base)},'
            f'"changes":{json.dumps(self.changes)},"approvals":{json.dumps(self.approvals)},'
            f'"params":{json.dumps(self.params)},"rule_changes":{json.dumps(self.rule_changes)}}}'
        )


class CachedEngine:
    """An engine whose answers are kept in an EvaluationCache: a check of a registry, date
    and approvals it has judged before with the same policies is not evaluated again."""

    def __init__(self, engine: Engine, cache: EvaluationCache, policies: PolicySet, engine_version: str) -> None:
        """`engine_version` names the engine's build: another build may answer otherwise."""
        self._engine = engine
        self.side_by_side = engine.side_by_side
        self._cache = cache
        self._version = engine_version
        self._policies = "\0".join(f"{p.path}\0{p.text}" for p in policies.sources)

    def evaluate(self, queries: Sequence[str], input: str, data: dict[str, Any]) -> list[Any]:
        key = self._cache.key(
            self._version, self._policies, "\0".join(queries), json.dumps(data, sort_keys=True), input
        )
        found = self._cache.get(key)
        if found is not None and len(found) == len(queries):
            return found
        values = self._engine.evaluate(queries, input, data)
        self._cache.put(key, values)
        return values


def policy_data(policies: PolicySet, unreadable: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What policies see under `data` besides themselves: the rule catalog, and the ids of
    records whose files exist but could not be read (so references to them are not unknown)."""
    return {"govlint": {"catalog": policies.catalog(), "unreadable": unreadable or {}}}


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation yields: the rules' findings and, when asked, required approvals."""

    findings: list[Finding]
    approvals_required: list[dict[str, Any]]


def run_rules(
    engine: Engine,
    policies: PolicySet,
    policy_input: PolicyInput,
    *,
    unreadable: dict[str, list[str]] | None = None,
    with_approvals: bool = False,
) -> Evaluation:
    """Evaluate every rule package once; findings carry their entity's file but no line yet."""
    records = sum(len(by_id) for by_id in policy_input.registry.values())
    queries = rule_queries(policies, records, engine.side_by_side)
    values = engine.evaluate(
        queries + ([APPROVALS_QUERY] if with_approvals else []),
        policy_input.to_json_text(),
        policy_data(policies, unreadable),
    )
    trees = [_unwrap_group(value) for value in values[: len(queries)]]
    findings = [f for tree in trees for f in findings_from_tree(tree, policies)]
    required = values[-1] if with_approvals and isinstance(values[-1], list) else []
    return Evaluation(findings, [r for r in required if isinstance(r, dict)])


def findings_from_tree(tree: Any, policies: PolicySet) -> list[Finding]:
    found: list[Finding] = []
    pending: list[tuple[str, Any]] = [(RULES_PACKAGE, tree)]
    while pending:
        package, node = pending.pop()
        if not isinstance(node, dict):
            continue
        for name, value in node.items():
            if name in _SEVERITY:
                found.extend(_findings_of(package, name, value, policies))
            elif isinstance(value, dict):
                pending.append((f"{package}.{name}", value))
    return found


def _findings_of(package: str, name: str, value: Any, policies: PolicySet) -> list[Finding]:
    source = policies.file_of_package(package) or f"package {package}"
    if not isinstance(value, list):
        raise GovlintError(f"policy {source}: `{name}` must be a set of findings, not {type(value).__name__}")
    severity = _SEVERITY[name]
    found = []
    for item in value:
        if not _is_finding(item):
            shown = json.dumps(item)[:120]
            raise GovlintError(
                f"policy {source}: `{name}` produced {shown}, not a finding object "
                '{"rule", "entity", "message", "path"?}'
            )
        found.append(
            Finding(
                rule=item["rule"],
                severity=severity,
                entity=item["entity"],
                file=entity_file(item["entity"]),
                line=None,
                message=item["message"],
                path=item.get("path") or None,
            )
        )
    return found


def _is_finding(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("rule"), str)
        and bool(item["rule"])
        and isinstance(item.get("entity"), str)
        and isinstance(item.get("message"), str)
        and isinstance(item.get("path", ""), (str, type(None)))
        and set(item) <= {"rule", "entity", "message", "path"}
    )
