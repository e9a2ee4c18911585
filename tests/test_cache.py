"""The record cache: hits, misses after an edit, corruption, disabled, concurrent runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MiniRepo, check_json, commit_all, git, git_init, govlint, write
from govlint.cache import FORMAT_VERSION


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
    assert json.loads(path.read_text())["version"] == FORMAT_VERSION


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


def evaluation_files(folder: Path) -> list[Path]:
    return sorted((folder / "evaluations").glob("*.json"))


def test_an_unchanged_check_reuses_its_evaluation(mini_repo: MiniRepo, private_cache: Path) -> None:
    """The same policies, input and data give the same answer: a planted answer proves reuse."""
    check_json(mini_repo.root)
    [path] = evaluation_files(private_cache)
    document = json.loads(path.read_text())
    # The rules' answer as the engine gives it: each package's set inside a one-element array.
    planted = {"mini_sso": {"deny": [[{"rule": "MINI-SSO", "entity": "tool/good", "message": "planted", "path": "sso"}]], "warn": []}}
    document["values"] = [planted]
    path.write_text(json.dumps(document))
    code, report = check_json(mini_repo.root)
    assert code == 1 and [f["message"] for f in report["findings"]] == ["planted"]


def test_an_edit_another_date_or_other_approvals_evaluate_afresh(mini_repo: MiniRepo, private_cache: Path, tmp_path: Path) -> None:
    check_json(mini_repo.root)
    mini_repo.tool("good", sso=False)
    code, report = check_json(mini_repo.root)
    assert code == 1 and report["findings"][0]["rule"] == "MINI-SSO"
    check_json(mini_repo.root, "--today", "2027-01-01")
    assert len(evaluation_files(private_cache)) == 3


def test_a_corrupt_or_foreign_evaluation_is_a_miss(mini_repo: MiniRepo, private_cache: Path) -> None:
    mini_repo.tool("good", sso=False)
    check_json(mini_repo.root)
    [path] = evaluation_files(private_cache)
    for garbage in (b"\x00not json", b'{"key": "another", "values": []}', b'{"values": "x"}', b"[]"):
        path.write_bytes(garbage)
        code, report = check_json(mini_repo.root)
        assert code == 1 and [f["rule"] for f in report["findings"]] == ["MINI-SSO"]


def test_old_evaluations_are_pruned(mini_repo: MiniRepo, private_cache: Path) -> None:
    from govlint.cache import EVALUATIONS_KEPT

    for day in range(1, EVALUATIONS_KEPT + 6):
        check_json(mini_repo.root, "--today", f"2026-01-{day:02d}")
    assert len(evaluation_files(private_cache)) == EVALUATIONS_KEPT


def test_no_cache_evaluates_every_time(mini_repo: MiniRepo, private_cache: Path) -> None:
    check_json(mini_repo.root, "--no-cache")
    check_json(mini_repo.root, "--no-cache")
    assert not private_cache.exists()


def test_a_schema_marker_for_other_schemas_is_not_trusted(mini_repo: MiniRepo, private_cache: Path) -> None:
    """Schemas that passed the metaschema check are remembered by their whole fingerprint:
    a marker file at the right name that holds anything else does not count."""
    from govlint.cache import fingerprint

    schema = mini_repo.root / "schemas" / "tool.schema.json"
    body = json.loads(schema.read_text())
    body["properties"]["sso"] = {"type": "no-such-type"}
    schema.write_text(json.dumps(body))
    digest = fingerprint({"schemas/tool.schema.json": schema.read_bytes()})
    private_cache.mkdir()
    (private_cache / f"schemas-{digest[:32]}.checked").write_text(digest[:32] + "0" * 32 + "\n")
    result = govlint("check", str(mini_repo.root))
    assert result.exit_code == 2 and "is not a valid JSON Schema" in result.stderr


def test_valid_schemas_are_checked_once(mini_repo: MiniRepo, private_cache: Path) -> None:
    check_json(mini_repo.root)
    [marker] = private_cache.glob("schemas-*.checked")
    assert len(marker.read_text().strip()) == 64


def test_the_default_cache_is_never_a_relative_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from govlint.cache import default_directory

    monkeypatch.delenv("GOVLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "")
    found = default_directory()
    assert found is None or found.is_absolute()  # no home: no cache, never a relative one
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")
        assert default_directory() == Path("/var/cache/someone/govlint")


@pytest.fixture
def indexed_repo(mini_repo: MiniRepo, monkeypatch: pytest.MonkeyPatch) -> MiniRepo:
    """A committed mini repository whose working tree takes blob ids from git's index
    (the threshold lowered so that two files are enough)."""
    import govlint.read

    monkeypatch.setattr(govlint.read, "GIT_IDS_MINIMUM", 1)
    mini_repo.tool("second")
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base")
    assert check_json(mini_repo.root)[0] == 0  # fills the cache from the committed content
    return mini_repo


def test_an_uncommitted_edit_is_read_not_taken_from_git(indexed_repo: MiniRepo) -> None:
    indexed_repo.tool("good", sso=False)
    code, report = check_json(indexed_repo.root)
    assert code == 1 and [(f["rule"], f["file"]) for f in report["findings"]] == [("MINI-SSO", "registry/tools/good.yaml")]


def test_an_assume_unchanged_file_is_still_read(indexed_repo: MiniRepo) -> None:
    git(indexed_repo.root, "update-index", "--assume-unchanged", "registry/tools/good.yaml")
    indexed_repo.tool("good", sso=False)
    code, report = check_json(indexed_repo.root)
    assert code == 1 and [f["rule"] for f in report["findings"]] == ["MINI-SSO"]


def test_a_file_under_a_filter_attribute_is_still_read(indexed_repo: MiniRepo) -> None:
    write(indexed_repo.root / ".gitattributes", "registry/tools/good.yaml filter=smudged\n")
    from govlint import git as govlint_git

    assert "registry/tools/good.yaml" not in govlint_git.unchanged_blob_ids(indexed_repo.root, "registry")
    assert "registry/tools/second.yaml" in govlint_git.unchanged_blob_ids(indexed_repo.root, "registry")


def test_outside_git_every_file_is_read(mini_repo: MiniRepo) -> None:
    from govlint import git as govlint_git

    assert govlint_git.unchanged_blob_ids(mini_repo.root, "registry") == {}


def lines_file(folder: Path) -> Path:
    [found] = folder.glob("lines-*.json")
    return found


def test_a_finding_in_an_unchanged_file_is_placed_from_the_line_cache(mini_repo: MiniRepo, private_cache: Path) -> None:
    mini_repo.tool("bare", sso=False)
    assert check_json(mini_repo.root)[1]["findings"][0]["line"] == 4
    path = lines_file(private_cache)
    document = json.loads(path.read_text())
    [content_id] = document["entries"]
    document["entries"][content_id]["sso"] = 3
    path.write_text(json.dumps(document))
    assert check_json(mini_repo.root, "--today", "2027-01-01")[1]["findings"][0]["line"] == 3


def test_an_edited_file_is_placed_afresh_and_a_corrupt_line_cache_ignored(mini_repo: MiniRepo, private_cache: Path) -> None:
    mini_repo.tool("bare", sso=False)
    check_json(mini_repo.root)
    lines_file(private_cache).write_bytes(b"\x00 not json")
    assert check_json(mini_repo.root, "--today", "2027-01-01")[1]["findings"][0]["line"] == 4
    (mini_repo.root / "registry" / "tools" / "bare.yaml").write_text(
        "kind: tool\nid: bare\n# a comment pushes sso down\nname: Tool bare\n\nsso: false\n"
    )
    assert check_json(mini_repo.root)[1]["findings"][0]["line"] == 6


def test_a_cache_made_by_other_reading_code_is_another_cache(
    mini_repo: MiniRepo, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import govlint.cache

    check_json(mini_repo.root)
    monkeypatch.setattr(govlint.cache, "_reading_code", lambda also=(): b"changed reading code")
    check_json(mini_repo.root)
    assert len(list(private_cache.glob("records-*.json"))) == 2
