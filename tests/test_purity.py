"""Policies are pure: loading refuses calls of built-ins that read the clock, the network,
randomness or the engine's environment; mentions in comments and strings are fine."""

from __future__ import annotations

import pytest

from conftest import MiniRepo, check_json, govlint
from govlint.purity import impure_calls, tokenize


def impure_policy(call: str) -> str:
    return (
        "package govlint.rules.impure\n\n"
        "deny contains f if {\n"
        "\tsome id, _ in input.registry.tools\n"
        f"\tvalue := {call}\n"
        '\tf := {"rule": "IMPURE", "entity": sprintf("tool/%s", [id]), "message": sprintf("%v", [value])}\n'
        "}\n"
    )


@pytest.mark.parametrize(
    ("call", "name"),
    [
        ('http.send({"method": "get", "url": "https://example.invalid"})', "http.send"),
        ('net.lookup_ip_addr("example.invalid")', "net.lookup_ip_addr"),
        ("opa.runtime()", "opa.runtime"),
        ("time.now_ns()", "time.now_ns"),
        ('rand.intn("seed", 100)', "rand.intn"),
        ('uuid.rfc4122("key")', "uuid.rfc4122"),
        ('io.jwt.decode("a.b.c")', "io.jwt.decode"),
        ('time["now_ns"]()', "time.now_ns"),
        ("time . now_ns ()", "time.now_ns"),
        ('$"{time.now_ns()}"', "time.now_ns"),
    ],
)
def test_loading_refuses_an_impure_call_naming_file_and_line(mini_repo: MiniRepo, call: str, name: str) -> None:
    """Before: time.now_ns, rand.intn and uuid.rfc4122 evaluated, and their answers were cached
    as the verdict for the repository, date and approvals; http.send failed to compile."""
    mini_repo.policy("impure.rego", impure_policy(call))
    result = govlint("check", str(mini_repo.root), "--no-cache")
    assert result.exit_code == 2, result.stdout
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("govlint: error: policies/impure.rego:5:")
    assert f": policy calls {name}, which " in result.stderr
    assert "pure function of the repository, the date and the approvals" in result.stderr


@pytest.mark.parametrize("command", [["test"], ["policies"], ["explain", "MINI-SSO", "--repo"]])
def test_every_command_that_loads_policies_refuses_them(mini_repo: MiniRepo, command: list[str]) -> None:
    mini_repo.policy("impure.rego", impure_policy("time.now_ns()"))
    result = govlint(*command, str(mini_repo.root))
    assert result.exit_code == 2 and "policies/impure.rego:5:11: policy calls time.now_ns" in result.stderr


def test_mentions_in_comments_and_strings_are_fine(mini_repo: MiniRepo) -> None:
    mini_repo.policy(
        "mentions.rego",
        "# METADATA\n"
        "# title: Never calls http.send(...) or time.now_ns()\n"
        "# custom:\n"
        "#   id: MENTIONS\n"
        "#   severity: warning\n"
        "package govlint.rules.mentions\n\n"
        "# A rule must not call rand.intn(x, 1), uuid.rfc4122(k) or opa.runtime().\n"
        'warn contains {"rule": "MENTIONS", "entity": "tool/good", "message": msg} if {\n'
        '\tsome tool in input.registry.tools\n\ttool.name == "never"\n'
        '\tmsg := concat(" ", ["http.send(1)", `time.now_ns()\nio.jwt.decode(t)`, "say \\"rand.intn(1)\\""])\n'
        "}\n"
        'timed := time.parse_rfc3339_ns("2026-01-01T00:00:00Z")\n'
        'cidr := net.cidr_contains("10.0.0.0/8", "10.1.2.3")\n',
    )
    mini_repo.policy("mentions_test.rego", (
        "package govlint.rules.mentions_test\n\n"
        "import data.govlint.rules.mentions\n\n"
        "test_mocked if {\n\tcount(mentions.warn) == 0 with time.now_ns as 1\n}\n"
    ))
    code, report = check_json(mini_repo.root, "--no-cache")
    assert code == 0, report


def test_the_scan_follows_rego_tokens() -> None:
    text = (
        'a := "x # not a comment" # http.send(1)\n'
        "b := `raw\nhttp.send(2)`\n"
        'c := $"text \\{rand.intn(1)} {uuid.rfc4122("k")} {concat(",", ["}"])}" \n'
        "d := input.rand.intn(3)\n"
        "e := [opa.runtime()][0]\n"
    )
    assert [(call.name, call.line, call.column) for call in impure_calls(text)] == [
        ("uuid.rfc4122", 4, 30),
        ("opa.runtime", 6, 7),
    ]
    assert [token.text for token in tokenize('x := "a#b" # c\n')] == ["x", ":", "=", "a#b"]


def test_a_name_imported_from_data_is_not_a_built_in() -> None:
    assert impure_calls("import data.lib.rand\n\nx := rand.intn(1, 2)\n") == []
    assert impure_calls("import data.lib.helpers as http\n\nx := http.send(1)\n") == []
    assert [c.name for c in impure_calls("import data.lib.http\n\nx := rand.intn(1, 2)\n")] == ["rand.intn"]
