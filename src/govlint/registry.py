"""The registry: the organisation's records, read strictly and validated, as policies see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govlint.cache import RecordCache, blob_id
from govlint.findings import Finding
from govlint.parse import YamlProblem, line_of, read_bytes
from govlint.read import Entry, Tree, refusal
from govlint.validate import SchemaSet, dotted

REGISTRY_FOLDER = "registry"


@dataclass(frozen=True)
class Kind:
    """A kind of record: its name in `kind:` and entities, its folder and its input key."""

    name: str
    folder: str
    key: str

    @property
    def schema(self) -> str:
        return f"{self.name}.schema.json"

    def file(self, record_id: str) -> str:
        return f"{REGISTRY_FOLDER}/{self.folder}/{record_id}.yaml"

    def entity(self, record_id: str) -> str:
        return f"{self.name}/{record_id}"


KINDS: tuple[Kind, ...] = (
    Kind("department", "departments", "departments"),
    Kind("tool", "tools", "tools"),
    Kind("data-domain", "data-domains", "data_domains"),
    Kind("vendor", "vendors", "vendors"),
    Kind("exception", "exceptions", "exceptions"),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS}


def entity_file(entity: str | None) -> str | None:
    """The file an entity (`tool/acme-bi`) is kept in, or None for something else."""
    if not entity or "/" not in entity:
        return None
    name, _, record_id = entity.partition("/")
    kind = KIND_BY_NAME.get(name)
    return kind.file(record_id) if kind and record_id else None


@dataclass
class Registry:
    """Records by kind and id, as the policies see them, and what reading them found."""

    records: dict[str, dict[str, Any]] = field(default_factory=lambda: {k.key: {} for k in KINDS})
    raw: dict[str, Any] = field(default_factory=dict)
    valid: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    def as_input(self) -> dict[str, dict[str, Any]]:
        return self.records

    def add(self, kind: Kind, stem: str, file: str, result: dict[str, Any]) -> None:
        """Take in one file's read result: its findings, and its record if it has one."""
        entity = kind.entity(stem)
        self.files.add(file)
        for rule, line, message, path in result["problems"]:
            self.findings.append(Finding(rule, "error", entity, file, line, message, path))
        record = result["record"]
        if record is None:
            return
        self.raw[entity] = record
        if not result["problems"]:
            self.valid.add(entity)
        self.records[kind.key][stem] = _pruned(record, set(result["bad"]))


def _layout(file: str, message: str, line: int | None = 1) -> Finding:
    return Finding("REGISTRY-LAYOUT", "error", None, file, line, message)


def _pruned(record: dict[str, Any], bad_fields: set[str]) -> dict[str, Any]:
    """The record without the top-level fields that break the schema."""
    if not bad_fields:
        return record
    return {key: value for key, value in record.items() if key not in bad_fields}


def load_registry(tree: Tree, schemas: SchemaSet, cache: RecordCache | None = None) -> Registry:
    """Read every record under registry/ of `tree`: strict YAML, then its kind's schema."""
    registry = Registry()
    seen: dict[tuple[str, str], str] = {}
    for entry in tree.entries(REGISTRY_FOLDER):
        parts = entry.path.split("/")
        refused = refusal(entry)
        if refused is not None:
            registry.findings.append(refused)
            continue
        kind = KIND_BY_FOLDER.get(parts[1]) if len(parts) > 1 else None
        if kind is None:
            if len(parts) == 2:
                what = "folder" if entry.type == "dir" else "file"
                folders = ", ".join(k.folder for k in KINDS)
                registry.findings.append(
                    _layout(
                        entry.path,
                        f"unknown {what} in registry/; expected only {folders}",
                        None if entry.type == "dir" else 1,
                    )
                )
            continue
        if entry.type == "dir":
            if len(parts) == 3:
                registry.findings.append(
                    _layout(entry.path, f"folders inside registry/{kind.folder}/ are not read", None)
                )
            continue
        if len(parts) != 3:
            continue
        if not parts[2].endswith(".yaml"):
            registry.findings.append(
                _layout(entry.path, f"registry/{kind.folder}/ holds only .yaml files; this one is not read")
            )
            continue
        stem = parts[2][: -len(".yaml")]
        twin = seen.setdefault((kind.name, stem.lower()), entry.path)
        if twin != entry.path:
            registry.findings.append(
                Finding(
                    "SCHEMA", "error", kind.entity(stem), entry.path, 1,
                    f"file name differs from {twin} only in case; ids must be unique whatever the case",
                    "id",
                )
            )
            continue
        registry.add(kind, stem, entry.path, _read_entry(tree, schemas, cache, kind, stem, entry))
    return registry


def _read_entry(
    tree: Tree, schemas: SchemaSet, cache: RecordCache | None, kind: Kind, stem: str, entry: Entry
) -> dict[str, Any]:
    """The cached result for this file's content, or a fresh one, cached."""
    if cache is None:
        return read_record(kind, stem, tree.read(entry.path), schemas)
    data = None
    if entry.blob_id is None:
        data = tree.read(entry.path)
    key = f"{kind.name}/{stem}:{entry.blob_id or blob_id(data or b'')}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = read_record(kind, stem, data if data is not None else tree.read(entry.path), schemas)
    cache.put(key, result)
    return result


def read_record(kind: Kind, stem: str, data: bytes, schemas: SchemaSet) -> dict[str, Any]:
    """One file read strictly and validated, as a JSON-able result (what the cache stores).

    `record` is the value read (None when unreadable), `problems` the findings as
    [rule, line, message, path], `bad` the top-level fields that break the schema.
    """
    try:
        record = read_bytes(data).value
    except YamlProblem as problem:
        return {"record": None, "problems": [["YAML", problem.line, problem.message, None]], "bad": []}
    if not isinstance(record, dict):
        shape = "a list" if isinstance(record, list) else "a single value"
        return {"record": None, "problems": [["SCHEMA", 1, f"a record must be a mapping of fields, not {shape}", None]], "bad": []}
    violations = schemas.violations(kind.schema, record)
    bad = {str(v.path[0]) for v in violations if v.path}
    problems: list[list[Any]] = []
    record_id = record.get("id")
    mismatch = isinstance(record_id, str) and record_id != stem
    if violations or mismatch:
        lines = read_bytes(data, record_lines=True).lines
        if mismatch:
            bad.add("id")
            problems.append(
                ["SCHEMA", line_of(lines, ("id",)), f"id '{record_id}' does not match the file name '{stem}.yaml'", "id"]
            )
        for violation in violations:
            line = line_of(lines, violation.path) if violation.path else lines.get(("id",), 1)
            problems.append(["SCHEMA", line, violation.message, dotted(violation.path) or None])
    return {"record": record, "problems": problems, "bad": sorted(bad)}
