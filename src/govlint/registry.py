"""The registry: the organisation's records, read strictly and validated, as policies see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govlint.findings import Finding
from govlint.locate import LineIndex
from govlint.parse import YamlProblem, read_bytes
from govlint.read import Tree
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


def _layout(file: str, message: str, line: int | None = 1) -> Finding:
    return Finding("REGISTRY-LAYOUT", "error", None, file, line, message)


def _pruned(record: dict[str, Any], bad_fields: set[str]) -> dict[str, Any]:
    """The record without the top-level fields that break the schema."""
    if not bad_fields:
        return record
    return {key: value for key, value in record.items() if key not in bad_fields}


def load_registry(tree: Tree, schemas: SchemaSet, lines: LineIndex) -> Registry:
    """Read every record under registry/ of `tree`: strict YAML, then its kind's schema."""
    registry = Registry()
    for entry in tree.entries(REGISTRY_FOLDER):
        parts = entry.path.split("/")
        if entry.type == "symlink":
            registry.findings.append(
                Finding("YAML", "error", None, entry.path, 1, "symlinks are not followed; commit the file itself")
            )
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
        if entry.type != "file":
            registry.findings.append(_layout(entry.path, "not a regular file"))
            continue
        if not parts[2].endswith(".yaml"):
            registry.findings.append(
                _layout(entry.path, f"registry/{kind.folder}/ holds only .yaml files; this one is not read")
            )
            continue
        _load_record(tree, schemas, lines, registry, kind, entry.path, parts[2][: -len(".yaml")])
    return registry


def _load_record(
    tree: Tree,
    schemas: SchemaSet,
    lines: LineIndex,
    registry: Registry,
    kind: Kind,
    file: str,
    stem: str,
) -> None:
    entity = kind.entity(stem)
    registry.files.add(file)
    try:
        record = read_bytes(tree.read(file)).value
    except YamlProblem as problem:
        registry.findings.append(Finding("YAML", "error", entity, file, problem.line, problem.message))
        return
    if not isinstance(record, dict):
        shape = "a list" if isinstance(record, list) else "a single value"
        registry.findings.append(
            Finding("SCHEMA", "error", entity, file, 1, f"a record must be a mapping of fields, not {shape}")
        )
        return
    registry.raw[entity] = record
    violations = schemas.violations(kind.schema, record)
    bad_fields = {str(v.path[0]) for v in violations if v.path}
    record_id = record.get("id")
    if isinstance(record_id, str) and record_id != stem:
        bad_fields.add("id")
        registry.findings.append(
            Finding(
                "SCHEMA", "error", entity, file, lines.line(file, ("id",)),
                f"id '{record_id}' does not match the file name '{stem}.yaml'", "id",
            )
        )
    for violation in violations:
        registry.findings.append(
            Finding(
                "SCHEMA", "error", entity, file, lines.line(file, violation.path),
                violation.message, dotted(violation.path) or None,
            )
        )
    if not bad_fields and not violations:
        registry.valid.add(entity)
    registry.records[kind.key][stem] = _pruned(record, bad_fields)
