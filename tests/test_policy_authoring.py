"""Policy authoring (issue 11, item 7): errors name the rule and parameter, once; `--run` as expected."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import TODAY, MiniRepo, copy_reference, govlint

SECOND_TEST = """package govlint.rules.mini_extra_test

import data.govlint.rules.mini_sso

test_extra_tool_is_denied if {
	count(mini_sso.deny) == 1 with input as {"registry": {"tools": {"b": {"sso": false}}}}
}
"""

SSO_TEST = """package govlint.rules.mini_sso_test

import data.govlint.rules.mini_sso

test_tool_without_sso_is_denied if {
	count(mini_sso.deny) == 1 with input as {"registry": {"tools": {"a": {"sso": false}}}}
}

test_tool_with_sso_passes if {
	count(mini_sso.deny) == 0 with input as {"registry": {"tools": {"a": {"sso": true}}}}
}
"""

# An import typo: regorus finds it only when the policies are first evaluated, and every
# test then stops on it.
TYPO_POLICY = """package govlint.rules.mini_typo

import data.govlint.lib.tols

deny contains {"rule": "MINI-TYPO", "entity": "tool/a", "message": "x"} if {
	some t in tools
}
"""


def test_run_matches_file_package_and_test_name(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_sso_test.rego", SSO_TEST)
    mini_repo.policy("mini_extra_test.rego", SECOND_TEST)
    for text, expected in [
        ("mini_extra_test.rego", {"test_extra_tool_is_denied"}),
        ("rules.mini_sso_test", {"test_tool_without_sso_is_denied", "test_tool_with_sso_passes"}),
        ("with_sso", {"test_tool_with_sso_passes"}),
        ("extra", {"test_extra_tool_is_denied"}),
    ]:
        result = govlint("test", str(mini_repo.root), "--run", text, "--verbose")
        assert result.exit_code == 0, result.stdout
        ran = {line.split(": ")[1] for line in result.stdout.splitlines() if line.endswith(": PASS")}
        assert ran == expected, (text, result.stdout)


def test_a_compile_error_is_printed_once(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_sso_test.rego", SSO_TEST)
    mini_repo.policy("mini_extra_test.rego", SECOND_TEST)
    mini_repo.policy("mini_typo.rego", TYPO_POLICY)
    result = govlint("test", str(mini_repo.root))
    assert result.exit_code == 2
    output = result.stdout + result.stderr
    assert output.count("mini_typo.rego:") == 1, output
    assert "ERROR" not in output


def _reference(tmp_path: Path) -> Path:
    return copy_reference(tmp_path / "repo")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_declared_parameter_missing_from_params_is_a_load_error(tmp_path: Path) -> None:
    repo = _reference(tmp_path)
    _replace(repo / "policies/tool_trial.rego", "#   params: [trial]", "#   params: [trial, trial_grace]")
    for command in (["check", str(repo), "--today", TODAY], ["explain", "TOOL-TRIAL", "--repo", str(repo)]):
        result = govlint(*command)
        assert result.exit_code == 2, result.stdout
        assert "rule TOOL-TRIAL declares parameter 'trial_grace'" in result.stderr
        assert "policies/params.yaml does not set" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_new_parameter_must_be_described_in_the_params_schema(tmp_path: Path) -> None:
    repo = _reference(tmp_path)
    _replace(repo / "policies/tool_trial.rego", "#   params: [trial]", "#   params: [trial, trial_grace]")
    params = repo / "policies/params.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "trial_grace: 3\n", encoding="utf-8")
    result = govlint("check", str(repo), "--today", TODAY)
    assert result.exit_code == 2
    assert "unknown field 'trial_grace'; describe it in schemas/params.schema.json" in result.stderr
    assert "rule TOOL-TRIAL declares parameter 'trial_grace'" in result.stderr
    schema_path = repo / "schemas/params.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["trial_grace"] = {"type": "integer", "minimum": 0}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    result = govlint("check", str(repo), "--today", TODAY)
    assert result.exit_code == 0, result.stderr


def test_a_declared_parameter_of_the_wrong_type_names_the_rule(tmp_path: Path) -> None:
    repo = _reference(tmp_path)
    params = repo / "policies/params.yaml"
    text = params.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith("exception_max_days:"))
    _replace(params, line, "exception_max_days: soon")
    result = govlint("check", str(repo), "--today", TODAY)
    assert result.exit_code == 2
    assert "'soon' is not of type 'integer'" in result.stderr
    assert "rule EXCEPTION-EXPIRED declares parameter 'exception_max_days'" in result.stderr
