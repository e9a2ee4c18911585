"""`govlint codeowners`: CODEOWNERS derived from the registry, in GitHub's order, and kept fresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, copy_reference, govlint, write


def owners_of(text: str, path: str) -> list[str]:
    """The owners GitHub would pick for `path`: the last matching line wins (no globbing
    beyond what these patterns use: `*`, folders ending in `/`, and exact files)."""
    chosen: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        anchored = pattern.lstrip("/")
        if pattern == "*" or (pattern.endswith("/") and path.startswith(anchored)) or path == anchored:
            chosen = owners
    return chosen


def set_governance_owners(root: Path, owners: list[str] | None) -> None:
    """params.yaml naming `owners` as governance owners, or naming none; the schema allowing it."""
    schema = root / "schemas" / "params.schema.json"
    body = json.loads(schema.read_text())
    body["properties"].setdefault("governance_owners", {"type": "array", "items": {"type": "string"}})
    schema.write_text(json.dumps(body))
    params = root / "policies" / "params.yaml"
    lines = params.read_text().splitlines(keepends=True)
    kept: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("governance_owners"):
            inside = True
            continue
        if inside and line.startswith((" ", "\t", "-")):
            continue
        inside = False
        kept.append(line)
    if owners is not None:
        kept.append("governance_owners: [" + ", ".join(owners) + "]\n")
    params.write_text("".join(kept))


def test_the_reference_repository_codeowners_is_not_stale() -> None:
    result = govlint("codeowners", "--check", str(ROOT))
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    root = copy_reference(tmp_path / "gov")
    assert govlint("codeowners", str(root)).exit_code == 0
    return root


def test_owners_follow_the_registry(reference: Path) -> None:
    text = (reference / ".github" / "CODEOWNERS").read_text()
    # A department owns its own record, and the tools and data domains it owns.
    assert owners_of(text, "registry/departments/legal.yaml") == ["@alder-ridge/legal"]
    assert owners_of(text, "registry/tools/harborview-crm.yaml") == ["@alder-ridge/sales"]
    assert owners_of(text, "registry/data-domains/vendor-records.yaml") == ["@alder-ridge/procurement"]
    assert owners_of(text, "registry/vendors/quarry.yaml") == ["@alder-ridge/procurement"]
    # The rules, the workflows and waivers belong to the governance owners.
    governance = owners_of(text, "policies/tool_spend.rego")
    assert governance
    for path in ("schemas/tool.schema.json", ".github/workflows/govlint.yml",
                 ".github/CODEOWNERS", "registry/exceptions/talentscout-scim.yaml", "README.md"):
        assert owners_of(text, path) == governance, path


def test_without_governance_owners_the_it_teams_own_the_rules(reference: Path) -> None:
    set_governance_owners(reference, None)
    assert govlint("codeowners", str(reference)).exit_code == 0
    text = (reference / ".github" / "CODEOWNERS").read_text()
    assert owners_of(text, "policies/tool_spend.rego") == ["@alder-ridge/it"]


def test_general_patterns_come_before_specific_ones(reference: Path) -> None:
    patterns = [line.split()[0] for line in (reference / ".github" / "CODEOWNERS").read_text().splitlines()
                if line and not line.startswith("#")]
    assert patterns[0] == "*"
    assert patterns[-3:] == ["/policies/", "/schemas/", "/.github/"]


def test_check_fails_when_ownership_changes_and_passes_after_writing(reference: Path) -> None:
    tool = reference / "registry" / "tools" / "harborview-crm.yaml"
    tool.write_text(tool.read_text().replace("owner: sales", "owner: marketing"))
    stale = govlint("codeowners", "--check", str(reference))
    assert stale.exit_code == 1 and "stale" in stale.stdout
    assert govlint("codeowners", str(reference)).exit_code == 0
    assert govlint("codeowners", "--check", str(reference)).exit_code == 0
    text = (reference / ".github" / "CODEOWNERS").read_text()
    assert owners_of(text, "registry/tools/harborview-crm.yaml") == ["@alder-ridge/marketing"]


def test_check_fails_when_the_file_is_missing(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "gov")
    result = govlint("codeowners", "--check", str(root))
    assert result.exit_code == 1 and "missing" in result.stdout
    assert not (root / ".github" / "CODEOWNERS").exists()


def test_governance_owners_param_maps_emails_to_logins(reference: Path) -> None:
    set_governance_owners(reference, ["priya.raman@alderridge.example", "DANIEL.KOVACS@alderridge.example"])
    assert govlint("codeowners", str(reference)).exit_code == 0
    text = (reference / ".github" / "CODEOWNERS").read_text()
    assert owners_of(text, "policies/params.yaml") == ["@dkovacs", "@priya-raman"]


def test_a_governance_owner_without_a_login_is_one_line_and_exit_2(reference: Path) -> None:
    set_governance_owners(reference, ["nobody@alderridge.example"])
    result = govlint("codeowners", str(reference))
    assert result.exit_code == 2
    assert "nobody@alderridge.example" in result.stderr and result.stderr.count("\n") == 1


def test_a_broken_department_record_stops_with_its_line(reference: Path) -> None:
    write(reference / "registry" / "departments" / "legal.yaml", "kind: department\nid: legal\nname: [x\n")
    result = govlint("codeowners", "--check", str(reference))
    assert result.exit_code == 2
    assert "registry/departments/legal.yaml" in result.stderr
