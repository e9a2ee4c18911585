"""Change mode on real git repositories: the base's rules judge the head, revisions read from objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINI_POLICY, MiniRepo, check_json, commit_all, git, git_init, govlint, write


@pytest.fixture
def repo(mini_repo: MiniRepo) -> MiniRepo:
    git_init(mini_repo.root)
    commit_all(mini_repo.root, "base registry")
    git(mini_repo.root, "checkout", "-q", "-b", "proposal")
    return mini_repo


def test_compliant_new_tool_passes(repo: MiniRepo) -> None:
    repo.tool("fresh")
    commit_all(repo.root, "add fresh")
    code, report = check_json(repo.root, "--base", "main")
    assert code == 0 and report["findings"] == []


def test_deleting_a_rule_does_not_let_a_breaking_tool_through(repo: MiniRepo) -> None:
    (repo.root / "policies" / "mini_sso.rego").unlink()
    repo.tool("sneaky", sso=False)
    commit_all(repo.root, "drop the rule, add a tool that breaks it")
    code, report = check_json(repo.root, "--base", "main")
    assert code == 1
    found = {(f["rule"], f["file"], f["severity"]) for f in report["findings"]}
    assert ("MINI-SSO", "registry/tools/sneaky.yaml", "error") in found
    assert ("POLICY-CHANGE", "policies/mini_sso.rego", "warning") in found


def test_weakening_a_schema_is_judged_by_the_base_schema(repo: MiniRepo) -> None:
    schema_path = repo.root / "schemas" / "tool.schema.json"
    schema = json.loads(schema_path.read_text())
    schema["additionalProperties"] = True
    schema_path.write_text(json.dumps(schema))
    repo.tool("extra", extra="colour: red\n")
    commit_all(repo.root, "loosen the schema")
    code, report = check_json(repo.root, "--base", "main")
    assert code == 1
    assert {(f["rule"], f["file"]) for f in report["findings"]} >= {("SCHEMA", "registry/tools/extra.yaml")}


def test_head_revision_is_read_from_git_objects_not_the_working_tree(repo: MiniRepo) -> None:
    repo.tool("committed", sso=False)
    commit_all(repo.root, "a breaking tool")
    (repo.root / "registry" / "tools" / "committed.yaml").unlink()  # gone from disk, still in HEAD
    code, report = check_json(repo.root, "--base", "main", "--head", "proposal")
    assert code == 1 and report["findings"][0]["file"] == "registry/tools/committed.yaml"
    assert report["findings"][0]["line"] == 4


def test_working_tree_is_the_default_head(repo: MiniRepo) -> None:
    repo.tool("uncommitted", sso=False)
    code, report = check_json(repo.root, "--base", "main")
    assert code == 1 and report["findings"][0]["file"] == "registry/tools/uncommitted.yaml"


def test_unknown_base_is_one_line_exit_2(repo: MiniRepo) -> None:
    result = govlint("check", str(repo.root), "--base", "no-such-branch")
    assert result.exit_code == 2
    assert "revision 'no-such-branch' is not in this repository" in result.stderr
    assert result.stderr.count("\n") == 1


def test_shallow_clone_missing_the_base_says_to_fetch(repo: MiniRepo, tmp_path: Path) -> None:
    repo.tool("one")
    commit_all(repo.root, "one")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "proposal", f"file://{repo.root}", str(clone))
    result = govlint("check", str(clone), "--base", "main")
    assert result.exit_code == 2 and "shallow" in result.stderr and "fetch-depth: 0" in result.stderr


def test_not_a_git_repository(mini_repo: MiniRepo) -> None:
    result = govlint("check", str(mini_repo.root), "--base", "main")
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


def test_symlink_committed_to_git_is_refused(repo: MiniRepo) -> None:
    link = repo.root / "registry" / "tools" / "link.yaml"
    link.symlink_to("/etc/passwd")
    commit_all(repo.root, "a symlink")
    link.unlink()
    code, report = check_json(repo.root, "--base", "main", "--head", "proposal")
    assert code == 1
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [("YAML", "registry/tools/link.yaml")]
    assert "root:" not in json.dumps(report)


def test_policy_only_pull_request_is_reported_as_a_policy_change(repo: MiniRepo) -> None:
    repo.policy("mini_sso.rego", MINI_POLICY.replace("tool has no SSO", "tool lacks SSO"))
    commit_all(repo.root, "reword")
    code, report = check_json(repo.root, "--base", "main")
    assert code == 0
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [("POLICY-CHANGE", "policies/mini_sso.rego")]


def test_head_that_deletes_policies_is_still_judged(repo: MiniRepo) -> None:
    for rego in (repo.root / "policies").glob("*.rego"):
        rego.unlink()
    repo.tool("unguarded", sso=False)
    commit_all(repo.root, "no more policies")
    code, report = check_json(repo.root, "--base", "main")
    assert code == 1
    assert ("MINI-SSO", "registry/tools/unguarded.yaml") in {(f["rule"], f["file"]) for f in report["findings"]}


def test_merge_commit_head(repo: MiniRepo) -> None:
    repo.tool("left")
    commit_all(repo.root, "left")
    git(repo.root, "checkout", "-q", "main")
    repo.tool("right", sso=False)
    commit_all(repo.root, "right on main")
    git(repo.root, "checkout", "-q", "proposal")
    git(repo.root, "merge", "-q", "--no-edit", "main")
    code, report = check_json(repo.root, "--base", "main", "--head", "proposal")
    # main's own problem, merged in, is main's debt: reported, not failing this pull request.
    assert code == 0
    assert {(f["file"], f["origin"]) for f in report["findings"]} == {("registry/tools/right.yaml", "existing")}
    code, _ = check_json(repo.root, "--base", "main", "--head", "proposal", "--fail-on", "existing")
    assert code == 1


def test_governance_repository_in_a_subfolder(tmp_path: Path, mini_repo: MiniRepo) -> None:
    outer = tmp_path / "mono"
    outer.mkdir()
    mini_repo.root.rename(outer / "governance")
    git_init(outer)
    commit_all(outer, "base")
    write(outer / "governance" / "registry" / "tools" / "bad.yaml", "kind: tool\nid: bad\nname: Bad\nsso: false\n")
    commit_all(outer, "bad")
    code, report = check_json(outer / "governance", "--base", "HEAD~1", "--head", "HEAD")
    assert code == 1 and report["findings"][0]["file"] == "registry/tools/bad.yaml"


def changes_of(repo: MiniRepo) -> list[tuple[str, str, str, tuple[str, ...]]]:
    from govlint.check import CheckSettings, judge

    judgement = judge(CheckSettings(repo=repo.root, base="main", head="proposal", today="2026-11-22", no_cache=True))
    return [(c.kind, c.id, c.op, c.fields) for c in judgement.changes]


def test_a_file_renamed_with_its_id_is_a_remove_and_an_add(repo: MiniRepo) -> None:
    git(repo.root, "mv", "registry/tools/good.yaml", "registry/tools/better.yaml")
    text = (repo.root / "registry" / "tools" / "better.yaml").read_text()
    (repo.root / "registry" / "tools" / "better.yaml").write_text(text.replace("id: good", "id: better"))
    commit_all(repo.root, "rename good to better")
    assert changes_of(repo) == [
        ("tool", "better", "add", ("id", "kind", "name", "sso")),
        ("tool", "good", "remove", ()),
    ]


def test_a_record_is_its_file_even_when_its_id_says_otherwise(repo: MiniRepo) -> None:
    # The policies see records by file stem; changes name them the same way, so a rename is
    # the old file's entity removed and the new one's added, and the stale id a SCHEMA finding.
    git(repo.root, "mv", "registry/tools/good.yaml", "registry/tools/moved.yaml")
    path = repo.root / "registry" / "tools" / "moved.yaml"
    path.write_text(path.read_text().replace("name: Tool good", "name: Tool good, moved"))
    commit_all(repo.root, "move the file, keep the id")
    assert changes_of(repo) == [
        ("tool", "good", "remove", ()),
        ("tool", "moved", "add", ("id", "kind", "name", "sso")),
    ]
    code, report = check_json(repo.root, "--base", "main", "--head", "proposal")
    assert code == 1
    assert [(f["rule"], f["file"], f["line"]) for f in report["findings"]] == [("SCHEMA", "registry/tools/moved.yaml", 2)]


def test_a_deleted_file_is_a_remove(repo: MiniRepo) -> None:
    repo.tool("second")
    commit_all(repo.root, "second tool")
    git(repo.root, "branch", "-f", "main")
    (repo.root / "registry" / "tools" / "second.yaml").unlink()
    commit_all(repo.root, "drop second")
    assert changes_of(repo) == [("tool", "second", "remove", ())]


def test_reformatting_a_record_changes_nothing(repo: MiniRepo) -> None:
    path = repo.root / "registry" / "tools" / "good.yaml"
    path.write_text("# reordered and commented\nname: Tool good\nsso: true\nid: good\nkind: tool\n")
    commit_all(repo.root, "reformat")
    assert changes_of(repo) == []
