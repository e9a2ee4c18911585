"""The OPA server engine: policies and data pushed to an OPA server, decisions queried.

For organisations that already run OPA, and the reference semantics the embedded engine is
held to. Policies are stored under ids prefixed `govlint/`; ids left by an earlier run whose
files are gone are deleted, so the server judges with exactly the policies given.
"""

from __future__ import annotations

import json
from typing import Any, Sequence
from urllib.parse import urlparse

from govlint.catalog import PolicyFile
from govlint.errors import GovlintError

POLICY_ID_PREFIX = "govlint/"
DEFAULT_URL = "http://localhost:8181"


def _client_class() -> Any:
    try:
        from opa_client.opa import OpaClient
    except ImportError:
        raise GovlintError(
            "--engine opa needs the opa extra: pip install 'govlint[opa]'"
        ) from None
    return OpaClient


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class OpaEngine:
    """An OPA server at a URL, loaded with the check's policies."""

    def __init__(self, policies: Sequence[PolicyFile], *, url: str | None, timeout: float | None) -> None:
        self.url = url or DEFAULT_URL
        parsed = urlparse(self.url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise GovlintError(f"--opa-url must be an http(s) URL such as {DEFAULT_URL}, not {self.url!r}")
        client_class = _client_class()
        self._client = client_class(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 8181),
            ssl=parsed.scheme == "https",
            timeout=timeout or 60.0,
            retries=0,
        )
        try:
            self._client.check_connection()
        except Exception as exc:
            raise GovlintError(f"OPA server at {self.url} is unreachable: {_first_line(exc)}") from None
        self._load(policies)

    def _load(self, policies: Sequence[PolicyFile]) -> None:
        wanted = {POLICY_ID_PREFIX + policy.path: policy for policy in policies}
        try:
            present = [p for p in self._client.get_policies_list() if str(p).startswith(POLICY_ID_PREFIX)]
            for stale in sorted(set(present) - set(wanted)):
                self._client.delete_policy(stale)
        except Exception as exc:
            raise GovlintError(f"OPA server at {self.url} refused to list policies: {_first_line(exc)}") from None
        for policy_id, policy in sorted(wanted.items()):
            try:
                self._client.update_policy_from_string(policy.text, policy_id, rego_compat=False)
            except Exception as exc:
                raise GovlintError(f"policy does not compile on OPA: {policy.path}: {_first_line(exc)}") from None

    def evaluate(self, queries: Sequence[str], input: str, data: dict[str, Any]) -> list[Any]:
        input_document = json.loads(input)
        try:
            for name, value in data.get("govlint", {}).items():
                self._client.update_or_create_data(value, f"govlint/{name}")
        except Exception as exc:
            raise GovlintError(f"OPA server at {self.url} refused the data: {_first_line(exc)}") from None
        values = []
        for query in queries:
            try:
                body = self._client.ad_hoc_query(f"result := {query}", input_data=input_document)
            except Exception as exc:
                raise GovlintError(f"OPA server at {self.url} failed evaluating {query}: {_first_line(exc)}") from None
            bindings = body.get("result") or []
            values.append(bindings[0].get("result") if bindings else None)
        return values
