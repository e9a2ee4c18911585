"""Did-you-mean: the known values nearest to a mistyped one, for messages that say how to fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closeness(value: str, candidate: str) -> float:
    """How alike two values read, 0 to 1.

    A field name is also matched on its words, so 'sponser' is close to 'business_sponsor';
    e-mail addresses are matched on the person, since they usually share their domain.
    """
    if "@" in value and "@" in candidate:
        mine, theirs = value.lower().split("@", 1), candidate.lower().split("@", 1)
        local = difflib.SequenceMatcher(None, mine[0], theirs[0]).ratio()
        if mine[1] == theirs[1]:
            return local
        return local * 0.95 + 0.05 * difflib.SequenceMatcher(None, mine[1], theirs[1]).ratio()
    words = [candidate] + (candidate.split("_") if "_" in candidate else [])
    return max(difflib.SequenceMatcher(None, value.lower(), word.lower()).ratio() for word in words)


def nearest(value: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """The known values close to `value`, closest first; [] when none is close (ratio 0.6)."""
    scored = sorted(((closeness(value, c), c) for c in set(known) if c != value), key=lambda pair: (-pair[0], pair[1]))
    if not scored or scored[0][0] < 0.6:
        return []
    # Values that share a long common part (e-mail domains) all look close; name only those
    # about as close as the best.
    return [c for score, c in scored[:limit] if score >= scored[0][0] - 0.05]


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest known values, or ''."""
    close = nearest(value, known)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
