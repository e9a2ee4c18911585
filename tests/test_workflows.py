"""The GitHub workflows as they run: pinned Node 24 actions, linted, and their shell steps
executed here against real git repositories (with `gh` answering from recorded API JSON)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, commit_all, git, git_init, write

WORKFLOWS = ROOT / ".github" / "workflows"
DATA = Path(__file__).parent / "data"
HEAD = "9f1c2b7d4e5a60718293a4b5c6d7e8f901234567"
# The Python environment running the tests: its `govlint`, and tools installed beside it.
BIN = Path(sys.executable).parent

# The first release of each action that runs on Node 24 (`runs.using: node24` in its
# action.yml); Node 20 is gone from GitHub's runners since September 2026.
FIRST_NODE24 = {
    "actions/checkout": (5, 0, 0),
    "actions/setup-python": (6, 0, 0),
    "actions/upload-artifact": (6, 0, 0),
    "actions/download-artifact": (7, 0, 0),
    "actions/cache/restore": (5, 0, 0),
    "actions/cache/save": (5, 0, 0),
    "github/codeql-action/upload-sarif": (4, 0, 0),
    "open-policy-agent/setup-opa": (2, 3, 0),
}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<comment>.*)$")


def workflow(name: str) -> dict[str, Any]:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # PyYAML reads the bare key `on` as the boolean true (YAML 1.1).
    document["on"] = document.pop(True, document.get("on"))
    return document


def step(name: str, job: str, title: str) -> dict[str, Any]:
    for candidate in workflow(name)["jobs"][job]["steps"]:
        if candidate.get("name") == title:
            return candidate
    raise AssertionError(f"{name}: job {job} has no step {title!r}")


def tool(name: str) -> str | None:
    beside = BIN / name
    return str(beside) if beside.exists() else shutil.which(name)


def run_step(script: str, cwd: Path, env: dict[str, str], fake_bin: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a `run:` script the way GitHub's default shell does: bash -e -o pipefail."""
    path = os.pathsep.join(str(p) for p in (fake_bin, BIN) if p) + os.pathsep + os.environ.get("PATH", "")
    script_file = cwd.parent / f"step-{abs(hash(script))}.sh"
    script_file.write_text(script, encoding="utf-8")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
        cwd=cwd, env={**os.environ, "PATH": path, **env}, capture_output=True, text=True, timeout=120,
    )


def fake_gh(folder: Path, responses: dict[str, str]) -> Path:
    """A `gh` that answers `gh api PATH ...` from recorded text and logs every call."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "responses.json").write_text(json.dumps(responses), encoding="utf-8")
    write(folder / "gh", f"""#!{sys.executable}
import json, sys
from pathlib import Path
here = Path(__file__).parent
with open(here / "calls.log", "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
args = sys.argv[1:]
for i, arg in enumerate(args):
    if arg.startswith("body=@"):
        (here / "posted.md").write_bytes(Path(arg[len("body=@"):]).read_bytes())
path = next(a for a in args[1:] if a.startswith("repos/"))
for prefix, answer in json.loads((here / "responses.json").read_text()).items():
    if path.startswith(prefix):
        sys.stdout.write(answer)
        break
""")
    (folder / "gh").chmod(0o755)
    return folder


# -- pinned, Node 24, linted ---------------------------------------------------------------


def all_uses() -> list[tuple[str, int, str, str, str]]:
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = USES.match(line)
            if match:
                found.append((path.name, number, match["action"], match["ref"], match["comment"]))
    return found


def test_every_action_is_pinned_by_full_sha_with_its_release_in_a_comment() -> None:
    uses = all_uses()
    assert len(uses) >= 8
    for name, number, action, ref, comment in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{name}:{number}: {action}@{ref} is not a commit SHA"
        assert re.fullmatch(r"\s+#\s+v\d+\.\d+\.\d+\s*", comment), f"{name}:{number}: no '# vX.Y.Z' after {action}"


def test_every_action_runs_on_node_24_and_one_release_has_one_sha() -> None:
    sha_of: dict[tuple[str, str], str] = {}
    for name, number, action, ref, comment in all_uses():
        version = comment.split("#", 1)[1].strip()
        assert action in FIRST_NODE24, f"{name}:{number}: {action} is not known to run on Node 24"
        release = tuple(int(part) for part in version.lstrip("v").split("."))
        assert release >= FIRST_NODE24[action], f"{name}:{number}: {action} {version} runs on Node 20"
        assert sha_of.setdefault((action, version), ref) == ref, f"{name}:{number}: {action} {version} pinned twice"


def test_every_job_states_its_permissions_and_the_workflows_grant_none() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        document = workflow(path.name)
        assert document["permissions"] == {}, path.name
        for job_name, job in document["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {job_name} has no permissions of its own"


def test_actionlint_passes() -> None:
    actionlint = tool("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install '.[workflow-lint]'; its build downloads the binary)")
    done = subprocess.run([actionlint, *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_passes() -> None:
    zizmor = tool("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install '.[test]')")
    done = subprocess.run([zizmor, "--offline", "--no-progress", str(WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_lint_job_installs_the_versions_pyproject_pins() -> None:
    extra = re.search(r"^workflow-lint = \[(.*)\]$", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert extra, "pyproject.toml has no workflow-lint extra"
    pinned = sorted(re.findall(r'"([^"]+)"', extra[1]))
    installed = step("ci.yml", "lint-workflows", "Install actionlint and zizmor")["run"]
    assert sorted(re.findall(r'"([a-z-]+==[0-9.]+)"', installed)) == pinned


def test_only_the_workflow_run_trigger_is_waived_and_with_a_reason() -> None:
    waivers = [
        (path.name, line)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if "zizmor: ignore" in line
    ]
    assert len(waivers) == 1
    name, line = waivers[0]
    assert name == "govlint-comment.yml"
    assert re.search(r"zizmor: ignore\[dangerous-triggers\] \S.{20,}", line), line


# -- approvals from reviews ----------------------------------------------------------------


def test_approvals_come_from_the_reviews_as_github_counts_them(tmp_path: Path) -> None:
    # The recorded reviews come as `gh api --paginate` prints them: two pages, one after the other.
    gather = step("govlint.yml", "check", "Gather approvals from the pull request's reviews")
    assert "group_by" not in gather["run"] and "approvals-from-reviews" in gather["run"]
    out = tmp_path / "out"
    out.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    gh = fake_gh(tmp_path / "bin", {"repos/northwind/governance/pulls/42/reviews": (DATA / "reviews-pages.json").read_text()})
    env = {"GOVLINT_OUT": str(out), "GH_TOKEN": "x", "PR": "42", "HEAD_SHA": HEAD, "GITHUB_REPOSITORY": "northwind/governance"}
    done = run_step(gather["run"], work, env, gh)
    assert done.returncode == 0, done.stderr
    # alice asked for changes on page 2; bkowalski's approval was of an earlier push.
    assert json.loads((out / "approvals.json").read_text()) == [{"by": "dmehta"}]
    assert "--paginate" in (gh / "calls.log").read_text()


# -- outputs in a fresh folder -------------------------------------------------------------


def governance_pr(tmp_path: Path) -> Path:
    """A governance repository with `main` and a pull request that commits its own brief.md."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "policies", root / "policies")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copytree(ROOT / "registry", root / "registry")
    git_init(root)
    commit_all(root, "main")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-q", "-b", "proposal")
    write(root / "brief.md", "# All approved\n\nNothing to see here: merge it.\n")
    write(root / "approvals.json", json.dumps([{"by": "cfo@example.com"}]))
    write(root / "govlint.sarif", "{}")
    tool_file = root / "registry" / "tools" / "canvasly-design.yaml"
    tool_file.write_text(tool_file.read_text(encoding="utf-8").replace("ring: adopt", "ring: hold"), encoding="utf-8")
    commit_all(root, "a proposal that brings its own brief")
    return root


def test_outputs_are_written_to_a_fresh_folder_never_taken_from_the_checkout(tmp_path: Path) -> None:
    job = workflow("govlint.yml")["jobs"]["check"]
    check = step("govlint.yml", "check", "Check against the target branch's rules")
    root = governance_pr(tmp_path)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    github_env = tmp_path / "github-env"
    fresh = step("govlint.yml", "check", "A fresh folder for what this run hands on")
    done = run_step(fresh["run"], root, {"RUNNER_TEMP": str(runner_temp), "GITHUB_ENV": str(github_env)})
    assert done.returncode == 0, done.stderr
    out = Path(github_env.read_text().strip().split("=", 1)[1])
    assert out.parent == runner_temp and out.is_dir() and not any(out.iterdir())
    write(out / "approvals.json", "[]")

    outputs, summary = tmp_path / "github-output", tmp_path / "summary.md"
    env = {"GOVLINT_OUT": str(out), "BASE": "origin/main", "PR": "42",
           "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)}
    done = run_step(check["run"], root, env)
    assert done.returncode == 0, done.stderr
    produced = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert produced["brief"] == "yes" and produced["sarif"] == "yes"
    brief = (out / "brief.md").read_text(encoding="utf-8")
    assert "Nothing to see here" not in brief and "canvasly-design" in brief
    assert json.loads((out / "govlint.sarif").read_text())["version"] == "2.1.0"
    assert (out / "pr-number.txt").read_text().strip() == "42"

    # What is uploaded is named inside that folder, never by a path in the checkout.
    uploads = [s for s in job["steps"] if "upload" in str(s.get("uses", ""))]
    assert len(uploads) == 2
    for upload in uploads:
        for key in ("path", "sarif_file"):
            for path in str(upload["with"].get(key, "")).splitlines():
                assert path.startswith("${{ env.GOVLINT_OUT }}/"), f"{upload['uses']} {key}: {path}"


# -- the daily run -------------------------------------------------------------------------


def test_a_daily_run_on_the_default_branch_checks_everything_with_read_only_permissions() -> None:
    document = workflow("govlint.yml")
    assert document["on"]["schedule"] and "workflow_dispatch" in document["on"]
    assert re.fullmatch(r"\d+ \d+ \* \* \*", document["on"]["schedule"][0]["cron"])
    daily = document["jobs"]["daily"]
    assert daily["permissions"] == {"contents": "read"}
    assert "schedule" in daily["if"] and "default_branch" in daily["if"]
    assert "schedule" not in document["jobs"]["check"]["if"]
    assert "--base" not in step("govlint.yml", "daily", "Check the registry as of today")["run"]


@pytest.mark.parametrize("sso", [True, False])
def test_the_daily_run_puts_the_full_check_in_the_job_summary_and_fails_with_it(tmp_path: Path, mini_repo: Any, sso: bool) -> None:
    mini_repo.tool("legacy", sso=sso)
    daily = step("govlint.yml", "daily", "Check the registry as of today")
    runner_temp, summary = tmp_path / "runner-temp", tmp_path / "summary.md"
    runner_temp.mkdir()
    done = run_step(daily["run"], mini_repo.root, {"RUNNER_TEMP": str(runner_temp), "GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == (0 if sso else 1), done.stderr
    text = summary.read_text(encoding="utf-8")
    assert ("MINI-SSO" in text) == (not sso)
    assert "::error" in done.stdout if not sso else "::error" not in done.stdout


# -- the comment poster --------------------------------------------------------------------


def post_brief(tmp_path: Path, brief: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    folder = tmp_path / "brief"
    write(folder / "brief.md", brief)
    write(folder / "pr-number.txt", "42\n")
    gh = fake_gh(tmp_path / "bin", {"repos/northwind/governance/pulls/42": HEAD + "\n", "repos/northwind/governance/issues/42/comments": ""})
    post = step("govlint-comment.yml", "comment", "Post or update the brief")
    env = {"BRIEF_DIR": str(folder), "GH_TOKEN": "x", "HEAD_SHA": HEAD, "GITHUB_REPOSITORY": "northwind/governance"}
    work = tmp_path / "work"
    work.mkdir()
    return run_step(post["run"], work, env, gh), gh


def test_the_comment_poster_posts_the_whole_brief(tmp_path: Path) -> None:
    assert "head -c" not in (WORKFLOWS / "govlint-comment.yml").read_text(encoding="utf-8")
    # 60,000 characters of which many take several bytes: `head -c 60000` cut this mid-line.
    brief = "# Decisions\n\n" + "".join(f"- Zoë's tool №{n} – réviewed ✓\n" for n in range(1880))
    assert len(brief.encode("utf-8")) > 60000 > len(brief)
    done, gh = post_brief(tmp_path, brief)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (gh / "posted.md").read_text(encoding="utf-8") == "<!-- govlint-decision-brief -->\n" + brief
    assert '"POST"' in (gh / "calls.log").read_text()


def test_a_brief_over_githubs_limit_fails_clearly_and_posts_nothing(tmp_path: Path) -> None:
    done, gh = post_brief(tmp_path, "x" * 65536)
    assert done.returncode == 1
    assert "::error::the decision brief is 65568 characters, over GitHub's 65,536" in done.stdout
    assert not (gh / "posted.md").exists()


def test_govlints_own_ci_judges_the_reference_registry_live() -> None:
    steps = workflow("ci.yml")["jobs"]["tests"]["steps"]
    live = [s["run"] for s in steps if "govlint check" in str(s.get("run", ""))]
    assert live and all("--today" not in run for run in live)


# -- what falls due ------------------------------------------------------------------------


def fake_gh_issues(folder: Path, open_issues: list[dict[str, Any]]) -> Path:
    """A `gh` for the issue commands: `issue list` answers with recorded JSON (as `--json
    number` prints it), a `--body-file` is kept as posted.md, and every call is logged."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issues.json").write_text(json.dumps(open_issues), encoding="utf-8")
    write(folder / "gh", f"""#!{sys.executable}
import json, shutil, sys
from pathlib import Path
here = Path(__file__).parent
args = sys.argv[1:]
with open(here / "calls.log", "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\\n")
if "--body-file" in args:
    shutil.copyfile(args[args.index("--body-file") + 1], here / "posted.md")
if args[:2] == ["issue", "list"]:
    sys.stdout.write((here / "issues.json").read_text())
""")
    (folder / "gh").chmod(0o755)
    return folder


def gh_calls(gh: Path) -> list[list[str]]:
    log = gh / "calls.log"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_only_the_issue_job_may_write_issues_and_it_runs_nothing_from_the_repository() -> None:
    jobs = workflow("govlint.yml")["jobs"]
    issue_job = jobs["due-issue"]
    assert issue_job["permissions"] == {"issues": "write"} and issue_job["needs"] == "daily"
    assert "needs.daily.outputs.due == 'yes'" in issue_job["if"] and "!cancelled()" in issue_job["if"]
    assert not any("checkout" in str(s.get("uses", "")) for s in issue_job["steps"])
    commands = [line.strip() for s in issue_job["steps"] for line in str(s.get("run", "")).splitlines()]
    assert not any(line.startswith(("govlint ", "pip ", "python -m pip")) for line in commands), commands
    assert all("issues" not in job["permissions"] for name, job in jobs.items() if name != "due-issue")
    assert jobs["daily"]["outputs"]["due"] == "${{ steps.due.outputs.listed }}"


def test_the_daily_run_lists_what_falls_due_in_the_job_summary(tmp_path: Path) -> None:
    from datetime import date, timedelta

    root = tmp_path / "repo"
    for folder in ("policies", "schemas", "registry"):
        shutil.copytree(ROOT / folder, root / folder)
    # The step judges as of the real day; a renewal five days from it falls due.
    soon = (date.today() + timedelta(days=5)).isoformat()
    tool_file = root / "registry" / "tools" / "quarry-bi.yaml"
    tool_file.write_text(tool_file.read_text(encoding="utf-8").replace('renewal: "2026-12-31"', f'renewal: "{soon}"'), encoding="utf-8")
    due = step("govlint.yml", "daily", "What falls due")
    assert "!cancelled()" in due["if"]  # listed even when the check before it fails
    runner_temp, summary, outputs = tmp_path / "runner-temp", tmp_path / "summary.md", tmp_path / "github-output"
    runner_temp.mkdir()
    env = {"RUNNER_TEMP": str(runner_temp), "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    done = run_step(due["run"], root, env)
    assert done.returncode == 0, done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "## What falls due by" in text and "Quarry BI" in text and soon in text
    produced = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    folder = Path(produced["folder"])
    assert produced["listed"] == "yes" and folder.parent == runner_temp
    listed = json.loads((folder / "due.json").read_text())
    assert any(d["entity"] == "tool/quarry-bi" for g in listed["departments"] for d in g["deadlines"])
    upload = step("govlint.yml", "daily", "Hand the list to the issue job")
    assert upload["with"]["path"].splitlines() == ["${{ steps.due.outputs.folder }}/due.md", "${{ steps.due.outputs.folder }}/due.json"]


def keep_issue(tmp_path: Path, open_issues: list[dict[str, Any]], deadlines: int, markdown: str = "## What falls due\n") -> tuple[subprocess.CompletedProcess[str], Path]:
    folder = tmp_path / "due"
    write(folder / "due.md", markdown)
    write(folder / "due.json", json.dumps({"summary": {"deadlines": deadlines, "overdue": 0, "departments": 1}}))
    gh = fake_gh_issues(tmp_path / "bin", open_issues)
    keep = step("govlint.yml", "due-issue", "Keep the what-falls-due issue up to date")
    env = {"DUE_DIR": str(folder), "GH_TOKEN": "x", "GH_REPO": "northwind/governance",
           "RUN_URL": "https://github.com/northwind/governance/actions/runs/1"}
    work = tmp_path / "work"
    work.mkdir()
    return run_step(keep["run"], work, env, gh), gh


def test_the_first_list_opens_the_issue_with_its_label(tmp_path: Path) -> None:
    done, gh = keep_issue(tmp_path, [], 2, "## What falls due by 2026-12-22\n\n| a | b |\n")
    assert done.returncode == 0, done.stdout + done.stderr
    calls = gh_calls(gh)
    assert calls[0][:2] == ["issue", "list"] and "--label" in calls[0] and "open" in calls[0]
    assert calls[1][:3] == ["label", "create", "govlint-due"] and "--force" in calls[1]
    assert calls[2][:2] == ["issue", "create"] and calls[2][calls[2].index("--title") + 1] == "What falls due"
    assert calls[2][calls[2].index("--label") + 1] == "govlint-due" and len(calls) == 3
    posted = (gh / "posted.md").read_text(encoding="utf-8")
    assert posted.startswith("<!-- govlint-due") and "## What falls due by 2026-12-22\n\n| a | b |\n" in posted
    assert posted.rstrip().endswith("Listed by https://github.com/northwind/governance/actions/runs/1")


def test_a_later_list_edits_the_open_issue(tmp_path: Path) -> None:
    done, gh = keep_issue(tmp_path, [{"number": 7}], 1)
    assert done.returncode == 0, done.stdout + done.stderr
    calls = gh_calls(gh)
    assert [c[:3] for c in calls[1:]] == [["issue", "edit", "7"]] and "--body-file" in calls[1]


def test_nothing_due_closes_the_open_issue_and_opens_none(tmp_path: Path) -> None:
    done, gh = keep_issue(tmp_path, [{"number": 7}], 0)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [c[:3] for c in gh_calls(gh)[1:]] == [["issue", "close", "7"]]
    quiet, gh = keep_issue(tmp_path / "none", [], 0)
    assert quiet.returncode == 0 and [c[:2] for c in gh_calls(gh)] == [["issue", "list"]]


def test_a_list_longer_than_an_issue_holds_is_cut_at_a_line(tmp_path: Path) -> None:
    row = "| 2026-12-01 | in 9 days | contract renews | Zoë's tool №1 – réviewed ✓ |\n"
    done, gh = keep_issue(tmp_path, [{"number": 7}], 5000, "## What falls due\n\n" + row * 1500)
    assert done.returncode == 0, done.stdout + done.stderr
    posted = (gh / "posted.md").read_text(encoding="utf-8")
    assert len(posted) <= 65536
    assert "all of it is in the job summary of https://github.com/northwind/governance/actions/runs/1" in posted
    body_rows = [line for line in posted.splitlines() if line.startswith("| 2026")]
    assert body_rows and all(line + "\n" == row for line in body_rows)


# -- the OPA bundle of the default branch ----------------------------------------------------


def test_a_push_to_the_default_branch_publishes_the_bundle_with_read_only_permissions() -> None:
    document = workflow("govlint.yml")
    assert "push" in document["on"]
    bundle = document["jobs"]["bundle"]
    assert bundle["permissions"] == {"contents": "read"}
    assert "'push'" in bundle["if"] and "default_branch" in bundle["if"]
    for other in ("check", "daily"):
        assert "push" not in document["jobs"][other]["if"]
    publish = step("govlint.yml", "bundle", "Publish the bundle")
    assert publish["uses"].startswith("actions/upload-artifact@")
    assert publish["with"]["path"] == "${{ env.GOVLINT_OUT }}/bundle.tar.gz"
    assert publish["with"]["if-no-files-found"] == "error"


def _committed_reference(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The reference repository committed in git, a runner's temporary folder and the file
    its steps append environment lines to."""
    repo = tmp_path / "governance"
    for folder in ("policies", "schemas", "registry"):
        shutil.copytree(ROOT / folder, repo / folder)
    git_init(repo)
    commit_all(repo, "registry")
    runner_temp, env_file = tmp_path / "runner-temp", tmp_path / "github-env"
    runner_temp.mkdir()
    return repo, runner_temp, env_file


def test_the_bundle_step_writes_the_bundle_to_a_fresh_folder(tmp_path: Path) -> None:
    repo, runner_temp, env_file = _committed_reference(tmp_path)
    build = step("govlint.yml", "bundle", "Build the bundle")
    done = run_step(build["run"], repo, {"RUNNER_TEMP": str(runner_temp), "GITHUB_ENV": str(env_file)})
    assert done.returncode == 0, done.stderr
    out = Path(env_file.read_text(encoding="utf-8").strip().removeprefix("GOVLINT_OUT="))
    assert out.parent == runner_temp and (out / "bundle.tar.gz").stat().st_size > 0
    assert not (repo / "bundle.tar.gz").exists()


def test_only_the_default_branch_writes_the_cache_a_pull_request_reads() -> None:
    """A pull request's check restores the records the `cache` job saved after a push to the
    default branch; no job a pull request triggers saves a cache."""
    document = workflow("govlint.yml")
    saving = {
        job_name
        for job_name, job in document["jobs"].items()
        for each in job["steps"]
        if str(each.get("uses", "")).startswith(("actions/cache@", "actions/cache/save@"))
    }
    assert saving == {"cache"}
    cache_job = document["jobs"]["cache"]
    assert "'push'" in cache_job["if"] and "default_branch" in cache_job["if"]
    assert cache_job["permissions"] == {"contents": "read"}
    save = step("govlint.yml", "cache", "Save the cache for pull requests")
    restore = step("govlint.yml", "check", "Restore the default branch's records")
    assert restore["uses"].startswith("actions/cache/restore@")
    assert save["with"]["path"] == restore["with"]["path"] == "${{ runner.temp }}/govlint-cache"
    assert save["with"]["key"] == "govlint-records-${{ runner.os }}-${{ github.sha }}"
    assert restore["with"]["restore-keys"] == "govlint-records-${{ runner.os }}-"
    assert restore["with"]["key"].startswith(restore["with"]["restore-keys"])


def test_the_cache_job_fills_a_private_cache_that_the_check_then_uses(tmp_path: Path) -> None:
    """The cache job's script fills a private folder with the reference registry's records
    (the check's verdict does not matter there), and the check job's step points govlint at
    that folder."""
    repo, runner_temp, env_file = _committed_reference(tmp_path)
    fill = step("govlint.yml", "cache", "Read the registry into govlint's cache")
    done = run_step(fill["run"], repo, {"RUNNER_TEMP": str(runner_temp)})
    assert done.returncode == 0, done.stderr
    cache = runner_temp / "govlint-cache"
    assert (cache.stat().st_mode & 0o777) == 0o700
    assert list(cache.glob("records-*.json"))
    use = step("govlint.yml", "check", "Use that cache, kept private")
    done = run_step(use["run"], repo, {"RUNNER_TEMP": str(runner_temp), "GITHUB_ENV": str(env_file)})
    assert done.returncode == 0, done.stderr
    assert env_file.read_text(encoding="utf-8").strip() == f"GOVLINT_CACHE_DIR={cache}"


def test_the_cache_job_fails_when_the_registry_cannot_be_read(tmp_path: Path) -> None:
    repo = tmp_path / "governance"
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    repo.mkdir()
    fill = step("govlint.yml", "cache", "Read the registry into govlint's cache")
    done = run_step(fill["run"], repo, {"RUNNER_TEMP": str(runner_temp)})
    assert done.returncode == 2
    assert "nothing is cached" in done.stdout
