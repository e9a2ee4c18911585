"""OPA itself, in-process, as the oracle the embedded engine is held to in the parity tests.

The PyPI package `opa-golib-python-bindings` wraps OPA v1 (Go) as a shared library with a
ctypes wrapper, module `opa_bindings`. Its wheel declares Python >= 3.14 although the
wrapper loads on 3.10+, so it is not installed with pip but downloaded and unpacked into a
folder that is put on `sys.path`. The folder is found, in order, from `GOVLINT_OPA_BINDINGS`,
`.ci/cache/opa-bindings` in this repository, or an `opa_bindings` that is already
importable; when none is there the first test run downloads the pinned wheel into
`.ci/cache/` (so the README's test command runs the parity tests too; set
`GOVLINT_OPA_BINDINGS=none` to skip that). Where it cannot be had, `oracle_or_skip_reason()`
says why, and the tests that need it skip with that reason. A test oracle, never a runtime
dependency.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Sequence

from govlint.catalog import PolicyFile
from govlint.errors import GovlintError

ROOT = Path(__file__).resolve().parents[1]
ENV_VAR = "GOVLINT_OPA_BINDINGS"
CACHE_DIR = ROOT / ".ci" / "cache" / "opa-bindings"
BINDINGS = "opa-golib-python-bindings==0.4.4"
DOWNLOAD_SECONDS = 180


def fetch_bindings(target: Path) -> str:
    """Download the pinned wheel (built for Python 3.14, whose ctypes wrapper loads here too)
    and unpack it into `target`; an empty string, or why it could not be had."""
    if (target / "opa_bindings" / "__init__.py").is_file():
        return ""
    with tempfile.TemporaryDirectory() as wheels:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--python-version", "3.14",
                 "--only-binary=:all:", "-d", wheels, BINDINGS],
                capture_output=True, text=True, timeout=DOWNLOAD_SECONDS,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"could not download {BINDINGS}: {exc}"
        found = sorted(Path(wheels).glob("*.whl"))
        if done.returncode != 0 or not found:
            last = (done.stderr.strip().splitlines() or ["no wheel for this platform"])[-1]
            return f"could not download {BINDINGS}: {last}"
        unpacking = target.with_name(target.name + ".partial")
        shutil.rmtree(unpacking, ignore_errors=True)
        with zipfile.ZipFile(found[0]) as wheel:
            wheel.extractall(unpacking)
        shutil.rmtree(target, ignore_errors=True)
        unpacking.rename(target)  # whole or not at all: a half-unpacked folder is never used
    return ""


def _bindings_module() -> Any:
    """`opa_bindings`, from the first folder that holds it (downloading it into the cache when
    no folder does); ImportError with the places looked."""
    chosen = os.environ.get(ENV_VAR)
    if chosen == "none":
        raise ImportError(f"{ENV_VAR}=none: OPA in-process not used")
    if not chosen:
        why = fetch_bindings(CACHE_DIR)
        if why:
            raise ImportError(why)
    places = [Path(p) for p in (chosen, str(CACHE_DIR)) if p]
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
            f"it is downloaded into {CACHE_DIR} when {ENV_VAR} is unset, or set {ENV_VAR} to an unpacked wheel"
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

    # Queries are answered in turn, but asked as the embedded engine asks on two cores: a
    # large registry's rule packages in two literal groups (evaluate.rule_queries).
    side_by_side = 2

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
