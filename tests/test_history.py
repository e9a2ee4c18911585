"""`govlint history`: the decision ledger, read from real git repositories with pinned dates
and authors, and its published JSON schema."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import GIT_ENV, copy_reference, git, git_init, govlint
from govlint.history import HistorySettings, build_ledger, history_lead_times

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "src/govlint/schemas/history.schema.json").read_text())
BASE_TOOL = (Path(__file__).resolve().parents[1] / "registry/tools/bastion-endpoint.yaml").read_text()


def tool_text(tool_id: str, name: str, ring: str, *, cost: int = 72000, extra: str = "") -> str:
    """A tool record made from a reference one: its id, name, ring and cost replaced."""
    text = BASE_TOOL.replace("id: bastion-endpoint", f"id: {tool_id}")
    text = text.replace("name: Bastion endpoint protection", f"name: {json.dumps(name)}")
    text = text.replace("ring: adopt", f"ring: {ring}" + ("\ntrial_ends_on: \"2026-06-30\"" if ring == "trial" else ""))
    return text.replace("annual_cost: 72000", f"annual_cost: {cost}") + extra


def commit(root: Path, message: str, day: str, author: str = "Dana Reyes <dana@alderridge.example>", *args: str) -> str:
    """Commit everything as `author` on `day` (author and committer date both pinned)."""
    name, _, email = author.partition(" <")
    env = {
        **os.environ, **GIT_ENV,
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email.rstrip(">"),
        "GIT_AUTHOR_DATE": f"{day}T10:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+00:00",
    }
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", message, *args], cwd=root, env=env, check=True)
    return git(root, "rev-parse", "HEAD")


@dataclass
class History:
    root: Path
    commits: dict[str, str]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """The reference registry, then a year of decisions on it: one tool's way from proposal to
    retirement, a spend rise with approvals, a rename, a deletion and a merged branch."""
    root = copy_reference(tmp_path_factory.mktemp("ledger"))
    git_init(root)
    tools = root / "registry" / "tools"
    made: dict[str, str] = {}
    made["import"] = commit(root, "Import the registry", "2026-01-05")
    (tools / "ledgerly.yaml").write_text(tool_text("ledgerly", "Ledgerly", "proposed"))
    made["propose"] = commit(root, "Propose Ledgerly", "2026-02-02", "Ravi Iyer <ravi.iyer@alderridge.example>")
    (tools / "ledgerly.yaml").write_text(tool_text("ledgerly", "Ledgerly", "trial"))
    made["trial"] = commit(root, "Trial Ledgerly", "2026-03-02")
    adopt = tool_text("ledgerly", "Ledgerly", "adopt", cost=240000) + (
        "approvals:\n  - by: jonah.whitfield@alderridge.example\n    role: executive\n    date: \"2026-04-01\"\n"
    )
    (tools / "ledgerly.yaml").write_text(adopt)
    made["adopt"] = commit(
        root, "Adopt Ledgerly\n\nThe trial met its goals.\n\nApproved-by: Jonah Whitfield <jonah.whitfield@alderridge.example>\n"
        "Reviewed-by: Marcus Bell <marcus.bell@alderridge.example>", "2026-04-06",
    )
    # A comment-only edit is no decision.
    (tools / "ledgerly.yaml").write_text("# reviewed again\n" + adopt)
    made["comment"] = commit(root, "Comment on Ledgerly", "2026-04-20")
    git(root, "mv", "registry/tools/ledgerly.yaml", "registry/tools/ledgerly-finance.yaml")
    moved = (tools / "ledgerly-finance.yaml").read_text().replace("id: ledgerly\n", "id: ledgerly-finance\n")
    (tools / "ledgerly-finance.yaml").write_text(moved)
    made["rename"] = commit(root, "Rename Ledgerly's record", "2026-05-04")
    (tools / "canvasly-design.yaml").unlink()
    made["delete"] = commit(root, "Remove Canvasly", "2026-06-01")
    # A branch merged without fast-forward: the merge commit is the decision on the branch.
    git(root, "checkout", "-q", "-b", "retire")
    (tools / "ledgerly-finance.yaml").write_text(moved.replace("ring: adopt", "ring: hold"))
    made["branch-1"] = commit(root, "Hold Ledgerly", "2026-07-01")
    (tools / "ledgerly-finance.yaml").write_text(moved.replace("ring: adopt", "ring: retired"))
    made["branch-2"] = commit(root, "Retire Ledgerly", "2026-07-02")
    git(root, "checkout", "-q", "main")
    (root / "README.md").write_text("unrelated\n")
    made["unrelated"] = commit(root, "Not a registry change", "2026-07-03")
    made["merge"] = _merge(root, "retire", "2026-07-10")
    hostile = tool_text("hostile", "Evil <script>alert(1)</script> | **bold** \x1b[31mred", "proposed")
    (tools / "hostile.yaml").write_text(hostile)
    made["hostile"] = commit(root, "Add a hostile record", "2026-08-03")
    return History(root, made)


def _merge(root: Path, branch: str, day: str) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": f"{day}T10:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+00:00"}
    subprocess.run(["git", "merge", "-q", "--no-ff", branch, "-m", f"Merge branch {branch}\n\nApproved-by: Priya Nair <priya@alderridge.example>"],
                   cwd=root, env=env, check=True)
    return git(root, "rev-parse", "HEAD")


def ledger_json(root: Path, *args: str) -> dict[str, Any]:
    result = govlint("history", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return document


def by_commit(document: dict[str, Any], sha: str) -> list[dict[str, Any]]:
    return [d for d in document["decisions"] if d["commit"] == sha]


def test_every_registry_commit_becomes_its_decisions(history: History) -> None:
    document = ledger_json(history.root)
    commits = {d["commit"] for d in document["decisions"]}
    made = history.commits
    assert made["import"] in commits and made["adopt"] in commits
    # No decision from a commit that changed no record's value, nor from outside the registry.
    assert made["comment"] not in commits and made["unrelated"] not in commits
    imported = by_commit(document, made["import"])
    assert len(imported) == len(list((history.root / "registry").rglob("*.yaml"))) - 1  # +ledgerly-finance +hostile -canvasly
    assert all(d["op"] == "add" and d["date"] == "2026-01-05" for d in imported)
    [proposal] = by_commit(document, made["propose"])
    assert proposal["entity"] == "tool/ledgerly" and proposal["action"] == "adopt tool"
    assert proposal["title"].startswith("Propose Ledgerly for ")
    assert proposal["author"] == {"name": "Ravi Iyer", "email": "ravi.iyer@alderridge.example"}
    assert proposal["previous_commit"] is None


def test_a_decision_carries_its_approvals_and_what_it_superseded(history: History) -> None:
    [adoption] = by_commit(ledger_json(history.root), history.commits["adopt"])
    assert adoption["title"] == "Adopt Ledgerly for Information Security: annual cost 72,000 → 240,000 USD (+168,000)"
    assert adoption["approvals"] == [
        {"by": "Jonah Whitfield <jonah.whitfield@alderridge.example>", "role": "approved", "source": "trailer", "date": None},
        {"by": "Marcus Bell <marcus.bell@alderridge.example>", "role": "reviewed", "source": "trailer", "date": None},
        {"by": "jonah.whitfield@alderridge.example", "role": "executive", "source": "record", "date": "2026-04-01"},
    ]
    superseded = {s["field"]: (s["before"], s["after"]) for s in adoption["superseded"]}
    assert superseded["contract.annual_cost"] == (72000, 240000)  # numbers stay numbers
    assert superseded["ring"] == ("trial", "adopt")
    assert superseded["trial_ends_on"] == ("2026-06-30", None)
    assert adoption["previous_commit"] == history.commits["trial"]
    assert adoption["ring"] == {"before": "trial", "after": "adopt"}


def test_a_merge_on_the_first_parent_line_is_one_decision(history: History) -> None:
    document = ledger_json(history.root)
    commits = {d["commit"] for d in document["decisions"]}
    assert history.commits["branch-1"] not in commits and history.commits["branch-2"] not in commits
    [merged] = by_commit(document, history.commits["merge"])
    assert merged["action"] == "retire tool" and merged["ring"] == {"before": "adopt", "after": "retired"}
    assert merged["date"] == "2026-07-10"
    assert merged["approvals"][0]["by"] == "Priya Nair <priya@alderridge.example>"


def test_a_renamed_file_is_a_rename_and_the_story_follows_it(history: History) -> None:
    [rename] = by_commit(ledger_json(history.root), history.commits["rename"])
    assert rename["entity"] == "tool/ledgerly-finance" and rename["renamed_from"] == "tool/ledgerly"
    assert rename["action"] == "rename" and rename["title"] == "Rename tool/ledgerly to tool/ledgerly-finance"
    assert rename["superseded"] == [{"field": "id", "before": "ledgerly", "after": "ledgerly-finance"}]
    assert rename["approvals"] == []  # the record's approvals were already on record
    # The decision it replaces is the adoption: the comment-only edit in between was none.
    assert rename["previous_commit"] == history.commits["adopt"]
    story = ledger_json(history.root, "--entity", "tool/ledgerly-finance")
    assert story["story"]["names"] == ["tool/ledgerly", "tool/ledgerly-finance"]
    assert [(s["stage"], s["date"]) for s in story["story"]["stages"]] == [
        ("proposed", "2026-02-02"), ("trial", "2026-03-02"), ("adopted", "2026-04-06"), ("retired", "2026-07-10"),
    ]
    assert {d["entity"] for d in story["decisions"]} == {"tool/ledgerly", "tool/ledgerly-finance"}


def test_a_deleted_record_is_its_removal(history: History) -> None:
    [removal] = by_commit(ledger_json(history.root), history.commits["delete"])
    assert removal["entity"] == "tool/canvasly-design" and removal["op"] == "remove"
    assert removal["title"].startswith("Remove ") and removal["previous_commit"] == history.commits["import"]
    story = ledger_json(history.root, "--entity", "tool/canvasly-design")
    assert [s["stage"] for s in story["story"]["stages"]][-1] == "removed"


def test_since_and_until_bound_the_ledger_inclusively(history: History) -> None:
    document = ledger_json(history.root, "--since", "2026-03-02", "--until", "2026-05-04")
    assert {d["date"] for d in document["decisions"]} == {"2026-03-02", "2026-04-06", "2026-05-04"}
    assert document["since"] == "2026-03-02" and document["until"] == "2026-05-04"
    empty = govlint("history", str(history.root), "--since", "2027-01-01")
    assert empty.exit_code == 0 and "No registry decisions in this history since 2027-01-01" in empty.stdout


def test_hostile_record_text_is_escaped_in_markdown_and_text(history: History) -> None:
    markdown = govlint("history", str(history.root), "--format", "markdown", "--entity", "tool/hostile")
    assert markdown.exit_code == 0, markdown.stderr
    assert "<script>" not in markdown.stdout and "\\<script\\>" in markdown.stdout
    assert "\x1b" not in markdown.stdout
    row = next(line for line in markdown.stdout.splitlines() if "script" in line)
    assert row.count(" | ") == 5 and "\\|" in row  # six columns: the record's `|` cannot add one
    text = govlint("history", str(history.root), "--entity", "tool/hostile")
    assert "\x1b" not in text.stdout and "Evil <script>" in text.stdout  # a terminal shows it as written


def test_text_ledger_reads_as_decisions(history: History) -> None:
    result = govlint("history", str(history.root), "--entity", "tool/ledgerly-finance")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "The story of tool/ledgerly-finance (formerly tool/ledgerly)"
    assert any(line.startswith("  adopted   2026-04-06") for line in lines)
    assert "    contract.annual_cost: 72000 -> 240000" in lines
    assert "    approved: Jonah Whitfield <jonah.whitfield@alderridge.example> (trailer)" in lines


def test_lead_times_for_the_dashboard(history: History) -> None:
    times = {t.tool: t for t in history_lead_times(history.root)}
    ledgerly = times["ledgerly-finance"]
    assert (ledgerly.proposed, ledgerly.trial, ledgerly.adopted) == ("2026-02-02", "2026-03-02", "2026-04-06")
    assert (ledgerly.to_trial, ledgerly.to_adoption) == (28, 63)
    assert "ledgerly" not in times  # the old name is the same tool
    imported = times["bastion-endpoint"]
    assert imported.adopted == imported.proposed == "2026-01-05" and imported.trial is None


def test_records_are_read_once_per_blob(history: History, tmp_path: Path) -> None:
    """A second run reads every record version from the cache: nothing parsed again, though
    a run over another slice of history (one record's story) came in between."""
    settings = HistorySettings(repo=history.root, cache_dir=tmp_path / "cache")
    first = build_ledger(settings)
    build_ledger(HistorySettings(repo=history.root, cache_dir=tmp_path / "cache", entity="tool/hostile"))
    from govlint import registry

    calls: list[int] = []
    original = registry.read_records

    def counting(jobs: Any, schemas: Any) -> Any:
        calls.append(len(jobs))
        return original(jobs, schemas)

    import govlint.history as module

    module.read_records = counting  # type: ignore[assignment]
    try:
        second = build_ledger(settings)
    finally:
        module.read_records = original
    assert calls == [0]
    assert [e.to_json() for e in second.entries] == [e.to_json() for e in first.entries]


def test_an_unreadable_record_version_is_a_decision_that_says_so(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "repo")
    git_init(root)
    commit(root, "Import", "2026-01-05")
    (root / "registry/tools/broken.yaml").write_text("kind: tool\nid: broken\nid: twice\n")
    sha = commit(root, "Break a record", "2026-01-06")
    [entry] = by_commit(ledger_json(root), sha)
    assert entry["entity"] == "tool/broken" and entry["unreadable"].startswith("line 3:")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--entity", "gadget/x"], "--entity must be KIND/ID"),
        (["--since", "2026-13-01"], "--since must be a date written YYYY-MM-DD"),
        (["--ref", "no-such-branch"], "revision 'no-such-branch' is not in this repository"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(history: History, args: list[str], message: str) -> None:
    result = govlint("history", str(history.root), *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_outside_git_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "plain")
    result = govlint("history", str(root))
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


def test_ref_reads_another_branch_along_its_own_first_parents(history: History) -> None:
    document = ledger_json(history.root, "--ref", "retire", "--since", "2026-07-01")
    assert [(d["date"], d["ring"]["after"]) for d in document["decisions"]] == [
        ("2026-07-01", "hold"), ("2026-07-02", "retired"),
    ]
    assert document["ref"] == "retire" and document["revision"] == history.commits["branch-2"]


def test_a_governance_repository_in_a_subfolder(tmp_path: Path) -> None:
    """REPO below the top of its git work tree: paths are matched under that folder only."""
    top = tmp_path / "top"
    copy_reference(top / "governance")
    (top / "registry").mkdir()  # a folder of the same name outside REPO is not the registry
    (top / "registry" / "stray.yaml").write_text("kind: tool\n")
    git_init(top)
    first = commit(top, "Import", "2026-01-05")
    document = ledger_json(top / "governance")
    assert {d["commit"] for d in document["decisions"]} == {first}
    assert all(not d["entity"].endswith("stray") for d in document["decisions"])
