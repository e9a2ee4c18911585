"""A cache of read and validated records, keyed by git blob id, so unchanged files are not parsed twice.

A working-tree file is keyed by the id git would give its content, so a committed file and its
checkout share an entry. The cache is one JSON file per set of schemas, in the user's cache
directory; it is replaced atomically, so concurrent runs at worst lose each other's additions,
and anything unreadable or unexpected in it is discarded, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from govlint import __version__
from govlint.atomic import write_atomically
from govlint.errors import GovlintError

FORMAT_VERSION = 1


def blob_id(data: bytes) -> str:
    """The id git gives a blob with this content."""
    digest = hashlib.sha1(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def default_directory() -> Path:
    configured = os.environ.get("GOVLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govlint"


class RecordCache:
    """Read results by record key; `save()` keeps only the entries this run used."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.path = directory / f"records-{fingerprint[:24]}.json"
        self._fingerprint = fingerprint
        self._entries: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._dirty = False
        self.hits = 0
        self.misses = 0
        self._load()

    def _load(self) -> None:
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if (
            isinstance(document, dict)
            and document.get("version") == FORMAT_VERSION
            and document.get("fingerprint") == self._fingerprint
            and isinstance(document.get("entries"), dict)
        ):
            self._entries = document["entries"]
        else:
            self._dirty = True

    def get(self, key: str) -> dict[str, Any] | None:
        entry = self._entries.get(key)
        if not _well_formed(entry):
            self.misses += 1
            return None
        self.hits += 1
        self._used[key] = entry
        return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self._used[key] = entry
        self._dirty = True

    def save(self) -> None:
        if not self._dirty and len(self._used) == len(self._entries):
            return
        document = {"version": FORMAT_VERSION, "fingerprint": self._fingerprint, "entries": self._used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(document, separators=(",", ":")))
        except (OSError, GovlintError):
            pass  # a cache that cannot be written only costs time


def _well_formed(entry: Any) -> bool:
    """An entry shaped as registry.read_record makes them; anything else is a miss."""
    if not isinstance(entry, dict) or set(entry) != {"record", "problems", "bad"}:
        return False
    if not isinstance(entry["record"], (dict, type(None))) or not isinstance(entry["bad"], list):
        return False
    problems = entry["problems"]
    return isinstance(problems, list) and all(
        isinstance(p, list)
        and len(p) == 4
        and isinstance(p[0], str)
        and isinstance(p[1], int)
        and isinstance(p[2], str)
        and isinstance(p[3], (str, type(None)))
        for p in problems
    )


def fingerprint(schema_files: dict[str, bytes]) -> str:
    """What a cached result depends on besides the file: govlint itself and the schemas."""
    digest = hashlib.sha256(f"govlint {__version__} cache {FORMAT_VERSION}\n".encode())
    for name in sorted(schema_files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(schema_files[name]).digest())
    return digest.hexdigest()
