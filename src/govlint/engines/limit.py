"""Limits on policy evaluation that regorus cannot impose itself: time, memory and lifetime.

Where the platform can fork, each evaluation runs in a child forked after the policies and
input are loaded (so nothing is loaded twice). The child

- dies with govlint: Linux's `PR_SET_PDEATHSIG` kills it when its parent ends, even by
  SIGKILL, and govlint's own signal handlers kill it first (`stop_children`), so an
  interrupted check never leaves an evaluation running on, holding the caller's pipes;
- takes the default action on SIGINT, SIGTERM and SIGHUP (it dies), not govlint's handlers
  (a signal the caller had ignored stays ignored);
- may grow its address space by at most the memory limit beyond its size at the fork
  (`RLIMIT_AS`, Linux): a policy that builds a huge collection fails in seconds instead of
  driving the machine into its out-of-memory killer;
- is killed at the time limit.

Elsewhere, or without a time limit, the works run in-process, in turn, without limits.
"""

from __future__ import annotations

import faulthandler
import json
import os
import select
import signal
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, NoReturn, Sequence

from govlint.errors import GovlintError

try:
    import resource
except ImportError:  # pragma: no cover - Windows has no rlimits (and no fork)
    resource = None  # type: ignore[assignment]

# The signals a user or a CI runner stops a process with; children die of them outright.
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_READ_SIZE = 1 << 20

# Children forked and not yet reaped, so a signal handler can kill them.
_live_children: set[int] = set()


def timeout_message(timeout: float, where: str | None = None) -> str:
    place = f" in {where}" if where else ""
    return (
        f"policy evaluation took longer than the limit of {timeout:g} s{place} "
        "(set eval_timeout_seconds in policies/params.yaml or --timeout)"
    )


def memory_message(memory_mib: int | None, where: str | None = None) -> str:
    place = f" in {where}" if where else ""
    limit = f" of {memory_mib} MiB" if memory_mib is not None else ""
    return (
        f"policy evaluation ran out of memory: it needed more than the limit{limit}{place} "
        "(set eval_memory_mib in policies/params.yaml)"
    )


class EvaluationTimeout(GovlintError):
    """Evaluation ran past its time limit."""

    def __init__(self, timeout: float) -> None:
        super().__init__(timeout_message(timeout))
        self.timeout = timeout


class EvaluationOutOfMemory(GovlintError):
    """Evaluation needed more memory than its limit allows."""

    def __init__(self, memory_mib: int | None) -> None:
        super().__init__(memory_message(memory_mib))
        self.memory_mib = memory_mib


@dataclass(frozen=True)
class Outcome:
    """How one work ended: its value, an error message, out of memory, or still running at
    its time limit."""

    value: Any = None
    error: str | None = None
    timed_out: bool = False
    out_of_memory: bool = False


def stop_children() -> None:
    """Kill every evaluation child still running. Safe inside a signal handler: it only
    sends signals; the children are reaped by the code that started them as it unwinds."""
    for pid in list(_live_children):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def can_limit() -> bool:
    return hasattr(os, "fork")


def run_all_with_limit(
    works: Sequence[Callable[[], Any]],
    timeout: float | None,
    memory_mib: int | None = None,
    *,
    at_once: int | None = None,
) -> list[Any]:
    """Each work's JSON-able result, the works running in forked children, at most `at_once`
    side by side (all when None), every one stopped once `timeout` seconds have passed since
    the first started (EvaluationTimeout), each under the memory limit
    (EvaluationOutOfMemory). Without a time limit or fork, they run in turn."""
    if timeout is None or not can_limit():
        return [work() for work in works]
    outcomes = run_each_with_limit(works, timeout, memory_mib, at_once=at_once, overall=True)
    for outcome in outcomes:
        if outcome.error is not None:
            raise GovlintError(outcome.error)
    if any(outcome.out_of_memory for outcome in outcomes):
        raise EvaluationOutOfMemory(memory_mib)
    if any(outcome.timed_out for outcome in outcomes):
        raise EvaluationTimeout(timeout)
    return [outcome.value for outcome in outcomes]


@dataclass
class _Child:
    index: int
    pid: int
    read_end: int
    deadline: float
    chunks: list[bytes] = field(default_factory=list)


def run_each_with_limit(
    works: Sequence[Callable[[], Any]],
    timeout: float,
    memory_mib: int | None = None,
    *,
    at_once: int | None = None,
    overall: bool = False,
) -> list[Outcome]:
    """Every work in a forked child of its own, at most `at_once` side by side (all of them
    when None), each given `timeout` seconds from its start, or with `overall` from the
    start of the first (a work still waiting then is not started); how each ended.

    The children's pipes are read together as results arrive, so one slow child never makes
    the others look slow, and a result larger than a pipe's buffer never blocks its child."""
    _flush_standard_streams()  # else a child would write the parent's buffered text again
    die_with_parent = _pdeathsig_setter()
    outcomes: list[Outcome | None] = [None] * len(works)
    waiting = list(range(len(works)))
    running: dict[int, _Child] = {}
    limit = at_once if at_once and at_once > 0 else len(works)
    end_of_all = time.monotonic() + timeout if overall else None
    try:
        while waiting or running:
            while waiting and len(running) < limit:
                index = waiting.pop(0)
                if end_of_all is not None and time.monotonic() >= end_of_all:
                    outcomes[index] = Outcome(timed_out=True)
                    continue
                child = _start(index, works[index], timeout, memory_mib, die_with_parent)
                if end_of_all is not None:
                    child.deadline = min(child.deadline, end_of_all)
                running[child.read_end] = child
            now = time.monotonic()
            for read_end, child in list(running.items()):
                if child.deadline <= now:
                    del running[read_end]
                    _stop(child)
                    outcomes[child.index] = Outcome(timed_out=True)
            if not running:
                continue
            wait = max(0.0, min(child.deadline for child in running.values()) - now)
            ready, _, _ = select.select(list(running), [], [], wait)
            for read_end in ready:
                child = running[read_end]
                chunk = os.read(read_end, _READ_SIZE)
                if chunk:
                    child.chunks.append(chunk)
                    continue
                del running[read_end]
                status = _reap(child)
                outcomes[child.index] = _decode(child.chunks, status, memory_mib)
    finally:
        for child in running.values():
            _stop(child)
    return [outcome if outcome is not None else Outcome(error="policy evaluation did not run") for outcome in outcomes]


def _flush_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass


def _start(
    index: int,
    work: Callable[[], Any],
    timeout: float,
    memory_mib: int | None,
    die_with_parent: Callable[[], None] | None,
) -> _Child:
    try:
        read_end, write_end = os.pipe()
    except OSError as exc:
        raise GovlintError(f"cannot start policy evaluation: {exc.strerror}") from None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError as exc:  # out of processes or memory: say so, do not pass
        os.close(read_end)
        os.close(write_end)
        raise GovlintError(f"cannot start policy evaluation: {exc.strerror}") from None
    if pid == 0:
        os.close(read_end)
        _run_child(work, write_end, parent, memory_mib, die_with_parent)
    os.close(write_end)
    _live_children.add(pid)
    return _Child(index, pid, read_end, time.monotonic() + timeout)


def _run_child(
    work: Callable[[], Any],
    write_end: int,
    parent: int,
    memory_mib: int | None,
    die_with_parent: Callable[[], None] | None,
) -> NoReturn:
    """The child: evaluate, send the result, leave without cleanup (the parent's atexit
    hooks and buffers are the parent's)."""
    try:
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) != signal.SIG_IGN:  # ignored by the caller: stays so
                signal.signal(signum, signal.SIG_DFL)
        if die_with_parent is not None:
            die_with_parent()
        if os.getppid() != parent:  # the parent ended before the death signal was armed
            os._exit(1)
        if memory_mib is not None:
            _limit_address_space(memory_mib)
        # Running out of memory ends the child with SIGABRT: no traceback dump for it (from
        # PYTHONFAULTHANDLER or pytest), the parent says what happened in one line.
        faulthandler.disable()
        payload = json.dumps({"value": work()})
    except GovlintError as exc:
        payload = json.dumps({"error": exc.message})
    except MemoryError:
        payload = '{"out_of_memory": true}'
    except BaseException as exc:  # noqa: BLE001 - anything else is reported, not raised
        payload = json.dumps({"error": f"policy evaluation failed: {type(exc).__name__}: {exc}"})
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload.encode())
    finally:
        os._exit(0)


@lru_cache(maxsize=1)
def _pdeathsig_setter() -> Callable[[], None] | None:
    """A function arming PR_SET_PDEATHSIG (SIGKILL) in the calling process; None off Linux.
    Found in the parent, once, so the child does no library loading between fork and work."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)

    return arm


def _limit_address_space(memory_mib: int) -> None:
    """Let this process grow by `memory_mib` MiB of address space beyond its size now. The
    size at the fork already holds the interpreter, regorus, the policies and the input (about
    1 GiB of mostly reserved address space for regorus alone), all shared with the parent, so
    the limit counts what the evaluation adds. Only where /proc tells the current size."""
    if resource is None:
        return
    try:
        with open("/proc/self/statm", "rb") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + memory_mib * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY:
        wanted = min(wanted, max(soft, size))
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (OSError, ValueError):
        pass


def _decode(chunks: list[bytes], status: int | None, memory_mib: int | None) -> Outcome:
    """A finished child's outcome from what it sent and how it ended."""
    if not chunks:
        if status is not None and os.WIFSIGNALED(status):
            signum = os.WTERMSIG(status)
            # Rust aborts (SIGABRT) when an allocation fails; the kernel's out-of-memory
            # killer sends SIGKILL. Either way the evaluation wanted more memory than it had.
            if signum == signal.SIGABRT or (signum == signal.SIGKILL and memory_mib is not None):
                return Outcome(out_of_memory=True)
            return Outcome(error=f"policy evaluation ended by signal {signal.Signals(signum).name}")
        return Outcome(error="policy evaluation ended without a result")
    try:
        result = json.loads(b"".join(chunks))
    except ValueError:
        return Outcome(error="policy evaluation ended with an incomplete result")
    if result.get("out_of_memory"):
        return Outcome(out_of_memory=True)
    if "error" in result:
        return Outcome(error=str(result["error"]))
    return Outcome(value=result.get("value"))


def _reap(child: _Child) -> int | None:
    """Wait for a child that has closed its pipe, so is ending; its wait status."""
    try:
        _, status = os.waitpid(child.pid, 0)
    except ChildProcessError:
        return None
    finally:
        _live_children.discard(child.pid)
        os.close(child.read_end)
    return status


def _stop(child: _Child) -> None:
    """Reap a child, killing it first if it is still running."""
    try:
        finished, _ = os.waitpid(child.pid, os.WNOHANG)
        if finished == 0:
            os.kill(child.pid, signal.SIGKILL)
            os.waitpid(child.pid, 0)
    except ChildProcessError:
        pass
    finally:
        _live_children.discard(child.pid)
        try:
            os.close(child.read_end)
        except OSError:
            pass
