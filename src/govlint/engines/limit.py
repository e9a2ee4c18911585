"""A time limit for policy evaluation, which regorus itself cannot interrupt.

Where the platform can fork, the evaluation runs in a child forked after the policies and
input are loaded (so nothing is loaded twice) and is killed at the limit. Elsewhere, or
without a limit, it runs in-process.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from govlint.errors import GovlintError


def timeout_message(timeout: float, where: str | None = None) -> str:
    place = f" in {where}" if where else ""
    return (
        f"policy evaluation took longer than the limit of {timeout:g} s{place} "
        "(set eval_timeout_seconds in policies/params.yaml or --timeout)"
    )


class EvaluationTimeout(GovlintError):
    """Evaluation ran past its limit."""

    def __init__(self, timeout: float) -> None:
        super().__init__(timeout_message(timeout))
        self.timeout = timeout


@dataclass(frozen=True)
class Outcome:
    """How one work ended: its value, an error message, or still running at the limit."""

    value: Any = None
    error: str | None = None
    timed_out: bool = False


def run_all_with_limit(works: Sequence[Callable[[], Any]], timeout: float | None) -> list[Any]:
    """Each work's JSON-able result, the works running side by side in forked children, all
    stopped once `timeout` seconds have passed (EvaluationTimeout). Without a limit or fork,
    they run in turn."""
    if timeout is None or not hasattr(os, "fork"):
        return [work() for work in works]
    outcomes = run_each_with_limit(works, timeout)
    for outcome in outcomes:
        if outcome.error is not None:
            raise GovlintError(outcome.error)
    if any(outcome.timed_out for outcome in outcomes):
        raise EvaluationTimeout(timeout)
    return [outcome.value for outcome in outcomes]


def run_each_with_limit(works: Sequence[Callable[[], Any]], timeout: float) -> list[Outcome]:
    """Every work in a forked child of its own, side by side; how each ended by the limit."""
    deadline = time.monotonic() + timeout
    children = [_start(work) for work in works]
    try:
        return [_collect(pid, read_end, deadline) for pid, read_end in children]
    finally:
        for pid, read_end in children:
            _stop(pid, read_end)


def _start(work: Callable[[], Any]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, send the result, leave without cleanup
        os.close(read_end)
        try:
            payload = json.dumps({"value": work()})
        except GovlintError as exc:
            payload = json.dumps({"error": exc.message})
        except BaseException as exc:  # noqa: BLE001 - anything else is reported, not raised
            payload = json.dumps({"error": f"policy evaluation failed: {type(exc).__name__}: {exc}"})
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload.encode())
        os._exit(0)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int, deadline: float) -> Outcome:
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return Outcome(timed_out=True)
        ready, _, _ = select.select([read_end], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_end, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    if not chunks:
        return Outcome(error="policy evaluation ended without a result")
    result = json.loads(b"".join(chunks))
    if "error" in result:
        return Outcome(error=str(result["error"]))
    return Outcome(value=result["value"])


def _stop(pid: int, read_end: int) -> None:
    """Reap a child, killing it first if it is still running."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    try:
        os.close(read_end)
    except OSError:
        pass
