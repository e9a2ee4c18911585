"""A stand-in for an OPA server, for tests on machines without an `opa` binary.

It speaks the part of OPA's REST API govlint uses, with OPA's shapes: GET /v1/policies,
GET /health and ad-hoc queries (POST /v1/query), which it answers with the real embedded Rego
engine (regorus) over the policies it holds. Run as a program it takes `opa run`'s arguments
(`run --server --addr HOST:PORT [--log-level L] FOLDER`), so a test can put it on PATH as
`opa` and let govlint start it as its own server.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import regorus


class StandInOpa(BaseHTTPRequestHandler):
    """OPA's REST API as far as govlint uses it: GET /v1/policies lists the policies it was
    given; POST /v1/query, when `answers` is set, evaluates the query with regorus over those
    policies and replies in OPA's shape ({"result": [bindings]}), or replies `query_reply`
    (status, body) as given. Every request is recorded; anything else is refused."""

    policies: list[dict[str, str]] = []
    answers: bool = False
    query_reply: tuple[int, bytes] | None = None
    requests: list[tuple[str, str]] = []
    queries: list[dict[str, Any]] = []

    def _answer(self, status: int, body: Any) -> None:
        self._send(status, json.dumps(body).encode())

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        self.requests.append(("GET", self.path))
        if self.path == "/v1/policies":
            self._answer(200, {"result": self.policies})
        elif self.path == "/health":
            self._answer(200, {})
        else:
            self._answer(404, {"code": "not_found", "message": "no such path"})

    def do_POST(self) -> None:  # noqa: N802
        if self.path != "/v1/query" or not (self.answers or self.query_reply):
            return self._refuse()
        self.requests.append(("POST", self.path))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.queries.append(body)
        if self.query_reply is not None:
            return self._send(*self.query_reply)
        engine = regorus.Engine()
        for policy in self.policies:
            engine.add_policy(policy["id"], policy["raw"])
        engine.set_input_json(json.dumps(body.get("input")))
        try:
            found = json.loads(engine.eval_query_as_json(body["query"]))
        except RuntimeError as exc:
            return self._answer(400, {"code": "invalid_parameter", "message": str(exc)})
        self._answer(200, {"result": [row["bindings"] for row in found.get("result", [])]})

    def _refuse(self) -> None:
        self.requests.append((self.command, self.path))
        self._answer(405, {"code": "refused", "message": "this test server is read-only"})

    do_PUT = do_DELETE = do_PATCH = _refuse

    def log_message(self, *args: Any) -> None:
        pass


def main(argv: list[str]) -> int:
    """`opa run --server --addr HOST:PORT ... FOLDER`: serve FOLDER's policies until stopped.
    Like OPA, a policy that does not compile is reported on stderr and ends the program."""
    if argv[:2] != ["run", "--server"] or "--addr" not in argv:
        print(f"error: the stand-in only knows `opa run --server --addr ...`, not {argv}", file=sys.stderr)
        return 2
    host, port = argv[argv.index("--addr") + 1].rsplit(":", 1)
    folder = Path(argv[-1])
    policies = [{"id": str(path), "raw": path.read_text(encoding="utf-8")} for path in sorted(folder.rglob("*.rego"))]
    engine = regorus.Engine()
    try:
        for policy in policies:
            engine.add_policy(policy["id"], policy["raw"])
        engine.eval_query_as_json("data")  # compiles the lot, as OPA does on start
    except RuntimeError as exc:
        reason = " ".join(str(exc).split("Stack backtrace")[0].split())  # regorus spreads it over lines
        print(f"error: {reason}", file=sys.stderr)
        return 1
    handler = type("Served", (StandInOpa,), {"policies": policies, "answers": True, "requests": [], "queries": []})
    with ThreadingHTTPServer((host, int(port)), handler) as server:
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
