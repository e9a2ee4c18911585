"""The embedded engine: Microsoft's regorus Rego interpreter, in-process.

regorus reports policy errors as RuntimeError with a `--> file:line:col` header and Rust
panics as a BaseException; both become one GovlintError line naming the policy. Rust also
writes panic notes straight to the process's stderr, so engine calls run with fds 1 and 2
quieted.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from govlint.catalog import PolicyFile
from govlint.engines.limit import (
    STOP_SIGNALS,
    EvaluationOutOfMemory,
    can_limit,
    EvaluationTimeout,
    Outcome,
    memory_message,
    run_all_with_limit,
    run_each_with_limit,
    timeout_message,
)
from govlint.errors import GovlintError

try:
    import regorus
except ImportError as exc:  # pragma: no cover - the wheel is a hard dependency
    raise GovlintError(
        "the embedded Rego engine (package gordon-to-regorus) is not installed for this "
        f"platform ({exc}); use --engine opa"
    ) from None

# How long each policy is given alone when an evaluation ran past its limit.
PROBE_SECONDS = 10.0

_LOCATION = re.compile(r"-->\s*(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+)")


def describe_engine_error(text: str, fallback_file: str | None = None) -> str:
    """regorus's multi-line error as `file:line:col: message`."""
    head = text.split("Stack backtrace:")[0]
    lines = [line.strip() for line in head.strip().splitlines() if line.strip()]
    message = next((line[len("error:"):].strip() for line in lines if line.startswith("error:")), None)
    if message is None:
        message = lines[-1] if lines else "unknown error"
    located = _LOCATION.search(head)
    if located:
        return f"{located['file']}:{located['line']}:{located['col']}: {message}"
    return f"{fallback_file}: {message}" if fallback_file else message


def _is_panic(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException"


@contextmanager
def quiet_fds() -> Iterator[None]:
    """Run native code: what it writes to fds 1 and 2 (Rust's panic notes) goes to
    /dev/null, and the stop signals take their default action meanwhile. Python runs its
    signal handlers only between bytecodes, so while regorus holds the main thread (loading
    policies, reading a large input, `govlint test` evaluating in-process) govlint's handlers
    could not run and SIGTERM would go unheard; the default ends the process at once, and
    evaluation children go with it (PR_SET_PDEATHSIG)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when the process started with the fd closed
                stream.flush()
        except (OSError, ValueError):
            pass
    with _default_stop_signals():
        saved: list[tuple[int, int]] = []
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            yield
            return
        try:
            for fd in (1, 2):
                try:
                    saved.append((fd, os.dup(fd)))
                    os.dup2(devnull, fd)
                except OSError:
                    pass
            yield
        finally:
            for fd, copy in saved:
                os.dup2(copy, fd)
                os.close(copy)
            os.close(devnull)


@contextmanager
def _default_stop_signals() -> Iterator[None]:
    """The stop signals' default action, where govlint has set handlers of its own (setting
    a handler first runs any that is pending, so no signal is lost in the switch)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for stop in STOP_SIGNALS:
        handler = signal.getsignal(stop)
        if callable(handler):
            previous[stop] = signal.signal(stop, signal.SIG_DFL)
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


class EmbeddedEngine:
    """Policies parsed once; each evaluation runs on a clone of the loaded engine, in a child
    process under a time and memory limit (see limit.py)."""

    def __init__(
        self, policies: Sequence[PolicyFile], *, timeout: float | None = None, memory_mib: int | None = None
    ) -> None:
        self._policies = list(policies)
        self._timeout = timeout
        self._memory_mib = memory_mib
        self._engine = regorus.Engine()
        # Evaluations run side by side only in children, which need fork and a time limit.
        self.side_by_side = min(os.cpu_count() or 1, 4) if timeout is not None and can_limit() else 1
        for policy in self._policies:
            try:
                with quiet_fds():
                    self._engine.add_policy(policy.path, policy.text)
            except Exception as exc:
                raise GovlintError(
                    f"policy does not compile: {describe_engine_error(str(exc), policy.path)}"
                ) from None
            except BaseException as exc:
                if not _is_panic(exc):
                    raise
                raise GovlintError(f"the Rego engine failed on policy {policy.path}: {exc}") from None

    def _loaded(self, input: str, data: dict[str, Any]) -> Any:
        """A clone of the loaded engine holding `data` and `input`. The registry's numbers and
        text are checked before they get here; should one still be beyond what regorus reads
        (a number out of its range), that is one line, not a backtrace."""
        engine = self._engine.clone()
        try:
            with quiet_fds():
                engine.add_data_json(json.dumps(data))
                engine.set_input_json(input)
        except Exception as exc:
            raise GovlintError(f"the Rego engine cannot read the policy input: {describe_engine_error(str(exc))}") from None
        except BaseException as exc:
            if not _is_panic(exc):
                raise
            raise GovlintError(f"the Rego engine failed reading the policy input: {exc}") from None
        return engine

    def evaluate(self, queries: Sequence[str], input: str, data: dict[str, Any]) -> list[Any]:
        """Each query in a child of its own, forked after the policies, input and data are
        loaded, as many side by side as `side_by_side`, each next query starting as a child
        ends."""
        engine = self._loaded(input, data)
        works = [lambda query=query: self._query(engine, query) for query in queries]
        try:
            return run_all_with_limit(works, self._timeout, self._memory_mib, at_once=self.side_by_side)
        except EvaluationOutOfMemory:
            hungry = self._culprits(engine, lambda outcome: outcome.out_of_memory)
            raise GovlintError(memory_message(self._memory_mib, hungry)) from None
        except EvaluationTimeout as exc:
            slow = self._culprits(engine, lambda outcome: outcome.timed_out)
            raise GovlintError(timeout_message(exc.timeout, slow)) from None

    def _culprits(self, engine: Any, failed: Callable[[Outcome], bool]) -> str:
        """Which policies make evaluation fail (run long, run out of memory): each package
        evaluated alone, under the same memory limit, for a short while, as many side by side
        as there are cores; the files of those that fail the same way are named."""
        assert self._timeout is not None  # only a limited evaluation fails this way
        packages = sorted({p.package for p in self._policies if not p.is_test and p.package.startswith("govlint.")})
        works = [lambda package=package: self._query(engine, "data." + package) is not None for package in packages]
        outcomes = run_each_with_limit(
            works, min(self._timeout, PROBE_SECONDS), self._memory_mib, at_once=os.cpu_count() or 1
        )
        files = sorted({self._file_of(package) for package, outcome in zip(packages, outcomes) if failed(outcome)})
        if not files:
            return "the policies taken together"
        shown = ", ".join(files[:3])
        return shown + (f" and {len(files) - 3} more" if len(files) > 3 else "")

    def _file_of(self, package: str) -> str:
        return next((p.path for p in self._policies if p.package == package and not p.is_test), package)

    def _query(self, engine: Any, query: str) -> Any:
        try:
            with quiet_fds():
                raw = engine.eval_query_as_json(f"result := {query}")
        except Exception as exc:
            raise GovlintError(f"policy evaluation failed: {describe_engine_error(str(exc))}") from None
        except BaseException as exc:
            if not _is_panic(exc):
                raise
            culprit = self._panicking_package(engine, query)
            raise GovlintError(f"the Rego engine panicked evaluating {culprit}: {exc}") from None
        result = json.loads(raw).get("result") or []
        if not result:
            return None
        return result[0].get("bindings", {}).get("result")

    def _panicking_package(self, engine: Any, query: str) -> str:
        """Which policy makes the engine panic: evaluate each package alone until one does."""
        for policy in self._policies:
            if not policy.package.startswith("govlint."):
                continue
            try:
                with quiet_fds():
                    engine.clone().eval_query_as_json("data." + policy.package)
            except BaseException as exc:
                if _is_panic(exc):
                    return f"policy {policy.path}"
        return "the policies"
