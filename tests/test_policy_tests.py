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


NOT_PORTABLE = """package govlint.rules.mini_unportable

import rego.v1

deny contains {"rule": "MINI-SSO", "entity": "tool/a", "message": sprintf("costs %v", [t.cost])} if {
	some t in input.registry.tools
	not is_string(t.trial_ends_on)
	not t.ring in {"adopt", "trial"}
	lower(t.name) == "x" # lower(...) in a comment is fine
	count(object.get(data.govlint.rules.mini_sso, "deny", [])) > 0
}

bound_first contains id if {
	some id, t in input.registry.tools
	ends := object.get(t, "trial_ends_on", null)
	not is_string(ends)
	not startswith(id, "x")
	text := "not is_string(t.name) and lower( in a string are fine"
}
"""


def test_constructs_outside_the_portable_subset_are_warned_with_file_and_line(mini_repo: MiniRepo) -> None:
    mini_repo.policy("mini_unportable.rego", NOT_PORTABLE)
    mini_repo.policy("mini_sso_test.rego", PASSING)
    result = govlint("test", str(mini_repo.root))
    assert result.exit_code == 0, result.stdout  # warnings do not fail the tests
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    where = [line.split(": warning: ")[0] for line in warnings]
    file = "policies/mini_unportable.rego"
    assert where == [f"{file}:{n}" for n in (5, 7, 8, 9, 10)], warnings
    text = "\n".join(warnings)
    assert "%v" in text and "bind it first" in text and "lib.lower_ascii" in text and "type checker" in text


def test_the_reference_rules_are_in_the_portable_subset() -> None:
    """Every reference policy, the approval machinery's included, is portable."""
    from conftest import ROOT
    from govlint.catalog import read_policy_files
    from govlint.policytest import portability_warnings
    from govlint.read import WorkingTree

    files, _ = read_policy_files(WorkingTree(ROOT))
    warned = [str(w) for w in portability_warnings(files)]
    assert warned == []
