"""The OPA engine: the check's queries answered by OPA, which never changes a server it does not own.

Two ways, both read-only towards the server that answers:

- `--opa-url URL`: a server the organisation runs, already holding the policies (loaded from
  a bundle, say). govlint reads the server's policies (GET /v1/policies) and compares them,
  by SHA-256 of their text, with the policies of the revision that judges; when the
  server's `govlint.*` policies differ it stops with an error naming the files, rather than
  judge by other rules. It writes nothing to the server.
- no `--opa-url`: govlint starts its own `opa run --server` on a free loopback port with the
  policies written to a private folder, uses it for the check and stops it afterwards.

The input goes with each query (POST /v1/query), and the check's own data (the rule catalog,
the unreadable ids) is given in the query with `with data.govlint.… as …`, so nothing is
stored on any server.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlparse

from govlint.catalog import PolicyFile
from govlint.errors import GovlintError

STARTUP_SECONDS = 20.0
_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z0-9_.]+)", re.MULTILINE)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", "") or exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _checked_url(url: str) -> str:
    try:
        parsed = urlparse(url)
        port = parsed.port
    except ValueError as exc:
        raise GovlintError(f"--opa-url {url!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname or port == 0:
        raise GovlintError(f"--opa-url must be an http(s) URL such as http://127.0.0.1:8181, not {url!r}")
    return url.rstrip("/")


class OpaEngine:
    """OPA over its REST API: a server given by URL (checked, never written to), or one of
    govlint's own for the duration of the check."""

    def __init__(self, policies: Sequence[PolicyFile], *, url: str | None, timeout: float | None) -> None:
        self._timeout = timeout or 60.0
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None
        if url is None:
            self.url = self._start_own_server(policies)
        else:
            self.url = _checked_url(url)
            self._require_same_policies(policies)

    # A server of govlint's own ---------------------------------------------------------------

    def _start_own_server(self, policies: Sequence[PolicyFile]) -> str:
        binary = shutil.which("opa")
        if binary is None:
            raise GovlintError(
                "--engine opa without --opa-url starts an OPA server of its own and needs an `opa` "
                "binary on PATH; install OPA or give --opa-url of a server holding these policies"
            )
        self._folder = Path(tempfile.mkdtemp(prefix="govlint-opa-"))
        for policy in policies:
            target = self._folder / policy.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(policy.text, encoding="utf-8")
        port = _free_port()
        self._process = subprocess.Popen(
            [binary, "run", "--server", "--addr", f"127.0.0.1:{port}", "--log-level", "error", str(self._folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        atexit.register(self.close)  # the check holds no handle to close it by: at exit at the latest
        self.url = url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = (self._process.stderr.read() if self._process.stderr else b"").decode("utf-8", "replace")
                self.close()
                raise GovlintError(f"OPA did not start: {error.strip().splitlines()[0] if error.strip() else 'no reason given'}")
            try:
                self._request("GET", "/health")
                return url
            except GovlintError:  # not listening yet
                time.sleep(0.1)
        self.close()
        raise GovlintError(f"OPA did not answer on {url} within {STARTUP_SECONDS:g} s")

    def close(self) -> None:
        """Stop the server of govlint's own, if any, and remove its folder."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stderr is not None:
                self._process.stderr.close()
            self._process = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    # A server given by URL -------------------------------------------------------------------

    def _require_same_policies(self, policies: Sequence[PolicyFile]) -> None:
        """Stop unless the server's govlint policies are, text for text, the ones given."""
        listing = self._request("GET", "/v1/policies")
        served: dict[str, str] = {}
        for entry in listing.get("result") or []:
            raw = entry.get("raw") if isinstance(entry, dict) else None
            if not isinstance(raw, str):
                continue
            package = _PACKAGE.search(raw)
            if package and package.group(1).startswith("govlint."):
                served[digest(raw)] = str(entry.get("id", "?"))
        wanted = {digest(policy.text): policy.path for policy in policies}
        missing = sorted(path for key, path in wanted.items() if key not in served)
        extra = sorted(policy_id for key, policy_id in served.items() if key not in wanted)
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"lacks or holds another version of {_listing(missing)}")
            if extra:
                parts.append(f"holds govlint policies this revision does not have ({_listing(extra)})")
            raise GovlintError(
                f"OPA server at {self.url} {' and '.join(parts)}; govlint does not change a server it does "
                "not own: load this revision's policies there, or omit --opa-url to let govlint start its own OPA"
            )

    # Both ------------------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            try:
                detail = json.loads(detail).get("message", detail)
            except ValueError:
                pass
            raise GovlintError(f"OPA server at {self.url} answered {exc.code}: {_first_line(ValueError(detail))}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise GovlintError(f"OPA server at {self.url} is unreachable: {_first_line(exc)}") from None

    def evaluate(self, queries: Sequence[str], input: str, data: dict[str, Any]) -> list[Any]:
        document = json.loads(input)
        given = "".join(
            f" with data.govlint.{name} as {json.dumps(value, sort_keys=True)}"
            for name, value in sorted(data.get("govlint", {}).items())
        )
        values = []
        for query in queries:
            body = self._request("POST", "/v1/query", {"query": f"result := {query}{given}", "input": document})
            bindings = body.get("result") or []
            values.append(bindings[0].get("result") if bindings else None)
        return values


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
