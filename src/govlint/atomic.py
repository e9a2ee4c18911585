"""Writing files a user named: all or nothing, through a temporary file renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from govlint.errors import GovlintError


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` in one step; a failure leaves the old file as it was."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise GovlintError(f"cannot write {path}: it is a directory")
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
