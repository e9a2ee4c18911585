"""Reading a governance repository's files, from the working tree or a git revision.

A `Tree` lists entries without following symlinks and reads regular files only, so a
symlink's target is never opened, whichever revision is read.
"""

from __future__ import annotations

import os
import stat
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
            fd = os.open(self._full(path), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise GovlintError(f"cannot read {path}: {exc.strerror}") from None
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


def refusal(entry: Entry) -> Finding | None:
    """The finding for an entry govlint will not read: a symlink or special file."""
    if entry.type == "symlink":
        message = "symlinks are not followed; commit the file itself"
    elif entry.type == "other":
        message = "not a regular file (a submodule, device or pipe); it is not read"
    else:
        return None
    return Finding("YAML", "error", None, entry.path, 1, message)
