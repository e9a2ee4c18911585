"""The process is a good citizen: signals, children, memory, pipes and options.

These run govlint as a real process (signals, pipes and forked children cannot be seen
through click's CliRunner) and watch its evaluation children through /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SLOW_POLICY, MiniRepo, govlint, write

needs_proc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/proc/self/stat").exists(),
    reason="watching child processes and limiting their memory needs Linux's /proc",
)
GOVLINT = [sys.executable, "-m", "govlint"]


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (zombies, already dead, are left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start_slow_check(mini_repo: MiniRepo) -> tuple[subprocess.Popen[bytes], list[int]]:
    """govlint checking a repository whose policy spins; returns once it has forked the
    evaluation child (or fails the test after 60 s)."""
    mini_repo.policy("slow.rego", SLOW_POLICY.format(name="slow"))
    process = subprocess.Popen(
        [*GOVLINT, "check", str(mini_repo.root), "--timeout", "600", "--no-cache"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = children_of(process.pid)
        if children:
            return process, children
        if process.poll() is not None:
            pytest.fail(f"govlint ended before evaluating: {process.communicate()}")
        time.sleep(0.05)
    process.kill()
    pytest.fail("govlint never forked an evaluation child")


def kill_leftovers(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


@needs_proc
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_stop_signal_ends_the_check_and_its_children(mini_repo: MiniRepo, signum: signal.Signals) -> None:
    """Before: SIGTERM killed govlint but left its child evaluating, reparented to init and
    holding the stderr pipe, so whoever waited on govlint's output waited for the child."""
    process, children = start_slow_check(mini_repo)
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        kill_leftovers(children)
        process.kill()
        process.communicate()
        pytest.fail("govlint's pipes stayed open after the signal: an evaluation child still holds them")
    finally:
        leftovers = [pid for pid in children if alive(pid)]
        kill_leftovers(leftovers)
    assert leftovers == []
    assert process.returncode == 128 + signum
    assert stderr.decode() == f"govlint: error: interrupted by {signum.name}\n"


def test_a_stop_signal_during_native_code_still_ends_the_run(mini_repo: MiniRepo) -> None:
    """`govlint test` evaluates in-process: regorus holds the main thread for as long as a
    test spins, and a Python handler could not run until it returns, so the signal's default
    action is back while it runs: the process ends at once (there is no line to print)."""
    mini_repo.policy(
        "spin_test.rego",
        "package govlint.rules.spin_test\n\ntest_spins if {\n\tsome x in numbers.range(1, 100000)\n"
        "\tsome y in numbers.range(1, 100000)\n\tx * y == -1\n}\n",
    )
    process = subprocess.Popen([*GOVLINT, "test", str(mini_repo.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(4)  # loading takes well under a second; by now the test spins
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("SIGTERM went unheard while the engine held the main thread")
    assert process.returncode == -signal.SIGTERM and stderr == b""


@needs_proc
def test_evaluation_children_die_with_a_killed_parent(mini_repo: MiniRepo) -> None:
    """SIGKILL cannot be handled: the kernel itself must take the children (PR_SET_PDEATHSIG)."""
    process, children = start_slow_check(mini_repo)
    process.kill()
    process.communicate(timeout=20)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.05)
    leftovers = [pid for pid in children if alive(pid)]
    kill_leftovers(leftovers)
    assert leftovers == []


HUNGRY_POLICY = """package govlint.rules.hungry

everything := count([x | some x in numbers.range(1, 1000000000)])

deny contains {"rule": "HUNGRY", "entity": "tool/good", "message": "never"} if everything > 1
"""


def one_line(result_stderr: str) -> str:
    assert result_stderr.count("\n") == 1, result_stderr
    assert "Traceback" not in result_stderr and "internal error" not in result_stderr, result_stderr
    return result_stderr


@needs_proc
def test_a_policy_that_needs_too_much_memory_is_stopped_and_named(mini_repo: MiniRepo) -> None:
    """Before: nothing bounded a child's memory; this policy asks for tens of GiB."""
    mini_repo.policy("hungry.rego", HUNGRY_POLICY)
    write(mini_repo.root / "policies" / "params.yaml", "eval_memory_mib: 256\n")
    started = time.monotonic()
    result = govlint("check", str(mini_repo.root), "--timeout", "60", "--no-cache")
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert "ran out of memory" in message and "256 MiB" in message
    assert "in policies/hungry.rego" in message and "mini_sso" not in message
    assert time.monotonic() - started < 30


def test_a_time_out_names_only_the_slow_policy(mini_repo: MiniRepo) -> None:
    """Before: the children were read one after another against one deadline, so every
    policy read after the slow one was named too (here mini_sso.rego and z_fast.rego)."""
    mini_repo.policy("a_slow.rego", SLOW_POLICY.format(name="a_slow"))
    mini_repo.policy("z_fast.rego", "package govlint.rules.z_fast\n\ndeny contains f if {\n  f := input.nothing\n}\n")
    result = govlint("check", str(mini_repo.root), "--timeout", "1", "--no-cache")
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert "longer than the limit of 1 s in policies/a_slow.rego (" in message
    assert "mini_sso" not in message and "z_fast" not in message


def run_with_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """govlint writing into a pipe whose reader has already gone, as `govlint ... | head -1`
    is once head has its line."""
    process = subprocess.Popen([*GOVLINT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, b"", stderr)


@pytest.mark.parametrize(
    "args", [["policies"], ["check", "--today", "2026-11-23", "--no-cache"]], ids=["policies", "check"]
)
def test_a_broken_pipe_ends_quietly_with_141(args: list[str]) -> None:
    """Before: "internal error (BrokenPipeError)", or Python's "Exception ignored" at exit."""
    done = run_with_closed_pipe(*args)
    assert (done.returncode, done.stderr) == (141, b"")


def test_a_closed_stdout_ends_quietly_with_141(mini_repo: MiniRepo) -> None:
    """Before: "policy does not compile: ...", as closing fd 1 broke the engine's output guard."""
    done = subprocess.run(
        [*GOVLINT, "check", str(mini_repo.root), "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1), timeout=120,
    )
    assert (done.returncode, done.stderr) == (141, b"")


def test_a_closed_stdout_does_not_matter_with_an_output_file(mini_repo: MiniRepo, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    done = subprocess.run(
        [*GOVLINT, "check", str(mini_repo.root), "--no-cache", "-o", str(report)], stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1), timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert "passed" in report.read_text()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--timeout", "nan"], "--timeout must be a number of seconds from 0.1 to 3600, not nan"),
        (["--timeout", "inf"], "--timeout must be a number of seconds"),
        (["--timeout", "1e308"], "--timeout must be a number of seconds"),
        (["--timeout", "0"], "--timeout must be a number of seconds"),
        (["--timeout", "soon"], "'--timeout': 'soon' is not a valid float"),
        (["--engine", "opa", "--opa-url", "http://[::1"], "--opa-url 'http://[::1' is not a URL"),
        (["--engine", "opa", "--opa-url", "http://localhost:99999"], "--opa-url 'http://localhost:99999' is not a URL"),
        (["--engine", "opa", "--opa-url", "http://localhost:0"], "port 0"),
        (["--engine", "opa", "--opa-url", "ftp://localhost"], "--opa-url must be an http(s) URL"),
        (["--engine", "opa", "--opa-url", "http://:8181"], "--opa-url must be an http(s) URL"),
        (["--today", "2026-02-30"], "--today must be a date written YYYY-MM-DD"),
        (["--today", "2300-01-01"], "--today must be between 1900-01-01 and 2199-12-31"),
        (["--today", "0001-01-01"], "--today must be between 1900-01-01 and 2199-12-31"),
        (["--no-such-option"], "No such option"),
    ],
)
def test_options_are_refused_up_front_in_one_line(mini_repo: MiniRepo, args: list[str], expected: str) -> None:
    """Before: nan, inf and 1e308 seconds, an unclosed IPv6 host and port 99999 were internal errors."""
    result = govlint("check", str(mini_repo.root), *args)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    message = one_line(result.stderr)
    assert message.startswith("govlint: error: ") and expected in message


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("eval_timeout_seconds: 0\n", "eval_timeout_seconds must be a number from 0.1 to 3600, not 0"),
        ("eval_timeout_seconds: 1e9\n", "eval_timeout_seconds must be a number"),
        ("eval_timeout_seconds: true\n", "eval_timeout_seconds must be a number"),
        ("eval_memory_mib: 1\n", "eval_memory_mib must be a number from 64 to 1048576, not 1"),
        ("eval_memory_mib: lots\n", "eval_memory_mib must be a number"),
    ],
)
def test_limits_in_params_are_checked_without_a_params_schema(mini_repo: MiniRepo, params: str, expected: str) -> None:
    write(mini_repo.root / "policies" / "params.yaml", params)
    result = govlint("check", str(mini_repo.root), "--no-cache")
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert "policies/params.yaml" in message and expected in message


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="evaluation limits need fork")


@needs_fork
def test_children_are_read_side_by_side() -> None:
    """A slow child does not make a finished one look slow, and a result larger than a pipe's
    buffer is read while it is written."""
    from govlint.engines.limit import run_each_with_limit

    big = "x" * 300_000
    slow, fast = run_each_with_limit([lambda: time.sleep(60), lambda: big], timeout=2)
    assert slow.timed_out and not fast.timed_out
    assert fast.value == big


@needs_fork
def test_each_child_has_its_own_time_when_they_take_turns() -> None:
    from govlint.engines.limit import run_each_with_limit

    started = time.monotonic()
    outcomes = run_each_with_limit([lambda n=n: time.sleep(0.4) or n for n in range(3)], timeout=1, at_once=1)
    assert [outcome.value for outcome in outcomes] == [0, 1, 2]
    assert time.monotonic() - started >= 1.2  # one after another, not side by side
