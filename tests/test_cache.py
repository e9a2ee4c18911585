"""The record cache: hits, misses after an edit, corruption, disabled, concurrent runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import MiniRepo, check_json, commit_all, git, git_init


def cache_file(folder: Path) -> Path:
    [found] = folder.glob("records-*.json")
    return found


def entries(folder: Path) -> dict:
    return json.loads(cache_file(folder).read_text())["entries"]


def test_first_run_fills_the_cache_with_one_entry_per_record(mini_repo: MiniRepo, private_cache: Path) -> None:
    mini_repo.tool("second")
    assert check_json(mini_repo.root)[0] == 0
    assert sorted(key.split(":")[0] for key in entries(private_cache)) == ["tool/good", "tool/second"]


def test_a_hit_uses_the_cached_result(mini_repo: MiniRepo, private_cache: Path) -> None:
    check_json(mini_repo.root)
    path = cache_file(private_cache)
    document = json.loads(path.read_text())
    [key] = document["entries"]
    document["entries"][key]["problems"] = [["SCHEMA", 2, "planted in the cache", "id"]]
    path.write_text(json.dumps(document))
    code, report = check_json(mini_repo.root)
    assert code == 1 and report["findings"][0]["message"] == "planted in the cache"


def test_an_edit_misses_and_replaces_the_entry(mini_repo: MiniRepo, private_cache: Path) -> None:
    check_json(mini_repo.root)
    before = set(entries(private_cache))
    mini_repo.tool("good", sso=False)
    code, report = check_json(mini_repo.root)
    assert code == 1 and report["findings"][0]["rule"] == "MINI-SSO"
    after = set(entries(private_cache))
    assert len(after) == 1 and after != before


def test_a_corrupt_cache_is_discarded_and_rewritten(mini_repo: MiniRepo, private_cache: Path) -> None:
    check_json(mini_repo.root)
    path = cache_file(private_cache)
    path.write_bytes(b"\x00{not json")
    assert check_json(mini_repo.root) == check_json(mini_repo.root)
    assert json.loads(path.read_text())["version"] == 1


def test_a_malformed_entry_is_a_miss(mini_repo: MiniRepo, private_cache: Path) -> None:
    check_json(mini_repo.root)
    path = cache_file(private_cache)
    document = json.loads(path.read_text())
    [key] = document["entries"]
    document["entries"][key] = {"record": "not a mapping", "problems": "x", "bad": []}
    path.write_text(json.dumps(document))
    assert check_json(mini_repo.root) == (0, check_json(mini_repo.root, "--no-cache")[1])


def test_no_cache_writes_nothing(mini_repo: MiniRepo, private_cache: Path) -> None:
    assert check_json(mini_repo.root, "--no-cache")[0] == 0
    assert not private_cache.exists()


def test_a_schema_change_starts_a_new_cache(mini_repo: MiniRepo, private_cache: Path) -> None:
    check_json(mini_repo.root)
    schema = mini_repo.root / "schemas" / "tool.schema.json"
    body = json.loads(schema.read_text())
    body["required"].append("sso")
    schema.write_text(json.dumps(body))
    check_json(mini_repo.root)
    assert len(list(private_cache.glob("records-*.json"))) == 2


def test_git_blobs_and_working_tree_files_share_entries(mini_repo: MiniRepo, private_cache: Path) -> None:
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base")
    git(mini_repo.root, "checkout", "-q", "-b", "next")
    check_json(mini_repo.root)  # working tree
    first = set(entries(private_cache))
    check_json(mini_repo.root, "--base", "main", "--head", "next")  # git objects, same content
    assert set(entries(private_cache)) == first


def test_concurrent_runs_all_succeed_and_leave_a_valid_cache(mini_repo: MiniRepo, private_cache: Path) -> None:
    for index in range(30):
        mini_repo.tool(f"tool-{index}")
    command = [sys.executable, "-m", "govlint", "check", str(mini_repo.root), "--format", "json"]
    env = {"GOVLINT_CACHE_DIR": str(private_cache), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(4)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert len(entries(private_cache)) == 31
