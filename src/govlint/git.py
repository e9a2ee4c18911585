"""Git behind one thin module: the files of a revision straight from git objects, no checkout.

Only this module imports gitpython.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from govlint.cache import ChangeRow, CommitChanges
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


def upstream_of(root: Path) -> str | None:
    """The upstream branch of the branch checked out at `root` (`origin/main`), or None when
    `root` is not in a git repository, HEAD is detached, or the branch tracks nothing."""
    try:
        repo, _ = open_repository(root)
        name = repo.git.rev_parse("--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    except (GovlintError, GitCommandError, ValueError):
        return None
    return name.strip() or None


def ensure_repository(root: Path) -> bool:
    """Make `root` a git repository unless it is inside one already; True when one was made."""
    try:
        git.Repo(root, search_parent_directories=True)
        return False
    except (InvalidGitRepositoryError, NoSuchPathError):
        pass
    except GitCommandNotFound:
        raise GovlintError("the git executable was not found; install git to create the repository") from None
    try:
        git.Repo.init(root, initial_branch="main")
    except GitCommandError:
        git.Repo.init(root)  # git before 2.28 knows no --initial-branch
    except GitCommandNotFound:
        raise GovlintError("the git executable was not found; install git to create the repository") from None
    return True


class GitTree:
    """The files of one commit, read from git objects."""

    def __init__(self, repo: git.Repo, ref: str, prefix: str = "") -> None:
        self._repo = repo
        self.commit = resolve_commit(repo, ref)
        self.revision = self.commit.hexsha
        self.label = f"revision {ref}"
        self._prefix = prefix
        # Blob ids of the regular files listed so far: read by id, without walking trees.
        self._blobs: dict[str, str] = {}
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
            return [Entry(folder, "symlink" if top.mode == _SYMLINK_MODE else "other")]
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
        for mode, kind, sha, full_path in _ls_tree_rows(listing):
            path = full_path[strip:]
            if kind == "tree":
                found.append(Entry(path, "dir"))
            elif int(mode, 8) == _SYMLINK_MODE:
                found.append(Entry(path, "symlink"))
            elif kind != "blob":
                found.append(Entry(path, "other"))
            else:
                found.append(Entry(path, "file", sha))
                self._blobs[path] = sha
        found.sort(key=lambda entry: entry.path)
        return found

    def read(self, path: str, limit: int | None = None) -> bytes:
        listed = self._blobs.get(path)
        if listed is not None:
            binsha = bytes.fromhex(listed)
        else:
            item = self._object(path)
            if not isinstance(item, git.Blob) or item.mode == _SYMLINK_MODE:
                raise GovlintError(f"{path} is not a regular file at {self.label}")
            binsha = item.binsha
        if limit is not None:
            size = self._repo.odb.info(binsha).size  # the header only, not the content
            if size > limit:
                raise FileTooLarge(path, size, limit)
        data: bytes = self._repo.odb.stream(binsha).read()
        return data

    def exists(self, path: str) -> bool:
        return self._object(path) is not None


def unchanged_blob_ids(root: Path, folder: str) -> dict[str, str]:
    """Blob ids of the files under `folder` of the working tree at `root` whose content git
    says is HEAD's, by path relative to `root`; {} where that is not known exactly.

    git's own comparison (`git diff HEAD`, which trusts the index's stat data and compares
    the rest) names the files that differ; files marked assume-unchanged or skip-worktree,
    and files git converts on checkout (see CONVERTING_ATTRIBUTES: their blob is not the file
    on disk, though git calls them unchanged), are left out, so the caller reads them. The
    four questions are asked of git side by side: they are independent, and on a large
    registry each costs tens of milliseconds that a pull-request check waits for.
    """
    try:
        repo, prefix = open_repository(root)
        if repo.bare or repo.working_tree_dir is None:
            return {}
        head = repo.head.commit.hexsha
        target = f"{prefix}/{folder}" if prefix else folder
        autocrlf = repo.git.config("--get", "core.autocrlf", with_exceptions=False).strip().lower()
    except (GovlintError, ValueError, GitCommandError, UnicodeDecodeError):
        return {}
    executable = git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git"
    where = repo.working_tree_dir
    commands = {
        "listing": [executable, "ls-tree", "-r", "-z", head, "--", target],
        "changed": [executable, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", head, "--", target],
        "flagged": [executable, "ls-files", "-v", "-z", "--", target],
    }
    outputs = _side_by_side(commands, where)
    if outputs is None:
        return {}
    listing, changed_text, flagged_text = outputs["listing"], outputs["changed"], outputs["flagged"]
    changed = set(changed_text.split("\0"))
    flagged = flagged_text.split("\0")
    changed |= {line[2:] for line in flagged if line and not line.startswith("H ")}
    found = {
        path: sha
        for mode, kind, sha, path in _ls_tree_rows(listing)
        if kind == "blob" and mode in ("100644", "100755") and path not in changed
    }
    filtered = _filtered(repo, list(found), autocrlf)
    found = {path: sha for path, sha in found.items() if path not in filtered}
    strip = len(prefix) + 1 if prefix else 0
    return {path[strip:]: sha for path, sha in found.items()}


def _side_by_side(commands: dict[str, list[str]], cwd: str | os.PathLike[str]) -> dict[str, str] | None:
    """Each git command's standard output, the commands run at once; None when one fails."""
    started: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, command in commands.items():
            started[name] = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        outputs = {}
        for name, process in started.items():
            out, _ = process.communicate(timeout=60)
            if process.returncode != 0:
                return None
            outputs[name] = out.decode("utf-8", "surrogateescape")
        return outputs
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def _ls_tree_rows(listing: str) -> list[tuple[str, str, str, str]]:
    """(mode, type, object id, path) for each entry of `git ls-tree -z` output."""
    rows = []
    for line in listing.split("\0"):
        info, _, path = line.partition("\t")
        if path:
            mode, kind, sha = info.split(" ")
            rows.append((mode, kind, sha, path))
    return rows


# Attributes under which the file on disk is not the blob: keyword expansion (`ident`),
# line-ending conversion (`eol`, `text`), re-encoding (`working-tree-encoding`) and clean or
# smudge programs (`filter`). A file under one is read, never answered for by its blob id.
CONVERTING_ATTRIBUTES = ("ident", "eol", "text", "working-tree-encoding", "filter")


def _filtered(repo: git.Repo, paths: list[str], autocrlf: str) -> set[str]:
    """The paths whose working-tree file may differ from its blob: every path when git's
    configuration converts line endings (`autocrlf`, core.autocrlf as configured), else those
    a converting attribute applies to (`git check-attr`, fed on stdin). Unspecified or unset
    (`-text`) attributes convert nothing."""
    if not paths:
        return set()
    if autocrlf not in ("", "false"):
        return set(paths)
    try:
        done = subprocess.run(
            [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", "check-attr", "--stdin", "-z", *CONVERTING_ATTRIBUTES],
            input="\0".join(paths).encode("utf-8", "surrogateescape") + b"\0", cwd=repo.working_tree_dir,
            capture_output=True, check=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return set(paths)  # cannot tell: treat every file as converted, so all are read
    fields = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] not in ("unspecified", "unset")}


def head_commit(repo: git.Repo) -> str | None:
    try:
        return repo.head.commit.hexsha
    except ValueError:
        return None


def repository_prefix(folder: Path) -> str:
    """`folder`'s path inside the git work tree holding it ('' at its top or outside git),
    found from the file system alone, so a plain working-tree check needs no git."""
    try:
        resolved = folder.resolve()
    except (OSError, RuntimeError):
        return ""
    for top in (resolved, *resolved.parents):
        if (top / ".git").exists():
            inside = resolved.relative_to(top).as_posix()
            return "" if inside == "." else inside
    return ""


# Fields of one commit as `first_parent_commits` asks git for them: separated by US (0x1f),
# each commit introduced by RS (0x1e), trailers separated by GS (0x1d). None of them can
# occur in an object id, a date or a name; a subject holding one is cut there, not misread.
_COMMIT_FORMAT = "%x1e%H%x1f%P%x1f%cI%x1f%an%x1f%ae%x1f%s%x1f%(trailers:only,unfold,separator=%x1d)"


@dataclass(frozen=True)
class CommitInfo:
    """One commit of a first-parent walk: who, when, and the trailers of its message."""

    sha: str
    parent: str | None  # the first parent: the branch as it stood before this commit
    date: str  # the committer date, ISO 8601 with its offset: when it reached the branch
    author_name: str
    author_email: str
    subject: str
    trailers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FileChange:
    """One file a commit changed against its first parent, as `git diff-tree --raw` says.

    A rename (status R) names both paths; an added file has no old blob, a deleted one no new.
    """

    status: str  # A, M, D, T, R or C (the similarity score dropped)
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None
    old_mode: str
    new_mode: str


def first_parent_commits(repo: git.Repo, ref: str) -> list[CommitInfo]:
    """The commits on `ref`'s first-parent line, oldest first.

    Following first parents is walking the branch itself: a merge commit stands for the
    pull request it merged, judged against the branch before it, and the commits inside
    the merged branch are not walked separately. No path limits the walk: which commits
    changed a folder is `first_parent_changes`' answer, and asking git twice costs twice."""
    commit = resolve_commit(repo, ref)
    try:
        listing = repo.git.log(
            "--first-parent", "--reverse", f"--format={_COMMIT_FORMAT}", commit.hexsha, "--"
        )
    except UnicodeDecodeError:
        raise GovlintError(f"a commit message on {ref} is not UTF-8") from None
    except GitCommandError as exc:
        raise GovlintError(f"git cannot list the history of {ref}: {exc.stderr.strip()}") from None
    commits = []
    for chunk in listing.split("\x1e")[1:]:
        fields = chunk.rstrip("\n").split("\x1f")
        if len(fields) < 7:
            continue
        sha, parents, date, name, email, subject, trailers = fields[:7]
        pairs = []
        for trailer in trailers.split("\x1d"):
            key, colon, value = trailer.partition(":")
            if colon and key.strip() and value.strip():
                pairs.append((key.strip(), value.strip()))
        commits.append(
            CommitInfo(sha, (parents.split() or [None])[0], date, name, email, subject, tuple(pairs))
        )
    return commits


# How `first_parent_changes` asks `git diff-tree`: recursive, renames detected, full ids,
# NUL-separated, a root commit against the empty tree.
_DIFF_OPTIONS = ("--root", "-r", "-z", "-M", "--no-abbrev")


def diff_question(repo: git.Repo, folder: str) -> str:
    """Everything besides the two commits that decides which changes `first_parent_changes`
    lists: the folder, the diff options, and how this git detects renames (its version,
    and `diff.renameLimit`, the one setting `diff-tree` reads for `-M`)."""
    try:
        version = ".".join(str(part) for part in repo.git.version_info)
        limit = repo.git.config("--get", "diff.renameLimit", with_exceptions=False).strip()
    except (GitCommandError, ValueError, OSError):
        version, limit = "unknown", "unknown"
    return "\0".join((folder, " ".join(_DIFF_OPTIONS), f"git {version}", f"diff.renameLimit={limit}"))


def first_parent_changes(
    repo: git.Repo, commits: list[CommitInfo], folder: str, cache_dir: Path | None = None
) -> dict[str, list[FileChange]]:
    """The files under `folder` each commit changed against its first parent, by commit id,
    for the commits that changed any: renames detected (`-M`).

    With `cache_dir`, answers come from the CommitChanges cache there, and git is asked only
    about the commits it lacks, all in one `git diff-tree --stdin`; their answers are added.
    Without it, one `git diff-tree --stdin` for the whole walk."""
    store = CommitChanges(cache_dir, diff_question(repo, folder)) if cache_dir is not None else None
    known: dict[str, list[FileChange]] = {}
    asked: list[CommitInfo] = []
    for commit in commits:
        rows = store.get(commit.sha, commit.parent) if store is not None else None
        if rows is None:
            asked.append(commit)
        else:
            known[commit.sha] = [FileChange(*row) for row in rows]
    listed = _diff_tree(repo, asked, folder)
    if store is not None:
        for commit in asked:
            store.put(commit.sha, commit.parent, [_row(change) for change in listed.get(commit.sha, [])])
        store.save()
    found: dict[str, list[FileChange]] = {}
    for commit in commits:
        changes = known.get(commit.sha) or listed.get(commit.sha)
        if changes:
            found[commit.sha] = changes
    return found


def _row(change: FileChange) -> ChangeRow:
    return (change.status, change.old_path, change.new_path, change.old_blob, change.new_blob,
            change.old_mode, change.new_mode)


def _diff_tree(repo: git.Repo, commits: list[CommitInfo], folder: str) -> dict[str, list[FileChange]]:
    """One `git diff-tree --stdin` for `commits`: the changes under `folder` of each commit
    that changed any there, against its first parent (a root commit against nothing)."""
    if not commits:
        return {}
    feed = "".join(f"{c.sha} {c.parent}\n" if c.parent else f"{c.sha}\n" for c in commits)
    try:
        done = subprocess.run(
            [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", "diff-tree", "--stdin", *_DIFF_OPTIONS, "--", folder],
            input=feed.encode("ascii"), cwd=repo.working_tree_dir or repo.git_dir, capture_output=True, check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise GovlintError(f"git cannot list the files the commits changed: {detail.decode(errors='replace').strip()}") from None
    tokens = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    found: dict[str, list[FileChange]] = {}
    current: list[FileChange] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if not token:
            continue
        if not token.startswith(":"):
            current = found.setdefault(token.strip(), [])
            continue
        old_mode, new_mode, old_blob, new_blob, status = token[1:].split(" ")[:5]
        kind = status[:1]
        if kind in ("R", "C"):
            old_path, new_path = tokens[position], tokens[position + 1]
            position += 2
        else:
            old_path = new_path = tokens[position]
            position += 1
        absent = set("0")
        current.append(
            FileChange(
                kind,
                None if kind == "A" else old_path,
                None if kind == "D" else new_path,
                None if set(old_blob) == absent else old_blob,
                None if set(new_blob) == absent else new_blob,
                old_mode,
                new_mode,
            )
        )
    return found


def read_blob(repo: git.Repo, blob: str, limit: int | None = None) -> bytes:
    """A blob's content by its id; FileTooLarge past `limit` (the header is read first)."""
    binsha = bytes.fromhex(blob)
    if limit is not None:
        size = repo.odb.info(binsha).size
        if size > limit:
            raise FileTooLarge(blob, size, limit)
    data: bytes = repo.odb.stream(binsha).read()
    return data


def working_tree_state(root: Path, folders: tuple[str, ...]) -> tuple[str | None, bool]:
    """HEAD's commit id for the working tree at `root`, and whether any file under `folders`
    differs from it (changed, staged, deleted or untracked); (None, True) outside git or
    before the first commit, since no commit then names what is on disk."""
    try:
        repo, prefix = open_repository(root)
    except GovlintError:
        return None, True
    commit = head_commit(repo)
    if commit is None or repo.working_tree_dir is None:
        return commit, True
    targets = [f"{prefix}/{folder}" if prefix else folder for folder in folders]
    try:
        status = repo.git.status("--porcelain", "-z", "--untracked-files=all", "--", *targets)
    except (GitCommandError, ValueError):
        return commit, True
    return commit, bool(status)
