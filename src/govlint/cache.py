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
import sys
import tempfile
from pathlib import Path
from typing import Any

from govlint import __version__
from govlint.atomic import write_atomically
from govlint.errors import GovlintError

FORMAT_VERSION = 2
# Evaluations kept: enough for a few branches and dates, never a growing pile.
EVALUATIONS_KEPT = 16


def _write_quietly(path: Path, text: str) -> None:
    """Replace a cache file; a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    except (OSError, GovlintError):
        pass


def blob_id(data: bytes) -> str:
    """The id git gives a blob with this content."""
    digest = hashlib.sha1(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def default_directory() -> Path:
    """GOVLINT_CACHE_DIR, else the platform's user cache directory; never a relative path,
    so the cache cannot land inside the repository being checked."""
    configured = os.environ.get("GOVLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        base = os.path.join(home, "Library", "Caches")
    elif sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    if not os.path.isabs(base):
        user = getattr(os, "getuid", lambda: "user")()
        base = os.path.join(tempfile.gettempdir(), f"govlint-cache-{user}")
    return Path(base) / "govlint"


class RecordCache:
    """Read results by record key; `save()` keeps only the entries this run used."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.path = directory / f"records-{fingerprint[:24]}.json"
        self._fingerprint = fingerprint
        self._entries: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._dirty = False
        self._added = 0
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
        entry = self._used.get(key)
        if entry is None:
            entry = self._entries.get(key)
            if not _well_formed(entry):
                self.misses += 1
                return None
            self._used[key] = entry
        self.hits += 1
        return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self._used[key] = entry
        self._added += 1

    def save(self) -> None:
        """Write the entries this run used, dropping the others; but not when under 1% of a
        large cache changed: rewriting it would cost more than reading those files again."""
        stale = len(self._entries) - (len(self._used) - self._added)
        if not self._dirty and self._added + stale <= len(self._used) // 100:
            return
        document = {"version": FORMAT_VERSION, "fingerprint": self._fingerprint, "entries": self._used}
        _write_quietly(self.path, json.dumps(document, separators=(",", ":")))


def _well_formed(entry: Any) -> bool:
    """An entry shaped as registry.read_record makes them; anything else is a miss."""
    if not isinstance(entry, dict) or set(entry) != {"record", "problems", "bad", "id"}:
        return False
    if not isinstance(entry["record"], (str, type(None))) or not isinstance(entry["bad"], list):
        return False
    if not isinstance(entry["id"], (str, type(None))) or not all(isinstance(b, str) for b in entry["bad"]):
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


class LineCache:
    """The line each finding's field path is on, by the file's blob id: placing a finding in
    a file that has not changed costs a lookup instead of reading the file again."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"lines-{FORMAT_VERSION}.json"
        self._code = hashlib.sha256(f"govlint {__version__}".encode() + _reading_code(("locate.py",))).hexdigest()
        self._entries: dict[str, dict[str, int]] = {}
        self._used: dict[str, dict[str, int]] = {}
        self._added = False
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(document, dict) and document.get("code") == self._code and isinstance(document.get("entries"), dict):
            self._entries = document["entries"]

    def get(self, content_id: str, path: str) -> int | None:
        lines = self._entries.get(content_id)
        line = lines.get(path) if isinstance(lines, dict) else None
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            return None
        self._used.setdefault(content_id, {})[path] = line
        return line

    def put(self, content_id: str, path: str, line: int) -> None:
        self._used.setdefault(content_id, {})[path] = line
        self._added = True

    def save(self) -> None:
        """Keep the lines this run used; written only when something was added."""
        if not self._added:
            return
        _write_quietly(self.path, json.dumps({"code": self._code, "entries": self._used}, separators=(",", ":")))


class CheckedSchemas:
    """Fingerprints of schema sets that passed the JSON Schema metaschema check: a marker
    file each, holding the whole fingerprint, so a marker for other schemas never counts."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, digest: str) -> Path:
        return self.directory / f"schemas-{digest[:32]}.checked"

    def has(self, digest: str) -> bool:
        try:
            return self._path(digest).read_text(encoding="ascii").strip() == digest
        except (OSError, ValueError):
            return False

    def add(self, digest: str) -> None:
        _write_quietly(self._path(digest), digest + "\n")


class EvaluationCache:
    """Policy evaluations by a digest of everything they depend on (engine, policies, data,
    input, queries): the same question gets the same answer, so it is asked once.

    One file per evaluation, replaced atomically; the oldest beyond EVALUATIONS_KEPT are
    removed. A file that cannot be read or does not hold what was stored is a miss.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "evaluations"

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256(f"govlint {__version__} evaluation {FORMAT_VERSION}".encode())
        for part in parts:
            encoded = part.encode("utf-8", "surrogatepass")
            digest.update(b"%d\0" % len(encoded))
            digest.update(encoded)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str) -> list[Any] | None:
        try:
            document = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(document, dict) or document.get("key") != key or not isinstance(document.get("values"), list):
            return None
        values: list[Any] = document["values"]
        return values

    def put(self, key: str, values: list[Any]) -> None:
        _write_quietly(self._path(key), json.dumps({"key": key, "values": values}, separators=(",", ":")))
        self._prune()

    def _prune(self) -> None:
        kept = []
        for path in self.directory.glob("*.json"):
            try:
                kept.append((path.stat().st_mtime, path))
            except OSError:
                continue
        for _, path in sorted(kept, reverse=True)[EVALUATIONS_KEPT:]:
            try:
                path.unlink()
            except OSError:
                pass


# The modules whose code decides what reading a record yields: a cache made by other code is
# another cache, whichever version number the code carries.
_READING_MODULES = ("parse.py", "read.py", "registry.py", "validate.py", "cache.py")


def _reading_code(also: tuple[str, ...] = ()) -> bytes:
    folder = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _READING_MODULES + also:
        try:
            digest.update((folder / name).read_bytes())
        except OSError:
            digest.update(f"{name} unreadable".encode())
    return digest.digest()


def fingerprint(schema_files: dict[str, bytes]) -> str:
    """What a cached result depends on besides the file: govlint's reading code and the schemas."""
    digest = hashlib.sha256(f"govlint {__version__} cache {FORMAT_VERSION}\n".encode())
    digest.update(_reading_code())
    for name in sorted(schema_files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(schema_files[name]).digest())
    return digest.hexdigest()
