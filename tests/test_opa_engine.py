"""The OPA engine: the same findings as the embedded one, and it never changes a server.

The comparisons with a real OPA need an `opa` binary on PATH (the GitHub workflow installs
one); elsewhere they are skipped, and the skip reason says so. Everything else needs no OPA: a
small HTTP server here speaks OPA's REST API to opa-python-client, answering the policy
listing with the policies it was given and ad-hoc queries with the real embedded Rego engine
(regorus) over those policies, and records every request, so a test can tell that govlint
only read from it and queried it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_POLICY, ROOT, TODAY, MiniRepo, check_json, govlint
from opa_stand_in import StandInOpa

OPA = shutil.which("opa")
needs_opa = pytest.mark.skipif(OPA is None, reason="no `opa` binary on PATH: OPA server engine tests skipped")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _comparable(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f["rule"], f["file"], f["line"], f["message"], f["waived_by"]) for f in report["findings"]]


@pytest.fixture
def policy_server() -> Iterator[tuple[str, type[StandInOpa]]]:
    handler = type("Handler", (StandInOpa,), {"policies": [], "requests": [], "queries": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def test_a_server_with_other_policies_is_refused_and_left_unchanged(
    mini_repo: MiniRepo, policy_server: tuple[str, type[StandInOpa]]
) -> None:
    url, handler = policy_server
    handler.policies = [
        {"id": "govlint/policies/mini_sso.rego", "raw": MINI_POLICY.replace("tool has no SSO", "edited")},
        {"id": "other-team/authz.rego", "raw": "package authz\n\nallow := true\n"},
    ]
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", url)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "lacks or holds another version of policies/mini_sso.rego" in result.stderr
    assert "holds govlint policies this revision does not have (govlint/policies/mini_sso.rego)" in result.stderr
    assert handler.requests == [("GET", "/v1/policies")]  # read, never written


def test_a_server_missing_the_policies_is_refused(mini_repo: MiniRepo, policy_server: tuple[str, type[StandInOpa]]) -> None:
    url, handler = policy_server
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", url)
    assert result.exit_code == 2 and "lacks or holds another version of policies/mini_sso.rego" in result.stderr
    assert all(method == "GET" for method, _ in handler.requests)


def test_unreachable_server_is_one_line_exit_2(mini_repo: MiniRepo) -> None:
    """Needs no server: nothing listens on the port."""
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", f"http://127.0.0.1:{_free_port()}")
    assert result.exit_code == 2 and "unreachable" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("url", ["ftp://example.invalid", "localhost:8181", "http://", "http://[::1", "http://127.0.0.1:99999"])
def test_a_url_that_is_not_http_is_one_line_exit_2(mini_repo: MiniRepo, url: str) -> None:
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", url)
    assert result.exit_code == 2 and "--opa-url" in result.stderr and result.stderr.count("\n") == 1


def test_without_url_or_binary_the_reason_is_one_line(mini_repo: MiniRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(mini_repo.root))  # no `opa` there
    result = govlint("check", str(mini_repo.root), "--engine", "opa")
    assert result.exit_code == 2 and "needs an `opa` binary on PATH" in result.stderr


def test_a_server_holding_the_policies_is_read_then_only_queried(
    mini_repo: MiniRepo, policy_server: tuple[str, type[StandInOpa]]
) -> None:
    """The whole way through opa-python-client: the policy listing, then one ad-hoc query per
    rule query with the input in the body and govlint's data inside the query."""
    url, handler = policy_server
    handler.policies = [{"id": "/srv/opa/policies/mini_sso.rego", "raw": MINI_POLICY}]
    handler.answers = True
    mini_repo.tool("bare", sso=False)
    embedded = check_json(mini_repo.root)
    served = check_json(mini_repo.root, "--engine", "opa", "--opa-url", url)
    assert served[0] == embedded[0] == 1
    assert _comparable(served[1]) == _comparable(embedded[1])
    assert [f["entity"] for f in served[1]["findings"]] == ["tool/bare"]
    assert handler.requests[0] == ("GET", "/v1/policies")
    assert handler.requests[1:] and set(handler.requests[1:]) == {("POST", "/v1/query")}  # nothing written
    for query in handler.queries:
        assert sorted(query["input"]["registry"]["tools"]) == ["bare", "good"]
        assert " with data.govlint.catalog as " in query["query"]


def test_an_error_the_server_answers_a_query_with_is_one_line(
    mini_repo: MiniRepo, policy_server: tuple[str, type[StandInOpa]]
) -> None:
    url, handler = policy_server
    handler.policies = [{"id": "mini_sso.rego", "raw": MINI_POLICY}]
    message = "1 error occurred: mini_sso.rego:9: eval_builtin_error: sprintf: too many arguments\nmore detail"
    handler.query_reply = (500, json.dumps({"code": "internal_error", "message": message}).encode())
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", url)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert f"OPA server at {url} answered 500: 1 error occurred: mini_sso.rego:9: eval_builtin_error" in result.stderr
    assert handler.requests.count(("POST", "/v1/query")) == 1  # a query is not retried


def test_a_server_answering_other_than_json_is_one_line(
    mini_repo: MiniRepo, policy_server: tuple[str, type[StandInOpa]]
) -> None:
    url, handler = policy_server
    handler.policies = [{"id": "mini_sso.rego", "raw": MINI_POLICY}]
    handler.query_reply = (200, b"<html>a login page</html>")
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", url)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "answered with something other than JSON" in result.stderr


@pytest.mark.parametrize("suffix", ["/opa", "/v1/data?pretty=true"])
def test_a_url_under_a_path_is_refused_before_any_request(
    mini_repo: MiniRepo, policy_server: tuple[str, type[StandInOpa]], suffix: str
) -> None:
    """The client reaches a server by host and port only; a path would be silently dropped."""
    url, handler = policy_server
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", url + suffix)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "host and port only" in result.stderr
    assert handler.requests == []


def test_credentials_in_the_url_are_refused_and_not_echoed(
    mini_repo: MiniRepo, policy_server: tuple[str, type[StandInOpa]]
) -> None:
    url, handler = policy_server
    with_credentials = url.replace("http://", "http://auditor:s3cret@")
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", with_credentials)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "credentials in the URL are not sent" in result.stderr and "s3cret" not in result.stderr
    assert handler.requests == []


def test_without_the_opa_extra_the_reason_is_one_line(mini_repo: MiniRepo) -> None:
    """A Python where opa-python-client cannot be imported, as after `pip install govlint`."""
    program = (
        "import sys; sys.modules['opa_client'] = None\n"  # makes `import opa_client` fail
        "from govlint.cli import main\n"
        f"main(['check', {str(mini_repo.root)!r}, '--engine', 'opa', '--opa-url', 'http://127.0.0.1:9'])\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "pip install 'govlint[opa]'" in done.stderr


@pytest.fixture
def stand_in_opa_on_path(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An `opa` program on PATH that is the stand-in server; it writes its pid to a file."""
    pid_file = tmp_path / "opa.pid"
    program = tmp_path / "bin" / "opa"
    program.parent.mkdir()
    program.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "from opa_stand_in import main\n"
        "sys.exit(main(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    return {**os.environ, "PATH": f"{program.parent}{os.pathsep}{os.environ.get('PATH', '')}"}, pid_file


def _check_in_a_process(env: dict[str, str], repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "govlint", "check", str(repo), "--format", "json", "--today", TODAY, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_an_own_server_is_started_queried_and_stopped(
    mini_repo: MiniRepo, stand_in_opa_on_path: tuple[dict[str, str], Path]
) -> None:
    """Without --opa-url: `opa run --server` on a free port, health-checked and queried through
    the client, and gone when the check is."""
    env, pid_file = stand_in_opa_on_path
    mini_repo.tool("bare", sso=False)
    embedded = check_json(mini_repo.root)
    done = _check_in_a_process(env, mini_repo.root, "--engine", "opa")
    assert done.returncode == 1, done.stderr
    assert _comparable(json.loads(done.stdout)) == _comparable(embedded[1])
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_an_own_server_that_does_not_start_says_why(
    mini_repo: MiniRepo, stand_in_opa_on_path: tuple[dict[str, str], Path]
) -> None:
    env, _ = stand_in_opa_on_path
    mini_repo.policy("clash.rego", "package govlint.rules.clash\n\nx := 1\nx := 2\n")
    done = _check_in_a_process(env, mini_repo.root, "--engine", "opa")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "OPA did not start: error: " in done.stderr


@pytest.fixture(scope="module")
def served_reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An OPA server of the organisation's, started with the reference policies loaded."""
    assert OPA is not None
    port = _free_port()
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "policies", folder / "policies", ignore=shutil.ignore_patterns("*_test.rego", "*.yaml", "*.md"))
    server = subprocess.Popen(
        [OPA, "run", "--server", "--addr", f"127.0.0.1:{port}", "--log-level", "error", str(folder / "policies")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@needs_opa
def test_own_server_gives_the_same_findings_as_embedded(mini_repo: MiniRepo) -> None:
    mini_repo.tool("bare", sso=False)
    embedded = check_json(mini_repo.root)
    served = check_json(mini_repo.root, "--engine", "opa")
    assert served[0] == embedded[0] == 1
    assert _comparable(served[1]) == _comparable(embedded[1])


@needs_opa
def test_a_server_holding_the_reference_policies_gives_the_same_findings(served_reference: str) -> None:
    embedded = check_json(ROOT)
    served = check_json(ROOT, "--engine", "opa", "--opa-url", served_reference)
    assert _comparable(served[1]) == _comparable(embedded[1])
