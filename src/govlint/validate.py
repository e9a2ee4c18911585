"""JSON Schema validation of records, each schema compiled once, violations as field paths."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from govlint.cache import fingerprint
from govlint.errors import GovlintError
from govlint.findings import Finding
from govlint.parse import Path
from govlint.read import Tree, refusal

SCHEMA_FOLDER = "schemas"


@dataclass(frozen=True)
class Violation:
    """One way a record breaks its schema: the field it is about and a message."""

    path: Path
    message: str


def dotted(path: Path) -> str:
    return ".".join(str(part) for part in path)


def _describe(error: Any) -> list[Violation]:
    where = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = sorted(key for key in error.instance if key not in allowed)
        return [Violation(where + (key,), f"unknown field '{dotted(where + (key,))}'") for key in extras]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        field = dotted(where + (missing,))
        return [Violation(where, f"missing required field '{field}'")]
    prefix = f"{dotted(where)}: " if where else ""
    return [Violation(where, prefix + error.message)]


_ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default"})


def inline_refs(schema: Any, documents: dict[str, Any], current: str, seen: tuple[str, ...] = ()) -> Any:
    """The schema with every local or cross-file `$ref` replaced by its target.

    Resolving references once here, instead of on every validation, is most of the cost of
    validating a record. A recursive reference is left in place for the validator.
    """
    if isinstance(schema, list):
        return [inline_refs(item, documents, current, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name, _, pointer = ref.partition("#")
        name = name or current
        key = f"{name}#{pointer}"
        target = _resolve_pointer(documents.get(name), pointer)
        if target is not None and key not in seen:
            resolved = inline_refs(target, documents, name, seen + (key,))
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if isinstance(resolved, dict) and all(k in _ANNOTATIONS or k not in resolved for k in siblings):
                return {**resolved, **inline_refs(siblings, documents, current, seen)}
            return {**inline_refs(siblings, documents, current, seen), "allOf": [resolved]}
    return {key: inline_refs(value, documents, current, seen) for key, value in schema.items()}


def _resolve_pointer(document: Any, pointer: str) -> Any:
    node = document
    for part in [p for p in pointer.split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


class SchemaSet:
    """The schemas of one revision, keyed by file name, with a compiled validator each."""

    def __init__(self, schemas: dict[str, dict[str, Any]], fingerprint: str = "") -> None:
        self.fingerprint = fingerprint
        self.refused: list[Finding] = []
        resources = [
            (name, Resource.from_contents(body, default_specification=DRAFT202012))
            for name, body in schemas.items()
        ]
        registry: Registry = Registry().with_resources(resources)
        self._validators: dict[str, Draft202012Validator] = {}
        for name, body in schemas.items():
            try:
                Draft202012Validator.check_schema(body)
            except SchemaError as exc:
                raise GovlintError(f"{SCHEMA_FOLDER}/{name} is not a valid JSON Schema: {exc.message}") from None
            self._validators[name] = Draft202012Validator(
                inline_refs(body, schemas, name), registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )

    @classmethod
    def load(cls, tree: Tree) -> SchemaSet:
        schemas: dict[str, dict[str, Any]] = {}
        sources: dict[str, bytes] = {}
        refused: list[Finding] = []
        for entry in tree.entries(SCHEMA_FOLDER):
            refused_entry = refusal(entry)
            if refused_entry is not None:
                refused.append(refused_entry)
                continue
            if not entry.path.endswith(".json"):
                continue
            sources[entry.path] = tree.read(entry.path)
            try:
                body = json.loads(sources[entry.path])
            except (ValueError, UnicodeDecodeError) as exc:
                raise GovlintError(f"{entry.path} is not valid JSON: {exc}") from None
            if not isinstance(body, dict):
                raise GovlintError(f"{entry.path} is not a JSON Schema object")
            schemas[entry.path.rsplit("/", 1)[-1]] = body
        if not schemas:
            raise GovlintError(
                f"no JSON Schemas in {SCHEMA_FOLDER}/ of the {tree.label}; "
                "is this a governance repository? (govlint init DIR creates one)"
            )
        loaded = cls(schemas, fingerprint(sources))
        loaded.refused = refused
        return loaded

    def has(self, name: str) -> bool:
        return name in self._validators

    def violations(self, name: str, instance: Any) -> list[Violation]:
        validator = self._validators.get(name)
        if validator is None:
            raise GovlintError(f"{SCHEMA_FOLDER}/{name} is missing")
        found: list[Violation] = []
        for error in validator.iter_errors(instance):
            found.extend(_describe(error))
        return found
