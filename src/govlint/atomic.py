"""Writing files a user named: all or nothing, through a temporary file renamed into place.

Only a regular file, a symlink (the link itself: its target is never written) or a missing
path is replaced. Renaming over `/dev/null` (as root) would put a regular file where the
device was, over a FIFO or socket another program's channel: those are refused.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from govlint.errors import GovlintError


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` in one step; a failure leaves the old file as it was."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent if str(path.parent) else Path(".")
    _refuse_unless_regular(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise GovlintError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise GovlintError(f"cannot write {path}: {exc.strerror}") from None


def _refuse_unless_regular(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise GovlintError(f"cannot write {path}: {exc.strerror}") from None
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return  # a symlink is replaced by the file, never written through
    if stat.S_ISDIR(mode):
        what = "a directory"
    elif stat.S_ISFIFO(mode):
        what = "a pipe"
    else:
        what = "a device or socket"
    raise GovlintError(f"cannot write {path}: it is {what}; only a regular file or a new path is replaced")
