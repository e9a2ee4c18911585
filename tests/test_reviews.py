"""Approvals from recorded GitHub review JSON, counted the way GitHub counts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govlint.cli import main
from govlint.reviews import approvals_from_reviews, parse_review_pages

DATA = Path(__file__).parent / "data"
HEAD = "9f1c2b7d4e5a60718293a4b5c6d7e8f901234567"
OLD = "3b8e1f0a2c4d6e8f0a1b2c3d4e5f60718293a4b5"


def approvers(name: str, commit: str | None = None) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return list(approvals_from_reviews(parse_review_pages(text, name), commit).approvers)


def cli(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["approvals-from-reviews", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_a_comment_after_an_approval_keeps_the_approval() -> None:
    # The old jq took each reviewer's last review of any state: alice's comment erased her approval.
    assert approvers("reviews-approve-then-comment.json") == ["alice-ng"]


def test_changes_requested_after_an_approval_withdraws_it_and_a_later_approval_restores() -> None:
    assert approvers("reviews-approve-then-changes.json") == ["carol-otieno"]


def test_a_dismissed_approval_no_longer_counts() -> None:
    assert approvers("reviews-dismissed.json") == ["bkowalski"]


def test_several_pages_are_one_history() -> None:
    # alice approves on page 1 and asks for changes on page 2; dmehta comments, then approves.
    assert approvers("reviews-pages.json") == ["bkowalski", "dmehta"]


def test_an_approval_of_an_earlier_push_does_not_approve_the_head() -> None:
    assert approvers("reviews-pages.json", commit=HEAD) == ["dmehta"]
    assert approvers("reviews-pages.json", commit=OLD) == ["bkowalski"]


def test_bots_deleted_accounts_and_impossible_logins_approve_nothing() -> None:
    assert approvers("reviews-bots-and-odd-logins.json") == ["Erin-Sato", "mona_northwind"]


def test_the_latest_review_is_chosen_by_submission_time_not_page_order() -> None:
    reviews = [
        {"id": 2, "user": {"login": "alice-ng", "id": 7}, "state": "APPROVED", "submitted_at": "2026-11-20T10:00:00Z"},
        {"id": 1, "user": {"login": "alice-ng", "id": 7}, "state": "CHANGES_REQUESTED", "submitted_at": "2026-11-20T09:00:00+00:00"},
    ]
    assert approvals_from_reviews(reviews).approvers == ("alice-ng",)


def test_a_reviewer_is_one_account_whatever_the_case_of_the_login() -> None:
    reviews = [
        {"id": 1, "user": {"login": "Alice-NG"}, "state": "APPROVED", "submitted_at": "2026-11-20T09:00:00Z"},
        {"id": 2, "user": {"login": "alice-ng"}, "state": "CHANGES_REQUESTED", "submitted_at": "2026-11-20T10:00:00Z"},
    ]
    assert approvals_from_reviews(reviews).approvers == ()


def test_pages_printed_by_gh_slurp_are_read_too() -> None:
    pages = (DATA / "reviews-pages.json").read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(pages)
    second, _ = decoder.raw_decode(pages, end + 1)
    slurped = json.dumps([first, second])
    assert list(approvals_from_reviews(parse_review_pages(slurped)).approvers) == ["bkowalski", "dmehta"]


def test_the_command_writes_an_approvals_file_that_check_accepts(tmp_path: Path) -> None:
    out = tmp_path / "approvals.json"
    code, stdout, stderr = cli(str(DATA / "reviews-bots-and-odd-logins.json"), "--output", str(out))
    assert code == 0, stderr
    assert json.loads(out.read_text(encoding="ascii")) == [{"by": "Erin-Sato"}, {"by": "mona_northwind"}]
    # Each review that could name nobody is one line on stderr, printable whatever its login held.
    assert "'\\ud800mallory': not a GitHub login" in stderr
    assert "dependabot[bot]': a bot" in stderr
    assert "Traceback" not in stderr

    from govlint.check import load_approvals

    assert load_approvals(out) == [{"by": "Erin-Sato"}, {"by": "mona_northwind"}]


def test_the_command_reads_stdin_and_counts_only_the_head_commit() -> None:
    code, stdout, stderr = cli("--commit", HEAD, input=(DATA / "reviews-pages.json").read_text(encoding="utf-8"))
    assert code == 0, stderr
    assert json.loads(stdout) == [{"by": "dmehta"}]
    assert f"approval by bkowalski was given on '{OLD}'" in stderr


def test_no_reviews_at_all_is_an_empty_array() -> None:
    assert cli(input="[]\n") == (0, "[]\n", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no reviews JSON"),
        ("{\"message\": \"Not Found\"}", "found an object"),
        ("[{\"state\": \"APPROVED\"", "is not valid JSON"),
        ("[1, 2]", "review 1 is a JSON number"),
        ("[] garbage", "is not valid JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(text: str, message: str) -> None:
    code, stdout, stderr = cli(input=text)
    assert code == 2
    assert stdout == ""
    assert message in stderr and stderr.count("\n") == 1 and "Traceback" not in stderr


def test_bad_bytes_and_a_bad_commit_are_one_line_and_exit_2(tmp_path: Path) -> None:
    latin1 = tmp_path / "reviews.json"
    latin1.write_bytes(b'[{"user": {"login": "m\xe4llory"}}]')
    code, _, stderr = cli(str(latin1))
    assert code == 2 and "not UTF-8" in stderr and stderr.count("\n") == 1
    code, _, stderr = cli("--commit", "HEAD", input="[]")
    assert code == 2 and "full commit SHA" in stderr


def test_the_plumbing_command_is_hidden_from_help() -> None:
    assert "approvals-from-reviews" not in CliRunner().invoke(main, ["--help"]).stdout
