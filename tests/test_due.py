"""`govlint due`: what falls due, by owner department, agreeing with DUE-SOON's warnings."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import ROOT, TODAY, copy_reference, govlint, write
from test_formats import assert_inert_markdown

DUE_SCHEMA = ROOT / "src" / "govlint" / "schemas" / "due.schema.json"

EXCEPTION = """\
# yaml-language-server: $schema=../../schemas/exception.schema.json
kind: exception
id: talentscout-scim
name: TalentScout without SCIM until the PeopleGrid connector ships
rule: TOOL-DATA-CONTROLS
entity: tool/talentscout-ats
reason: IT reconciles recruiting accounts against PeopleGrid every Friday (IT-4821).
approved_by: jonah.whitfield@alderridge.example
approved_on: "2026-10-15"
expires_on: "{expires_on}"
"""


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (file, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def due_json(root: Path, *args: str) -> dict[str, Any]:
    result = govlint("due", str(root), "--format", "json", "--today", TODAY, *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    errors = sorted(Draft202012Validator(json.loads(DUE_SCHEMA.read_text()), format_checker=FormatChecker()).iter_errors(document), key=str)
    assert not errors, errors[0].message
    return document


def line_of(root: Path, file: str, marker: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if marker in line]
    assert len(found) == 1, (file, marker, found)
    return found[0]


@pytest.fixture
def busy(tmp_path: Path) -> Path:
    """The reference with a renewal soon, one long past, and an exception expiring soon."""
    root = copy_reference(tmp_path / "repo")
    edit(root, "registry/tools/quarry-bi.yaml", 'renewal: "2026-12-31"', 'renewal: "2026-12-15"')
    edit(root, "registry/tools/harborview-crm.yaml", 'renewal: "2026-12-31"', 'renewal: "2026-11-01"')
    edit(root, "registry/tools/talentscout-ats.yaml", "  scim: true", "  scim: false")
    write(root / "registry/exceptions/talentscout-scim.yaml", EXCEPTION.format(expires_on="2026-12-01"))
    return root


def test_nothing_falls_due_in_the_reference_on_the_pinned_date(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "repo")
    document = due_json(root)
    assert document["within_days"] == 30 and document["until"] == "2026-12-22"
    assert document["departments"] == [] and document["summary"]["deadlines"] == 0
    text = govlint("due", str(root), "--today", TODAY)
    assert "Nothing falls due." in text.stdout and text.exit_code == 0


def test_deadlines_grouped_by_owner_with_names_and_lines(busy: Path) -> None:
    document = due_json(busy)
    groups = {g["id"]: g for g in document["departments"]}
    assert list(groups) == ["sales", "hr", "finance"]  # ordered by each group's earliest date
    overdue = groups["sales"]["deadlines"][0]
    assert (overdue["what"], overdue["date"], overdue["days"], overdue["status"]) == ("renewal", "2026-11-01", -21, "overdue")
    assert overdue["line"] == line_of(busy, "registry/tools/harborview-crm.yaml", 'renewal: "2026-11-01"')
    assert groups["sales"]["lead"]["name"] == "Ethan Morales"
    assert overdue["sponsor"]["name"] == "Claire Dubois" and overdue["name"] == "Harborview CRM"
    # The exception belongs to the owner of the tool it waives; its approver answers for it.
    expiry = groups["hr"]["deadlines"][0]
    assert (expiry["entity"], expiry["path"], expiry["days"]) == ("exception/talentscout-scim", "expires_on", 9)
    assert expiry["file"] == "registry/exceptions/talentscout-scim.yaml"
    assert expiry["sponsor"] == {"name": "Jonah Whitfield", "email": "jonah.whitfield@alderridge.example"}
    renewal = groups["finance"]["deadlines"][0]
    assert (renewal["entity"], renewal["date"], renewal["days"]) == ("tool/quarry-bi", "2026-12-15", 23)
    assert document["summary"] == {"deadlines": 3, "overdue": 1, "departments": 3}


def test_within_widens_the_list_and_keeps_each_group_in_date_order(busy: Path) -> None:
    edit(busy, "registry/tools/tallyhall-ap.yaml", 'renewal: "2027-06-30"', 'renewal: "2026-12-01"')
    document = due_json(busy, "--within", "45")
    finance = next(g for g in document["departments"] if g["id"] == "finance")
    assert [(d["entity"], d["date"]) for d in finance["deadlines"]] == [
        ("tool/tallyhall-ap", "2026-12-01"), ("tool/quarry-bi", "2026-12-15")
    ]
    everything = [d for g in document["departments"] for d in g["deadlines"]]
    assert {d["entity"] for d in everything} >= {"tool/ticketyard-servicedesk", "tool/signalbloom-automation"}
    nothing_ahead = due_json(busy, "--within", "0")
    assert [d["status"] for g in nothing_ahead["departments"] for d in g["deadlines"]] == ["overdue"]


def test_a_review_falls_due_on_last_review_plus_cadence(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "repo")
    # Bastion is reviewed every 365 days: last 2026-08-04, due 2027-08-04.
    document = due_json(root, "--today", "2027-07-20")
    found = [d for g in document["departments"] for d in g["deadlines"] if d["entity"] == "tool/bastion-endpoint"]
    assert [(d["what"], d["date"], d["counted_from"], d["path"]) for d in found] == [
        ("review", "2027-08-04", "2026-08-04", "review.last_reviewed")
    ]


@pytest.mark.parametrize("days", [0, 40, 200, 420])
def test_due_lists_every_due_soon_warning_of_check_at_its_line(tmp_path: Path, days: int) -> None:
    root = copy_reference(tmp_path / "repo")
    today = (date.fromisoformat(TODAY) + timedelta(days=days)).isoformat()
    report = json.loads(govlint("check", str(root), "--format", "json", "--today", today).stdout)
    warned = sorted((f["file"], f["line"]) for f in report["findings"] if f["rule"] == "DUE-SOON")
    document = due_json(root, "--today", today)
    listed = sorted((d["file"], d["line"]) for g in document["departments"] for d in g["deadlines"] if d["days"] >= 0)
    assert listed == warned
    if days == 40:
        assert warned, "the reference's end-of-year renewals fall due within 30 days of 2027-01-01"


def test_markdown_escapes_record_text(busy: Path) -> None:
    edit(busy, "registry/tools/quarry-bi.yaml", "name: Quarry BI", 'name: "Quarry | **BI** <img src=x> @everyone https://evil.example"')
    result = govlint("due", str(busy), "--format", "markdown", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "### Finance (lead: Amira Nasser" in result.stdout
    assert_inert_markdown(result.stdout)
    row = next(line for line in result.stdout.splitlines() if "tool/quarry-bi" in line)
    assert row.count(" | ") == 5, row  # the name's | did not open a column


def test_text_lists_by_department(busy: Path) -> None:
    result = govlint("due", str(busy), "--today", TODAY)
    lines = result.stdout.splitlines()
    assert lines[0] == "What falls due by 2026-12-22 (within 30 days of 2026-11-22)"
    assert "Sales, lead Ethan Morales <ethan.morales@alderridge.example>" in lines
    assert any("21 days overdue" in line and "registry/tools/harborview-crm.yaml:" in line for line in lines)
    assert lines[-1] == "govlint: 3 deadlines, 1 overdue, in 3 departments"


def test_output_file(busy: Path, tmp_path: Path) -> None:
    target = tmp_path / "due.md"
    result = govlint("due", str(busy), "--format", "markdown", "--today", TODAY, "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("## What falls due by 2026-12-22")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--within", "-1"], "--within"),
        (["--within", "soon"], "--within"),
        (["--today", "2026-02-30"], "--today"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    root = copy_reference(tmp_path / "repo")
    result = govlint("due", str(root), *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_policies_without_the_deadlines_rule_say_so(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "repo")
    (root / "policies" / "due_soon.rego").unlink()
    (root / "policies" / "due_soon_test.rego").unlink()
    result = govlint("due", str(root), "--within", "30", "--today", TODAY)
    assert result.exit_code == 2 and "govlint.rules.due_soon" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_broken_date_is_left_to_the_schema_not_a_crash(busy: Path) -> None:
    edit(busy, "registry/tools/quarry-bi.yaml", 'renewal: "2026-12-15"', 'renewal: "someday"')
    result = govlint("due", str(busy), "--format", "json", "--today", TODAY)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert "tool/quarry-bi" not in {d["entity"] for g in document["departments"] for d in g["deadlines"]}
    # The date is not lost in silence: the file is named, once, on stderr.
    assert result.stderr.count("registry/tools/quarry-bi.yaml") == 1 and "govlint check" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
