"""The benchmark: govlint's time as a ratio to the cost of reading the same files.

For each size it generates a registry (benchmarks/generate.py), commits it to a git
repository, and measures in one run:

  floor    reading and parsing every registry file with PyYAML's C loader, in-process; the
           best of three runs before the others and two after them
  cold     `govlint check --no-cache`: every file read, parsed, validated; policies evaluated
  warm     `govlint check` again with the cache filled and nothing changed (records and the
           evaluation come from the cache)
  re-eval  records from the cache, policies evaluated afresh (another --today): the cost of
           one evaluation on a warm cache
  change   `govlint check --base main` after one tool file changed, a different edit each
           time, so the head's evaluation is never answered from the cache; it includes
           judging the base by the same rules on the same day (to tell introduced findings
           from existing ones), which a warm cache answers
  change cold  the same with --no-cache: a pull-request check on a fresh CI runner
  change CI    the same on a fresh runner that restored the records of the default branch,
           as the governance workflow does (the cache job saves them after each push)
  memory   the peak resident memory of any govlint run

With `--history-commits N`, a second table times `govlint history` over a repository whose
registry then receives N more commits, each changing one tool (its cost, and every fifth its
ring; every tenth carries an `Approved-by:` trailer), written with `git fast-import`:

  cold     the whole ledger with an empty record cache: every record version read once
  warm     the same with the cache filled: no record parsed again
  entity   one tool's story (`--entity`), warm

Each govlint run is a separate process, so its times include interpreter start-up; each
figure is the best of a few runs.

    python benchmarks/run.py                 # 1,000 / 5,000 / 10,000 / 20,000 tools
    python benchmarks/run.py --sizes 1000    # one size
    python benchmarks/run.py --sizes 1000 --deep-chain 10000
                                             # 1,000 tools and 10,000 departments in one chain
    python benchmarks/run.py --sizes 10000 --history-commits 5000 --history-only
                                             # the decision ledger over 5,000 commits
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any
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
    seconds, code, memory, _ = timed_check_stderr(root, cache, *args)
    return seconds, code, memory


def timed_check_stderr(root: Path, cache: Path, *args: str) -> tuple[float, int, int, str]:
    """timed_check, with what the process wrote on stderr (the --timings lines)."""
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
    return elapsed, process.returncode, usage.ru_maxrss, error


def measure(tools: int, workdir: Path, violations: float, repeats: int, deep_chain: int = 0) -> dict[str, Any]:
    root = generate(workdir / f"registry-{tools}", tools, violations, deep_chain=deep_chain)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "registry")
    git(root, "checkout", "-q", "-b", "change")
    changed = root / "registry" / "tools" / "tool-00001.yaml"
    original = changed.read_text()
    cache = workdir / f"cache-{tools}"

    floor_seconds = min(floor(root) for _ in range(3))
    runs = [timed_check(root, cache, "--no-cache") for _ in range(repeats)]
    cold = min(run[0] for run in runs)
    memory = max(run[2] for run in runs)
    timed_check(root, cache)  # fills the cache
    warm_runs = [timed_check(root, cache) for _ in range(repeats)]
    reeval_runs = [timed_check(root, cache, "--today", f"2026-12-{day:02d}") for day in range(1, repeats + 1)]
    change_runs = []
    for attempt in range(repeats + 1):
        changed.write_text(original.replace('"Tool 1"', f'"Tool 1 (renamed {attempt})"'))
        change_runs.append(timed_check(root, cache, "--base", "main"))
    change_runs = change_runs[1:]  # the first also caches the base revision's records and judgement
    # Change cold: the same pull-request check with no cache at all (a fresh CI runner).
    change_cold_runs = []
    for attempt in range(repeats):
        changed.write_text(original.replace('"Tool 1"', f'"Tool 1 (cold {attempt})"'))
        change_cold_runs.append(timed_check(root, cache, "--base", "main", "--no-cache"))
    # Change, CI: the same check on a fresh runner that restored the records the default
    # branch's cache job saved (a full check of main), as the governance workflow does: records
    # come from that cache, both evaluations are made afresh.
    seeded = workdir / f"cache-main-{tools}"
    timed_check(root, seeded, "--head", "main")
    change_ci_runs = []
    for attempt in range(repeats):
        restored = workdir / f"cache-ci-{tools}-{attempt}"
        shutil.copytree(seeded, restored)
        changed.write_text(original.replace('"Tool 1"', f'"Tool 1 (ci {attempt})"'))
        change_ci_runs.append(timed_check(root, restored, "--base", "main"))
    # One more warm change run with --timings, to show where its time goes.
    changed.write_text(original.replace('"Tool 1"', '"Tool 1 (timed)"'))
    *_, stage_lines = timed_check_stderr(root, cache, "--base", "main", "--timings")
    changed.write_text(original)
    # The floor once more, after the runs: on a shared machine speed drifts during a run, and
    # the fastest floor seen is the one the ratios are taken against (so they err high).
    floor_seconds = min([floor_seconds] + [floor(root) for _ in range(2)])
    memory = max([memory] + [run[2] for run in warm_runs + reeval_runs + change_runs + change_cold_runs + change_ci_runs])
    files = sum(1 for _ in (root / "registry").rglob("*.yaml"))
    return {
        "tools": tools, "files": files, "floor": floor_seconds, "cold": cold,
        "warm": min(run[0] for run in warm_runs), "reeval": min(run[0] for run in reeval_runs),
        "change": min(run[0] for run in change_runs),
        "change_cold": min(run[0] for run in change_cold_runs),
        "change_ci": min(run[0] for run in change_ci_runs), "memory_mib": memory / 1024,
        "timings": stage_lines,
    }


def add_history(root: Path, commits: int, tools: int) -> None:
    """Append `commits` commits to main, each changing one tool file, through one
    `git fast-import` stream (a `git commit` per change would take the benchmark minutes)."""
    stream = []
    rings = ["trial", "adopt", "hold", "adopt", "retired"]
    for number in range(1, commits + 1):
        index = (number * 7919) % tools  # spread the edits over the registry
        path = root / "registry" / "tools" / f"tool-{index:05d}.yaml"
        text = path.read_text()
        text = re.sub(r"annual_cost: \d+", f"annual_cost: {10000 + number}", text)
        if number % 5 == 0:
            text = re.sub(r'ring: "[a-z]+"', f'ring: "{rings[number // 5 % len(rings)]}"', text)
        path.write_text(text)
        message = f"Change tool {index}" + ("\n\nApproved-by: Person 1 <person-1@bench.example>\n" if number % 10 == 0 else "\n")
        data = text.encode()
        encoded = message.encode()
        stamp = 1_767_225_600 + number * 3600  # from 2026-01-01, an hour apart
        stream.append(
            b"commit refs/heads/main\n"
            + f"committer bench <bench@example.invalid> {stamp} +0000\n".encode()
            + b"data %d\n" % len(encoded) + encoded + b"\n"
            + (b"from refs/heads/main^0\n" if number == 1 else b"")
            + f"M 100644 inline registry/tools/tool-{index:05d}.yaml\n".encode()
            + b"data %d\n" % len(data) + data + b"\n"
        )
    subprocess.run(["git", "fast-import", "--quiet", "--force"], cwd=root, input=b"".join(stream), check=True)
    git(root, "reset", "-q", "--hard", "main")


def timed_history(root: Path, cache: Path, *args: str) -> tuple[float, float, int]:
    """Seconds, CPU seconds (with git's and the workers') and peak memory (KiB) of one
    `govlint history --format json` process: on a shared machine the CPU seconds say what
    the run cost when the wall clock says how busy the machine was."""
    command = [sys.executable, "-m", "govlint", "history", str(root), "--format", "json", *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, "GOVLINT_CACHE_DIR": str(cache)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    error = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"govlint history failed: {error.strip()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure_history(tools: int, commits: int, workdir: Path, repeats: int) -> dict[str, Any]:
    root = generate(workdir / f"history-{tools}", tools, 0.0)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "registry")
    add_history(root, commits, tools)
    cache = workdir / f"history-cache-{tools}"
    cold = timed_history(root, cache)
    warm = min(timed_history(root, cache) for _ in range(repeats))
    entity = min(timed_history(root, cache, "--entity", "tool/tool-00005") for _ in range(repeats))
    return {"tools": tools, "commits": commits, "cold": cold, "warm": warm, "entity": entity,
            "memory_mib": max(cold[2], warm[2], entity[2]) / 1024}


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
    parser.add_argument("--repeats", type=int, default=2, help="runs of each measurement; the best is shown")
    parser.add_argument(
        "--deep-chain", type=int, default=0, metavar="N",
        help="add N departments in one parent chain to each registry (linear growth, issue 10)",
    )
    parser.add_argument("--history-commits", type=int, default=0, metavar="N",
                        help="also time `govlint history` over N commits on top of each registry")
    parser.add_argument("--history-only", action="store_true", help="time only `govlint history`")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if args.history_only or args.history_commits:
        with tempfile.TemporaryDirectory(prefix="govlint-bench-") as scratch:
            workdir = args.keep or Path(scratch)
            workdir.mkdir(parents=True, exist_ok=True)
            print("| tools | commits | history cold s (CPU s) | history warm s (CPU s) | one tool's story s (CPU s) "
                  "| peak MiB |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: |")
            for size in args.sizes:
                r = measure_history(size, args.history_commits or 5000, workdir, args.repeats)
                cold, warm, entity = (f"{r[k][0]:.2f} ({r[k][1]:.1f})" for k in ("cold", "warm", "entity"))
                print(f"| {r['tools']:,} | {r['commits']:,} | {cold} | {warm} | {entity} | {r['memory_mib']:.0f} |",
                      flush=True)
        if args.history_only:
            return
    print(
        "| tools | files | floor s | cold s | cold/floor | warm s | warm/floor | re-eval s | re-eval/floor "
        "| change s | change/floor | change cold s | change cold/floor | change CI s | change CI/floor | peak MiB |"
    )
    print("| ---: " * 16 + "|")
    timings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="govlint-bench-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            r = measure(size, workdir, args.violations, args.repeats, args.deep_chain)
            label = f"{r['tools']:,}" + (f" + {args.deep_chain:,}-deep chain" if args.deep_chain else "")
            print(
                f"| {label} | {r['files']:,} | {r['floor']:.2f} "
                + " | ".join(
                    f"{r[key]:.2f} | {r[key] / r['floor']:.2f}" for key in ("cold", "warm", "reeval", "change", "change_cold", "change_ci")
                )
                .join(["| ", " "])
                + f"| {r['memory_mib']:.0f} |",
                flush=True,
            )
            timings.append(f"{label} tools, `check --base main --timings`, one file changed, warm cache:\n{r['timings']}")
    for block in timings:
        print("\n" + block, end="")


if __name__ == "__main__":
    main()
