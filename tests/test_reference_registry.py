"""The reference registry stays valid: dated like a real one, yet passing for more than a year."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import TODAY, copy_reference, govlint

# The date the tests pin and a year and more after it: the repository's own CI judges the
# reference live, so a record that runs out inside this window would turn govlint's CI red
# with no change to the code.
DATES = [date.fromisoformat(TODAY) + timedelta(days=days) for days in (0, 180, 365, 400)]


@pytest.mark.parametrize("today", DATES, ids=str)
def test_the_reference_registry_passes_for_more_than_a_year(tmp_path: Path, today: date) -> None:
    root = copy_reference(tmp_path / "repo")
    result = govlint("check", str(root), "--format", "json", "--today", today.isoformat())
    report = json.loads(result.stdout)
    errors = [(f["rule"], f["file"], f["message"]) for f in report["findings"] if f["severity"] == "error"]
    assert result.exit_code == 0 and errors == [], errors


def test_the_reference_holds_nothing_that_must_end_within_the_year() -> None:
    # A trial lasts at most trial.max_days and an exception at most exception_max_days, and
    # either is an error once it has ended: neither can stay valid for a year, so the
    # reference holds none (tests/cases write their own where a rule needs one).
    import yaml

    from conftest import ROOT

    tools = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in (ROOT / "registry" / "tools").glob("*.yaml")]
    assert [tool["id"] for tool in tools if tool["ring"] == "trial"] == []
    assert list((ROOT / "registry").glob("exceptions/*.yaml")) == []
