"""Git behind one thin module: the files of a revision straight from git objects, no checkout.

Only this module imports gitpython.
"""

from __future__ import annotations

import os
from pathlib import Path

from govlint.errors import GovlintError
from govlint.read import Entry, FileTooLarge

try:
    import git
    from git.exc import BadName, GitCommandError, GitCommandNotFound, InvalidGitRepositoryError, NoSuchPathError
except ImportError as exc:  # pragma: no cover - gitpython is a hard dependency
    raise GovlintError(f"gitpython is not usable: {exc}") from None

_SYMLINK_MODE = 0o120000
_SUBMODULE_MODE = 0o160000


def open_repository(root: Path) -> tuple[git.Repo, str]:
    """The git repository holding `root`, and `root`'s path inside it ('' at the top)."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise GovlintError(f"{root} is not inside a git repository; --base and --head need git history") from None
    except GitCommandNotFound:
        raise GovlintError("the git executable was not found; --base and --head need git") from None
    if repo.working_tree_dir is None:
        return repo, ""
    top = Path(repo.working_tree_dir).resolve()
    prefix = os.path.relpath(root.resolve(), top)
    return repo, "" if prefix == "." else Path(prefix).as_posix()


def _is_shallow(repo: git.Repo) -> bool:
    return os.path.exists(os.path.join(repo.git_dir, "shallow"))


def resolve_commit(repo: git.Repo, ref: str) -> git.Commit:
    """The commit `ref` names, or a one-line error saying how to make it available."""
    try:
        return repo.commit(ref)
    except (BadName, ValueError, GitCommandError, IndexError, KeyError):
        hint = (
            "; this clone is shallow, so fetch the base first (in GitHub Actions: "
            "actions/checkout with fetch-depth: 0)"
            if _is_shallow(repo)
            else "; fetch it first (git fetch origin REF) or name a branch, tag or commit that exists"
        )
        raise GovlintError(f"revision {ref!r} is not in this repository{hint}") from None


def merge_base(repo: git.Repo, base: git.Commit, head: git.Commit) -> git.Commit | None:
    try:
        bases = repo.merge_base(base, head)
    except GitCommandError:
        return None
    return bases[0] if bases else None


class GitTree:
    """The files of one commit, read from git objects."""

    def __init__(self, repo: git.Repo, ref: str, prefix: str = "") -> None:
        self._repo = repo
        self.commit = resolve_commit(repo, ref)
        self.revision = self.commit.hexsha
        self.label = f"revision {ref}"
        self._prefix = prefix
        self._root = self.commit.tree
        if prefix:
            try:
                self._root = self.commit.tree / prefix
            except KeyError:
                raise GovlintError(f"{prefix}/ does not exist at revision {ref}") from None

    def _object(self, path: str) -> git.objects.base.IndexObject | None:
        try:
            return self._root / path
        except KeyError:
            return None

    def entries(self, folder: str) -> list[Entry]:
        top = self._object(folder)
        if top is None:
            return []
        if not isinstance(top, git.Tree):
            return [Entry(folder, "symlink" if top.mode == _SYMLINK_MODE else "other", 0)]
        # One `git ls-tree` lists a large folder far faster than walking tree objects; sizes
        # are left out (they cost a lookup per blob) and checked when a file is read.
        try:
            listing = self._repo.git.ls_tree("-r", "-t", "-z", self.commit.hexsha, "--", top.path)
        except UnicodeDecodeError:
            raise GovlintError(f"a file name under {folder}/ at {self.label} is not UTF-8") from None
        except GitCommandError as exc:
            raise GovlintError(f"git cannot list {folder}/ at {self.label}: {exc.stderr.strip()}") from None
        strip = len(self._prefix) + 1 if self._prefix else 0
        found: list[Entry] = []
        for line in listing.split("\0"):
            if not line:
                continue
            info, _, full_path = line.partition("\t")
            mode, kind, sha = info.split(" ")
            path = full_path[strip:]
            if kind == "tree":
                found.append(Entry(path, "dir", 0))
            elif int(mode, 8) == _SYMLINK_MODE:
                found.append(Entry(path, "symlink", 0))
            elif kind != "blob":
                found.append(Entry(path, "other", 0))
            else:
                found.append(Entry(path, "file", 0, sha))
        found.sort(key=lambda entry: entry.path)
        return found

    def read(self, path: str, limit: int | None = None) -> bytes:
        item = self._object(path)
        if not isinstance(item, git.Blob) or item.mode == _SYMLINK_MODE:
            raise GovlintError(f"{path} is not a regular file at {self.label}")
        if limit is not None:
            size = self._repo.odb.info(item.binsha).size  # the header only, not the content
            if size > limit:
                raise FileTooLarge(path, size, limit)
        data: bytes = self._repo.odb.stream(item.binsha).read()
        return data

    def exists(self, path: str) -> bool:
        return self._object(path) is not None


def head_commit(repo: git.Repo) -> str | None:
    try:
        return repo.head.commit.hexsha
    except ValueError:
        return None
