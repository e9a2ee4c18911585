"""OPA itself, in-process, as the oracle the embedded engine is held to in the parity tests.

The PyPI package `opa-golib-python-bindings` wraps OPA v1 (Go) as a shared library with a
ctypes wrapper, module `opa_bindings`. Its wheel declares Python >= 3.14 although the
wrapper loads on 3.10+, so it is not installed with pip but downloaded and unpacked into a
folder that is put on `sys.path` (`.ci/run` does this). The folder is found, in order, from
`GOVLINT_OPA_BINDINGS`, `.ci/cache/opa-bindings` in this repository, or an `opa_bindings`
that is already importable. Where none is there, `oracle_or_skip_reason()` says why, and
the tests that need it skip with that reason. A test oracle, never a runtime dependency.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from govlint.catalog import PolicyFile
from govlint.errors import GovlintError

ROOT = Path(__file__).resolve().parents[1]
ENV_VAR = "GOVLINT_OPA_BINDINGS"
CACHE_DIR = ROOT / ".ci" / "cache" / "opa-bindings"


def _bindings_module() -> Any:
    """`opa_bindings`, from the first folder that holds it; ImportError with the places looked."""
    places = [Path(p) for p in (os.environ.get(ENV_VAR), str(CACHE_DIR)) if p]
    for place in places:
        if (place / "opa_bindings" / "__init__.py").is_file():
            if str(place) not in sys.path:
                sys.path.insert(0, str(place))
            break
    try:
        import opa_bindings
    except ImportError:
        looked = ", ".join(str(p) for p in places)
        raise ImportError(
            f"OPA in-process (opa-golib-python-bindings) not found in {looked} or on sys.path; "
            "`.ci/run` fetches it, or set GOVLINT_OPA_BINDINGS to an unpacked wheel"
        ) from None
    return opa_bindings


def oracle_or_skip_reason() -> tuple[Any, str]:
    """The `opa_bindings` module and an empty reason, or None and why it cannot be had."""
    try:
        module = _bindings_module()
        with module.OpaEngine() as probe:  # the shared library loads only on glibc 2.34+ / macOS
            probe.eval_query("x := 1")
    except (ImportError, OSError) as exc:
        return None, str(exc)
    except Exception as exc:  # the wrapper raises its own error types for a broken library
        return None, f"OPA in-process does not run here: {exc}"
    return module, ""


class OracleEngine:
    """The Engine protocol on OPA in-process: the same queries, input and data as the
    embedded engine gets, answered by OPA. Engines are kept per data document, since OPA's
    data can be merged into but not replaced; policies are compiled once per engine."""

    def __init__(self, module: Any, policies: Sequence[PolicyFile]) -> None:
        self._module = module
        self._policies = [p for p in policies]
        self._by_data: dict[str, Any] = {}

    def _engine_for(self, data: dict[str, Any]) -> Any:
        key = json.dumps(data, sort_keys=True)
        engine = self._by_data.get(key)
        if engine is None:
            engine = self._module.OpaEngine()
            for policy in self._policies:
                try:
                    engine.add_policy(policy.path, policy.text)
                except self._module.OpaError as exc:
                    raise GovlintError(f"policy does not compile on OPA: {policy.path}: {exc}") from None
            engine.add_data(data)
            self._by_data[key] = engine
        return engine

    def evaluate(self, queries: Sequence[str], input: str, data: dict[str, Any]) -> list[Any]:
        engine = self._engine_for(data)
        document = json.loads(input)
        values = []
        for query in queries:
            try:
                bindings = engine.eval_query(f"result := {query}", document)
            except self._module.OpaError as exc:
                raise GovlintError(f"OPA failed evaluating a query: {exc}") from None
            values.append(bindings[0].get("result") if bindings else None)
        return values

    def close(self) -> None:
        for engine in self._by_data.values():
            engine.close()
        self._by_data.clear()
