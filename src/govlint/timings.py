"""Where a check spends its time: each stage timed, and a progress line for long runs.

`govlint check --timings` prints one line per stage on stderr when the check ends, so the
slowest stage of a pull-request check is visible without a profiler. Independently of that,
a run that passes PROGRESS_AFTER_SECONDS on a terminal shows the stage it is in on one line
of stderr, cleared when the run ends; on a pipe or in a CI log nothing is written, since a
carriage-return line there is only noise.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator, TextIO

# A proposer waits this long before being told what the check is doing.
PROGRESS_AFTER_SECONDS = 2.0
_TICK_SECONDS = 0.25


class Timings:
    """The stages of one run, in order, with the seconds each took.

    A stage entered twice (the head and the base read by the same code) is listed twice, so
    names should say which revision they are about.
    """

    def __init__(self, progress: TextIO | None = None) -> None:
        """`progress`: the stream for the progress line, used only when it is a terminal."""
        self.stages: list[tuple[str, float]] = []
        self._started = time.perf_counter()
        self._current: str | None = None
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._stream = progress if progress is not None and _is_terminal(progress) else None
        self._ticker: threading.Thread | None = None
        if self._stream is not None:
            self._ticker = threading.Thread(target=self._tick, name="govlint-progress", daemon=True)
            self._ticker.start()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as stage `name`."""
        with self._lock:
            self._current = name
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages.append((name, time.perf_counter() - start))

    def total(self) -> float:
        return time.perf_counter() - self._started

    def lines(self) -> list[str]:
        """One line per stage and the total, for stderr."""
        width = max((len(name) for name, _ in self.stages), default=5)
        out = [f"timing: {name:<{width}} {seconds:8.3f} s" for name, seconds in self.stages]
        out.append(f"timing: {'total':<{width}} {self.total():8.3f} s")
        return out

    def finish(self) -> None:
        """Stop the progress line and clear it, leaving the terminal as it was."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            if self._shown and self._stream is not None:
                self._stream.write("\r\x1b[K")
                self._stream.flush()
                self._shown = False

    def _tick(self) -> None:
        while not self._stop.wait(_TICK_SECONDS):
            elapsed = self.total()
            if elapsed < PROGRESS_AFTER_SECONDS:
                continue
            with self._lock:
                if self._stop.is_set() or self._stream is None:
                    return
                self._stream.write(f"\r\x1b[Kgovlint: {self._current or 'starting'} ({elapsed:.0f} s)")
                self._stream.flush()
                self._shown = True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
