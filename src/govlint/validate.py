"""JSON Schema validation of records, each schema compiled once, violations as field paths."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterator

from govlint.cache import CheckedSchemas, fingerprint
from govlint.errors import GovlintError
from govlint.findings import Finding
from govlint.parse import Path
from govlint.read import Tree, refusal
from govlint.suggest import did_you_mean

SCHEMA_FOLDER = "schemas"


@dataclass(frozen=True)
class Violation:
    """One way a record breaks its schema: the field it is about and a message."""

    path: Path
    message: str
    # The field must be a string and holds something else: a plain scalar's text may do.
    wants_string: bool = False
    # The JSON Schema keyword that failed (`type`, `pattern`, ...).
    keyword: str = ""


def dotted(path: Path) -> str:
    return ".".join(str(part) for part in path)


def _describe(error: Any) -> list[Violation]:
    where = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = sorted(key for key in error.instance if key not in allowed)
        return [
            Violation(
                where + (key,),
                f"unknown field '{dotted(where + (key,))}'{did_you_mean(str(key), allowed - set(error.instance))}",
                keyword="additionalProperties",
            )
            for key in extras
        ]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        field = dotted(where + (missing,))
        return [Violation(where, f"missing required field '{field}'", keyword="required")]
    prefix = f"{dotted(where)}: " if where else ""
    expected = error.validator_value if error.validator == "type" else None
    wants_string = expected == "string" or isinstance(expected, list) and "string" in expected
    message = error.message
    if error.validator in ("enum", "const"):
        message = _not_one_of(error.instance, error.validator_value if error.validator == "enum" else [error.validator_value])
    elif error.validator == "format" and error.validator_value == "date":
        message = f"{error.instance!r} is not a date written YYYY-MM-DD between {EARLIEST_DATE} and {LATEST_DATE}"
    return [Violation(where, prefix + message, wants_string, str(error.validator))]


def _not_one_of(instance: Any, options: Any) -> str:
    """'x' is not one of the allowed values, naming them and the nearest one to a typo."""
    if not isinstance(options, list):
        return f"{instance!r} is not allowed"
    allowed = ", ".join(json.dumps(option) for option in options)
    if len(options) == 1:
        return f"{instance!r} is not allowed; it must be {allowed}"
    hint = did_you_mean(instance, [o for o in options if isinstance(o, str)]) if isinstance(instance, str) else ""
    return f"{instance!r} is not one of {allowed}{hint}"


_ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default"})

# A predicate that answers "certainly valid" quickly; False means "ask jsonschema".
Check = Callable[[Any], bool]
# Keywords that say nothing about validity.
_IGNORED = _ANNOTATIONS | {"$schema", "$defs", "$id", "$anchor"}


class Unsupported(Exception):
    """The schema uses something the fast check does not model: jsonschema judges alone."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or float(v).is_integer()),
}


def _plain(value: Any) -> bool:
    """A value whose equality means the same to Python and to JSON Schema: no floats or
    booleans that Python would equate with integers."""
    return value is None or isinstance(value, (str, int)) and not isinstance(value, bool)


def _same(one: Any, two: Any) -> bool | None:
    """JSON Schema equality where it is plain; None where jsonschema should decide."""
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if _plain(one) and _plain(two):
        return bool(one == two)
    if isinstance(one, bool) and isinstance(two, bool):
        return one is two
    return None


def compile_check(schema: Any) -> Check:
    """A predicate true only for instances `schema` accepts, for the keywords govlint's
    schemas use; raises Unsupported for any other. Validating a valid record this way costs
    a fraction of jsonschema's walk; any instance it does not pass is left to jsonschema,
    which also writes every message."""
    if schema is True or schema == {}:
        return lambda value: True
    if schema is False:
        return lambda value: False
    if not isinstance(schema, dict):
        raise Unsupported(repr(schema))
    checks = [
        _keyword_check(keyword, argument, schema) for keyword, argument in schema.items() if keyword not in _IGNORED
    ]
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _keyword_check(keyword: str, argument: Any, schema: dict[str, Any]) -> Check:
    if keyword == "type":
        names = argument if isinstance(argument, list) else [argument]
        if not all(name in _TYPES for name in names):
            raise Unsupported(f"type {argument!r}")
        tests = [_TYPES[name] for name in names]
        return lambda value: any(test(value) for test in tests)
    if keyword in ("enum", "const"):
        options = argument if keyword == "enum" else [argument]
        if not isinstance(options, list):
            raise Unsupported(keyword)
        return lambda value: any(_same(value, option) is True for option in options)
    if keyword == "pattern":
        compiled = compile_pattern(argument)
        return lambda value: not isinstance(value, str) or compiled.search(value) is not None
    if keyword == "format":
        if argument not in ("date", "email"):
            raise Unsupported(f"format {argument!r}")
        return _FORMATS[argument]
    if keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        sized = {"L": str, "I": list, "P": dict}[keyword[3]]
        limit = argument
        if keyword.startswith("min"):
            return lambda value: not isinstance(value, sized) or len(value) >= limit
        return lambda value: not isinstance(value, sized) or len(value) <= limit
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = argument
        compare: Check = {
            "minimum": lambda v: v >= bound,
            "maximum": lambda v: v <= bound,
            "exclusiveMinimum": lambda v: v > bound,
            "exclusiveMaximum": lambda v: v < bound,
        }[keyword]
        return lambda value: not _is_number(value) or compare(value)
    if keyword == "required":
        required = tuple(argument)
        return lambda value: not isinstance(value, dict) or all(name in value for name in required)
    if keyword == "properties":
        fields = {name: compile_check(sub) for name, sub in argument.items()}
        return lambda value: not isinstance(value, dict) or all(
            fields[name](item) for name, item in value.items() if name in fields
        )
    if keyword == "additionalProperties":
        if "patternProperties" in schema:
            raise Unsupported(keyword)
        known = set(schema.get("properties", {}))
        extra = compile_check(argument)
        return lambda value: not isinstance(value, dict) or all(
            extra(item) for name, item in value.items() if name not in known
        )
    if keyword == "propertyNames":
        name_check = compile_check(argument)
        return lambda value: not isinstance(value, dict) or all(name_check(name) for name in value)
    if keyword == "items":
        item_check = compile_check(argument)
        return lambda value: not isinstance(value, list) or all(item_check(item) for item in value)
    if keyword == "uniqueItems":
        return _unique if argument is True else (lambda value: True)
    if keyword == "allOf":
        parts = [compile_check(sub) for sub in argument]
        return lambda value: all(part(value) for part in parts)
    if keyword == "not":
        # Negation turns "not certainly valid" into "certainly valid", so it is modelled only
        # over keywords whose checks above are exact both ways (params.schema.json's
        # `not: {pattern}` keeps a second `*` out of an attestation path).
        if not isinstance(argument, dict) or not set(argument) <= _EXACT_KEYWORDS:
            raise Unsupported(keyword)
        inner = compile_check(argument)
        return lambda value: not inner(value)
    raise Unsupported(keyword)


# The keywords whose fast checks answer exactly what jsonschema would, valid and invalid alike.
_EXACT_KEYWORDS = frozenset({
    "type", "pattern", "required", "minLength", "maxLength", "minItems", "maxItems",
    "minProperties", "maxProperties", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
})


def ecma_pattern(pattern: str) -> str:
    """`pattern` with each `$` anchor written `\\Z`, so Python reads it as JSON Schema means it.

    JSON Schema patterns are ECMA-262 regular expressions, where `$` matches only at the end
    of the text. In Python `$` also matches before a final newline, so `^[a-z0-9-]+$` would
    let the id `bastion-endpoint\\n` through; `\\Z` is Python's end of the text.
    """
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(ecma_pattern(pattern))


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """jsonschema's `pattern` keyword with the ECMA-262 meaning of `$` (see ecma_pattern)."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not compile_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# The dates a record may hold. Policies hand dates to Rego's time built-ins, which fail on
# both engines (regorus and OPA) outside 1677-09-22 .. 2262-04-11, the span of nanoseconds
# since 1970 in 64 bits; this range stays well inside it, so a rule adding years to a date
# cannot fall off either end, and a date outside it is a SCHEMA finding at its line.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _is_date(value: Any) -> bool:
    """jsonschema's `date` format for ASCII digits only, within EARLIEST_DATE .. LATEST_DATE."""
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        return EARLIEST_DATE <= date.fromisoformat(value) <= LATEST_DATE
    except ValueError:
        return False


def _format_checker() -> Any:
    """JSON Schema 2020-12's format checker with govlint's `date`: ASCII digits, in range."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(())
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("date")(_is_date)
    return checker


def _validator_class() -> Any:
    """Draft 2020-12 with `pattern` read as ECMA-262 reads it."""
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    return extend(Draft202012Validator, {"pattern": _pattern_keyword})


_FORMATS: dict[str, Check] = {
    "date": _is_date,
    "email": lambda value: not isinstance(value, str) or "@" in value,
}


def _has_float(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _unique(value: Any) -> bool:
    if not isinstance(value, list):
        return True
    if all(isinstance(item, str) for item in value):
        return len(set(value)) == len(value)
    # 1 and 1.0 are equal to JSON Schema but not as JSON text: floats are left to jsonschema.
    if _has_float(value):
        return False
    try:
        keys = {json.dumps(item, sort_keys=True) for item in value}
    except (TypeError, ValueError):
        return False
    return len(keys) == len(value)


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
    """The schemas of one revision, keyed by file name. Each is compiled (a jsonschema
    validator and a fast check) the first time a record of its kind needs validating: a run
    whose records all come from the cache never loads jsonschema."""

    def __init__(self, schemas: dict[str, dict[str, Any]], fingerprint: str = "", *, checked: bool = False) -> None:
        """`checked`: these exact schemas already passed the metaschema check."""
        self.fingerprint = fingerprint
        self.refused: list[Finding] = []
        self._schemas = schemas
        self._inlined_schemas: dict[str, Any] = {}
        self._registry: Any = None
        self._validators: dict[str, Any] = {}
        self._checks: dict[str, Check | None] = {}
        if not checked:
            from jsonschema import Draft202012Validator
            from jsonschema.exceptions import SchemaError

            for name, body in schemas.items():
                try:
                    Draft202012Validator.check_schema(body)
                except SchemaError as exc:
                    raise GovlintError(f"{SCHEMA_FOLDER}/{name} is not a valid JSON Schema: {exc.message}") from None

    def _inlined(self, name: str) -> Any:
        if name not in self._schemas:
            raise GovlintError(f"{SCHEMA_FOLDER}/{name} is missing")
        if name not in self._inlined_schemas:
            self._inlined_schemas[name] = inline_refs(self._schemas[name], self._schemas, name)
        return self._inlined_schemas[name]

    def prepare(self) -> None:
        """Compile every schema now, before worker processes are forked to share them."""
        for name in self._schemas:
            self.check_of(name)
            self.validator_of(name)

    def validator_of(self, name: str) -> Any:
        """jsonschema's validator, built on first use."""
        if name not in self._validators:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            if self._registry is None:
                resources = [
                    (key, Resource.from_contents(body, default_specification=DRAFT202012))
                    for key, body in self._schemas.items()
                ]
                self._registry = Registry().with_resources(resources)
            self._validators[name] = _validator_class()(
                self._inlined(name), registry=self._registry, format_checker=_format_checker()
            )
        return self._validators[name]

    def check_of(self, name: str) -> Check | None:
        """The fast check, built on first use; None when the schema uses what it cannot model."""
        if name not in self._checks:
            inlined = self._inlined(name)
            try:
                self._checks[name] = compile_check(inlined)
            except (Unsupported, re.error, TypeError, AttributeError, KeyError):
                self._checks[name] = None  # jsonschema alone judges this schema
        return self._checks[name]

    @classmethod
    def load(cls, tree: Tree, checked: CheckedSchemas | None = None) -> SchemaSet:
        """The schemas of `tree`; `checked` remembers sets that passed the metaschema check,
        which costs more than validating a thousand records."""
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
                "is this a governance repository? It needs policies/, schemas/ and registry/"
            )
        digest = fingerprint(sources)
        already = checked is not None and checked.has(digest)
        loaded = cls(schemas, digest, checked=already)
        if checked is not None and not already:
            checked.add(digest)
        loaded.refused = refused
        return loaded

    def has(self, name: str) -> bool:
        return name in self._schemas

    def violations(self, name: str, instance: Any) -> list[Violation]:
        check = self.check_of(name)
        if check is not None and check(instance):
            return []
        found: list[Violation] = []
        for error in self.validator_of(name).iter_errors(instance):
            found.extend(_describe(error))
        return found
