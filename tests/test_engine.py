"""The engine boundary: every way a policy can fail is exit 2 with one line naming it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SLOW_POLICY, MiniRepo, check_json, govlint

PANIC_POLICY = (
    'package govlint.rules.panic\n\ndeny contains f if {\n  n := strings.count("abc", "")\n'
    '  f := {"rule": "P", "entity": "tool/good", "message": sprintf("%d", [n])}\n}\n'
)


def one_line_error(mini_repo: MiniRepo, *args: str) -> str:
    result = govlint("check", str(mini_repo.root), *args)
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr and "thread '" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_policy_that_does_not_compile(mini_repo: MiniRepo) -> None:
    mini_repo.policy("broken.rego", "package govlint.rules.broken\n\ndeny contains f if {\n  f := \n}\n")
    assert "policies/broken.rego:4" in one_line_error(mini_repo)


def test_policy_with_an_unsafe_variable(mini_repo: MiniRepo) -> None:
    mini_repo.policy("unsafe.rego", "package govlint.rules.unsafe\n\ndeny contains f if {\n  f := y\n}\n")
    assert "policies/unsafe.rego:4" in one_line_error(mini_repo)


def test_policy_that_raises_at_evaluation(mini_repo: MiniRepo) -> None:
    mini_repo.policy("div.rego", "package govlint.rules.div\n\ndeny contains f if {\n  f := 1 / 0\n}\n")
    message = one_line_error(mini_repo)
    assert "policies/div.rego:4" in message and "divide by zero" in message


def test_rule_that_returns_something_else_than_a_finding(mini_repo: MiniRepo) -> None:
    mini_repo.policy("odd.rego", 'package govlint.rules.odd\n\ndeny contains "just a string"\n')
    message = one_line_error(mini_repo)
    assert "policies/odd.rego" in message and "not a finding object" in message


def test_engine_panic_names_the_policy(mini_repo: MiniRepo) -> None:
    mini_repo.policy("panic.rego", PANIC_POLICY)
    message = one_line_error(mini_repo, "--timeout", "30")
    assert "policies/panic.rego" in message


def test_engine_panic_in_a_real_process_prints_one_line(mini_repo: MiniRepo) -> None:
    """Rust writes panic notes to fd 2 itself; the real process must still print one line."""
    mini_repo.policy("panic.rego", PANIC_POLICY)
    done = subprocess.run(
        [sys.executable, "-m", "govlint", "check", str(mini_repo.root)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "policies/panic.rego" in done.stderr, done.stderr


def test_evaluation_that_runs_too_long_is_stopped(mini_repo: MiniRepo) -> None:
    mini_repo.policy("slow.rego", SLOW_POLICY.format(name="slow"))
    message = one_line_error(mini_repo, "--timeout", "1")
    assert "longer than the limit of 1 s in policies/slow.rego" in message
    assert "mini_sso" not in message


def test_timeout_from_params(mini_repo: MiniRepo) -> None:
    mini_repo.policy("slow.rego", SLOW_POLICY.format(name="slow"))
    (mini_repo.root / "policies" / "params.yaml").write_text("eval_timeout_seconds: 1\n")
    assert "longer than the limit of 1 s in policies/slow.rego" in one_line_error(mini_repo)


def test_input_the_engine_cannot_read_is_one_line() -> None:
    """Whatever slips past the reading stages, the engine boundary never shows a backtrace."""
    from govlint.catalog import PolicyFile
    from govlint.engines.embedded import EmbeddedEngine
    from govlint.errors import GovlintError

    engine = EmbeddedEngine([PolicyFile("policies/p.rego", "package govlint.rules.p\n\nx := 1\n", "govlint.rules.p")], timeout=30)
    try:
        engine.evaluate(["data.govlint.rules"], '{"cost": 1' + "0" * 400 + "}", {})
    except GovlintError as exc:
        assert exc.message.startswith("the Rego engine cannot read the policy input: number out of range")
    else:
        raise AssertionError("a number beyond the engine's range was read")


NESTED_RULES = {
    "team.rego": """package govlint.rules.team

import rego.v1

deny contains {"rule": "TEAM", "entity": sprintf("tool/%s", [id]), "message": "team rule"} if some id, _ in input.registry.tools
""",
    "team_budget.rego": """package govlint.rules.team.budget

import rego.v1

warn contains {"rule": "TEAM-BUDGET", "entity": sprintf("tool/%s", [id]), "message": "nested rule"} if some id, _ in input.registry.tools
""",
}


@pytest.mark.parametrize("side_by_side", [False, True])
def test_a_rule_package_nested_below_another_is_judged_too(
    mini_repo: MiniRepo, monkeypatch: pytest.MonkeyPatch, side_by_side: bool
) -> None:
    """`govlint.rules.team.budget` is a package of its own, asked for by its whole path, in
    one query and when the packages are shared out side by side (as for a large registry)."""
    import govlint.evaluate

    if side_by_side:
        monkeypatch.setattr(govlint.evaluate, "PARALLEL_RECORDS", 0)
    for name, text in NESTED_RULES.items():
        mini_repo.policy(name, text)
    code, report = check_json(mini_repo.root)
    assert code == 1
    assert {(f["rule"], f["severity"]) for f in report["findings"]} >= {("TEAM", "error"), ("TEAM-BUDGET", "warning")}
