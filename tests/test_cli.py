"""The check command end to end on a tiny repository: exit codes, formats, output, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import MiniRepo, check_json, govlint, write


def test_compliant_registry_passes(mini_repo: MiniRepo) -> None:
    code, report = check_json(mini_repo.root)
    assert code == 0
    assert report == {
        "kind": "govlint-check", "version": 1, "tool": {"name": "govlint", "version": report["tool"]["version"]},
        "failed": False, "strict": False, "today": "2026-11-22", "approvals_checked": None,
        "summary": {"errors": 0, "warnings": 0, "waived": 0, "existing_errors": 0, "existing_warnings": 0}, "files_checked": 1, "findings": [],
    }


def test_policy_finding_has_file_line_and_exit_1(mini_repo: MiniRepo) -> None:
    mini_repo.tool("bare", sso=False)
    code, report = check_json(mini_repo.root)
    assert code == 1
    [finding] = report["findings"]
    assert finding == {
        "rule": "MINI-SSO", "severity": "error", "entity": "tool/bare", "file": "registry/tools/bare.yaml",
        "line": 4, "column": 1, "message": "tool has no SSO", "path": "sso", "waived_by": None, "origin": None,
    }


def test_text_format_groups_by_file_and_summarises(mini_repo: MiniRepo) -> None:
    mini_repo.tool("bare", sso=False)
    result = govlint("check", str(mini_repo.root), "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "registry/tools/bare.yaml:4:1: MINI-SSO error tool has no SSO" in result.stdout.splitlines()
    assert "govlint: failed: 1 error, 0 warnings, 0 waived in 2 files" in result.stdout.splitlines()
    assert result.stdout.strip().endswith("govlint: judged as of 2026-11-22")


@pytest.mark.parametrize(
    ("text", "rule", "line", "message"),
    [
        ("kind: tool\nid: broken\nname: [unclosed\n", "YAML", 3, "invalid YAML"),
        ("kind: tool\nid: broken\nname: [a, b]\n", "SCHEMA", 3, "name: ['a', 'b'] is not of type 'string'"),
        ("kind: tool\nid: broken\nname: x\nsso: 1\n", "SCHEMA", 4, "sso: 1 is not of type 'boolean'"),
        ("kind: tool\nid: broken\nname: x\ncolour: red\n", "SCHEMA", 4, "unknown field 'colour'"),
        ("kind: tool\nname: x\n", "SCHEMA", 1, "missing required field 'id'"),
        ("kind: tool\nid: other\nname: x\n", "SCHEMA", 2, "does not match the file name"),
        ("- kind: tool\n", "SCHEMA", 1, "not a list"),
    ],
)
def test_malformed_records_are_findings_not_crashes(
    mini_repo: MiniRepo, text: str, rule: str, line: int, message: str
) -> None:
    write(mini_repo.root / "registry" / "tools" / "broken.yaml", text)
    code, report = check_json(mini_repo.root)
    assert code == 1
    found = [(f["rule"], f["file"], f["line"]) for f in report["findings"]]
    assert (rule, "registry/tools/broken.yaml", line) in found
    assert any(message in f["message"] for f in report["findings"])


def test_output_file_is_written_and_stdout_stays_empty(mini_repo: MiniRepo, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = govlint("check", str(mini_repo.root), "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_onto_a_symlink_replaces_the_link_not_its_target(mini_repo: MiniRepo, tmp_path: Path) -> None:
    """--output writes the file named, never through a link to a file the user did not name."""
    precious = write(tmp_path / "precious.txt", "keep me\n")
    link = tmp_path / "report.txt"
    link.symlink_to(precious)
    assert govlint("check", str(mini_repo.root), "--output", str(link)).exit_code == 0
    assert precious.read_text() == "keep me\n"
    assert not link.is_symlink() and "passed" in link.read_text()


def test_a_check_that_cannot_run_leaves_the_output_file_alone(mini_repo: MiniRepo, tmp_path: Path) -> None:
    earlier = write(tmp_path / "report.txt", "earlier report\n")
    mini_repo.policy("broken.rego", "package govlint.rules.broken\n\ndeny contains f if {\n")
    result = govlint("check", str(mini_repo.root), "--output", str(earlier))
    assert result.exit_code == 2
    assert earlier.read_text() == "earlier report\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "mini" and p.name != "govlint-cache") == ["report.txt"]


def test_output_into_a_missing_folder_is_one_line_exit_2(mini_repo: MiniRepo, tmp_path: Path) -> None:
    result = govlint("check", str(mini_repo.root), "--output", str(tmp_path / "nope" / "r.txt"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("govlint: error: cannot write")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--today", "22/11/2026"], "--today must be a date"),
        (["--approvals", "missing.json"], "cannot read approvals file"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(mini_repo: MiniRepo, args: list[str], expected: str) -> None:
    result = govlint("check", str(mini_repo.root), *args)
    assert result.exit_code == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1


def test_approvals_file_must_be_a_list_of_by(mini_repo: MiniRepo, tmp_path: Path) -> None:
    approvals = write(tmp_path / "approvals.json", json.dumps({"by": "someone"}))
    result = govlint("check", str(mini_repo.root), "--approvals", str(approvals))
    assert result.exit_code == 2 and "JSON array" in result.stderr


def test_a_folder_that_is_not_a_governance_repository(tmp_path: Path) -> None:
    result = govlint("check", str(tmp_path))
    assert result.exit_code == 2 and "no JSON Schemas" in result.stderr


def test_strict_makes_warnings_fail(mini_repo: MiniRepo) -> None:
    mini_repo.policy(
        "mini_warn.rego",
        "package govlint.rules.mini_warn\n\nwarn contains {\"rule\": \"MINI-WARN\", \"entity\": \"tool/good\", "
        "\"message\": \"just a warning\"}\n",
    )
    assert check_json(mini_repo.root)[0] == 0
    code, report = check_json(mini_repo.root, "--strict")
    assert code == 1 and report["summary"]["warnings"] == 1


def test_layout_problems_are_reported(mini_repo: MiniRepo) -> None:
    write(mini_repo.root / "registry" / "tools" / "notes.txt", "hello")
    write(mini_repo.root / "registry" / "tools" / "old.yml", "kind: tool\n")
    write(mini_repo.root / "registry" / "widgets" / "a.yaml", "kind: widget\n")
    code, report = check_json(mini_repo.root)
    assert code == 1
    found = {(f["rule"], f["file"]) for f in report["findings"]}
    assert found == {
        ("REGISTRY-LAYOUT", "registry/tools/notes.txt"),
        ("REGISTRY-LAYOUT", "registry/tools/old.yml"),
        ("REGISTRY-LAYOUT", "registry/widgets"),
    }


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlinks_are_refused_and_never_read(mini_repo: MiniRepo, tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.yaml", "kind: tool\nid: secret\nname: TOP-SECRET-VALUE\n")
    os.symlink(secret, mini_repo.root / "registry" / "tools" / "secret.yaml")
    os.symlink(tmp_path / "nowhere.yaml", mini_repo.root / "registry" / "tools" / "dangling.yaml")
    code, report = check_json(mini_repo.root)
    assert code == 1
    assert {(f["rule"], f["file"], f["line"]) for f in report["findings"]} == {
        ("YAML", "registry/tools/secret.yaml", 1),
        ("YAML", "registry/tools/dangling.yaml", 1),
    }
    assert "TOP-SECRET" not in json.dumps(report)


def test_output_is_deterministic(mini_repo: MiniRepo) -> None:
    for name in ("zeta", "alpha", "mid"):
        mini_repo.tool(name, sso=False)
    first = govlint("check", str(mini_repo.root), "--format", "json").stdout
    assert first == govlint("check", str(mini_repo.root), "--format", "json").stdout
    files = [f["file"] for f in json.loads(first)["findings"]]
    assert files == sorted(files)
