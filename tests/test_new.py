"""`govlint new`: records asked for at the prompt or given as flags, that pass the check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import TODAY, check_json, commit_all, copy_reference, git_init
from govlint.cli import main


def new(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["new", *args], input=input, catch_exceptions=False)


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A copy of the reference repository, committed on main, as a proposer clones it."""
    root = copy_reference(tmp_path / "gov")
    git_init(root)
    commit_all(root, "the reference registry")
    return root


@pytest.fixture
def plain_reference(tmp_path: Path) -> Path:
    """A copy of the reference repository outside git, for what needs no change mode."""
    return copy_reference(tmp_path / "gov")


# The answers a proposer types for a new marketing whiteboard, one line per prompt, with a
# typo at three of them: the prompt answers each with the nearest known value and asks again.
WHITEBOARD_ANSWERS = "\n".join([
    "Boardly whiteboard",          # name
    "canvasly",                    # vendor
    "whiteboarding",               # category (a new one)
    "marketng", "marketing",       # owner: a typo, then the department
    "maren.okafor@alderridge.example",   # business_sponsor
    "ana.ribeiro@alderidge.example", "ana.ribeiro@alderridge.example",  # it_champion: a typo
    "saas",                        # hosting
    "marketing-lead", "marketing-leads",  # data
    "write",                       # access to marketing-leads
    "yes", "yes", "no", "yes",     # security.sso, mfa, scim, backup
]) + "\n"


def test_new_tool_through_its_prompts_passes_check_in_change_mode(reference: Path) -> None:
    result = new("tool", "boardly-whiteboard", "--repo", str(reference), "--today", TODAY, input=WHITEBOARD_ANSWERS)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "'marketng' is not a known department (did you mean 'marketing'?)" in result.stderr
    assert "did you mean 'ana.ribeiro@alderridge.example'?" in result.stderr
    assert "did you mean 'marketing-leads'?" in result.stderr
    written = reference / "registry" / "tools" / "boardly-whiteboard.yaml"
    text = written.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/tool.schema.json\n")
    assert "# contract: {annual_cost, currency" in text  # optional fields offered as comments
    record = yaml.safe_load(text)
    assert record["ring"] == "proposed" and record["proposed_on"] == TODAY
    assert record["data"] == [{"domain": "marketing-leads", "access": "write"}]
    assert record["security"] == {"sso": True, "mfa": True, "scim": False, "backup": True}
    code, report = check_json(reference, "--base", "main")
    introduced = [f for f in report["findings"] if f["file"] == "registry/tools/boardly-whiteboard.yaml"]
    assert introduced == [] and code == 0, report["findings"]
    assert "git switch -c propose-tool-boardly-whiteboard" in result.stdout
    assert "govlint check --base main" in result.stdout


def test_new_tool_from_flags_asks_nothing(reference: Path) -> None:
    result = new(
        "tool", "quick-forms", "--repo", str(reference), "--today", TODAY, "--no-input",
        "--set", "name=Quick forms", "--set", "vendor=canvasly", "--set", "category=forms",
        "--set", "justification=Quick forms embeds in the campaign pages; Freeform cannot.",
        "--set", "owner=marketing", "--set", "business_sponsor=maren.okafor@alderridge.example",
        "--set", "it_champion=ana.ribeiro@alderridge.example", "--set", "hosting=saas",
        "--set", "data=marketing-leads:read", "--set", "security.sso=true", "--set", "security.mfa=true",
        "--set", "security.scim=false", "--set", "security.backup=true",
        "--set", "users=[marketing, sales]",
    )
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((reference / "registry" / "tools" / "quick-forms.yaml").read_text())
    assert record["users"] == ["marketing", "sales"]
    assert record["data"] == [{"domain": "marketing-leads", "access": "read"}]
    code, report = check_json(reference, "--base", "main")
    assert code == 0, [f for f in report["findings"] if not f["waived_by"]]


def test_a_second_tool_for_an_adopted_capability_is_asked_why(reference: Path) -> None:
    answers = WHITEBOARD_ANSWERS.replace(
        "whiteboarding\n", "collaboration\nBoards for campaign planning with agencies.\n"
    )
    result = new("tool", "boardly-whiteboard", "--repo", str(reference), "--today", TODAY, input=answers)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "already adopted for collaboration: why another tool?" in result.stdout
    record = yaml.safe_load((reference / "registry" / "tools" / "boardly-whiteboard.yaml").read_text())
    assert record["justification"] == "Boards for campaign planning with agencies."
    code, report = check_json(reference, "--base", "main")
    assert code == 0, [f for f in report["findings"] if not f["waived_by"]]


def test_set_takes_yaml_flow_for_lists_and_objects(plain_reference: Path) -> None:
    result = new(
        "tool", "flow-tool", "--repo", str(plain_reference), "--today", TODAY, "--no-input",
        "--set", "name=Flow", "--set", "vendor=canvasly", "--set", "category=whiteboarding", "--set", "owner=marketing",
        "--set", "business_sponsor=noah.fitzgerald@alderridge.example", "--set", "it_champion=ana.ribeiro@alderridge.example",
        "--set", "hosting=saas", "--set", "data=[{domain: marketing-leads, access: read}]",
        "--set", "security={sso: true, mfa: false, scim: false, backup: true}", "--set", "users=[marketing]",
    )
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((plain_reference / "registry/tools/flow-tool.yaml").read_text())
    assert record["data"] == [{"domain": "marketing-leads", "access": "read"}]
    assert record["security"]["backup"] is True and record["users"] == ["marketing"]
    typo = new("tool", "flow-two", "--repo", str(plain_reference), "--no-input", "--set", "users=[marketng]")
    assert typo.exit_code == 2 and "did you mean 'marketing'?" in typo.stderr


def test_without_input_the_missing_fields_are_named(plain_reference: Path) -> None:
    result = new("tool", "half-done", "--repo", str(plain_reference), "--no-input", "--set", "name=Half")
    assert result.exit_code == 2
    assert "missing required fields for a tool: vendor, category, owner" in result.stderr
    assert not (plain_reference / "registry" / "tools" / "half-done.yaml").exists()


def test_new_refuses_to_overwrite(plain_reference: Path) -> None:
    target = plain_reference / "registry" / "tools" / "quarry-bi.yaml"
    before = target.read_bytes()
    result = new("tool", "quarry-bi", "--repo", str(plain_reference), "--no-input", "--set", "name=Other")
    assert result.exit_code == 2
    assert "registry/tools/quarry-bi.yaml already exists" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("sponser=maren.okafor@alderridge.example", "tool has no field 'sponser' (did you mean 'business_sponsor'?)"),
        ("owner=marketng", "'marketng' is not a known department (did you mean 'marketing'?)"),
        ("vendor=boardly", "add registry/vendors/boardly.yaml"),
        ("hosting=cloud", "(one of: saas, self-hosted, on-premises)"),
        ("vendor=freeform", "'freeform' is blocked by procurement"),
        ("security.ssso=true", "security has no field 'ssso' (did you mean 'sso'?)"),
        ("proposed_on=yesterday", "is not a date written YYYY-MM-DD"),
    ],
)
def test_unknown_values_get_did_you_mean(plain_reference: Path, assignment: str, message: str) -> None:
    result = new("tool", "typo-tool", "--repo", str(plain_reference), "--no-input", "--set", "name=T", "--set", assignment)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_sponsor_is_checked_against_the_owner_whatever_the_flag_order(plain_reference: Path) -> None:
    result = new("tool", "x-tool", "--repo", str(plain_reference), "--no-input",
                 "--set", "business_sponsor=marcus.bell@alderridge.example", "--set", "owner=marketing")
    assert result.exit_code == 2
    assert "is not a known person in marketing or above it" in result.stderr


def test_from_copies_a_record_with_dates_reviews_and_approvals_cleared(reference: Path) -> None:
    result = new(
        "tool", "quarry-bi-emea", "--repo", str(reference), "--from", "quarry-bi", "--today", TODAY,
        "--set", "name=Quarry BI for EMEA", "--no-input",
        "--set", "justification=EMEA finance needs its data kept in the EU region.",
    )
    assert result.exit_code == 0, result.stderr
    original = yaml.safe_load((reference / "registry" / "tools" / "quarry-bi.yaml").read_text())
    copy = yaml.safe_load((reference / "registry" / "tools" / "quarry-bi-emea.yaml").read_text())
    assert copy["owner"] == original["owner"] and copy["vendor"] == original["vendor"]
    assert copy["ring"] == "proposed" and copy["proposed_on"] == TODAY
    for gone in ("review", "approvals", "trial_ends_on", "description"):
        assert gone not in copy
    assert copy["justification"] == "EMEA finance needs its data kept in the EU region."
    assert "review" not in copy["security"]
    if "contract" in copy:
        assert "legal_review" not in copy["contract"] and "renewal" not in copy["contract"]


def test_from_an_unknown_record_suggests_the_nearest(plain_reference: Path) -> None:
    result = new("tool", "x", "--repo", str(plain_reference), "--from", "quary-bi", "--no-input")
    assert result.exit_code == 2 and "did you mean 'quarry-bi'?" in result.stderr


def test_new_department_with_known_and_new_people(plain_reference: Path) -> None:
    answers = "\n".join([
        "Data Office",                          # name
        "business",                             # function
        "priya.raman@alderridge.example",       # executive_sponsor: known, name filled in
        "new.lead@alderridge.example", "Nia Lead",  # lead: a new person, so their name is asked
        "grace.liu@alderridge.example",         # it_champion
    ]) + "\n"
    result = new("department", "data-office", "--repo", str(plain_reference), input=answers)
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load((plain_reference / "registry" / "departments" / "data-office.yaml").read_text())
    assert record["executive_sponsor"] == {"name": "Priya Raman", "email": "priya.raman@alderridge.example", "github": "priya-raman"}
    assert record["lead"] == {"name": "Nia Lead", "email": "new.lead@alderridge.example"}
    assert record["it_champion"]["name"] == "Grace Liu"
    code, report = check_json(plain_reference)
    assert code == 0, report["findings"]


def test_new_vendor_data_domain_and_exception_from_flags_pass(plain_reference: Path) -> None:
    assert new("vendor", "boardly", "--repo", str(plain_reference), "--no-input", "--set", "name=Boardly Inc.",
               "--set", "status=pending", "--set", "risk_tier=low").exit_code == 0
    assert new("data-domain", "campaign-assets", "--repo", str(plain_reference), "--no-input",
               "--set", "name=Campaign assets", "--set", "classification=internal", "--set", "owner=marketing",
               "--set", "steward=noah.fitzgerald@alderridge.example").exit_code == 0
    made = new("exception", "quarry-bi-review", "--repo", str(plain_reference), "--no-input", "--today", TODAY,
               "--set", "name=Quarry review waived", "--set", "rule=TOOL-REVIEW-OVERDUE",
               "--set", "entity=tool/quarry-bi", "--set", "reason=Reviewed with the renewal in January.",
               "--set", "approved_by=priya.raman@alderridge.example", "--set", "expires_on=2027-01-15")
    assert made.exit_code == 0, made.stderr
    code, report = check_json(plain_reference)
    assert code == 0, report["findings"]
    bad = new("exception", "bad-rule", "--repo", str(plain_reference), "--no-input",
              "--set", "rule=TOOL-SPNED", "--set", "name=x")
    assert bad.exit_code == 2 and "did you mean 'TOOL-SPEND'?" in bad.stderr


def test_new_runs_from_a_subfolder(plain_reference: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(plain_reference / "registry" / "vendors")
    result = new("vendor", "boardly", "--no-input", "--set", "name=Boardly Inc.", "--set", "status=pending",
                 "--set", "risk_tier=low")
    assert result.exit_code == 0, result.stderr
    assert (plain_reference / "registry" / "vendors" / "boardly.yaml").is_file()


def test_a_new_category_close_to_a_known_one_is_confirmed(reference: Path) -> None:
    answers = WHITEBOARD_ANSWERS.replace("whiteboarding\n", "colaboration\ncollaboration\nWhy: agencies.\n")
    result = new("tool", "boardly-whiteboard", "--repo", str(reference), "--today", TODAY, input=answers)
    assert result.exit_code == 0, result.stderr
    assert "'colaboration' would be a new category (did you mean 'collaboration'?)" in result.stderr
    assert yaml.safe_load((reference / "registry/tools/boardly-whiteboard.yaml").read_text())["category"] == "collaboration"
    again = WHITEBOARD_ANSWERS.replace("whiteboarding\n", "whiteboardin\nwhiteboardin\n")
    kept = new("tool", "other-board", "--repo", str(reference), "--today", TODAY, input=again)
    assert kept.exit_code == 0, kept.stderr
    assert yaml.safe_load((reference / "registry/tools/other-board.yaml").read_text())["category"] == "whiteboardin"


def test_the_prompt_lists_known_values_on_question_mark(plain_reference: Path) -> None:
    answers = "Boardly\n?\npending\nlow\n"
    result = new("vendor", "boardly", "--repo", str(plain_reference), input=answers)
    assert result.exit_code == 0, result.stderr
    assert "approved" in result.stdout and "blocked" in result.stdout


def test_an_answer_that_never_comes_is_one_line_and_exit_2(plain_reference: Path) -> None:
    result = new("vendor", "boardly", "--repo", str(plain_reference), input="Boardly\n")
    assert result.exit_code == 2
    assert "no answer for status" in result.stderr
    assert not (plain_reference / "registry" / "vendors" / "boardly.yaml").exists()


def test_shell_completion_of_from_lists_the_kinds_records(plain_reference: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(plain_reference / "registry" / "tools")
    monkeypatch.setenv("COMP_WORDS", "govlint new vendor x --from b")
    monkeypatch.setenv("COMP_CWORD", "5")
    monkeypatch.setenv("_GOVLINT_COMPLETE", "bash_complete")
    result = CliRunner().invoke(main, [], prog_name="govlint")
    assert result.stdout.split() == ["plain,bastion", "plain,briefly"]


def test_the_first_records_of_an_empty_registry(tmp_path: Path) -> None:
    """A new repository starts with its IT department, whose champion nobody knows yet; a tool
    before any department is refused with what to create first."""
    root = copy_reference(tmp_path / "gov", with_registry=False)
    answers = "\n".join([
        "Information Technology", "it",
        "cio@example.com", "Casey CIO",          # executive_sponsor, new
        "lead@example.com", "Lee Lead",          # lead, new
        "champ@example.com", "Cham Pion",        # it_champion, new: the first IT person
    ]) + "\n"
    made = new("department", "it", "--repo", str(root), input=answers)
    assert made.exit_code == 0, made.stderr
    record = yaml.safe_load((root / "registry/departments/it.yaml").read_text())
    assert record["it_champion"] == {"name": "Cham Pion", "email": "champ@example.com"}
    assert record["members"] == [{"name": "Cham Pion", "email": "champ@example.com"}]
    code, report = check_json(root)
    assert code == 0, report["findings"]
    empty = copy_reference(tmp_path / "empty", with_registry=False)
    refused = new("tool", "first", "--repo", str(empty), "--no-input", "--set", "name=First", "--set", "owner=it")
    assert refused.exit_code == 2
    assert "the registry has no department yet; create it first: govlint new department it" in refused.stderr
