"""`govlint init`: a working governance repository from the installed wheel, and from a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, git, govlint, write
from govlint import __version__
from govlint.starter import with_governance_owners


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """govlint's wheel, built once per test run from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0 and "No matching distribution found for hatchling" in done.stderr:
        pytest.skip("building the wheel needs hatchling, and no package index offers it here")
    assert done.returncode == 0, done.stderr
    [built] = out.glob("govlint-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel installed in it; its dependencies are
    borrowed from the test environment through a .pth file, so nothing is downloaded."""
    venv = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True, timeout=300,
    )
    Path(fresh_site, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def run_installed(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment.update({"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)})
    return subprocess.run(
        [str(venv / "bin" / "govlint"), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=environment
    )


def test_the_wheel_carries_the_reference_and_the_starter(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for wanted in (
        "govlint/reference/policies/params.yaml", "govlint/reference/schemas/tool.schema.json",
        "govlint/reference/starter/registry/departments/it.yaml", "govlint/reference/starter/README.md",
        "govlint/reference/starter/.pre-commit-config.yaml", "govlint/reference/workflows/govlint.yml",
        "govlint/reference/workflows/govlint-comment.yml",
    ):
        assert wanted in names, wanted


def test_init_from_the_installed_wheel_passes_check_test_and_codeowners(installed: Path, tmp_path: Path) -> None:
    which = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import govlint; print(govlint.__file__)"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert str(installed) in which  # the wheel's govlint, not this checkout's

    made = run_installed(installed, "init", "governance", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    target = tmp_path / "governance"
    assert (target / ".git").is_dir()
    for path in (".github/workflows/govlint.yml", ".github/workflows/govlint-comment.yml", ".github/CODEOWNERS",
                 ".pre-commit-config.yaml", "README.md", "policies/params.yaml", "schemas/tool.schema.json"):
        assert (target / path).is_file(), path
    checked = run_installed(installed, "check", cwd=target)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "in 0 files" not in checked.stdout
    tested = run_installed(installed, "test", cwd=target)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    owners = run_installed(installed, "codeowners", "--check", cwd=target)
    assert owners.returncode == 0, owners.stdout + owners.stderr
    # From a subfolder, as people run it.
    assert run_installed(installed, "check", cwd=target / "registry" / "tools").returncode == 0


def test_init_from_a_checkout_is_the_same_repository(tmp_path: Path) -> None:
    result = govlint("init", str(tmp_path / "gov"))
    assert result.exit_code == 0, result.stderr
    root = tmp_path / "gov"
    # The rules and schemas are the project's own, byte for byte (params aside, below).
    for folder in ("policies", "schemas"):
        for source in (ROOT / folder).rglob("*"):
            if source.is_file() and source.name != "params.yaml":
                assert (root / source.relative_to(ROOT)).read_bytes() == source.read_bytes()
    assert (root / ".github/workflows/govlint.yml").read_bytes() == (ROOT / ".github/workflows/govlint.yml").read_bytes()
    assert govlint("check", str(root), "--today", TODAY).exit_code == 0
    assert govlint("codeowners", "--check", str(root)).exit_code == 0
    assert git(root, "rev-parse", "--is-inside-work-tree") == "true"


def test_the_starter_registry_stays_valid_for_years(tmp_path: Path) -> None:
    assert govlint("init", str(tmp_path / "gov")).exit_code == 0
    for day in (TODAY, "2030-06-30", "2035-12-31"):
        result = govlint("check", str(tmp_path / "gov"), "--today", day)
        assert result.exit_code == 0, (day, result.stdout)


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "gov"
    write(target / "README.md", "our own readme\n")
    write(target / "LICENSE", "ours\n")
    result = govlint("init", str(target))
    assert result.exit_code == 2
    assert "already has README.md" in result.stderr and result.stderr.count("\n") == 1
    assert sorted(p.name for p in target.iterdir()) == ["LICENSE", "README.md"]
    assert (target / "README.md").read_text() == "our own readme\n"


def test_init_into_a_folder_with_unrelated_files_keeps_them(tmp_path: Path) -> None:
    target = tmp_path / "gov"
    write(target / "LICENSE", "ours\n")
    assert govlint("init", str(target)).exit_code == 0
    assert (target / "LICENSE").read_text() == "ours\n"


def test_init_inside_an_existing_git_repository_does_not_nest_one(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    assert govlint("init", str(tmp_path / "gov")).exit_code == 0
    assert not (tmp_path / "gov" / ".git").exists()


def test_init_on_a_file_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "file", "x")
    result = govlint("init", str(tmp_path / "file"))
    assert result.exit_code == 2 and "is a file" in result.stderr and "Traceback" not in result.stderr


def test_the_pre_commit_config_pins_this_version() -> None:
    config = yaml.safe_load((ROOT / "starter" / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["govlint"]["entry"] == "govlint check --base-if-upstream"
    for hook in hooks.values():
        assert hook["additional_dependencies"] == [f"govlint=={__version__}"]


def test_governance_owners_of_the_reference_are_replaced_by_the_starter_leads() -> None:
    params = "exception_max_days: 180\ngovernance_owners:\n  - a@alderridge.example\n  - b@alderridge.example\nspend: {}\n"
    rewritten = with_governance_owners(params, ["jordan.lee@example.com"])
    assert yaml.safe_load(rewritten) == {
        "exception_max_days": 180, "governance_owners": ["jordan.lee@example.com"], "spend": {},
    }
    inline = with_governance_owners("governance_owners: [a@x.example]\n", ["c@example.com"])
    assert yaml.safe_load(inline) == {"governance_owners": ["c@example.com"]}
    assert with_governance_owners("spend: {}\n", ["c@example.com"]) == "spend: {}\n"
