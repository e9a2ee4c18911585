"""Reading a governance repository's files, from the working tree or a git revision.

A `Tree` lists entries without following symlinks and reads regular files only, so a
symlink's target is never opened, whichever revision is read.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from govlint.errors import GovlintError
from govlint.findings import Finding

EntryType = Literal["file", "symlink", "dir", "other"]
# Below this many files, reading them all costs less than asking git which are unchanged.
GIT_IDS_MINIMUM = 1000


class FileTooLarge(Exception):
    """A file over the size a reader accepts; its content was not read."""

    def __init__(self, path: str, size: int, limit: int) -> None:
        super().__init__(f"{path} is {size} bytes, over the limit of {limit} bytes")
        self.size = size
        self.limit = limit


@dataclass(frozen=True)
class Entry:
    """One entry of a tree: a posix path relative to the repository root, its type, and the
    git blob id of a file where it is known without reading the file."""

    path: str
    type: EntryType
    blob_id: str | None = None


class Tree(Protocol):
    """The files of one revision of a governance repository."""

    label: str

    def entries(self, folder: str) -> list[Entry]:
        """Every entry under `folder`, recursively, sorted by path; [] when it is absent."""
        ...

    def read(self, path: str, limit: int | None = None) -> bytes:
        """The bytes of the regular file at `path`; FileTooLarge, before anything is read,
        when it holds more than `limit` bytes."""
        ...

    def exists(self, path: str) -> bool: ...


class WorkingTree:
    """The files on disk under a repository root."""

    def __init__(self, root: Path, *, use_git: bool = True) -> None:
        """`use_git`: for a large folder in a git checkout, take the blob id of each file
        git says is unchanged from HEAD from git, so a cache can answer without reading it."""
        if not root.is_dir():
            raise GovlintError(f"{root} is not a directory")
        self.root = root
        self.use_git = use_git
        self._root = os.path.abspath(root)
        self.label = "working tree"

    def _full(self, path: str) -> str:
        return os.path.join(self._root, *path.split("/"))

    def entries(self, folder: str) -> list[Entry]:
        top = self._full(folder)
        try:
            top_stat = os.lstat(top)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise GovlintError(f"cannot read {folder}: {exc.strerror}") from None
        if stat.S_ISLNK(top_stat.st_mode):
            return [Entry(folder, "symlink")]
        found: list[Entry] = []
        pending = [(top, folder)]
        while pending:
            current, relative = pending.pop()
            try:
                children = list(os.scandir(current))
            except OSError as exc:
                raise GovlintError(f"cannot read {relative}: {exc.strerror}") from None
            for child in children:
                rel = f"{relative}/{child.name}"
                if child.is_symlink():
                    found.append(Entry(rel, "symlink"))
                elif child.is_dir(follow_symlinks=False):
                    found.append(Entry(rel, "dir"))
                    pending.append((child.path, rel))
                elif child.is_file(follow_symlinks=False):
                    found.append(Entry(rel, "file"))  # the size is checked when the file is read
                else:
                    found.append(Entry(rel, "other"))
        found.sort(key=lambda entry: entry.path)
        if self.use_git and sum(1 for entry in found if entry.type == "file") >= GIT_IDS_MINIMUM:
            from govlint import git

            known = git.unchanged_blob_ids(self.root, folder)
            found = [Entry(e.path, e.type, known.get(e.path)) if e.type == "file" else e for e in found]
        return found

    def read(self, path: str, limit: int | None = None) -> bytes:
        try:
            # O_NOFOLLOW: a file swapped for a symlink after listing is still not followed.
            # O_NONBLOCK: opening a FIFO waits for a writer that may never come; this way the
            # open returns at once and fstat below refuses it.
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(self._full(path), flags)
        except OSError as exc:
            raise GovlintError(f"cannot read {shown_path(path)}: {exc.strerror}") from None
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            what = "a directory" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"
            raise GovlintError(f"{shown_path(path)} is {what}, not a regular file; it is not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            if limit is None:
                return handle.read()
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise FileTooLarge(path, size, limit)
            data = handle.read(limit + 1)  # a file that grew since fstat is still bounded
            if len(data) > limit:
                raise FileTooLarge(path, len(data), limit)
            return data

    def exists(self, path: str) -> bool:
        return os.path.lexists(self._full(path))


def shown_path(path: str) -> str:
    """`path` as it can be shown anywhere: bytes that are not UTF-8 (held as the surrogates
    Python decodes them to) as `\\xNN`, control and invisible characters as `\\uNNNN`."""
    if path.isprintable():
        return path
    shown = []
    for char in path:
        code = ord(char)
        if char.isprintable():
            shown.append(char)
        elif 0xDC80 <= code <= 0xDCFF:
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif code <= 0xFF:
            shown.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            shown.append(f"\\u{code:04x}")
        else:
            shown.append(f"\\U{code:08x}")
    return "".join(shown)


def name_problem(path: str) -> str | None:
    """Why a path is not a name govlint reads, or None. A name must be UTF-8 and printable:
    a control character (a newline) or an invisible one (a right-to-left override, a
    zero-width space) makes a file look like another, or like two, wherever it is shown."""
    if path.isprintable():  # in C, for every path; the loop below runs only for bad ones
        return None
    for char in path:
        if char.isprintable():
            continue
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            return f"the file name is not UTF-8 (byte 0x{code - 0xDC00:02x})"
        name = unicodedata.name(char, "") or unicodedata.category(char)
        return f"the file name holds U+{code:04X} ({name}), a control or invisible character"
    return None  # pragma: no cover - a path that is not printable has such a character


def refusal(entry: Entry) -> Finding | None:
    """The finding for an entry govlint will not read: a name that is not UTF-8 or not
    printable, a symlink or a special file."""
    problem = name_problem(entry.path)
    if problem is not None:
        line = None if entry.type == "dir" else 1
        return Finding("REGISTRY-LAYOUT", "error", None, shown_path(entry.path), line, f"{problem}; it is not read")
    if entry.type == "symlink":
        message = "symlinks are not followed; commit the file itself"
    elif entry.type == "other":
        message = "not a regular file (a submodule, device or pipe); it is not read"
    else:
        return None
    return Finding("YAML", "error", None, entry.path, 1, message)
