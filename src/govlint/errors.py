"""The one user-facing error: the check itself could not run (exit 2, one line, no traceback);
and the interruption a stop signal raises."""

from __future__ import annotations


class GovlintError(Exception):
    """A failure of govlint itself, as opposed to a finding about the registry."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())

    def __str__(self) -> str:
        return self.message


class Interrupted(BaseException):
    """A stop signal (SIGINT, SIGTERM, SIGHUP) arrived. A BaseException, like
    KeyboardInterrupt, so no `except Exception` on the way up mistakes it for a failure."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
