"""The ledger's cache of each commit's changed files: a warm `govlint history` tells the same
ledger as a cold one, byte for byte, without asking git to diff a commit it diffed before.

git is real throughout; where a test must see which commits git was asked about, a `git`
script first on PATH writes down its arguments (and what `diff-tree` is fed) and runs the
real git underneath."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import GIT_ENV, copy_reference, git, git_init, govlint
from govlint import cache as cache_module
from govlint.cache import CommitChanges
from govlint.git import first_parent_changes, first_parent_commits, open_repository
from test_history import commit, tool_text

# A record file whose name is not UTF-8 (Latin-1 "café"): git keeps the bytes, and so must the cache.
LATIN1_NAME = b"registry/tools/caf\xe9.yaml".decode("utf-8", "surrogateescape")


@dataclass
class Walk:
    root: Path
    commits: dict[str, str]


def _build(root: Path) -> dict[str, str]:
    """The reference registry, then an addition, a rename with an edit, a deletion, a merged
    branch, a commit outside the registry, and a record whose file name is not UTF-8."""
    copy_reference(root)
    git_init(root)
    tools = root / "registry" / "tools"
    made = {"import": commit(root, "Import the registry", "2026-01-05")}
    (tools / "ledgerly.yaml").write_text(tool_text("ledgerly", "Ledgerly", "trial"))
    made["add"] = commit(root, "Propose Ledgerly", "2026-02-02")
    git(root, "mv", "registry/tools/ledgerly.yaml", "registry/tools/ledgerly-finance.yaml")
    renamed = tool_text("ledgerly-finance", "Ledgerly", "trial", cost=90000)
    (tools / "ledgerly-finance.yaml").write_text(renamed)
    made["rename"] = commit(root, "Rename Ledgerly's record", "2026-03-02")
    (tools / "canvasly-design.yaml").unlink()
    made["delete"] = commit(root, "Remove Canvasly", "2026-04-01")
    git(root, "checkout", "-q", "-b", "adopt")
    (tools / "ledgerly-finance.yaml").write_text(renamed.replace("ring: trial", "ring: adopt"))
    commit(root, "Adopt Ledgerly", "2026-05-01")
    git(root, "checkout", "-q", "main")
    (root / "README.md").write_text("not a registry change\n")
    made["unrelated"] = commit(root, "Write a README", "2026-05-02")
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": "2026-05-04T10:00:00+00:00", "GIT_COMMITTER_DATE": "2026-05-04T10:00:00+00:00"}
    subprocess.run(["git", "merge", "-q", "--no-ff", "adopt", "-m", "Merge branch adopt"], cwd=root, env=env, check=True)
    made["merge"] = git(root, "rev-parse", "HEAD")
    shutil.copy(tools / "bastion-endpoint.yaml", root / LATIN1_NAME)
    made["latin1"] = commit(root, "Add a record with a Latin-1 file name", "2026-06-01")
    return made


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Walk:
    root = tmp_path_factory.mktemp("walk") / "repo"
    return Walk(root, _build(root))


@pytest.fixture
def walk(built: Walk, tmp_path: Path) -> Walk:
    """A copy of the built repository, for a test that adds commits to it."""
    root = tmp_path / "repo"
    shutil.copytree(built.root, root, symlinks=True)
    return Walk(root, dict(built.commits))


@dataclass
class GitCalls:
    """What the `git` first on PATH was asked: each command line, and the lines fed to
    `git diff-tree --stdin` (one per commit it was asked to diff)."""

    commands: Path
    feed: Path

    def lines(self) -> list[str]:
        return self.commands.read_text().splitlines() if self.commands.exists() else []

    def diffed(self) -> list[str]:
        return self.feed.read_text().splitlines() if self.feed.exists() else []

    def forget(self) -> None:
        for path in (self.commands, self.feed):
            path.unlink(missing_ok=True)


@pytest.fixture
def git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitCalls:
    real = shutil.which("git")
    if real is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "logging-git"
    folder.mkdir()
    calls = GitCalls(tmp_path / "git-commands.log", tmp_path / "diff-tree-feed.log")
    script = folder / "git"
    script.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\n' \"$*\" >> '{calls.commands}'\n"
        f"if [ \"$1\" = diff-tree ]; then tee -a '{calls.feed}' | '{real}' \"$@\"; exit $?; fi\n"
        f"exec '{real}' \"$@\"\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return calls


def ledger_bytes(root: Path, *args: str) -> bytes:
    result = govlint("history", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout_bytes


def first_parent_lines(root: Path) -> list[str]:
    """The line `git diff-tree --stdin` is fed for each commit of the first-parent walk."""
    listing = git(root, "log", "--first-parent", "--reverse", "--format=%H %P")
    return [" ".join(line.split()[:2]) for line in listing.splitlines()]


def changes_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("changes-*.json"))


def test_a_warm_ledger_is_the_cold_ledger_byte_for_byte(built: Walk, private_cache: Path) -> None:
    cold = ledger_bytes(built.root, "--no-cache")
    filling = ledger_bytes(built.root)
    assert changes_files(private_cache), "the first cached run stores the commits' changes"
    warm = ledger_bytes(built.root)
    assert cold == filling == warm
    # The ledger compared holds each kind of change the cache must keep apart.
    decisions = json.loads(cold.decode("utf-8"))["decisions"]  # UTF-8, as JSON must be
    told = {(d["commit"], d["op"], d["action"], d["entity"]) for d in decisions}
    made = built.commits
    assert (made["rename"], "modify", "rename", "tool/ledgerly-finance") in told
    assert (made["delete"], "remove", "remove tool", "tool/canvasly-design") in told
    assert any(c == made["merge"] and entity == "tool/ledgerly-finance" for c, _, _, entity in told)
    assert any(c == made["latin1"] and entity == "tool/caf\udce9" for c, _, _, entity in told)
    for args in (["--entity", "tool/ledgerly-finance"], ["--since", "2026-03-01", "--until", "2026-05-04"]):
        assert ledger_bytes(built.root, *args, "--no-cache") == ledger_bytes(built.root, *args)


def test_a_warm_run_asks_git_to_diff_no_commit(walk: Walk, git_calls: GitCalls, private_cache: Path) -> None:
    walked = first_parent_lines(walk.root)
    cold = ledger_bytes(walk.root)
    assert git_calls.diffed() == walked  # the cold run asks about every commit, once
    git_calls.forget()

    assert ledger_bytes(walk.root) == cold
    assert git_calls.lines(), "the logging git was not the one run"
    assert not [line for line in git_calls.lines() if line.startswith("diff-tree")]
    [stored] = changes_files(private_cache)
    assert set(json.loads(stored.read_bytes())["commits"]) == set(walked)  # the unchanged ones too

    # A new commit: git diffs it alone, and the ledger grows by its decision.
    tools = walk.root / "registry" / "tools"
    (tools / "ledgerly-finance.yaml").write_text(tool_text("ledgerly-finance", "Ledgerly", "adopt", cost=120000))
    new = commit(walk.root, "Raise Ledgerly's budget", "2026-07-01")
    git_calls.forget()
    grown = ledger_bytes(walk.root)
    assert git_calls.diffed() == [f"{new} {walk.commits['latin1']}"]
    assert grown == ledger_bytes(walk.root, "--no-cache")
    assert new.encode() in grown


CORRUPTIONS = {
    "not JSON": b'{"govlint":"commit changes","version":1,"question":',
    "empty": b"",
    "a list": b"[]",
    "binary": bytes(range(256)),
    "another question": None,  # the stored document, its question replaced
    "entries not an object": None,  # the stored document, its commits a list
}


@pytest.mark.parametrize("damage", list(CORRUPTIONS))
def test_a_corrupt_cache_file_is_a_miss(walk: Walk, git_calls: GitCalls, private_cache: Path, damage: str) -> None:
    cold = ledger_bytes(walk.root)
    [stored] = changes_files(private_cache)
    document = json.loads(stored.read_bytes())
    replacement = CORRUPTIONS[damage]
    if damage == "another question":
        replacement = json.dumps({**document, "question": "registry\0--root"}).encode()
    elif damage == "entries not an object":
        replacement = json.dumps({**document, "commits": list(document["commits"])}).encode()
    assert replacement is not None
    stored.write_bytes(replacement)
    git_calls.forget()

    assert ledger_bytes(walk.root) == cold
    assert git_calls.diffed() == first_parent_lines(walk.root)  # every commit asked again
    assert json.loads(stored.read_bytes())["commits"] == document["commits"]  # and stored again


@pytest.mark.parametrize(
    "row_damage",
    [
        lambda row: row[:6],  # a field missing
        lambda row: [row[0], row[1], row[2], row[3], "not an object id", row[5], row[6]],
        lambda row: ["Q", *row[1:]],  # no status git writes
        lambda row: [row[0], 7, *row[2:]],  # a path that is not text
        lambda row: [*row[:5], "100644; rm -rf", row[6]],
    ],
    ids=["short row", "bad blob id", "bad status", "path not text", "bad mode"],
)
def test_a_damaged_entry_is_a_miss_for_its_commit_alone(
    walk: Walk, git_calls: GitCalls, private_cache: Path, row_damage: object
) -> None:
    cold = ledger_bytes(walk.root)
    [stored] = changes_files(private_cache)
    document = json.loads(stored.read_bytes())
    damaged = f"{walk.commits['rename']} {walk.commits['add']}"
    assert callable(row_damage)
    document["commits"][damaged] = [row_damage(row) for row in document["commits"][damaged]]
    stored.write_text(json.dumps(document))
    git_calls.forget()

    assert ledger_bytes(walk.root) == cold
    assert git_calls.diffed() == [damaged]


def test_no_cache_writes_nothing(built: Walk, git_calls: GitCalls, private_cache: Path) -> None:
    ledger_bytes(built.root, "--no-cache")
    assert not private_cache.exists() or not any(private_cache.iterdir())
    git_calls.forget()
    ledger_bytes(built.root, "--no-cache")
    assert git_calls.diffed() == first_parent_lines(built.root)  # nothing was read from a cache either


def test_a_file_name_that_is_not_utf8_round_trips(built: Walk, tmp_path: Path) -> None:
    repo, _ = open_repository(built.root)
    commits = first_parent_commits(repo, "HEAD")
    asked = first_parent_changes(repo, commits, "registry")
    stored = first_parent_changes(repo, commits, "registry", tmp_path / "cache")
    cached = first_parent_changes(repo, commits, "registry", tmp_path / "cache")
    assert asked == stored == cached
    [latin1] = cached[built.commits["latin1"]]
    assert latin1.new_path == LATIN1_NAME and latin1.status == "A"
    assert latin1.new_path.encode("utf-8", "surrogateescape") == b"registry/tools/caf\xe9.yaml"
    # Commits that changed nothing under the folder are left out, as before: not empty lists.
    assert built.commits["unrelated"] not in cached


def test_the_cache_keeps_what_the_last_run_used_and_a_bounded_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "CHANGES_KEPT", 1)
    row = ("A", None, "registry/tools/a.yaml", None, "1" * 40, "000000", "100644")
    first = CommitChanges(tmp_path, "registry")
    for number in range(3):
        first.put(f"{number:040d}", None, [row])
    first.save()

    second = CommitChanges(tmp_path, "registry")
    assert second.get(f"{2:040d}", None) == [row]
    second.put(f"{3:040d}", f"{2:040d}", [])
    second.save()
    kept = json.loads(second.path.read_bytes())["commits"]
    # Used and added first, then one of the others (CHANGES_KEPT), the most recent first.
    assert list(kept) == [f"{2:040d}", f"{3:040d} {2:040d}", f"{0:040d}"]
    # Another question is another file: the answers for one folder are never another's.
    assert CommitChanges(tmp_path, "elsewhere/registry").get(f"{2:040d}", None) is None


def test_only_govlints_own_changes_files_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "CHANGE_FILES_KEPT", 1)
    mine = tmp_path / f"changes-{'0' * 24}.json"
    mine.write_text('{"someone": "else"}')
    notes = tmp_path / "changes-notes.json"
    notes.write_text("{}")
    row = ("D", "registry/tools/a.yaml", None, "1" * 40, None, "100644", "000000")
    older = CommitChanges(tmp_path, "one/registry")
    older.put("a" * 40, None, [row])
    older.save()
    os.utime(older.path, (1, 1))  # long ago
    newer = CommitChanges(tmp_path, "two/registry")
    newer.put("b" * 40, None, [row])
    newer.save()
    assert newer.path.exists() and not older.path.exists()
    assert mine.exists() and notes.exists()
