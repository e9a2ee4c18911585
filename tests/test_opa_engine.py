"""The OPA server engine gives the same findings as the embedded one.

The comparisons need an `opa` binary on PATH (the GitHub workflow installs one); elsewhere
they are skipped, and the skip reason says so. The failure paths need no server.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from conftest import ROOT, MiniRepo, check_json, govlint

OPA = shutil.which("opa")
needs_opa = pytest.mark.skipif(OPA is None, reason="no `opa` binary on PATH: OPA server engine tests skipped")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def opa_url() -> Iterator[str]:
    pytest.importorskip("opa_client", reason="the opa extra (opa-python-client) is not installed")
    port = _free_port()
    assert OPA is not None
    server = subprocess.Popen(
        [OPA, "run", "--server", "--addr", f"127.0.0.1:{port}", "--log-level", "error"],
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


def _comparable(report: dict) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["message"], f["waived_by"]) for f in report["findings"]]


@needs_opa
def test_same_findings_as_embedded_on_a_small_repo(mini_repo: MiniRepo, opa_url: str) -> None:
    mini_repo.tool("bare", sso=False)
    embedded = check_json(mini_repo.root)
    served = check_json(mini_repo.root, "--engine", "opa", "--opa-url", opa_url)
    assert served[0] == embedded[0] == 1
    assert _comparable(served[1]) == _comparable(embedded[1])


@needs_opa
def test_same_findings_on_the_reference_repository(opa_url: str) -> None:
    embedded = check_json(ROOT)
    served = check_json(ROOT, "--engine", "opa", "--opa-url", opa_url)
    assert _comparable(served[1]) == _comparable(embedded[1])


def test_unreachable_server_is_one_line_exit_2(mini_repo: MiniRepo) -> None:
    """Needs no server: nothing listens on the port."""
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", f"http://127.0.0.1:{_free_port()}")
    assert result.exit_code == 2 and "unreachable" in result.stderr and result.stderr.count("\n") == 1



@pytest.mark.parametrize("url", ["ftp://example.invalid", "localhost:8181", "http://"])
def test_a_url_that_is_not_http_is_one_line_exit_2(mini_repo: MiniRepo, url: str) -> None:
    result = govlint("check", str(mini_repo.root), "--engine", "opa", "--opa-url", url)
    assert result.exit_code == 2 and "--opa-url must be an http(s) URL" in result.stderr
