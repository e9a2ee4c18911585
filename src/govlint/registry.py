"""The registry: the organisation's records, read strictly and validated, as policies see them."""

from __future__ import annotations

import multiprocessing
import os
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
    # Ids whose file exists but could not be read as a record: present, contents unknown.
    unreadable: dict[str, list[str]] = field(default_factory=lambda: {k.key: [] for k in KINDS})

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
            self.unreadable[kind.key].append(stem)
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
    wanted: list[tuple[Kind, str, Entry]] = []
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
        wanted.append((kind, stem, entry))
    for (kind, stem, entry), result in zip(wanted, _read_all(tree, schemas, cache, wanted)):
        registry.add(kind, stem, entry.path, result)
    return registry


def _read_all(
    tree: Tree, schemas: SchemaSet, cache: RecordCache | None, wanted: list[tuple[Kind, str, Entry]]
) -> list[dict[str, Any]]:
    """Each file's read result: from the cache when its content is known, else read afresh."""
    results: list[dict[str, Any] | None] = []
    misses: list[tuple[int, str | None, tuple[str, str, bytes]]] = []
    for kind, stem, entry in wanted:
        data = tree.read(entry.path) if cache is None or entry.blob_id is None else None
        key = None
        if cache is not None:
            key = f"{kind.name}/{stem}:{entry.blob_id or blob_id(data or b'')}"
            cached = cache.get(key)
            if cached is not None:
                results.append(cached)
                continue
        misses.append((len(results), key, (kind.name, stem, data if data is not None else tree.read(entry.path))))
        results.append(None)
    fresh = read_records([job for _, _, job in misses], schemas)
    for (index, key, _), result in zip(misses, fresh):
        results[index] = result
        if cache is not None and key is not None:
            cache.put(key, result)
    return [result for result in results if result is not None]


# Files are parsed and validated in worker processes when there are enough of them: the work
# is CPU-bound Python, and a large registry on a cold cache is where a check spends its time.
PARALLEL_MINIMUM = 400
_worker_schemas: SchemaSet | None = None


def _read_job(job: tuple[str, str, bytes]) -> dict[str, Any]:
    assert _worker_schemas is not None
    kind_name, stem, data = job
    return read_record(KIND_BY_NAME[kind_name], stem, data, _worker_schemas)


def read_records(jobs: list[tuple[str, str, bytes]], schemas: SchemaSet) -> list[dict[str, Any]]:
    global _worker_schemas
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_MINIMUM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [read_record(KIND_BY_NAME[kind], stem, data, schemas) for kind, stem, data in jobs]
    _worker_schemas = schemas  # inherited by the forked workers, never pickled
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_read_job, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
    finally:
        _worker_schemas = None


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
