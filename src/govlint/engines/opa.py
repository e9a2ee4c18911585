"""The OPA engine: the check's queries answered by OPA, which never changes a server it does not own.

Two ways, both read-only towards the server that answers:

- `--opa-url URL`: a server the organisation runs, already holding the policies (loaded from
  a bundle, say). govlint reads the server's policies and compares them, by SHA-256 of their
  text, with the policies of the revision that judges; when the server's `govlint.*`
  policies differ it stops with an error naming the files, rather than judge by other
  rules. It writes nothing to the server.
- no `--opa-url`: govlint starts its own `opa run --server` on a free loopback port with the
  policies written to a private folder, uses it for the check and stops it afterwards.

The input goes with each ad-hoc query (POST /v1/query), and the check's own data (the rule
catalog, the unreadable ids) is given in the query with `with data.govlint.… as …`, so
nothing is stored on any server. OPA is spoken to through opa-python-client (the `opa` extra).
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlparse

from govlint.catalog import PolicyFile
from govlint.errors import GovlintError

try:  # the `opa` extra; without it `--engine opa` says how to get it, and nothing else changes
    import requests
    from opa_client import OpaClient
except ImportError as missing:
    _MISSING_CLIENT: ImportError | None = missing
else:
    _MISSING_CLIENT = None

STARTUP_SECONDS = 20.0
_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z0-9_.]+)", re.MULTILINE)
# urllib3 names the connection first: "<...HTTPConnection object at 0x..>: " or "HTTPConnection(host=..., port=..): "
_CONNECTION_PREFIX = re.compile(r"^(?:<[^>]*>|\w+\([^)]*\)):\s*")


def digest(text: str) -> str:
    """What a policy is compared by: the SHA-256 of its text, byte for byte."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else "no reason given"


def _reason(exc: BaseException) -> str:
    """The innermost cause of a failed request ("[Errno 111] Connection refused"), not the
    retry wrapper requests puts around it."""
    while exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    inner = getattr(exc, "reason", None)  # urllib3's MaxRetryError keeps the cause here
    if isinstance(inner, BaseException):
        exc = inner
    return _first_line(_CONNECTION_PREFIX.sub("", str(exc))) if str(exc) else type(exc).__name__


def _server_address(url: str) -> tuple[str, int, bool]:
    """Host, port and whether TLS is used, from `--opa-url`. opa-python-client reaches a
    server by host and port alone, so a URL with a path, query or credentials (which it would
    silently drop) is refused rather than half followed."""
    try:
        parsed = urlparse(url)
        port = parsed.port
    except ValueError as exc:
        raise GovlintError(f"--opa-url {url!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname or port == 0:
        raise GovlintError(f"--opa-url must be an http(s) URL such as http://127.0.0.1:8181, not {url!r}")
    if parsed.path not in ("", "/") or parsed.params or parsed.query or parsed.fragment:
        raise GovlintError(
            f"--opa-url {url!r}: the OPA client reaches a server by host and port only, without a path or query; "
            "give the server's own address, such as http://opa.example.com:8181"
        )
    if parsed.username is not None or parsed.password is not None:
        raise GovlintError(f"--opa-url {parsed.hostname!r}: credentials in the URL are not sent; give the address alone")
    host = parsed.hostname
    tls = parsed.scheme == "https"
    return (f"[{host}]" if ":" in host else host), port or (443 if tls else 80), tls


class OpaEngine:
    """OPA over its REST API, through opa-python-client: a server given by URL (checked,
    never written to), or one of govlint's own for the duration of the check."""

    def __init__(self, policies: Sequence[PolicyFile], *, url: str | None, timeout: float | None) -> None:
        if _MISSING_CLIENT is not None:
            raise GovlintError(
                f"--engine opa needs opa-python-client ({_MISSING_CLIENT.name or 'opa_client'} is not installed): "
                "pip install 'govlint[opa]'"
            )
        self._timeout = timeout or 60.0
        # One query at a time: each request carries the whole input, so the rules are asked
        # for in one query however large the registry.
        self.side_by_side = 1
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None
        self._client: Any = None
        if url is None:
            self._start_own_server(policies)
        else:
            host, port, tls = _server_address(url)
            self.url = f"{'https' if tls else 'http'}://{host}:{port}"
            # The client's `ssl` both picks https and verifies the server's certificate.
            self._client = OpaClient(host=host, port=port, ssl=tls, timeout=self._timeout)
            self._require_same_policies(policies)

    # A server of govlint's own ---------------------------------------------------------------

    def _start_own_server(self, policies: Sequence[PolicyFile]) -> None:
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
        self.url = f"http://127.0.0.1:{port}"
        # No retries: a refused connection only means "not listening yet", and the loop below
        # asks again. (The client's wait_for_ready cannot see the process die of a policy that
        # does not compile, so the loop watches both.)
        self._client = OpaClient(host="127.0.0.1", port=port, timeout=self._timeout, retries=0)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = (self._process.stderr.read() if self._process.stderr else b"").decode("utf-8", "replace")
                self.close()
                raise GovlintError(f"OPA did not start: {_first_line(error)}")
            if self._client.check_health():
                return
            time.sleep(0.1)
        self.close()
        raise GovlintError(f"OPA did not answer on {self.url} within {STARTUP_SECONDS:g} s")

    def close(self) -> None:
        """Stop the server of govlint's own, if any, remove its folder and end the session."""
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
        if self._client is not None:
            self._client.close_connection()

    # A server given by URL -------------------------------------------------------------------

    def _served_policies(self) -> list[Any]:
        """Every policy the server holds, with its text: GET /v1/policies.

        The client has no call that returns the policies' text with the listing:
        get_policies_list keeps the ids, get_policies_info the package and rule URLs, and
        get_policy per id would be one request per policy and needs ids (file paths, often
        absolute) escaped in a way OPA versions have treated differently. So the listing is
        read with the client's own session, the same TLS, retries and timeout."""
        with self._talking():
            response = self._client._session.get(f"{self._client.root_url}/policies", timeout=self._client.timeout)
            response.raise_for_status()
            body = response.json()
        listing = body.get("result") if isinstance(body, dict) else None
        if not isinstance(listing, list):
            raise GovlintError(f"OPA server at {self.url} answered GET /v1/policies without a list of policies")
        return listing

    def _require_same_policies(self, policies: Sequence[PolicyFile]) -> None:
        """Stop unless the server's govlint policies are, text for text, the ones given."""
        served: dict[str, str] = {}
        for entry in self._served_policies():
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

    @contextmanager
    def _talking(self) -> Iterator[None]:
        """Turn whatever a request raises into one line naming the server (exit 2)."""
        try:
            yield
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else "an error"
            raise GovlintError(f"OPA server at {self.url} answered {status}: {_first_line(_message_of(exc.response))}") from None
        except requests.JSONDecodeError:
            raise GovlintError(f"OPA server at {self.url} answered with something other than JSON") from None
        except requests.Timeout:
            raise GovlintError(f"OPA server at {self.url} did not answer within {self._timeout:g} s") from None
        except requests.RequestException as exc:
            raise GovlintError(f"OPA server at {self.url} is unreachable: {_reason(exc)}") from None

    def evaluate(self, queries: Sequence[str], input: str, data: dict[str, Any]) -> list[Any]:
        document = json.loads(input)
        given = "".join(
            f" with data.govlint.{name} as {json.dumps(value, sort_keys=True)}"
            for name, value in sorted(data.get("govlint", {}).items())
        )
        values = []
        for query in queries:
            with self._talking():
                body = self._client.ad_hoc_query(f"result := {query}{given}", document)
            bindings = body.get("result") if isinstance(body, dict) else None
            if bindings is not None and not isinstance(bindings, list):
                raise GovlintError(f"OPA server at {self.url} answered a query with {type(bindings).__name__}, not a list")
            first = bindings[0] if bindings else None
            values.append(first.get("result") if isinstance(first, dict) else None)
        return values


def _message_of(response: Any) -> str:
    """OPA's own words for an error ({"code", "message"}), or the body as it came."""
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return str(response.text)
    return str(body.get("message", body)) if isinstance(body, dict) else str(body)


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
