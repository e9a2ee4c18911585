"""Every rule on a registry that breaks exactly that rule: the reference registry with a few
text edits, described in tests/cases/*.yaml and discovered here.

A case says what to change and which findings must appear, each as a rule, a file and the
line holding a marker text. Full-mode cases edit the working tree; change-mode cases commit
the reference registry as the base and the edited one as the head of a pull request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import TODAY, check_json, commit_all, copy_reference, git, git_init, write

CASES = Path(__file__).parent / "cases"


@dataclass
class Case:
    name: str
    spec: dict[str, Any]


def load_cases() -> list[Case]:
    return [Case(path.stem, yaml.safe_load(path.read_text())) for path in sorted(CASES.glob("*.yaml"))]


def apply(root: Path, edits: list[dict[str, Any]]) -> None:
    for edit in edits:
        path = root / edit["file"]
        if "remove" in edit:
            path.unlink()
        elif "write" in edit:
            write(path, edit["write"])
        else:
            text = path.read_text()
            old, new = edit["replace"], edit["with"]
            assert text.count(old) == 1, f"{edit['file']}: {old!r} appears {text.count(old)} times"
            path.write_text(text.replace(old, new))


def line_of(root: Path, file: str, marker: str) -> int:
    lines = (root / file).read_text().splitlines()
    found = [number for number, line in enumerate(lines, 1) if marker in line]
    assert len(found) == 1, f"{file}: marker {marker!r} is on lines {found}"
    return found[0]


def expected(root: Path, spec: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    result = []
    for item in spec.get("expect", []):
        line = item.get("line", line_of(root, item["file"], item["at"]) if "at" in item else None)
        result.append((item["rule"], item["file"], line))
    return sorted(result, key=str)


def case_repository(root: Path, spec: dict[str, Any]) -> str | None:
    """The reference repository at `root` with a case's edits: in change mode a git repository
    whose `proposal` branch holds them over `main` (returned, the base to judge against)."""
    copy_reference(root)
    if spec.get("mode") != "change":
        apply(root, spec["edits"])
        return None
    git_init(root)
    apply(root, spec.get("base", []))
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "proposal")
    apply(root, spec["edits"])
    commit_all(root, "proposal")
    return "main"


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case.name)
def test_case(case: Case, tmp_path: Path) -> None:
    spec = case.spec
    root = tmp_path / "repo"
    base = case_repository(root, spec)
    args: list[str] = ["--base", base] if base else []
    if "approvals" in spec:
        approvals = write(tmp_path / "approvals.json", json.dumps(spec["approvals"]))
        args += ["--approvals", str(approvals)]
    code, report = check_json(root, *args)
    found = sorted(
        ((f["rule"], f["file"], f["line"]) for f in report["findings"] if not f["waived_by"]), key=str
    )
    assert found == expected(root, spec), json.dumps(report["findings"], indent=2)
    errors = [f for f in report["findings"] if f["severity"] == "error" and not f["waived_by"]]
    assert code == (1 if errors else 0)
    for message in spec.get("messages", []):
        assert any(message in f["message"] for f in report["findings"]), message


def test_the_reference_registry_passes(tmp_path: Path) -> None:
    code, report = check_json(copy_reference(tmp_path / "repo"))
    assert code == 0
    summary = report["summary"]
    assert (summary["errors"], summary["warnings"], summary["waived"]) == (0, 0, 0)


def test_every_reference_rule_has_a_case() -> None:
    covered = {item["rule"] for case in load_cases() for item in case.spec.get("expect", [])}
    rules = set()
    for rego in (Path(__file__).parents[1] / "policies").glob("*.rego"):
        for line in rego.read_text().splitlines():
            if line.strip().startswith("#   id: "):
                rules.add(line.split(":", 1)[1].strip())
    assert rules | {"YAML", "SCHEMA"} <= covered, sorted(rules | {"YAML", "SCHEMA"} - covered)
