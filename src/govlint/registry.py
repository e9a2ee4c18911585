"""The registry: the organisation's records, read strictly and validated, as policies see them.

Records travel as JSON text: the cache stores them so, the policy input is put together from
them without encoding them again, and a record is decoded only when Python code reads it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Iterator

from govlint.cache import RecordCache, blob_id
from govlint.findings import Finding
from govlint.parse import MAX_BYTES, Path, YamlProblem, describe_out_of_range, line_of, read_bytes, too_large
from govlint.read import Entry, FileTooLarge, Tree, refusal
from govlint.validate import SchemaSet, Violation, dotted

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
    """The file an entity (`tool/acme-bi`) is kept in, or None for something else. A rule file
    changed by a pull request is the entity `policy/<path>`, kept in that path."""
    if not entity or "/" not in entity:
        return None
    name, _, record_id = entity.partition("/")
    if name == "policy":
        return record_id or None
    kind = KIND_BY_NAME.get(name)
    return kind.file(record_id) if kind and record_id else None


class RecordMap(Mapping[str, dict[str, Any]]):
    """The records of one kind by id, kept as JSON text and decoded on first access: the
    policy input is assembled from the text, and Python decodes only the records it reads."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self.texts: dict[str, str] = texts if texts is not None else {}
        self._decoded: dict[str, dict[str, Any]] = {}

    def __getitem__(self, record_id: str) -> dict[str, Any]:
        found = self._decoded.get(record_id)
        if found is None:
            found = json.loads(self.texts[record_id])
            self._decoded[record_id] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    def to_json(self) -> str:
        return "{" + ",".join(f"{_json_key(key)}:{text}" for key, text in self.texts.items()) + "}"


_PLAIN_KEY = re.compile(r"[A-Za-z0-9._-]*\Z")


def _json_key(key: str) -> str:
    """A record id as a JSON string: written directly when it needs no escaping."""
    return f'"{key}"' if _PLAIN_KEY.match(key) else json.dumps(key)


def records_json(registry: Mapping[str, Mapping[str, Any]]) -> str:
    """Records by kind and id as JSON text, each RecordMap from the text it already holds."""
    parts = []
    for key, records in registry.items():
        text = records.to_json() if isinstance(records, RecordMap) else encode(dict(records))
        parts.append(f"{_json_key(key)}:{text}")
    return "{" + ",".join(parts) + "}"


def encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Registry:
    """Records by kind and id, as the policies see them, and what reading them found."""

    records: dict[str, RecordMap] = field(default_factory=lambda: {k.key: RecordMap() for k in KINDS})
    # Each record as written, bad fields included, by entity: what a change is judged on.
    written: dict[str, str] = field(default_factory=dict)
    # The `id` a record gives itself where it differs from its file's stem.
    own_ids: dict[str, str] = field(default_factory=dict)
    valid: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    # Ids whose file exists but could not be read as a record: present, contents unknown.
    unreadable: dict[str, list[str]] = field(default_factory=lambda: {k.key: [] for k in KINDS})
    # The git blob id of each file's content, where it was known or computed for the cache.
    blob_ids: dict[str, str] = field(default_factory=dict)

    def as_input(self) -> dict[str, RecordMap]:
        return self.records

    def add(self, kind: Kind, stem: str, file: str, result: dict[str, Any]) -> None:
        """Take in one file's read result: its findings, and its record if it has one."""
        entity = kind.entity(stem)
        self.files.add(file)
        for rule, line, message, path in result["problems"]:
            self.findings.append(Finding(rule, "error", entity, file, line, message, path))
        text = result["record"]
        if text is None:
            self.unreadable[kind.key].append(stem)
            return
        self.written[entity] = text
        if isinstance(result["id"], str) and result["id"] != stem:
            self.own_ids[entity] = result["id"]
        if not result["problems"]:
            self.valid.add(entity)
        bad = set(result["bad"])
        if bad:
            text = encode({key: value for key, value in json.loads(text).items() if key not in bad})
        self.records[kind.key].texts[stem] = text


def _layout(file: str, message: str, line: int | None = 1) -> Finding:
    return Finding("REGISTRY-LAYOUT", "error", None, file, line, message)


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
    for (kind, stem, entry), (result, content_id) in zip(wanted, _read_all(tree, schemas, cache, wanted)):
        registry.add(kind, stem, entry.path, result)
        if content_id is not None:
            registry.blob_ids[entry.path] = content_id
    if not registry.files:
        # Every rule passes vacuously on no records: say so rather than pass quietly.
        registry.findings.append(Finding(
            "REGISTRY-EMPTY", "warning", None, REGISTRY_FOLDER, None,
            "the registry holds no records, so no rule had anything to judge; add records under "
            "registry/ (`govlint new department`) or check the folder you meant",
        ))
    return registry


def _read_all(
    tree: Tree, schemas: SchemaSet, cache: RecordCache | None, wanted: list[tuple[Kind, str, Entry]]
) -> list[tuple[dict[str, Any], str | None]]:
    """Each file's read result, from the cache when its content is known, else read afresh;
    and its content's blob id where it was known or computed (None without a cache)."""
    results: list[tuple[dict[str, Any] | None, str | None]] = []
    misses: list[tuple[int, str | None, tuple[str, str, bytes]]] = []
    for kind, stem, entry in wanted:
        key = content_id = None
        try:
            # A file whose blob id is known is read only if the cache cannot answer for it.
            data = tree.read(entry.path, MAX_BYTES) if cache is None or entry.blob_id is None else None
            if cache is not None:
                content_id = entry.blob_id or blob_id(data or b"")
                key = f"{kind.name}/{stem}:{content_id}"
                cached = cache.get(key)
                if cached is not None:
                    results.append((cached, content_id))
                    continue
            if data is None:
                data = tree.read(entry.path, MAX_BYTES)
        except FileTooLarge as exc:
            results.append((_unreadable("YAML", too_large(exc.size)), None))
            continue
        misses.append((len(results), key, (kind.name, stem, data)))
        results.append((None, content_id))
    fresh = read_records([job for _, _, job in misses], schemas)
    for (index, key, _), result in zip(misses, fresh):
        results[index] = (result, results[index][1])
        if cache is not None and key is not None:
            cache.put(key, result)
    return [(result, content_id) for result, content_id in results if result is not None]


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
    schemas.prepare()
    _worker_schemas = schemas  # inherited, compiled, by the forked workers; never pickled
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_read_job, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
            # Let the workers finish on their own: leaving the block terminates them with
            # SIGTERM, which govlint's inherited signal handler turned into a traceback.
            pool.close()
            pool.join()
            return results
    finally:
        _worker_schemas = None


def _unreadable(rule: str, message: str, line: int = 1) -> dict[str, Any]:
    return {"record": None, "problems": [[rule, line, message, None]], "bad": [], "id": None}


def read_record(kind: Kind, stem: str, data: bytes, schemas: SchemaSet) -> dict[str, Any]:
    """One file read strictly and validated, as a JSON-able result (what the cache stores).

    `record` is the value read as JSON text (None when unreadable), `problems` the findings
    as [rule, line, message, path], `bad` the top-level fields that break the schema, `id`
    the record's own id.
    """
    try:
        document = read_bytes(data)
    except YamlProblem as problem:
        return _unreadable("YAML", problem.message, problem.line)
    record = document.value
    if not isinstance(record, dict):
        shape = "a list" if isinstance(record, list) else "a single value"
        return _unreadable("SCHEMA", f"a record must be a mapping of fields, not {shape}")
    violations = schemas.violations(kind.schema, record)
    if violations and document.scalar_texts:
        # `name: 1.10` or `po_number: 4711` where text is wanted: the text as written, not a number.
        as_written = [v.path for v in violations if v.wants_string and v.path in document.scalar_texts]
        for path in as_written:
            _replace(record, path, document.scalar_texts[path])
        if as_written:
            violations = schemas.violations(kind.schema, record)
    if violations and document.out_of_range:
        # A number too large to hold was kept as its text; where a number is wanted, say so
        # rather than "is not of type 'number'".
        violations = [
            Violation(v.path, f"{dotted(v.path)}: {describe_out_of_range(document.out_of_range[v.path])}", keyword="type")
            if v.keyword == "type" and v.path in document.out_of_range
            else v
            for v in violations
        ]
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
            # A missing field is reported at the mapping that should hold it; at the top, the
            # record's own mapping, which starts at its first field.
            line = line_of(lines, violation.path) if violation.path else lines.get((), 1)
            problems.append(["SCHEMA", line, violation.message, dotted(violation.path) or None])
    return {
        "record": encode(record),
        "problems": problems,
        "bad": sorted(bad),
        "id": record_id if isinstance(record_id, str) else None,
    }


def _replace(record: Any, path: Path, value: Any) -> None:
    container = record
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = value
