"""The OPA engine: the same findings as the embedded one, and it never changes a server.

The comparisons need an `opa` binary on PATH (the GitHub workflow installs one); elsewhere
they are skipped, and the skip reason says so. The failure paths need no OPA: a server that
holds other policies is played by a small HTTP server here, which records every request so
the test can tell that govlint only read from it.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI_POLICY, ROOT, MiniRepo, check_json, govlint

OPA = shutil.which("opa")
needs_opa = pytest.mark.skipif(OPA is None, reason="no `opa` binary on PATH: OPA server engine tests skipped")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _comparable(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f["rule"], f["file"], f["line"], f["message"], f["waived_by"]) for f in report["findings"]]


class _PolicyServer(BaseHTTPRequestHandler):
    """Answers GET /v1/policies with the policies it was given; records every request."""

    policies: list[dict[str, str]] = []
    requests: list[tuple[str, str]] = []

    def _answer(self, status: int, body: Any) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        self.requests.append(("GET", self.path))
        if self.path == "/v1/policies":
            self._answer(200, {"result": self.policies})
        else:
            self._answer(404, {"code": "not_found", "message": "no such path"})

    def _refuse(self) -> None:
        self.requests.append((self.command, self.path))
        self._answer(405, {"code": "refused", "message": "this test server is read-only"})

    do_PUT = do_POST = do_DELETE = do_PATCH = _refuse

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def policy_server() -> Iterator[tuple[str, type[_PolicyServer]]]:
    handler = type("Handler", (_PolicyServer,), {"policies": [], "requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def test_a_server_with_other_policies_is_refused_and_left_unchanged(
    mini_repo: MiniRepo, policy_server: tuple[str, type[_PolicyServer]]
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


def test_a_server_missing_the_policies_is_refused(mini_repo: MiniRepo, policy_server: tuple[str, type[_PolicyServer]]) -> None:
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
