"""The policies of one revision: their Rego files, the rules their METADATA documents, and params.

regorus has no `rego.metadata.*`, so govlint reads the `# METADATA` comment blocks itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

import yaml

from govlint.errors import GovlintError
from govlint.findings import BUILTIN_RULES, Finding
from govlint.parse import YamlProblem, line_of, read_bytes
from govlint.purity import refuse_impure_policy
from govlint.read import Tree, refusal
from govlint.validate import SCHEMA_FOLDER, SchemaSet

POLICY_FOLDER = "policies"
PARAMS_FILE = f"{POLICY_FOLDER}/params.yaml"
PARAMS_SCHEMA = "params.schema.json"
RULES_PACKAGE = "govlint.rules"

_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)", re.MULTILINE)


@dataclass(frozen=True)
class Rule:
    """A rule as its METADATA documents it."""

    id: str
    title: str
    description: str
    severity: str
    params: tuple[str, ...] = ()
    file: str | None = None
    package: str | None = None


@dataclass(frozen=True)
class PolicyFile:
    """One Rego source file."""

    path: str
    text: str
    package: str

    @property
    def is_test(self) -> bool:
        return self.path.endswith("_test.rego")


# PyYAML's C loader where it is built (it reads the same YAML, ten times faster).
_METADATA_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def metadata_blocks(text: str) -> list[tuple[int, dict[str, Any]]]:
    """Every `# METADATA` block of a Rego file, with the 1-based line it starts on."""
    blocks: list[tuple[int, dict[str, Any]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != "# METADATA":
            index += 1
            continue
        start = index + 1
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].lstrip().startswith("#"):
            comment = lines[index].lstrip()[1:]
            body.append(comment[1:] if comment.startswith(" ") else comment)
            index += 1
        try:
            parsed = yaml.load("\n".join(body), Loader=_METADATA_LOADER)
        except yaml.YAMLError:
            parsed = None
        if isinstance(parsed, dict):
            blocks.append((start, parsed))
    return blocks


def _rules_of(policy: PolicyFile) -> list[Rule]:
    rules = []
    for _, block in metadata_blocks(policy.text):
        custom = block.get("custom")
        if not isinstance(custom, dict) or not isinstance(custom.get("id"), str):
            continue
        params = custom.get("params") or []
        rules.append(
            Rule(
                id=custom["id"],
                title=str(block.get("title", custom["id"])),
                description=" ".join(str(block.get("description", "")).split()),
                severity=str(custom.get("severity", "error")),
                params=tuple(str(p) for p in params) if isinstance(params, list) else (),
                file=policy.path,
                package=policy.package,
            )
        )
    return rules


class PolicySet:
    """The Rego files, rule catalog and params that judge a registry."""

    def __init__(self, files: list[PolicyFile], params: dict[str, Any], refused: list[Finding] | None = None) -> None:
        self.files = files
        self.refused = refused or []
        self.params = params
        self.rules: dict[str, Rule] = {
            rule_id: Rule(rule_id, info["title"], info["description"], info["severity"])
            for rule_id, info in BUILTIN_RULES.items()
        }
        for policy in files:
            for rule in _rules_of(policy):
                self.rules.setdefault(rule.id, rule)

    @property
    def sources(self) -> list[PolicyFile]:
        """The policy files a check evaluates: every one but the tests."""
        return [policy for policy in self.files if not policy.is_test]

    def file_of_package(self, package: str) -> str | None:
        for policy in self.files:
            if policy.package == package:
                return policy.path
        return None

    def catalog(self) -> dict[str, Any]:
        """What policies see as `data.govlint.catalog`."""
        return {
            "rules": {
                rule.id: {"title": rule.title, "severity": rule.severity}
                for rule in sorted(self.rules.values(), key=lambda r: r.id)
            }
        }

    @classmethod
    def load(cls, tree: Tree, schemas: SchemaSet) -> PolicySet:
        files, refused = read_policy_files(tree)
        if not any(not policy.is_test for policy in files):
            raise GovlintError(
                f"no Rego policies in {POLICY_FOLDER}/ of the {tree.label}; "
                "is this a governance repository? It needs policies/, schemas/ and registry/"
            )
        rules = [rule for policy in files if not policy.is_test for rule in _rules_of(policy)]
        return cls(files, load_params(tree, schemas, rules), refused)


def read_policy_files(tree: Tree) -> tuple[list[PolicyFile], list[Finding]]:
    """Every .rego file under policies/, tests included, each with its package name; and
    findings for the entries refused (symlinks), which are never read. A policy calling an
    impure built-in (purity.py) stops the loading."""
    files: list[PolicyFile] = []
    refused: list[Finding] = []
    for entry in tree.entries(POLICY_FOLDER):
        refused_entry = refusal(entry)
        if refused_entry is not None:
            refused.append(refused_entry)
            continue
        if not entry.path.endswith(".rego"):
            continue
        try:
            text = tree.read(entry.path).decode("utf-8")
        except UnicodeDecodeError:
            raise GovlintError(f"{entry.path} is not UTF-8") from None
        refuse_impure_policy(entry.path, text)
        match = _PACKAGE.search(text)
        if match is None:
            raise GovlintError(f"{entry.path} does not declare a package")
        files.append(PolicyFile(entry.path, text, match.group(1)))
    return files, refused


def load_params(tree: Tree, schemas: SchemaSet, rules: Iterable[Rule] = ()) -> dict[str, Any]:
    """policies/params.yaml, read strictly and validated; a broken one stops the check.

    `rules` declare in their METADATA (`custom.params`) the parameters they read. A rule
    whose parameter is absent would otherwise be silently off (a Rego reference to a missing
    key is undefined, so its conditions never hold), so a declared parameter that is missing
    or breaks schemas/params.schema.json stops the check with the rule and the parameter named.
    """
    readers: dict[str, list[str]] = {}
    for rule in rules:
        for name in rule.params:
            readers.setdefault(name, []).append(rule.id)
    if not tree.exists(PARAMS_FILE):
        if readers:
            name = sorted(readers)[0]
            raise GovlintError(f"{_declared(readers, name)}, but there is no {PARAMS_FILE}")
        return {}
    try:
        document = read_bytes(tree.read(PARAMS_FILE), record_lines=True)
    except YamlProblem as problem:
        raise GovlintError(f"{PARAMS_FILE}:{problem.line}: {problem.message}") from None
    params = document.value
    if not isinstance(params, dict):
        raise GovlintError(f"{PARAMS_FILE}:1: params must be a mapping")
    if schemas.has(PARAMS_SCHEMA):
        violations = schemas.violations(PARAMS_SCHEMA, params)
        if violations:
            # A violation in a parameter some rule reads is reported first, naming the rule.
            violations.sort(key=lambda v: not (v.path and str(v.path[0]) in readers))
            first = violations[0]
            line = line_of(document.lines, first.path) if first.path else 1
            more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
            reader = f" ({_declared(readers, str(first.path[0]))})" if first.path and str(first.path[0]) in readers else ""
            # A new parameter must be described in the schema before params.yaml may set it.
            fix = f"; describe it in {SCHEMA_FOLDER}/{PARAMS_SCHEMA}" if first.keyword == "additionalProperties" and len(first.path) == 1 else ""
            raise GovlintError(f"{PARAMS_FILE}:{line}: {first.message}{fix}{reader}{more}")
    for name in sorted(readers):
        if name not in params:
            raise GovlintError(
                f"{_declared(readers, name)}, which {PARAMS_FILE} does not set; "
                f"add it there and describe it in {SCHEMA_FOLDER}/{PARAMS_SCHEMA}"
            )
    return params


def _declared(readers: dict[str, list[str]], name: str) -> str:
    """'rule X declares parameter 'p'' for the error messages about a parameter."""
    rules = readers[name]
    who = f"rule {rules[0]}" if len(rules) == 1 else "rules " + ", ".join(rules)
    return f"{who} declares parameter '{name}' (METADATA custom.params)"

