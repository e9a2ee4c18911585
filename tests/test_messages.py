"""Messages that say how to fix: the friction points of issue 11 a proposer and a policy author met."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, check_json, copy_reference, govlint, write

TOOL = "registry/tools/bastion-endpoint.yaml"


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return copy_reference(tmp_path / "repo")


def edit(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(document: dict[str, Any], rule: str) -> list[str]:
    return [f["message"] for f in document["findings"] if f["rule"] == rule]


def test_unknown_field_names_the_field_it_is_nearest(reference: Path) -> None:
    edit(reference, TOOL, "business_sponsor:", "sponser:")
    _, document = check_json(reference)
    assert "unknown field 'sponser' (did you mean 'business_sponsor'?)" in messages(document, "SCHEMA")


def test_unknown_field_far_from_every_field_gets_no_guess(reference: Path) -> None:
    edit(reference, TOOL, "ring:", "colour: red\nring:")
    _, document = check_json(reference)
    assert "unknown field 'colour'" in messages(document, "SCHEMA")


def test_enum_value_lists_the_allowed_values_and_the_nearest(reference: Path) -> None:
    edit(reference, TOOL, "ring: adopt", "ring: adoptt")
    _, document = check_json(reference)
    [message] = messages(document, "SCHEMA")
    assert message.startswith("ring: 'adoptt' is not one of \"proposed\", \"assess\", \"trial\", \"adopt\"")
    assert message.endswith("(did you mean 'adopt'?)")


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("kind: tool\nid: broken\nname: Broken\nsecurity:\n\tsso: true\n", 1),
        ("kind: tool\nid: broken\nname: Broken\nsecurity:\n  sso: true\n  \tmfa: true\n", 3),
    ],
)
def test_a_tab_is_named_with_its_line_and_column(reference: Path, text: str, column: int) -> None:
    write(reference / "registry/tools/broken.yaml", text)
    _, document = check_json(reference)
    [finding] = [f for f in document["findings"] if f["rule"] == "YAML"]
    assert finding["message"] == f"invalid YAML: a tab at column {column}; YAML indents with spaces"
    assert finding["line"] == text.count("\n", 0, text.index("\t")) + 1


def test_unknown_references_say_how_to_fix(reference: Path) -> None:
    edit(reference, TOOL, "owner: security", "owner: design")
    edit(reference, TOOL, "vendor: bastion", "vendor: boardly")
    _, document = check_json(reference)
    found = messages(document, "REF-UNKNOWN")
    assert "owner names department 'design', which is not in the registry; known departments: commercial-operations" in found[1]
    assert found[0].startswith(
        "vendor names vendor 'boardly', which is not in the registry: add registry/vendors/boardly.yaml or pick one"
    )


WAIVER = """kind: exception
id: talentscout-scim
name: TalentScout without SCIM until the connector ships
rule: TOOL-DATA-CONTROLS
entity: tool/talentscout-ats
reason: IT reconciles recruiting accounts every Friday until the vendor's SCIM connector ships.
approved_by: jonah.whitfield@alderridge.example
approved_on: "2026-10-15"
expires_on: "2027-03-31"
"""


def test_waived_findings_are_counted_and_listed_only_with_show_waived(reference: Path) -> None:
    edit(reference, "registry/tools/talentscout-ats.yaml", "  scim: true", "  scim: false")
    write(reference / "registry/exceptions/talentscout-scim.yaml", WAIVER)
    quiet = govlint("check", str(reference), "--today", TODAY)
    assert quiet.exit_code == 0, quiet.stdout + quiet.stderr
    assert "talentscout-ats.yaml" not in quiet.stdout
    assert "1 waived" in quiet.stdout
    assert "1 waived finding not listed (--show-waived lists them)" in quiet.stdout
    shown = govlint("check", str(reference), "--today", TODAY, "--show-waived")
    assert "TOOL-DATA-CONTROLS error (waived by exception/talentscout-scim)" in shown.stdout
    _, document = check_json(reference)
    assert [f["waived_by"] for f in document["findings"]] == ["exception/talentscout-scim"]
