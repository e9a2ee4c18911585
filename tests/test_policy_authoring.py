"""Policy authoring (issue 11, item 7): errors name the rule and parameter, once; `--run` as expected."""

from __future__ import annotations

from conftest import MiniRepo, govlint

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
