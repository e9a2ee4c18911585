"""`govlint test`: test_* rules run like `opa test`, failures and errors reported, coverage measured."""

from __future__ import annotations

from conftest import MiniRepo, govlint

PASSING = """package govlint.rules.mini_sso_test

import data.govlint.rules.mini_sso

test_tool_without_sso_is_denied if {
	count(mini_sso.deny) == 1 with input as {"registry": {"tools": {"a": {"sso": false}}}}
}

test_tool_with_sso_passes if {
	count(mini_sso.deny) == 0 with input as {"registry": {"tools": {"a": {"sso": true}}}}
}
"""

FAILING = """package govlint.rules.mini_sso_test

import data.govlint.rules.mini_sso

test_wrong_expectation if {
	count(mini_sso.deny) == 5 with input as {"registry": {"tools": {"a": {"sso": false}}}}
}
"""

ERRORING = """package govlint.rules.mini_err_test

test_divides_by_zero if {
	1 / 0 == 1
}
"""


def test_passing_tests(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_sso_test.rego", PASSING)
    result = govlint("test", str(mini_repo.root), "--verbose")
    assert result.exit_code == 0, result.stdout
    assert "test_tool_without_sso_is_denied: PASS" in result.stdout
    assert result.stdout.strip().endswith("policy tests: 2 passed, 0 failed")


def test_a_failing_test_fails_the_run(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_sso_test.rego", FAILING)
    result = govlint("test", str(mini_repo.root))
    assert result.exit_code == 1
    assert "policies/mini_sso_test.rego: test_wrong_expectation: FAIL" in result.stdout


def test_an_erroring_test_is_reported_with_its_location(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_err_test.rego", ERRORING)
    result = govlint("test", str(mini_repo.root))
    assert result.exit_code == 1
    assert "test_divides_by_zero: ERROR: policies/mini_err_test.rego:4" in result.stdout


def test_filter_by_name(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_sso_test.rego", PASSING)
    result = govlint("test", str(mini_repo.root), "--run", "passes", "--verbose")
    assert "1 passed, 0 failed" in result.stdout and "is_denied" not in result.stdout


def test_no_tests_is_a_failure_not_a_silent_pass(mini_repo: MiniRepo) -> None:
    result = govlint("test", str(mini_repo.root))
    assert result.exit_code == 1 and "no test_* rules" in result.stdout


def test_coverage_of_the_policies(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_sso_test.rego", PASSING)
    result = govlint("test", str(mini_repo.root), "--coverage")
    assert result.exit_code == 0
    assert "coverage policies/mini_sso.rego:" in result.stdout
    assert "mini_sso_test.rego" not in [line.split(":")[0].split()[-1] for line in result.stdout.splitlines() if line.startswith("coverage policies")]
    assert "coverage total:" in result.stdout
