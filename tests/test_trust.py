"""The trust model: in a pull request the base revision is the only source of authority.

Each attack of issue 9 is played on a real git repository holding the reference registry:
the base commit on `main`, the hostile edit on a branch, the check run as the workflow runs
it (`--base main --approvals FILE`). A property test then plays random edits of people,
logins and attestations on random small registries, approved only by the attacker.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import reference_proposal, TODAY, check_json, commit_all, copy_reference, git, git_init, govlint, write
from govlint.check import CheckSettings, judge

BIG_TOOL = """kind: tool
id: vaultline-treasury
name: Vaultline treasury
vendor: tallyhall
category: treasury
owner: executive-office
business_sponsor: maren.okafor@alderridge.example
it_champion: sven.nyberg@alderridge.example
ring: proposed
proposed_on: "2026-11-20"
hosting: saas
data: []
security: {sso: true, mfa: true, scim: true, backup: true}
contract:
  annual_cost: 900000
  currency: USD
  po_number: PO-2026-0999
approvals:
  - by: maren.okafor@alderridge.example
    role: executive sponsor
    date: "2026-11-20"
"""


def proposal_repo(tmp_path: Path) -> Path:
    """The reference repository committed as `main`, with a `proposal` branch checked out."""
    return reference_proposal(tmp_path / "repo")


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text()
    assert text.count(old) == 1, f"{file}: {old!r} appears {text.count(old)} times"
    path.write_text(text.replace(old, new))


def check_pr(root: Path, tmp_path: Path, approvals: list[str] | None) -> tuple[int, dict[str, Any]]:
    commit_all(root, "proposal")
    args = ["--base", "main"]
    if approvals is not None:
        given = write(tmp_path / "approvals.json", json.dumps([{"by": by} for by in approvals]))
        args += ["--approvals", str(given)]
    return check_json(root, *args)


def failing(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (f["rule"], f["file"]) for f in report["findings"] if f["severity"] == "error" and not f["waived_by"]
    }


def set_login(root: Path, department: str, email: str, login: str) -> None:
    """Give the person with this e-mail, in every role the department lists them, a github login."""
    path = root / "registry" / "departments" / f"{department}.yaml"
    document = yaml.safe_load(path.read_text())
    touched = 0
    for role in ("executive_sponsor", "lead", "it_champion"):
        if document[role]["email"] == email:
            document[role]["github"] = login
            touched += 1
    for member in document.get("members", []):
        if member["email"] == email:
            member["github"] = login
            touched += 1
    assert touched, f"{email} is not in {department}"
    path.write_text(yaml.safe_dump(document, sort_keys=False))


# A pull request chooses who approves it ------------------------------------------------------


def test_logins_set_by_the_pull_request_do_not_make_mallory_an_approver(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    for department, email in [
        ("executive-office", "maren.okafor@alderridge.example"),
        ("executive-office", "sven.nyberg@alderridge.example"),
        ("it", "sven.nyberg@alderridge.example"),
        ("finance", "amira.nasser@alderridge.example"),
        ("security", "jonah.whitfield@alderridge.example"),
        ("security", "priya.raman@alderridge.example"),
    ]:
        set_login(root, department, email, "mallory")
    write(root / "registry" / "tools" / "vaultline-treasury.yaml", BIG_TOOL)
    code, report = check_pr(root, tmp_path, ["mallory"])
    assert code == 1
    blocking = failing(report)
    # The tool still needs the real people, under the logins the base gives them ...
    assert ("APPROVAL-MISSING", "registry/tools/vaultline-treasury.yaml") in blocking
    messages = " ".join(f["message"] for f in report["findings"])
    assert "maren.okafor@alderridge.example" in messages and "amira.nasser@alderridge.example" in messages
    # ... the logins changed need each department's executive sponsor ...
    for department in ("executive-office", "it", "finance", "security"):
        assert ("APPROVAL-MISSING", f"registry/departments/{department}.yaml") in blocking
    # ... and the typed-in executive approval is only a claim.
    assert ("ATTESTATION-UNCONFIRMED", "registry/tools/vaultline-treasury.yaml") in blocking


def test_the_real_approvers_under_their_base_logins_pass_the_same_tool(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    write(root / "registry" / "tools" / "vaultline-treasury.yaml", BIG_TOOL)
    code, report = check_pr(root, tmp_path, ["maren-okafor", "svennyberg", "amira-nasser"])
    assert code == 0, report["findings"]


def test_a_new_department_is_approved_by_its_parents_executive_in_the_base(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    write(root / "registry" / "departments" / "treasury.yaml", yaml.safe_dump({
        "kind": "department", "id": "treasury", "name": "Treasury", "parent": "finance", "function": "business",
        "executive_sponsor": {"name": "Mallory", "email": "mallory@alderridge.example", "github": "mallory"},
        "lead": {"name": "Mallory", "email": "mallory@alderridge.example", "github": "mallory"},
        "it_champion": {"name": "Omar Haddad", "email": "omar.haddad@alderridge.example"},
    }, sort_keys=False))
    code, report = check_pr(root, tmp_path, ["mallory"])
    assert code == 1
    missing = [f["message"] for f in report["findings"] if f["rule"] == "APPROVAL-MISSING"]
    assert any("executive sponsor of finance (victor.lindqvist@alderridge.example)" in m for m in missing), missing
    code, _ = check_pr(root, tmp_path, ["vlindqvist"])
    assert code == 0


# Typed-in approvals count ----------------------------------------------------------------------

RAISE = """contract:
  annual_cost: 9600
  currency: USD
"""
RAISED = """approvals:
  - by: isabel.quinn@alderridge.example
    role: executive sponsor
    date: "2026-11-20"
contract:
  annual_cost: 300000
  currency: USD
  po_number: PO-2026-0777
"""


def test_a_typed_in_executive_approval_does_not_satisfy_the_spend_rule(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    edit(root, "registry/tools/canvasly-design.yaml", RAISE, RAISED)
    # Every other approver has reviewed: IT's champion and the finance lead.
    code, report = check_pr(root, tmp_path, ["graceliu", "amira-nasser"])
    assert code == 1
    unconfirmed = [f for f in report["findings"] if f["rule"] == "ATTESTATION-UNCONFIRMED"]
    lines = (root / "registry" / "tools" / "canvasly-design.yaml").read_text().splitlines()
    typed_in = lines.index("  - by: isabel.quinn@alderridge.example") + 1
    assert [(f["path"], f["line"]) for f in unconfirmed] == [("approvals.0.by", typed_in)]
    assert "needs a review from isabel.quinn@alderridge.example (github: isabelquinn)" in unconfirmed[0]["message"]


def test_the_executive_approving_the_pull_request_confirms_her_approval(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    edit(root, "registry/tools/canvasly-design.yaml", RAISE, RAISED)
    code, report = check_pr(root, tmp_path, ["graceliu", "amira-nasser", "isabelquinn"])
    assert code == 0, report["findings"]


def test_without_approvals_attestations_are_not_failed_and_the_report_says_so(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    edit(root, "registry/tools/canvasly-design.yaml", RAISE, RAISED)
    code, report = check_pr(root, tmp_path, None)
    assert code == 0 and not failing(report)
    unknown = judge(CheckSettings(repo=root, base="main", today=TODAY, no_cache=True)).report
    assert unknown.approvals_checked is False
    assert judge(CheckSettings(repo=root, today=TODAY, no_cache=True)).report.approvals_checked is None


def test_an_exception_cannot_waive_the_approvals_of_its_own_pull_request(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    edit(root, "registry/tools/canvasly-design.yaml", RAISE, RAISED)
    write(root / "registry" / "exceptions" / "canvasly-approval.yaml", yaml.safe_dump({
        "kind": "exception", "id": "canvasly-approval", "name": "No time for reviews",
        "rule": "ATTESTATION-UNCONFIRMED", "entity": "tool/canvasly-design", "reason": "Urgent",
        "approved_by": "noah.fitzgerald@alderridge.example", "approved_on": "2026-11-20", "expires_on": "2026-12-20",
    }, sort_keys=False))
    code, report = check_pr(root, tmp_path, ["graceliu", "amira-nasser", "noahfitz"])
    assert code == 1
    assert ("ATTESTATION-UNCONFIRMED", "registry/tools/canvasly-design.yaml") in failing(report)


# Deciding executives are the base's --------------------------------------------------------------

MALLORY = {"name": "Mallory", "email": "mallory@alderridge.example", "github": "mallory"}


def make_executive_sponsor(root: Path, department: str, person: dict[str, str]) -> None:
    path = root / "registry" / "departments" / f"{department}.yaml"
    document = yaml.safe_load(path.read_text())
    document["executive_sponsor"] = person
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def transfer_matters_to_marketing(root: Path, decided_by: str) -> None:
    """Legal's matters move to Marketing; the executive office is the one over both."""
    path = root / "registry" / "data-domains" / "matters.yaml"
    document = yaml.safe_load(path.read_text())
    document["owner"] = "marketing"
    document["decision"] = {"decided_by": decided_by, "decided_on": "2026-11-20", "rationale": "Settled."}
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def test_a_pull_request_cannot_make_its_author_the_executive_who_decides_a_transfer(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    make_executive_sponsor(root, "executive-office", MALLORY)
    transfer_matters_to_marketing(root, "mallory@alderridge.example")
    code, report = check_pr(root, tmp_path, ["mallory"])
    assert code == 1
    assert ("OWNERSHIP-DECISION", "registry/data-domains/matters.yaml") in failing(report)
    decided = next(f for f in report["findings"] if f["rule"] == "OWNERSHIP-DECISION")
    assert decided["path"] == "decision.decided_by"
    assert "maren.okafor@alderridge.example" in decided["message"]  # the base's executive over both


def test_the_base_executive_over_both_decides_the_same_transfer(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    transfer_matters_to_marketing(root, "maren.okafor@alderridge.example")
    code, report = check_pr(root, tmp_path, ["mallory"])
    assert ("OWNERSHIP-DECISION", "registry/data-domains/matters.yaml") not in failing(report)


def test_a_pull_request_cannot_make_its_author_the_executive_who_approves_spend(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    make_executive_sponsor(root, "marketing", MALLORY)
    edit(root, "registry/tools/canvasly-design.yaml", RAISE, RAISED.replace("isabel.quinn", "mallory"))
    code, report = check_pr(root, tmp_path, ["mallory", "graceliu", "amira-nasser"])
    assert code == 1
    assert ("TOOL-SPEND", "registry/tools/canvasly-design.yaml") in failing(report)
    # Checked on its own (no base), the head's own sponsor approves it: only the base stops it.
    code, report = check_json(root)
    assert ("TOOL-SPEND", "registry/tools/canvasly-design.yaml") not in failing(report)


# Vendors need no one ----------------------------------------------------------------------------


def test_unblocking_a_high_risk_vendor_needs_procurement(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    edit(root, "registry/vendors/freeform.yaml", "status: blocked", "status: approved")
    code, report = check_pr(root, tmp_path, [])
    assert code == 1
    assert ("APPROVAL-MISSING", "registry/vendors/freeform.yaml") in failing(report)
    message = next(f["message"] for f in report["findings"] if f["file"] == "registry/vendors/freeform.yaml")
    assert "procurement lead or executive sponsor" in message and "kenji.watanabe@alderridge.example" in message
    code, _ = check_pr(root, tmp_path, ["kwatanabe"])
    assert code == 0


def test_a_new_approved_vendor_needs_procurement(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    write(root / "registry" / "vendors" / "shadyco.yaml", yaml.safe_dump({
        "kind": "vendor", "id": "shadyco", "name": "ShadyCo", "status": "approved", "risk_tier": "low",
    }, sort_keys=False))
    code, report = check_pr(root, tmp_path, [])
    assert code == 1 and failing(report) == {("APPROVAL-MISSING", "registry/vendors/shadyco.yaml")}
    code, _ = check_pr(root, tmp_path, ["vlindqvist"])
    assert code == 0


# The rules themselves ----------------------------------------------------------------------------


def test_a_rule_change_needs_the_governance_owners_named_on_the_base(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    edit(root, "policies/params.yaml", "executive_threshold: 150000", "executive_threshold: 1500000")
    # The pull request also names its author a governance owner: the base's owners still decide.
    edit(root, "policies/params.yaml", "governance_owners:\n", "governance_owners:\n  - mallory@alderridge.example\n")
    code, report = check_pr(root, tmp_path, ["mallory@alderridge.example"])
    assert code == 1
    assert ("APPROVAL-MISSING", "policies/params.yaml") in failing(report)
    assert {f["rule"] for f in report["findings"] if f["file"] == "policies/params.yaml"} == {
        "APPROVAL-MISSING", "POLICY-CHANGE",
    }
    code, report = check_pr(root, tmp_path, ["jwhitfield"])
    assert code == 0, report["findings"]


# Property: random small registries, random hostile edits, approved only by the attacker -------

ATTACKER = "mallory"


def person(n: int, *, login: bool = True) -> dict[str, str]:
    found = {"name": f"Person {n}", "email": f"p{n}@example.test"}
    if login:
        found["github"] = f"gh-p{n}"
    return found


@st.composite
def organisations(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """A small organisation: a root, IT, procurement and a few business departments in a tree,
    a vendor and a tool carrying attestations. Nobody in it is the attacker."""
    counter = iter(range(1000))
    it_people = [person(next(counter)) for _ in range(2)]
    extra = draw(st.integers(min_value=0, max_value=3))
    ids = ["root", "it", "procurement"] + [f"unit-{i}" for i in range(extra)]
    departments: dict[str, dict[str, Any]] = {}
    for index, department_id in enumerate(ids):
        parent = None if index == 0 else draw(st.sampled_from(ids[:index]))
        function = {"it": "it", "procurement": "procurement"}.get(department_id, "business")
        record: dict[str, Any] = {
            "kind": "department", "id": department_id, "name": department_id.title(), "function": function,
            "executive_sponsor": person(next(counter), login=draw(st.booleans())),
            "lead": person(next(counter)),
            "it_champion": it_people[0],
            "members": it_people if department_id == "it" else [person(next(counter))],
        }
        if parent is not None:
            record["parent"] = parent
        departments[department_id] = record
    owner = draw(st.sampled_from(ids))
    tool = {
        "kind": "tool", "id": "planner", "name": "Planner", "vendor": "acme", "category": "planning",
        "owner": owner, "business_sponsor": departments[owner]["lead"]["email"],
        "it_champion": it_people[0]["email"], "ring": "adopt", "proposed_on": "2026-01-05", "hosting": "saas",
        "data": [],
        "security": {"sso": True, "mfa": True, "scim": True, "backup": True,
                     "review": {"status": "approved", "date": "2026-01-20", "reviewer": it_people[1]["email"]}},
        "approvals": [{"by": departments[owner]["executive_sponsor"]["email"], "role": "sponsor", "date": "2026-01-06"}],
    }
    vendor = {"kind": "vendor", "id": "acme", "name": "Acme", "status": "approved", "risk_tier": "low"}
    return {"departments": departments, "tools": {"planner": tool}, "vendors": {"acme": vendor}}


def hostile_edits(org: dict[str, dict[str, Any]]) -> st.SearchStrategy[tuple[str, Any]]:
    ids = sorted(org["departments"])
    roles = st.sampled_from(["executive_sponsor", "lead", "it_champion"])
    everyone = sorted({
        p["email"] for d in org["departments"].values()
        for p in [d["executive_sponsor"], d["lead"], d["it_champion"], *d["members"]]
    })
    return st.one_of(
        st.tuples(st.just("login"), st.sampled_from(ids), roles),
        st.tuples(st.just("replace-person"), st.sampled_from(ids), roles),
        st.tuples(st.just("add-member"), st.sampled_from(ids), st.just(None)),
        st.tuples(st.just("move"), st.sampled_from(ids[1:]), st.sampled_from(ids)),
        st.tuples(st.just("new-department"), st.sampled_from(ids), st.just(None)),
        st.tuples(st.just("typed-approval"), st.sampled_from(everyone), st.just(None)),
        st.tuples(st.just("reviewer"), st.sampled_from(everyone), st.just(None)),
        st.tuples(st.just("review-status"), st.just(None), st.just(None)),
        st.tuples(st.just("unblock"), st.just(None), st.just(None)),
    ).map(lambda t: (t[0], t[1:]))


def apply_edit(org: dict[str, dict[str, Any]], kind: str, args: tuple[Any, ...]) -> None:
    departments, tool = org["departments"], org["tools"]["planner"]
    mallory = {"name": "Mallory", "email": "mallory@example.test", "github": ATTACKER}
    if kind == "login":
        departments[args[0]][args[1]] = {**departments[args[0]][args[1]], "github": ATTACKER}
    elif kind == "replace-person":
        departments[args[0]][args[1]] = mallory
    elif kind == "add-member":
        departments[args[0]]["members"] = [*departments[args[0]]["members"], mallory]
    elif kind == "move":
        current = departments[args[0]].get("parent")
        departments[args[0]]["parent"] = args[1] if args[1] != current else "it"
        if departments[args[0]]["parent"] == current:  # moving under its own parent changes nothing
            departments[args[0]]["parent"] = "root" if current != "root" else "procurement"
    elif kind == "new-department":
        departments["shadow"] = {
            "kind": "department", "id": "shadow", "name": "Shadow", "function": "business", "parent": args[0],
            "executive_sponsor": mallory, "lead": mallory, "it_champion": departments["it"]["it_champion"],
        }
    elif kind == "typed-approval":
        tool["approvals"] = [*tool["approvals"], {"by": args[0], "role": "executive", "date": "2026-11-20"}]
    elif kind == "reviewer":
        tool["security"]["review"] = {**tool["security"]["review"], "reviewer": args[0], "date": "2026-11-20"}
    elif kind == "review-status":
        tool["security"]["review"] = {**tool["security"]["review"], "status": "rejected"}
    elif kind == "unblock":
        org["vendors"]["acme"]["status"] = "blocked" if org["vendors"]["acme"]["status"] == "approved" else "approved"


def write_registry(root: Path, org: dict[str, dict[str, Any]]) -> None:
    for folder, key in [("departments", "departments"), ("tools", "tools"), ("vendors", "vendors")]:
        target = root / "registry" / folder
        if target.exists():
            for old in target.glob("*.yaml"):
                old.unlink()
        for record_id, record in org[key].items():
            # Through JSON, so that a person shared by two roles is written twice, not as a
            # YAML alias (which strict reading refuses).
            write(target / f"{record_id}.yaml", yaml.safe_dump(json.loads(json.dumps(record)), sort_keys=False))


@given(st.data())
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_edits_of_people_logins_or_attestations_approved_by_the_attacker_never_pass(data: st.DataObject) -> None:
    org = data.draw(organisations())
    kind, args = data.draw(hostile_edits(org))
    with tempfile.TemporaryDirectory() as folder:
        root = copy_reference(Path(folder) / "repo", with_registry=False)
        write_registry(root, org)
        git_init(root)
        commit_all(root, "base")
        edited = json.loads(json.dumps(org))
        apply_edit(edited, kind, args)
        if edited == org:
            return  # e.g. a reviewer replaced by the same reviewer: nothing to judge
        write_registry(root, edited)
        given_file = write(Path(folder) / "approvals.json", json.dumps([{"by": ATTACKER}]))
        code, report = check_json(root, "--base", "main", "--approvals", str(given_file))
    unreadable = [f for f in report["findings"] if f["rule"] in {"YAML", "SCHEMA", "REGISTRY-LAYOUT"}]
    assert not unreadable, unreadable  # the edits keep every record valid: the rules judge them
    authority_findings = {
        f["rule"] for f in report["findings"]
        if f["rule"] in {"APPROVAL-MISSING", "ATTESTATION-UNCONFIRMED"} and f["severity"] == "error"
    }
    assert code == 1 and authority_findings, (kind, args, report["findings"])


def test_the_brief_does_not_show_mallory_as_the_executive_who_approved(tmp_path: Path) -> None:
    root = proposal_repo(tmp_path)
    set_login(root, "executive-office", "maren.okafor@alderridge.example", "mallory")
    write(root / "registry" / "tools" / "vaultline-treasury.yaml", BIG_TOOL)
    commit_all(root, "proposal")
    given = write(tmp_path / "approvals.json", json.dumps([{"by": "mallory"}]))
    result = govlint("decisions", str(root), "--base", "main", "--today", TODAY, "--format", "json",
                     "--approvals", str(given))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    statuses = {
        (d["entity"], a["role"]): a["status"] for d in document["decisions"] for a in d["approvals"]
    }
    assert statuses[("tool/vaultline-treasury", "executive sponsor of executive-office")] == "missing"
    assert statuses[("department/executive-office", "executive sponsor of executive-office")] == "missing"
