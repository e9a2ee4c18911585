"""Shared fixtures: governance repositories built in tmp_path, and git with a pinned identity."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from govlint.cli import main

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-22"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.invalid",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "",
}

# A governance repository small enough to read at a glance: one kind, one rule.
MINI_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "id", "name"],
    "properties": {
        "kind": {"const": "tool"},
        "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "name": {"type": "string"},
        "sso": {"type": "boolean"},
    },
}
MINI_POLICY = """# METADATA
# title: Tools sign in through SSO
# description: A tool without single sign-on is a tool IT cannot offboard people from.
# custom:
#   id: MINI-SSO
#   severity: error
package govlint.rules.mini_sso

deny contains f if {
	some id, tool in input.registry.tools
	not tool.sso
	f := {"rule": "MINI-SSO", "entity": sprintf("tool/%s", [id]), "message": "tool has no SSO", "path": "sso"}
}
"""

# A policy that runs for hours in flat memory: ten billion pairs, never collected.
SLOW_POLICY = """package govlint.rules.{name}

spins if {{
	some x in numbers.range(1, 100000)
	some y in numbers.range(1, 100000)
	x * y == -1
}}

deny contains {{"rule": "SLOW", "entity": "tool/good", "message": "never"}} if spins
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test caches into its own folder, never the user's cache."""
    folder = tmp_path / "govlint-cache"
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(folder))
    return folder


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@dataclass
class MiniRepo:
    """A tiny governance repository with one schema and one rule."""

    root: Path

    def tool(self, tool_id: str, *, sso: bool = True, extra: str = "") -> Path:
        text = f"kind: tool\nid: {tool_id}\nname: Tool {tool_id}\nsso: {'true' if sso else 'false'}\n{extra}"
        return write(self.root / "registry" / "tools" / f"{tool_id}.yaml", text)

    def policy(self, name: str, text: str) -> Path:
        return write(self.root / "policies" / name, text)


@pytest.fixture
def mini_repo(tmp_path: Path) -> MiniRepo:
    root = tmp_path / "mini"
    write(root / "schemas" / "tool.schema.json", json.dumps(MINI_SCHEMA, indent=2))
    write(root / "policies" / "mini_sso.rego", MINI_POLICY)
    repo = MiniRepo(root)
    repo.tool("good")
    return repo


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def git_init(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Committer")
    git(root, "config", "user.email", "committer@example.invalid")
    git(root, "config", "commit.gpgsign", "false")


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def copy_reference(target: Path, *, with_registry: bool = True) -> Path:
    """This repository's own reference policies, schemas and (optionally) registry."""
    folders = ["policies", "schemas"] + (["registry"] if with_registry else [])
    for folder in folders:
        shutil.copytree(ROOT / folder, target / folder)
    return target


def govlint(*args: str) -> Result:
    """Run the CLI in-process, with stderr kept apart from stdout."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check_json(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = govlint("check", str(repo), "--format", "json", "--today", TODAY, *args)
    assert "Traceback" not in result.stderr, result.stderr
    try:
        document = json.loads(result.stdout)
    except ValueError:
        pytest.fail(f"no JSON report (exit {result.exit_code}): {result.stderr}")
    return result.exit_code, document


def reference_proposal(root: Path) -> Path:
    """The reference repository at `root`, committed as `main`, with a `proposal` branch
    checked out: where a pull request's edits go."""
    copy_reference(root)
    git_init(root)
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "proposal")
    return root
