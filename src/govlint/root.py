"""Finding the governance repository a command is about, from wherever it was run.

People run govlint from `registry/tools/` as often as from the top; like git, every command
walks up to the nearest folder that holds both `policies/` and `schemas/`.
"""

from __future__ import annotations

from pathlib import Path

MARKERS = ("policies", "schemas")


def is_governance_root(folder: Path) -> bool:
    return all((folder / marker).is_dir() for marker in MARKERS)


def governance_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding `policies/` and `schemas/`.

    When there is none, or `start` is not a folder, `start` itself comes back unchanged, so the command reports what is
    missing there (the folder the user named) rather than somewhere above it. The path keeps
    the form it was given in (relative stays relative) so messages read as the user typed them.
    """
    if is_governance_root(start) or not start.is_dir():
        # A path that does not exist is reported as given, never silently widened to a
        # repository above it (`registry/tols` must not check the whole repository).
        return start
    absolute = start.resolve()
    for folder in absolute.parents:
        if is_governance_root(folder):
            return folder
    return start
