"""Approvals from a pull request's reviews, the way GitHub counts them, for `--approvals`.

The pull-request workflow fetches `GET /repos/{owner}/{repo}/pulls/{n}/reviews` (every page,
concatenated as `gh api --paginate` prints them) and turns it into the `--approvals` array
`[{"by": login}]`. GitHub's own rule decides who is approving: a reviewer's **latest** review
that is APPROVED, CHANGES_REQUESTED or DISMISSED is their position, and a COMMENTED (or
PENDING) review never undoes an earlier approval. Reviews from bots, from deleted accounts
and under names no GitHub account can have are approvals of nobody the registry can name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, TextIO

from govlint.errors import GovlintError

# The review states that state a reviewer's position; the others (COMMENTED, PENDING) are
# remarks and leave the position as it was.
DECIDING_STATES = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})

# What a GitHub account name can be: letters, digits and single hyphens, up to 39 characters;
# Enterprise Managed Users add an underscore and a short code (`mona_acme`). Anything else
# (a bot's `name[bot]`, control characters, lone surrogates) cannot match a person's `github`.
GITHUB_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:_[A-Za-z0-9]{1,16})?")


@dataclass(frozen=True)
class Review:
    """One submitted review: who, their position, when, and on which commit."""

    reviewer: str
    reviewer_key: str
    state: str
    submitted_at: datetime
    order: int
    commit_id: str | None


@dataclass(frozen=True)
class ReviewVerdict:
    """Who approves the pull request, and the reviews that could name nobody."""

    approvers: tuple[str, ...]
    ignored: tuple[str, ...]


def parse_review_pages(text: str, source: str = "reviews") -> list[Any]:
    """The reviews of one or more pages: JSON arrays one after the other, as `gh api --paginate`
    prints them (or one array of page arrays, as `--slurp` does). Anything else is an error."""
    decoder = json.JSONDecoder()
    reviews: list[Any] = []
    position = skip_space(text, 0)
    if position == len(text):
        raise GovlintError(f"{source}: no reviews JSON (expected a JSON array of reviews)")
    while position < len(text):
        try:
            page, position = decoder.raw_decode(text, position)
        except ValueError as exc:
            raise GovlintError(f"{source} is not valid JSON: {exc}") from None
        if not isinstance(page, list):
            article = "an" if isinstance(page, dict) else "a"
            raise GovlintError(f"{source}: expected JSON arrays of reviews, found {article} {json_type(page)}")
        for item in page:
            reviews.extend(item if isinstance(item, list) else [item])
        position = skip_space(text, position)
    return reviews


def skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def json_type(value: Any) -> str:
    return {dict: "object", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


def submitted_time(value: Any) -> datetime | None:
    """GitHub's `submitted_at` (`2026-11-20T09:14:02Z`) as an aware time; None when unusable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_reviews(items: Iterable[Any]) -> tuple[list[Review], list[str]]:
    """Each usable review, and a one-line note for each that names no account a person has."""
    reviews: list[Review] = []
    ignored: list[str] = []
    for order, item in enumerate(items):
        if not isinstance(item, dict):
            raise GovlintError(f"review {order + 1} is a JSON {json_type(item)}, not a review object")
        state = item.get("state")
        if not isinstance(state, str) or state.upper() not in DECIDING_STATES:
            continue  # a comment or a draft: it states no position
        user = item.get("user")
        login = user.get("login") if isinstance(user, dict) else None
        label = f"review {ascii(item.get('id', order + 1))}"
        if not isinstance(login, str):
            ignored.append(f"{label}: no reviewer (a deleted account)")
            continue
        if (isinstance(user, dict) and user.get("type") == "Bot") or login.endswith("[bot]"):
            ignored.append(f"{label} by {ascii(login)}: a bot, not a person")
            continue
        if not GITHUB_LOGIN.fullmatch(login):
            ignored.append(f"{label} by {ascii(login)}: not a GitHub login")
            continue
        when = submitted_time(item.get("submitted_at"))
        if when is None:
            ignored.append(f"{label} by {login}: no readable submitted_at")
            continue
        # GitHub logins are case-insensitive; the account id, where given, is the identity.
        user_id = user.get("id") if isinstance(user, dict) else None
        key = f"id:{user_id}" if isinstance(user_id, int) else f"login:{login.lower()}"
        commit = item.get("commit_id")
        reviews.append(Review(login, key, state.upper(), when, order, commit if isinstance(commit, str) else None))
    return reviews, ignored


def latest_positions(reviews: Iterable[Review]) -> Iterator[Review]:
    """Each reviewer's latest deciding review (by submission time, then page order)."""
    latest: dict[str, Review] = {}
    for review in sorted(reviews, key=lambda r: (r.submitted_at, r.order)):
        latest[review.reviewer_key] = review
    return iter(latest.values())


def approvals_from_reviews(items: Iterable[Any], commit: str | None = None) -> ReviewVerdict:
    """Who approves: reviewers whose latest deciding review is APPROVED (on `commit`, when
    given, so that an approval of an earlier push does not approve what was pushed since)."""
    reviews, ignored = read_reviews(items)
    approvers: set[str] = set()
    for review in latest_positions(reviews):
        if review.state != "APPROVED":
            continue
        if commit is not None and review.commit_id != commit:
            ignored.append(f"approval by {review.reviewer} was given on {ascii(review.commit_id)}, not on {commit}")
            continue
        approvers.add(review.reviewer)
    return ReviewVerdict(tuple(sorted(approvers, key=lambda login: (login.lower(), login))), tuple(ignored))


def run_approvals_from_reviews(source: TextIO, source_name: str, out: TextIO, notes: TextIO, commit: str | None) -> int:
    """Read review pages from `source`, write the `--approvals` array to `out`, notes to `notes`."""
    try:
        text = source.read()
    except UnicodeDecodeError:
        raise GovlintError(f"{source_name} is not UTF-8 text") from None
    verdict = approvals_from_reviews(parse_review_pages(text, source_name), commit)
    for note in verdict.ignored:
        notes.write(f"govlint: note: not counted: {note}\n")
    # ASCII-only JSON: whatever the reviews held, the file reads the same on every platform.
    out.write(json.dumps([{"by": login} for login in verdict.approvers], indent=2) + "\n")
    return 0
