"""`govlint policies` and `govlint explain`: the rules as their METADATA documents them."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import yaml

from govlint.catalog import PolicySet
from govlint.errors import GovlintError
from govlint.read import WorkingTree
from govlint.validate import SchemaSet


def _policies(repo: Path) -> PolicySet:
    tree = WorkingTree(repo)
    return PolicySet.load(tree, SchemaSet.load(tree))


def list_rules(repo: Path, out: TextIO) -> int:
    rules = sorted(_policies(repo).rules.values(), key=lambda r: r.id)
    width = max(len(rule.id) for rule in rules)
    for rule in rules:
        out.write(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.title}\n")
    return 0


def explain_rule(repo: Path, rule_id: str, out: TextIO) -> int:
    policies = _policies(repo)
    rule = policies.rules.get(rule_id.upper())
    if rule is None:
        raise GovlintError(f"no rule {rule_id!r}; `govlint policies` lists them")
    out.write(f"{rule.id}: {rule.title}\n")
    out.write(f"severity: {rule.severity}\n")
    out.write(f"defined in: {rule.file or 'govlint itself'}\n\n")
    out.write(f"{rule.description}\n")
    if rule.params:
        out.write("\nparameters (policies/params.yaml):\n")
        for key in rule.params:
            value = policies.params.get(key)
            shown = yaml.safe_dump({key: value}, sort_keys=False, default_flow_style=False).rstrip()
            out.write("  " + shown.replace("\n", "\n  ") + "\n")
    return 0
