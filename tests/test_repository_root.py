"""Every command finds the governance repository from a subfolder, takes REPO the same way,
and the pre-commit mode judges against the upstream branch when there is one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import TODAY, commit_all, copy_reference, git, git_init, govlint, write


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return copy_reference(tmp_path / "gov")


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--today", TODAY],
        ["policies"],
        ["explain", "TOOL-SPEND"],
        ["test", "--run", "threshold"],
        ["codeowners", "--check"],
    ],
)
def test_commands_run_from_a_subfolder(reference: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    govlint("codeowners", str(reference))
    monkeypatch.chdir(reference / "registry" / "tools")
    result = govlint(*command)
    assert "no JSON Schemas" not in result.stderr
    assert result.exit_code == 0, result.stdout + result.stderr


def test_repo_argument_may_name_a_subfolder(reference: Path) -> None:
    result = govlint("check", str(reference / "registry" / "tools"), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "in 0 files" not in result.stdout


def test_a_mistyped_subfolder_is_an_error_not_the_whole_repository(reference: Path) -> None:
    result = govlint("check", str(reference / "registry" / "tols"), "--today", TODAY)
    assert result.exit_code == 2
    assert "registry/tols" in result.stderr and result.stderr.count("\n") == 1


def test_registry_empty_is_explained() -> None:
    result = govlint("explain", "REGISTRY-EMPTY")
    assert result.exit_code == 0 and "vacuously" in result.stdout


def test_explain_takes_repo_as_argument_and_option(reference: Path) -> None:
    by_argument = govlint("explain", "TOOL-SPEND", str(reference))
    by_option = govlint("explain", "TOOL-SPEND", "--repo", str(reference))
    assert by_argument.exit_code == by_option.exit_code == 0
    assert by_argument.stdout == by_option.stdout
    assert "finance_threshold" in by_argument.stdout


def test_a_folder_outside_any_governance_repository_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = govlint("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is this a governance repository?" in result.stderr


def test_an_empty_registry_is_a_warning_not_a_silent_pass(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "gov", with_registry=False)
    result = govlint("check", str(root), "--format", "json", "--today", TODAY)
    report = json.loads(result.stdout)
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("REGISTRY-EMPTY", "warning")]
    assert govlint("check", str(root), "--strict", "--today", TODAY).exit_code == 1


def _new_tool_at_adopt(root: Path) -> None:
    text = (root / "registry" / "tools" / "quarry-bi.yaml").read_text(encoding="utf-8")
    write(root / "registry" / "tools" / "quarry-bi-2.yaml", text.replace("id: quarry-bi\n", "id: quarry-bi-2\n"))


def test_base_if_upstream_judges_the_change_against_the_upstream_branch(tmp_path: Path) -> None:
    """The reproduction from issue 11: a new tool at `ring: adopt` passed the pre-commit hook
    (full mode) and failed in CI on TOOL-RING-SKIP. With an upstream, the hook sees it."""
    upstream = copy_reference(tmp_path / "upstream")
    git_init(upstream)
    commit_all(upstream, "reference")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    _new_tool_at_adopt(clone)
    hook = govlint("check", str(clone), "--base-if-upstream", "--format", "json", "--today", TODAY)
    rules = {f["rule"] for f in json.loads(hook.stdout)["findings"]}
    assert "TOOL-RING-SKIP" in rules
    assert hook.exit_code == 1


def test_base_if_upstream_is_full_mode_without_an_upstream(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "gov")
    git_init(root)
    commit_all(root, "reference")
    _new_tool_at_adopt(root)
    result = govlint("check", str(root), "--base-if-upstream", "--format", "json", "--today", TODAY)
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "TOOL-RING-SKIP" not in rules  # a change-mode rule: it needs a base
    assert result.exit_code in (0, 1) and "Traceback" not in result.stderr


def test_pre_commit_hook_runs_the_upstream_mode() -> None:
    from conftest import ROOT

    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["govlint"]["entry"] == "govlint check --base-if-upstream"
    assert hooks["govlint-codeowners"]["entry"] == "govlint codeowners --check"
