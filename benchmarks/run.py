"""The benchmark: govlint's time as a ratio to the cost of reading the same files.

For each size it generates a registry (benchmarks/generate.py), commits it to a git
repository, and measures in one run:

  floor   reading and parsing every registry file with PyYAML's C loader, in-process
  cold    `govlint check` with an empty cache
  warm    `govlint check` again, cache filled, nothing changed
  change  `govlint check --base main` on a branch where one tool file changed (cache warm)
  memory  the peak resident memory of the cold check

Each govlint run is a separate process, so its times include interpreter start-up.

    python benchmarks/run.py                 # 1,000 / 5,000 / 10,000 / 20,000 tools
    python benchmarks/run.py --sizes 1000    # one size
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, generate  # noqa: E402

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def floor(root: Path) -> float:
    """Read and parse every registry file with the C loader: the cost govlint is measured against."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    started = time.perf_counter()
    for path in sorted((root / "registry").rglob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=loader)
    return time.perf_counter() - started


def timed_check(root: Path, cache: Path, *args: str) -> tuple[float, int, int]:
    """Seconds, exit code and peak memory (KiB) of one `govlint check` process."""
    command = [sys.executable, "-m", "govlint", "check", str(root), "--format", "json",
               "--output", os.devnull, "--today", TODAY, *args]
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"govlint check failed: {error.strip()}")
    return elapsed, process.returncode, usage.ru_maxrss


def measure(tools: int, workdir: Path, violations: float) -> dict[str, float]:
    root = generate(workdir / f"registry-{tools}", tools, violations)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "registry")
    git(root, "checkout", "-q", "-b", "change")
    changed = root / "registry" / "tools" / "tool-00001.yaml"
    changed.write_text(changed.read_text().replace('"Tool 1"', '"Tool 1 (renamed)"'))
    git(root, "commit", "-q", "-am", "rename a tool")
    cache = workdir / f"cache-{tools}"

    floor_seconds = min(floor(root) for _ in range(3))
    cold, _, memory = timed_check(root, cache, "--no-cache")
    timed_check(root, cache)  # fills the cache
    warm = min(timed_check(root, cache)[0] for _ in range(2))
    change = min(timed_check(root, cache, "--base", "main")[0] for _ in range(2))
    files = sum(1 for _ in (root / "registry").rglob("*.yaml"))
    return {"tools": tools, "files": files, "floor": floor_seconds, "cold": cold, "warm": warm,
            "change": change, "memory_mib": memory / 1024}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description="govlint benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 20000])
    parser.add_argument("--violations", type=float, default=0.02)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print("| tools | files | floor s | cold s | cold/floor | warm s | warm/floor | change s | change/floor | peak MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="govlint-bench-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            r = measure(size, workdir, args.violations)
            print(
                f"| {r['tools']:,} | {r['files']:,} | {r['floor']:.2f} | {r['cold']:.2f} | {r['cold'] / r['floor']:.2f} "
                f"| {r['warm']:.2f} | {r['warm'] / r['floor']:.2f} | {r['change']:.2f} | {r['change'] / r['floor']:.2f} "
                f"| {r['memory_mib']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
