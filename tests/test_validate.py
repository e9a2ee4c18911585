"""The fast validity check compiled from a schema never passes what jsonschema rejects.

A record it passes skips jsonschema altogether, so it must be exact in that direction; a
record it does not pass is left to jsonschema, which writes the messages.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import ROOT
from govlint.parse import read_bytes
from govlint.read import WorkingTree
from govlint.registry import KIND_BY_FOLDER
from govlint.validate import SchemaSet, Unsupported, compile_check

SCHEMAS = SchemaSet.load(WorkingTree(ROOT))
RECORDS: list[tuple[str, dict[str, Any]]] = [
    (KIND_BY_FOLDER[path.parent.name].schema, read_bytes(path.read_bytes()).value)
    for path in sorted((ROOT / "registry").glob("*/*.yaml"))
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "x", "2026-01-05", "2026-13-45", "a@b.example", "not an email", "adopt", "it", "USD"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "email", "x"]), inner, max_size=3),
    max_leaves=6,
)


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_of(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_of(item, prefix + (index,))
    return found


def mutate(record: dict[str, Any], path: tuple[Any, ...], action: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    if not path:
        return changed
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    elif action == "extra" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent[last] = value
    return changed


@settings(max_examples=400, deadline=None)
@given(
    pick=st.integers(min_value=0),
    where=st.integers(min_value=0),
    action=st.sampled_from(["set", "delete", "duplicate", "extra"]),
    value=json_values,
)
def test_the_fast_check_never_passes_what_jsonschema_rejects(pick: int, where: int, action: str, value: Any) -> None:
    schema_name, record = RECORDS[pick % len(RECORDS)]
    paths = paths_of(record)
    changed = mutate(record, paths[where % len(paths)], action, value)
    check = SCHEMAS.check_of(schema_name)
    validator = SCHEMAS.validator_of(schema_name)
    assert check is not None
    if check(changed):
        assert validator.is_valid(changed), list(validator.iter_errors(changed))[:1]


def test_every_reference_schema_has_a_fast_check_that_passes_the_reference_records() -> None:
    for name, record in RECORDS:
        check = SCHEMAS.check_of(name)
        assert check is not None and check(record), name


def test_the_reference_params_pass_the_fast_check() -> None:
    """A check with nothing cached then never builds a jsonschema validator for params.yaml."""
    check = SCHEMAS.check_of("params.schema.json")
    assert check is not None and check(yaml.safe_load((ROOT / "policies" / "params.yaml").read_text()))


@pytest.mark.parametrize(
    ("schema", "instance", "valid"),
    [
        ({"type": "integer"}, 3.0, True),
        ({"type": "integer"}, True, False),
        ({"type": "number"}, False, False),
        ({"enum": [1]}, True, False),
        ({"enum": [1]}, 1, True),
        ({"const": "a"}, "a", True),
        ({"uniqueItems": True}, [1, True], True),
        ({"uniqueItems": True}, ["a", "a"], False),
        ({"uniqueItems": True}, [{"a": 1}, {"a": 1}], False),
        ({"format": "date"}, "2026-02-30", False),
        ({"format": "date"}, "2026-02-28", True),
        ({"format": "date"}, "２０２６-０１-０５", False),
        ({"format": "email"}, "someone", False),
        ({"format": "date"}, 5, True),
        ({"pattern": "^a"}, "ba", False),
        ({"type": "object", "additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2}, False),
        ({"propertyNames": {"pattern": "^[a-z]+$"}}, {"A": 1}, False),
        ({"minProperties": 1}, {}, False),
        ({"exclusiveMinimum": 0}, 0, False),
        ({"not": {"pattern": "\\*.*\\*"}}, "approvals.*.by", True),
        ({"not": {"pattern": "\\*.*\\*"}}, "a.*.b.*", False),
        ({"not": {"pattern": "\\*.*\\*"}}, 5, False),
        ({"not": {"type": "string", "minLength": 2}}, "a", True),
    ],
)
def test_the_fast_check_agrees_with_jsonschema_on_the_edges(schema: dict[str, Any], instance: Any, valid: bool) -> None:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert validator.is_valid(instance) is valid
    # The fast check may only be stricter: where jsonschema says invalid, so must it.
    passed = compile_check(schema)(instance)
    assert passed is valid or (passed is False and valid)


def test_floats_in_unique_lists_are_left_to_jsonschema() -> None:
    """1 and 1.0 are the same item to JSON Schema; the fast check does not guess."""
    assert compile_check({"uniqueItems": True})([{"a": 1}, {"a": 1.0}]) is False
    assert not Draft202012Validator({"uniqueItems": True}).is_valid([{"a": 1}, {"a": 1.0}])


@pytest.mark.parametrize(
    "schema",
    [{"oneOf": [{}]}, {"format": "uri"}, {"$dynamicRef": "#x"}, {"type": "int"},
     # Negating a check that may only be stricter than jsonschema would let invalid through.
     {"not": {"format": "date"}}, {"not": {"enum": [1]}}, {"not": {"uniqueItems": True}}],
)
def test_keywords_it_does_not_model_leave_the_schema_to_jsonschema(schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        compile_check(schema)


def test_a_schema_with_such_a_keyword_is_still_validated(tmp_path: Path) -> None:
    schemas = SchemaSet({"tool.schema.json": {"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}})
    assert schemas.check_of("tool.schema.json") is None
    assert schemas.violations("tool.schema.json", {"c": 1})
    assert schemas.violations("tool.schema.json", {"a": 1}) == []
