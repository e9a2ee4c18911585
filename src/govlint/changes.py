"""The change set of a pull request: what it adds, modifies and removes, entity by entity."""

from __future__ import annotations

import json
from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any, Literal

from govlint.catalog import POLICY_FOLDER
from govlint.read import Tree
from govlint.registry import KIND_BY_NAME, KINDS, RecordMap, Registry
from govlint.validate import SCHEMA_FOLDER

Op = Literal["add", "modify", "remove"]


@dataclass(frozen=True)
class Change:
    """One entity's change, as `input.changes` carries it."""

    kind: str
    id: str
    op: Op
    fields: tuple[str, ...]

    @property
    def entity(self) -> str:
        return f"{self.kind}/{self.id}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "op": self.op, "fields": list(self.fields)}


def changed_fields(before: Any, after: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the mappings' leaves that differ; a list that differs counts whole."""
    if isinstance(before, dict) and isinstance(after, dict):
        paths: list[str] = []
        for key in sorted(set(before) | set(after), key=str):
            where = f"{prefix}.{key}" if prefix else str(key)
            if key not in before or key not in after:
                paths.append(where)
            elif before[key] != after[key]:
                paths.extend(changed_fields(before[key], after[key], where))
        return paths
    return [] if before == after else [prefix]


def _identities(registry: Registry) -> dict[tuple[str, str], str]:
    """Records as written (JSON text) by (kind, id), the id being the file's stem.

    A record is its file, as everywhere else (`registry/tools/x.yaml` is `tool/x`, in
    `input.registry` and in findings): a record whose `id` differs from its stem is a SCHEMA
    finding on that file, and a renamed file is the old entity removed and a new one added.
    """
    found: dict[tuple[str, str], str] = {}
    for entity, text in registry.written.items():
        kind, _, stem = entity.partition("/")
        found[kind, stem] = text
    return found


def compute_changes(base: Registry, head: Registry) -> list[Change]:
    """Per entity, add, modify or remove. Records whose text is unchanged are not decoded,
    so a pull request that touches one file costs one comparison per record."""
    before = _identities(base)
    after = _identities(head)
    changes: list[Change] = []
    kind_order = {name: index for index, name in enumerate(KIND_BY_NAME)}
    for kind, record_id in sorted(set(before) | set(after), key=lambda k: (kind_order.get(k[0], 99), k[1])):
        old = before.get((kind, record_id))
        new = after.get((kind, record_id))
        if old == new:
            continue
        if old is None:
            changes.append(Change(kind, record_id, "add", tuple(sorted(str(k) for k in json.loads(new or "{}")))))
        elif new is None:
            changes.append(Change(kind, record_id, "remove", ()))
        else:
            fields = changed_fields(json.loads(old), json.loads(new))
            if fields:
                changes.append(Change(kind, record_id, "modify", tuple(fields)))
    return changes


def base_input(base: Registry, head: Registry, changes: Sequence[Change], *, whole: bool = False) -> dict[str, RecordMap]:
    """What `input.base` holds of the base revision in a pull request: every department (the
    line of authority is read from the base, department by department), and of the other
    kinds the base version of each record the pull request adds, modifies or removes and of
    each record a changed record names in either version. With `whole` (params
    `base_records: all`), every base record.

    The rules compare a changed record with its base version, follow its references, and ask
    the base departments who may approve; an unchanged record is the same on both sides and
    is read from `input.registry`. Handing the engine the whole base as well doubled the
    input it parses for every pull request, however small.

    A record counts as named when one of its strings, anywhere in it, is the record's id or
    its entity (`tool/acme-bi`): this takes in every reference without knowing the schemas,
    and a string that merely looks like an id only adds a record to the input."""
    records = base.as_input()
    if whole:
        return dict(records)
    wanted: dict[str, set[str]] = {kind.key: set() for kind in KINDS}
    names: set[str] = set()
    for change in changes:
        kind = KIND_BY_NAME.get(change.kind)
        if kind is None:
            continue
        wanted[kind.key].add(change.id)
        for registry in (base, head):
            text = registry.written.get(change.entity)
            if text is not None:
                _collect_strings(json.loads(text), names)
    for name in names:
        kind_name, slash, record_id = name.partition("/")
        named = KIND_BY_NAME.get(kind_name) if slash else None
        if named is not None and record_id in records[named.key]:
            wanted[named.key].add(record_id)
        for kind in KINDS:
            if name in records[kind.key]:
                wanted[kind.key].add(name)
    trimmed: dict[str, RecordMap] = {}
    for kind in KINDS:
        source = records[kind.key]
        if kind.name == "department":
            trimmed[kind.key] = source
        else:
            trimmed[kind.key] = RecordMap({i: source.texts[i] for i in sorted(wanted[kind.key]) if i in source.texts})
    return trimmed


def _collect_strings(value: Any, into: set[str]) -> None:
    """Every string in a decoded record, keys left out, into `into`."""
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            into.add(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def changed_rule_files(base: Tree, head: Tree) -> list[str]:
    """Files under policies/ or schemas/ that differ between the two revisions."""
    changed = []
    for folder in (POLICY_FOLDER, SCHEMA_FOLDER):
        before = {e.path: e for e in base.entries(folder) if e.type != "dir"}
        after = {e.path: e for e in head.entries(folder) if e.type != "dir"}
        for path in sorted(set(before) | set(after)):
            old, new = before.get(path), after.get(path)
            if old is None or new is None or old.type != new.type:
                changed.append(path)
            elif old.blob_id and new.blob_id:
                if old.blob_id != new.blob_id:
                    changed.append(path)
            elif old.type == "file" and base.read(path) != head.read(path):
                changed.append(path)
    return changed
