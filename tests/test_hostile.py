"""Hostile input: every bad file is a finding with its rule, file and line, quickly, never a crash."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import MiniRepo, check_json, commit_all, git, git_init, write

TOOL = "registry/tools/hostile.yaml"


def findings_for(repo: MiniRepo, content: bytes) -> list[tuple[str, str, int | None]]:
    write(repo.root / TOOL, content)
    code, report = check_json(repo.root)
    assert code == 1, report
    return [(f["rule"], f["file"], f["line"]) for f in report["findings"]]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"kind: tool\nid: hostile\nname: a\nname: b\n", ("YAML", TOOL, 4)),
        (b"kind: tool\nid: hostile\nname: &n a\nsso: true\n", ("YAML", TOOL, 3)),
        (b"kind: tool\nid: hostile\nname: !!python/object/apply:os.system [echo]\n", ("YAML", TOOL, 3)),
        (b"kind: tool\nid: hostile\nname: !custom a\n", ("YAML", TOOL, 3)),
        (b"kind: tool\nid: hostile\nname: a\nsso:\n\t- true\n", ("YAML", TOOL, 5)),
        (b"", ("YAML", TOOL, 1)),
        (b"   \n\n# nothing\n", ("YAML", TOOL, 1)),
        (b"- kind: tool\n- id: hostile\n", ("SCHEMA", TOOL, 1)),
        (b"just a sentence\n", ("SCHEMA", TOOL, 1)),
        (b"kind: tool\nid: hostile\nname: caf\xe9\n", ("YAML", TOOL, 3)),
        ("kind: tool\nid: hostile\nname: a\n".encode("utf-16"), ("YAML", TOOL, 1)),
        (bytes(range(256)) * 4, ("YAML", TOOL, 2)),  # the first non-UTF-8 byte, 0x80, is on line 2
        (b"kind: tool\nid: hostile\nname: a\nsso: yes\n", ("SCHEMA", TOOL, 4)),
        (b"kind: tool\nid: hostile\nname: a\nsso: 1.0\n", ("SCHEMA", TOOL, 4)),
        (b"kind: tool\nid: hostile\nname: a\nsso: true\n---\nkind: tool\n", ("YAML", TOOL, 5)),
    ],
    ids=[
        "duplicate-key", "anchor", "python-tag", "custom-tag", "tab", "empty", "blank", "top-level-list",
        "top-level-scalar", "latin-1", "utf-16", "binary", "yes-is-not-true", "a-number-is-not-true", "two-documents",
    ],
)
def test_bad_yaml_is_a_located_finding(mini_repo: MiniRepo, content: bytes, expected: tuple[str, str, int]) -> None:
    assert expected in findings_for(mini_repo, content)


@pytest.mark.parametrize("written", ["NO", "on", "off", "yes", "y", "2026-01-05", "1.10", "1e3", "0x1F", "true", "12:30"])
def test_yaml_1_1_scalars_keep_their_text_where_text_is_wanted(mini_repo: MiniRepo, written: str) -> None:
    """A name written `1.10`, `NO` or `true` is that text, as written, never 1.1 or false."""
    mini_repo.policy(
        "name_echo.rego",
        "package govlint.rules.name_echo\n\nwarn contains f if {\n  some id, t in input.registry.tools\n"
        '  id == "hostile"\n  f := {"rule": "ECHO", "entity": "tool/hostile", "message": t.name}\n}\n',
    )
    write(mini_repo.root / TOOL, f"kind: tool\nid: hostile\nname: {written}\nsso: true\n")
    code, report = check_json(mini_repo.root)
    assert code == 0
    assert [(f["rule"], f["message"]) for f in report["findings"]] == [("ECHO", written)]


def test_alias_bomb_is_rejected_in_milliseconds(mini_repo: MiniRepo) -> None:
    layers = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for depth in range(1, 12):
        previous = chr(ord("a") + depth - 1)
        layers.append(f"{chr(ord('a') + depth)}: &{chr(ord('a') + depth)} [" + ", ".join([f"*{previous}"] * 10) + "]")
    started = time.monotonic()
    found = findings_for(mini_repo, ("\n".join(layers) + "\n").encode())
    assert time.monotonic() - started < 5
    assert ("YAML", TOOL, 1) in found


def test_deep_nesting_is_a_finding_not_a_recursion_error(mini_repo: MiniRepo) -> None:
    deep = b"kind: tool\nid: hostile\nname: " + b"[" * 50_000 + b"]" * 50_000 + b"\n"
    assert ("YAML", TOOL, 3) in findings_for(mini_repo, deep)


def test_file_over_the_size_limit_is_refused(mini_repo: MiniRepo) -> None:
    big = b"kind: tool\nid: hostile\nname: a\ndescription: " + b"x" * (1024 * 1024) + b"\n"
    assert ("YAML", TOOL, 1) in findings_for(mini_repo, big)


def test_byte_order_mark_is_accepted(mini_repo: MiniRepo) -> None:
    write(mini_repo.root / TOOL, b"\xef\xbb\xbfkind: tool\nid: hostile\nname: a\nsso: true\n")
    assert check_json(mini_repo.root)[0] == 0


def test_crlf_keeps_policy_finding_lines(mini_repo: MiniRepo) -> None:
    write(mini_repo.root / TOOL, b"kind: tool\r\nid: hostile\r\nname: a\r\n\r\nsso: false\r\n")
    code, report = check_json(mini_repo.root)
    assert code == 1
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("MINI-SSO", 5)]


def test_case_colliding_file_names(mini_repo: MiniRepo) -> None:
    write(mini_repo.root / "registry" / "tools" / "Good.yaml", "kind: tool\nid: good\nname: x\nsso: true\n")
    if (mini_repo.root / "registry" / "tools" / "good.yaml").read_text() != "kind: tool\nid: good\nname: Tool good\nsso: true\n":
        pytest.skip("case-insensitive file system")
    code, report = check_json(mini_repo.root)
    assert code == 1
    assert ("SCHEMA", "registry/tools/good.yaml", 1) in {(f["rule"], f["file"], f["line"]) for f in report["findings"]}


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
@pytest.mark.parametrize("folder", ["registry/tools", "policies", "schemas"])
@pytest.mark.parametrize("target", ["outside-file", "directory", "dangling"])
def test_symlinks_are_refused_everywhere(mini_repo: MiniRepo, tmp_path: Path, folder: str, target: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write(outside / "secret.txt", "SECRET-CONTENT: 1\n")
    pointee = {"outside-file": secret, "directory": outside, "dangling": outside / "missing"}[target]
    suffix = {"registry/tools": ".yaml", "policies": ".rego", "schemas": ".json"}[folder]
    link = mini_repo.root / folder / f"linked{suffix}"
    os.symlink(pointee, link)
    code, report = check_json(mini_repo.root)
    assert code == 1
    assert ("YAML", f"{folder}/linked{suffix}", 1) in {(f["rule"], f["file"], f["line"]) for f in report["findings"]}
    assert "SECRET" not in json.dumps(report)


def test_files_moved_between_kinds(mini_repo: MiniRepo) -> None:
    write(mini_repo.root / "schemas" / "vendor.schema.json", json.dumps({"type": "object"}))
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base")
    git(mini_repo.root, "checkout", "-q", "-b", "move")
    (mini_repo.root / "registry" / "vendors").mkdir()
    git(mini_repo.root, "mv", "registry/tools/good.yaml", "registry/vendors/good.yaml")
    commit_all(mini_repo.root, "move a tool to vendors")
    from govlint.check import CheckSettings, judge

    judgement = judge(CheckSettings(repo=mini_repo.root, base="main", head="move", today="2026-11-22", no_cache=True))
    assert [(c.kind, c.id, c.op) for c in judgement.changes] == [("tool", "good", "remove"), ("vendor", "good", "add")]
