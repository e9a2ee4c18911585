"""`govlint check --timings`: one line per stage on stderr, the report unchanged; and the
progress line of a long run, shown only on a terminal."""

from __future__ import annotations

import io
import os
import sys
import time

import pytest

from conftest import MiniRepo, commit_all, git, git_init, govlint

from govlint import timings as timings_module
from govlint.timings import Timings

TODAY = "2026-11-23"


def stage_names(stderr: str) -> list[str]:
    names = []
    for line in stderr.splitlines():
        assert line.startswith("timing: "), line
        name, seconds, unit = line[len("timing: "):].rsplit(maxsplit=2)
        assert unit == "s" and float(seconds) >= 0, line
        names.append(name.strip())
    return names


def test_timings_lines_on_stderr_and_report_unchanged(mini_repo: MiniRepo) -> None:
    mini_repo.tool("bad", sso=False)
    plain = govlint("check", str(mini_repo.root), "--today", TODAY, "--format", "json")
    timed = govlint("check", str(mini_repo.root), "--today", TODAY, "--format", "json", "--timings")
    assert plain.exit_code == timed.exit_code == 1
    assert timed.stdout == plain.stdout
    assert plain.stderr == ""
    names = stage_names(timed.stderr)
    for stage in ("read rules", "read+validate head", "evaluate head", "locate", "report", "total"):
        assert stage in names
    assert "evaluate base" not in names


def test_change_mode_times_head_and_base_apart(mini_repo: MiniRepo) -> None:
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base")
    git(mini_repo.root, "checkout", "-q", "-b", "proposal")
    mini_repo.tool("bad", sso=False)
    commit_all(mini_repo.root, "a breaking tool")
    plain = govlint("check", str(mini_repo.root), "--today", TODAY, "--base", "main")
    timed = govlint("check", str(mini_repo.root), "--today", TODAY, "--base", "main", "--timings")
    assert timed.stdout == plain.stdout and timed.exit_code == plain.exit_code == 1
    names = stage_names(timed.stderr)
    for stage in ("read+validate head", "read+validate base", "evaluate head", "evaluate base"):
        assert stage in names


def test_no_progress_line_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timings_module, "PROGRESS_AFTER_SECONDS", 0.0)
    stream = io.StringIO()
    timings = Timings(progress=stream)
    with timings.stage("evaluate head"):
        time.sleep(0.6)
    timings.finish()
    assert stream.getvalue() == ""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_line_on_a_terminal_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    import pty

    monkeypatch.setattr(timings_module, "PROGRESS_AFTER_SECONDS", 0.0)
    leader, follower = pty.openpty()
    with os.fdopen(follower, "w", encoding="utf-8", closefd=True) as terminal:
        timings = Timings(progress=terminal)
        with timings.stage("evaluate head"):
            time.sleep(0.6)
        timings.finish()
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the follower end is closed: all was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert b"govlint: evaluate head" in shown
    assert shown.endswith(b"\r\x1b[K")


def test_cold_change_check_reads_each_blob_once(mini_repo: MiniRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """--no-cache in change mode: the base's unchanged files are the head's blobs, read once."""
    from govlint import registry

    mini_repo.tool("second")
    mini_repo.tool("third", sso=False)
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base")
    git(mini_repo.root, "checkout", "-q", "-b", "proposal")
    mini_repo.tool("second", sso=False)
    commit_all(mini_repo.root, "second loses its sso")
    cached = govlint("check", str(mini_repo.root), "--today", TODAY, "--base", "main", "--format", "json")

    reads: list[str] = []
    original = registry.read_record

    def counting(kind: object, stem: str, data: bytes, schemas: object) -> object:
        reads.append(stem)
        return original(kind, stem, data, schemas)  # type: ignore[arg-type]

    monkeypatch.setattr(registry, "read_record", counting)
    cold = govlint("check", str(mini_repo.root), "--today", TODAY, "--base", "main", "--format", "json", "--no-cache")
    assert sorted(reads) == ["good", "second", "second", "third"]
    assert cold.stdout == cached.stdout and cold.exit_code == cached.exit_code == 1
