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
import re
import stat
import sys
from pathlib import Path
from collections.abc import Iterable
from typing import Any, TypeAlias

from govlint import __version__
from govlint.atomic import write_atomically
from govlint.errors import GovlintError

FORMAT_VERSION = 3
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


def default_directory() -> Path | None:
    """GOVLINT_CACHE_DIR, else the platform's user cache directory; None when there is no
    absolute one to use (no home directory), and then nothing is cached.

    There is deliberately no shared fallback such as /tmp/govlint-cache-UID: another local
    user can create that folder first and fill it with entries that make a failing registry
    pass. A relative XDG_CACHE_HOME is ignored, as the XDG specification says, and a relative
    path is never used, so the cache cannot land inside the repository being checked."""
    configured = os.environ.get("GOVLINT_CACHE_DIR")
    if configured:
        if not os.path.isabs(configured):
            raise GovlintError(f"GOVLINT_CACHE_DIR must be an absolute path, not {configured!r}")
        return Path(configured)
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        base = os.path.join(home, "Library", "Caches")
    elif sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else os.path.join(home, ".cache")
    if not os.path.isabs(base):
        return None
    return Path(base) / "govlint"


def cache_directory(configured: Path | None) -> Path | None:
    """The cache directory to use (`--cache-dir`, else the default), created private (0700);
    None when it cannot be created, which only costs time.

    A directory someone else owns, or that group or others may write to, is refused: whoever
    can write a cache entry decides what a check finds."""
    directory = configured if configured is not None else default_directory()
    if directory is None:
        return None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        raise GovlintError(f"cache directory {directory} is not a directory; use --cache-dir or --no-cache")
    owner = getattr(os, "geteuid", None)
    if owner is not None and info.st_uid != owner():
        raise GovlintError(
            f"cache directory {directory} belongs to another user (uid {info.st_uid}); "
            "use a directory of your own with --cache-dir, or --no-cache"
        )
    if os.name == "posix" and info.st_mode & 0o022:
        raise GovlintError(
            f"cache directory {directory} is writable by group or others (mode {stat.S_IMODE(info.st_mode):o}); "
            f"make it private (chmod 700 {directory}) or use --no-cache"
        )
    return directory


class RecordCache:
    """Read results by record key; `save()` keeps only the entries this run used.

    With no directory it lives for one run only (`--no-cache`): nothing is loaded or saved,
    but a pull-request check still reads each file content once, since the base and the head
    share all but the changed files' blobs."""

    def __init__(self, directory: Path | None, fingerprint: str) -> None:
        self.directory = directory
        self.path = directory / f"records-{fingerprint[:24]}.json" if directory is not None else None
        self._fingerprint = fingerprint
        self._entries: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._dirty = False
        self._added = 0
        self.hits = 0
        self.misses = 0
        self._load()

    def _load(self) -> None:
        if self.path is None:
            return
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
        self._used[key] = {**entry, "digest": record_digest(entry["record"])}
        self._added += 1

    def save(self, keep_unused: bool = False) -> None:
        """Write the entries this run used, dropping the others; but not when under 1% of a
        large cache changed: rewriting it would cost more than reading those files again.

        `keep_unused` keeps the others too, for the decision ledger: each run reads another
        slice of history (`--since`, `--entity`), and every version stays worth keeping."""
        if self.path is None:
            return
        if keep_unused:
            if self._added:
                document = {"version": FORMAT_VERSION, "fingerprint": self._fingerprint,
                            "entries": {**self._entries, **self._used}}
                _write_quietly(self.path, json.dumps(document, separators=(",", ":")))
            return
        stale = len(self._entries) - (len(self._used) - self._added)
        if not self._dirty and self._added + stale <= len(self._used) // 100:
            return
        document = {"version": FORMAT_VERSION, "fingerprint": self._fingerprint, "entries": self._used}
        _write_quietly(self.path, json.dumps(document, separators=(",", ":")))


_RESULT_FIELDS = ("record", "problems", "bad", "id")


def record_digest(record: str | None) -> str:
    """A digest of a record's JSON text, stored with it. Checking it costs a fifth of parsing
    the text again, and an entry whose text is not the text govlint wrote (damaged, or
    edited) is discarded rather than handed to the policies as their input."""
    text = "" if record is None else record
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _well_formed(entry: Any) -> bool:
    """An entry exactly as RecordCache.put writes a registry.read_record result: its shape,
    and the digest of its record text; anything else is a miss."""
    if not isinstance(entry, dict) or set(entry) != {*_RESULT_FIELDS, "digest"}:
        return False
    if not isinstance(entry["record"], (str, type(None))) or entry["digest"] != record_digest(entry["record"]):
        return False
    if not isinstance(entry["bad"], list):
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


# One file of commit changes per question asked of git (folder, diff options, git version):
# enough for a few registries and a git upgrade, never a growing pile.
CHANGE_FILES_KEPT = 8
# The layout of a changes file; its entries are git's answers, not govlint's reading, so
# they outlive a change to FORMAT_VERSION.
CHANGES_FORMAT = 1
# Commits a changes file keeps beyond those the last run walked (other branches, other
# repositories with the same folder): at about 100 bytes a commit, a few megabytes at most.
CHANGES_KEPT = 50_000
# Each entry: (status, old path, new path, old blob, new blob, old mode, new mode).
ChangeRow: TypeAlias = tuple[str, str | None, str | None, str | None, str | None, str, str]
_CHANGES_MARK = '{"govlint":"commit changes",'
_CHANGES_NAME = re.compile(r"changes-[0-9a-f]{24}\.json\Z")
_OBJECT_ID = re.compile(r"(?:[0-9a-f]{40}|[0-9a-f]{64})\Z")
_MODE = re.compile(r"[0-7]{6}\Z")
_STATUSES = frozenset("ACDMRTUX")


class CommitChanges:
    """The files each commit changed under one folder against its first parent, as
    `git diff-tree` listed them, so a warm `govlint history` asks git nothing it has asked
    before: git answers by inflating both commits' trees (for a 10,000-record folder, a few
    milliseconds a commit), and a commit never changes.

    An entry is keyed by the line `git diff-tree --stdin` is fed, `COMMIT PARENT` (`COMMIT`
    for a root commit), and held in a file for one `question`: the folder asked about, the
    diff options and what else decides the answer (the git version and its rename limit),
    so a different question never reads another's answers. A commit with no change there is
    stored too, as an empty list, or every warm run would ask git about it again. (A commit
    `git replace` swaps for another keeps its id; such a repository wants `--no-cache`.)

    Bounded two ways: `save()` keeps every entry this run used and, of the others, at most
    CHANGES_KEPT (the most recently used first); of the files, the CHANGE_FILES_KEPT most
    recently written are kept, and only files govlint wrote (named and marked as it names
    and marks them) are ever read as answers or removed. A file unreadable, damaged or made
    for another question, or an entry not shaped as `put` writes one, is a miss.

    Paths are kept as git gave them: a name that is not UTF-8 is held in its surrogate
    escapes, which JSON writes as `\\udcXX` and reads back unchanged.
    """

    def __init__(self, directory: Path, question: str) -> None:
        digest = hashlib.sha256(f"govlint commit changes {CHANGES_FORMAT}\0{question}".encode("utf-8", "surrogatepass"))
        self.directory = directory
        self.path = directory / f"changes-{digest.hexdigest()[:24]}.json"
        self._question = question
        self._entries: dict[str, Any] = {}
        self._used: dict[str, list[ChangeRow]] = {}
        self._added = 0
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if (
            isinstance(document, dict)
            and document.get("govlint") == "commit changes"
            and document.get("version") == CHANGES_FORMAT
            and document.get("question") == question
            and isinstance(document.get("commits"), dict)
        ):
            self._entries = document["commits"]

    def get(self, commit: str, parent: str | None) -> list[ChangeRow] | None:
        """The changes git listed for `commit` against `parent`, or None when not known."""
        key = f"{commit} {parent}" if parent else commit
        rows = self._used.get(key)
        if rows is not None:
            return rows
        rows = _change_rows(self._entries.get(key))
        if rows is not None:
            self._used[key] = rows
        return rows

    def put(self, commit: str, parent: str | None, rows: list[ChangeRow]) -> None:
        self._used[f"{commit} {parent}" if parent else commit] = rows
        self._added += 1

    def save(self) -> None:
        """Write the entries this run used, then the others up to CHANGES_KEPT; only when
        something was added, so a warm run writes nothing."""
        if not self._added:
            return
        commits: dict[str, Any] = dict(self._used)
        for key, rows in self._entries.items():
            if len(commits) >= len(self._used) + CHANGES_KEPT:
                break
            commits.setdefault(key, rows)
        document = {"govlint": "commit changes", "version": CHANGES_FORMAT, "question": self._question, "commits": commits}
        # ASCII only: a surrogate escape is written as \udcXX rather than refused by UTF-8.
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=True)
        _write_quietly(self.path, text)
        self._prune()

    def _prune(self) -> None:
        """Remove all but the CHANGE_FILES_KEPT most recently written changes files."""
        _remove_oldest(
            (p for p in self.directory.glob("changes-*.json") if _CHANGES_NAME.match(p.name) and _starts_with(p, _CHANGES_MARK)),
            CHANGE_FILES_KEPT,
        )


def _change_rows(entry: Any) -> list[ChangeRow] | None:
    """A stored entry as rows, when it is exactly what CommitChanges.put writes; else None."""
    if not isinstance(entry, list):
        return None
    rows: list[ChangeRow] = []
    for row in entry:
        if not isinstance(row, list) or len(row) != 7:
            return None
        status, old_path, new_path, old_blob, new_blob, old_mode, new_mode = row
        if not (
            isinstance(status, str) and status in _STATUSES
            and (old_path is None or isinstance(old_path, str))
            and (new_path is None or isinstance(new_path, str))
            and (old_path is not None or new_path is not None)
            and (old_blob is None or isinstance(old_blob, str) and _OBJECT_ID.match(old_blob))
            and (new_blob is None or isinstance(new_blob, str) and _OBJECT_ID.match(new_blob))
            and isinstance(old_mode, str) and _MODE.match(old_mode)
            and isinstance(new_mode, str) and _MODE.match(new_mode)
        ):
            return None
        rows.append((status, old_path, new_path, old_blob, new_blob, old_mode, new_mode))
    return rows


_EVALUATION_NAME = re.compile(r"[0-9a-f]{64}\.json\Z")


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

    @staticmethod
    def _written_here(path: Path) -> bool:
        """The file starts as EvaluationCache.put writes one: its own key, then its values."""
        expected = f'{{"key":"{path.name[: -len(".json")]}","values":'.encode()
        try:
            with open(path, "rb") as handle:
                return handle.read(len(expected)) == expected
        except OSError:
            return False

    def _prune(self) -> None:
        """Remove the oldest evaluations beyond EVALUATIONS_KEPT; only files govlint wrote
        (named by their key and holding that key) are ever counted or removed, so a user's
        own files in a folder named as a cache are left alone."""
        _remove_oldest(
            (p for p in self.directory.glob("*.json") if _EVALUATION_NAME.match(p.name) and self._written_here(p)),
            EVALUATIONS_KEPT,
        )


def _starts_with(path: Path, mark: str) -> bool:
    """The file begins with `mark`, as the file govlint writes there does."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(mark.encode())) == mark.encode()
    except OSError:
        return False


def _remove_oldest(paths: Iterable[Path], keep: int) -> None:
    """Remove all but the `keep` most recently written of `paths`: files the caller has made
    sure govlint wrote itself, so nobody else's file is ever removed."""
    dated = []
    for path in paths:
        try:
            dated.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(dated, reverse=True)[keep:]:
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
