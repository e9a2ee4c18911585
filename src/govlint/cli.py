"""The `govlint` command line: parses options, fills settings, calls one core function.

Exit statuses: 0 passed; 1 findings of severity error; 2 the check could not run, bad
options included (one line on stderr). A stop signal (SIGINT, SIGTERM, SIGHUP) ends the run
with one line and 128 + the signal's number, the status a shell gives a process that signal
ended. A report that cannot be delivered, because the reader of a pipe has gone (`govlint
policies | head -1`) or stdout is closed, ends quietly with 141 (128 + SIGPIPE), as `cat`
does: never 0, which would pass unseen findings, nor 1, which means findings.
"""

from __future__ import annotations

import errno
import io
import math
import os
import select
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, Callable, Iterator, NoReturn
from urllib.parse import urlsplit

import click

from govlint import __version__
from govlint.engines import ENGINE_NAMES
from govlint.engines.limit import STOP_SIGNALS, stop_children
from govlint.errors import GovlintError, Interrupted
from govlint.report import FORMAT_NAMES

BROKEN_PIPE_STATUS = 128 + 13  # SIGPIPE is 13 wherever there are pipes and signals
MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS = 0.1, 3600.0  # as eval_timeout_seconds in params


def fail(message: str, code: int = GovlintError.exit_code) -> NoReturn:
    try:
        click.echo(f"govlint: error: {message}", err=True)
    except (OSError, ValueError):
        pass  # stderr is gone too: the status still says what happened
    sys.exit(code)


def run(core: Callable[[], int]) -> NoReturn:
    """The one top-level handler: a failure of govlint itself is one line and exit 2."""
    _reserve_standard_fds()
    try:
        with _stop_signals_interrupt():
            code = core()
            sys.stdout.flush()  # here, not at exit, so a broken pipe is seen and handled
    except Interrupted as exc:
        fail(f"interrupted by {signal.Signals(exc.signum).name}", 128 + exc.signum)
    except KeyboardInterrupt:
        fail("interrupted by SIGINT", 128 + signal.SIGINT)
    except GovlintError as exc:
        fail(exc.message)
    except RecursionError:
        fail("input nested too deeply to process")
    except MemoryError:
        fail("out of memory")
    except OSError as exc:
        if exc.errno not in (errno.EPIPE, errno.EBADF) or not _stdout_gone():
            _internal_error(exc)
        _discard_stdout()
        sys.exit(BROKEN_PIPE_STATUS)
    except Exception as exc:
        _internal_error(exc)
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # pyo3's Rust panic, not an Exception
            raise
        fail(f"the Rego engine failed: {exc}")
    sys.exit(code)


def _governance_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """REPO, or the folder a command runs in, taken up to the governance repository's root."""
    from govlint.root import governance_root

    return None if value is None else governance_root(value)


def _internal_error(exc: Exception) -> NoReturn:
    """A bug: still one line, with the details behind GOVLINT_DEBUG."""
    if os.environ.get("GOVLINT_DEBUG"):
        raise exc
    fail(f"internal error ({type(exc).__name__}: {exc}); set GOVLINT_DEBUG=1 for details")


@contextmanager
def _stop_signals_interrupt() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise Interrupted, after killing any evaluation children
    at once (they would otherwise run on, holding the caller's pipes, until the unwinding
    reaches them). A signal the caller ignores (`nohup`, a background job) stays ignored.
    Only the main thread can set handlers; elsewhere the defaults stay. (While regorus runs
    in this process, the defaults are back: see embedded.quiet_fds.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stop_children()
        if not stopping:  # a second signal while unwinding must not cut the cleanup short
            stopping = True
            raise Interrupted(signum)

    previous: dict[signal.Signals, Any] = {}
    for stop in STOP_SIGNALS:
        if signal.getsignal(stop) != signal.SIG_IGN:
            previous[stop] = signal.signal(stop, interrupt)
    try:
        yield
    finally:
        for stop, handler in previous.items():
            if handler is not None:
                signal.signal(stop, handler)


class _ClosedStdout(io.TextIOBase):
    """Standard output for a process started with fd 1 closed: writing to it is writing to a
    pipe nobody reads."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "standard output is closed")


def _reserve_standard_fds() -> None:
    """Put /dev/null on any of fds 0-2 the process started without. Otherwise the next file
    opened (a cache entry, the report) takes that number, and what is meant for stdout or
    stderr, including what native code writes there, lands in that file."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process


def _stdout_gone() -> bool:
    """Whether standard output has no reader any more (so an EPIPE was about it, not about a
    pipe to git): closed from the start, or a pipe whose reading end is closed."""
    if isinstance(sys.stdout, _ClosedStdout):
        return True
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False
    if not hasattr(select, "poll"):
        return True
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def _discard_stdout() -> None:
    """Point fd 1 at /dev/null, so the interpreter's final flush of what is still buffered
    neither fails nor prints "Exception ignored" (the Python docs' advice on SIGPIPE)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass


def _seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """--timeout: a finite number of seconds within the bounds params allow."""
    if value is None:
        return None
    if not math.isfinite(value) or not MIN_TIMEOUT_SECONDS <= value <= MAX_TIMEOUT_SECONDS:
        raise click.UsageError(
            f"--timeout must be a number of seconds from {MIN_TIMEOUT_SECONDS:g} to {MAX_TIMEOUT_SECONDS:g}, "
            f"not {value!r}",
            ctx,
        )
    return value


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--opa-url: an http(s) URL with a host and, if given, a port from 1 to 65535."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError when out of range or not a number
    except ValueError as exc:
        raise click.UsageError(f"--opa-url {value!r} is not a URL ({exc})", ctx) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.UsageError(f"--opa-url must be an http(s) URL such as http://localhost:8181, not {value!r}", ctx)
    if port == 0:
        raise click.UsageError(f"--opa-url {value!r}: port 0 is not a port a server listens on", ctx)
    return value


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--today, --since, --until: a real calendar date written YYYY-MM-DD."""
    if value is None:
        return None
    from datetime import date

    from govlint.validate import EARLIEST_DATE, LATEST_DATE

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"--{param.name} must be a date written YYYY-MM-DD, not {value!r}", ctx) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        # The range records' dates are held to: Rego's time built-ins fail outside 1677..2262.
        raise click.UsageError(f"--{param.name} must be between {EARLIEST_DATE} and {LATEST_DATE}, not {value}", ctx)
    return day.isoformat()


class _Commands(click.Group):
    """The command group, with click's usage errors (an unknown option, a bad value) as one
    `govlint: error:` line and exit 2, like every other failure to run."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            value = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            if not standalone_mode:
                raise
            if "\n" in exc.format_message():  # bare `govlint`: the help itself, as click shows it
                exc.show()
                sys.exit(exc.exit_code)
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (see {exc.ctx.command_path} --help)"
            fail(f"{exc.format_message()}{hint}", 2 if isinstance(exc, click.UsageError) else exc.exit_code)
        except click.Abort:
            if not standalone_mode:
                raise
            fail("aborted")
        if not standalone_mode:
            return value
        sys.exit(value if isinstance(value, int) else 0)


repo_argument = click.argument(
    "repo", required=False, default=".", type=click.Path(file_okay=False, path_type=Path),
    callback=_governance_root,
)


fail_on_option = click.option(
    "--fail-on", type=click.Choice(("introduced", "existing")), default="introduced", show_default=True,
    help="With --base: fail on findings the change introduces, or on existing ones (debt) too.",
)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govlint")
def main() -> None:
    """Governance as code: check technology adoption and data ownership decisions."""


@main.command()
@repo_argument
@click.option("--base", metavar="REF", help="Judge the change from REF, with REF's policies and schemas.")
@click.option("--head", metavar="REF", help="The revision to check; the working tree when absent.")
@click.option(
    "--base-if-upstream", "base_if_upstream", is_flag=True,
    help="Judge the change against the branch's upstream (@{upstream}) when it has one, "
    "the whole registry otherwise (what the pre-commit hook runs).",
)
@click.option("--format", "format_name", type=click.Choice(("auto",) + FORMAT_NAMES), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--today", metavar="YYYY-MM-DD", callback=_date, help="The date to judge against, for reproducible runs.")
@click.option("--approvals", type=click.Path(dir_okay=False, path_type=Path), help="JSON array of {\"by\": login or email}.")
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default="embedded", show_default=True)
@click.option("--opa-url", metavar="URL", callback=_http_url, help="The OPA server for --engine opa.")
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option(
    "--show-waived", is_flag=True,
    help="List waived findings too (text, markdown, github); they are always counted, and JSON and SARIF always carry them.",
)
@fail_on_option
@click.option("--timeout", type=float, callback=_seconds, help="Seconds policy evaluation may take.")
@click.option("--no-cache", is_flag=True, help="Read and validate every file afresh.")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GOVLINT_CACHE_DIR",
    help="Where parsed records are cached (default: the user cache directory).",
)
@click.option("--timings", is_flag=True, help="Print the seconds each stage took on stderr, one line each.")
def check(repo: Path, format_name: str, base_if_upstream: bool, **options: Any) -> None:
    """Lint the registry of REPO against its policies and schemas."""
    from govlint.check import CheckSettings, run_check

    if format_name == "auto":
        format_name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMAT_NAMES else "text"
    if base_if_upstream and options["base"] is None:
        from govlint.git import upstream_of

        options["base"] = upstream_of(repo)
    settings = CheckSettings(repo=repo, format=format_name, **options)
    run(lambda: run_check(settings, sys.stdout, sys.stderr))


@main.command()
@repo_argument
@click.option("--coverage", is_flag=True, help="Report the lines of each policy the tests reach.")
@click.option("--run", "name_filter", metavar="TEXT", help="Only tests whose file, package or name contains TEXT.")
@click.option("--verbose", "-v", is_flag=True, help="List passing tests too.")
def test(repo: Path, coverage: bool, name_filter: str | None, verbose: bool) -> None:
    """Run the test_* rules of policies/*_test.rego."""
    from govlint.catalog import read_policy_files
    from govlint.policytest import portability_warnings, print_results, run_tests
    from govlint.read import WorkingTree

    def core() -> int:
        files, _ = read_policy_files(WorkingTree(repo))
        results, covered = run_tests(files, name_filter, coverage)
        return print_results(results, covered, sys.stdout, verbose, portability_warnings(files))

    run(core)


@main.command()
@repo_argument
def policies(repo: Path) -> None:
    """List the rules with their severity and title."""
    from govlint.explain import list_rules

    run(lambda: list_rules(repo, sys.stdout))


@main.command()
@click.argument("rule")
@repo_argument
@click.option(
    "--repo", "repo_option", type=click.Path(file_okay=False, path_type=Path), callback=_governance_root,
    help="The same as REPO (kept for scripts written before REPO was accepted).",
)
def explain(rule: str, repo: Path, repo_option: Path | None) -> None:
    """Show what RULE checks, why, and the parameters it uses."""
    from govlint.explain import explain_rule

    chosen = repo_option if repo_option is not None else repo
    run(lambda: explain_rule(chosen, rule, sys.stdout))


@main.command()
@repo_argument
@click.option("--base", metavar="REF", required=True, help="The revision the change is judged against.")
@click.option("--head", metavar="REF", help="The revision proposed; the working tree when absent.")
@click.option(
    "--format", "format_name", type=click.Choice(("markdown", "text", "json")), default="markdown", show_default=True,
    help="markdown for a pull request or job summary, text for a terminal, json for tools.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the brief to FILE.")
@click.option("--today", metavar="YYYY-MM-DD", callback=_date, help="The date to judge against.")
@click.option("--approvals", type=click.Path(dir_okay=False, path_type=Path), help="JSON array of {\"by\": login or email}.")
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default="embedded", show_default=True)
@click.option("--opa-url", metavar="URL", callback=_http_url, help="The OPA server for --engine opa.")
@fail_on_option
def decisions(repo: Path, format_name: str, **options: Any) -> None:
    """The executive brief of a change: each change as a decision with its approvals."""
    from govlint.check import CheckSettings
    from govlint.decisions import BriefFormat, run_decisions

    settings = CheckSettings(repo=repo, **options)
    chosen: BriefFormat = "json" if format_name == "json" else "text" if format_name == "text" else "markdown"
    run(lambda: run_decisions(settings, chosen, sys.stdout))


@main.command()
@repo_argument
@click.option(
    "--within", type=click.IntRange(0, 3650), metavar="DAYS",
    help="List what falls due within DAYS (default: params.notice_days); overdue items always.",
)
@click.option("--today", metavar="YYYY-MM-DD", callback=_date, help="The date to count from.")
@click.option("--format", "format_name", type=click.Choice(("text", "markdown", "json")), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the list to FILE.")
def due(repo: Path, within: int | None, today: str | None, format_name: str, output: Path | None) -> None:
    """What falls due: trial ends, exception expiries, reviews and renewals, by owner department."""
    from govlint.due import DUE_FORMATS, DueSettings, run_due

    chosen = next(f for f in DUE_FORMATS if f == format_name)
    settings = DueSettings(repo=repo, within=within, today=today, format=chosen, output=output)
    run(lambda: run_due(settings, sys.stdout, sys.stderr))


@main.command()
@repo_argument
@click.option("--ref", default="HEAD", show_default=True, metavar="BRANCH", help="The branch whose first-parent history is read.")
@click.option("--since", metavar="YYYY-MM-DD", callback=_date, help="Only decisions committed on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", callback=_date, help="Only decisions committed on or before this day.")
@click.option("--entity", metavar="KIND/ID", help="One record's story, e.g. tool/acme-bi (renames followed).")
@click.option("--format", "format_name", type=click.Choice(("text", "markdown", "json")), default="text", show_default=True)
@click.option("--no-cache", is_flag=True, help="Read and validate every record version afresh.")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GOVLINT_CACHE_DIR",
    help="Where parsed records are cached (default: the user cache directory).",
)
def history(repo: Path, format_name: str, **options: Any) -> None:
    """The decision ledger: every registry change on the branch, with date, author and approvals."""
    from govlint.history import HistorySettings, run_history

    settings = HistorySettings(repo=repo, **options)
    run(lambda: run_history(settings, format_name, sys.stdout))  # type: ignore[arg-type]


@main.command()
@repo_argument
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Write the bundle (tar.gz) to FILE.")
@click.option("--signing-key", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Sign with this key: an RSA private key in PEM (RS256) or a file holding the shared secret (HS256).")
@click.option("--signing-alg", type=click.Choice(("RS256", "HS256")), default="RS256", show_default=True)
@click.option("--key-id", metavar="ID", help="The key's id, put in the signature for OPA to pick its verification key.")
def bundle(repo: Path, output: Path, signing_key: Path | None, signing_alg: str, key_id: str | None) -> None:
    """Write an OPA bundle of the registry, its params and policies (with govlint.decide)."""
    from govlint.bundle import BundleSettings, run_bundle

    settings = BundleSettings(
        repo=repo, output=output, signing_key=signing_key,
        signing_alg="HS256" if signing_alg == "HS256" else "RS256", key_id=key_id,
    )
    run(lambda: run_bundle(settings, sys.stdout))


@main.command()
@repo_argument
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the dashboard into (index.html and its assets).")
@click.option("--today", metavar="YYYY-MM-DD", callback=_date, help="The date to judge against and count what falls due from.")
@click.option("--no-cache", is_flag=True, help="Read and validate every file afresh.")
def report(repo: Path, output: Path, today: str | None, no_cache: bool) -> None:
    """The portfolio dashboard: a static HTML page with charts, for offline reading."""
    from govlint.dashboard.page import ReportSettings, run_report

    settings = ReportSettings(repo=repo, output=output, today=today, no_cache=no_cache)
    run(lambda: run_report(settings, sys.stdout))


@main.command("approvals-from-reviews", hidden=True)
@click.argument("reviews", required=False, default="-", type=click.File("r", encoding="utf-8"))
@click.option("--commit", metavar="SHA", help="Count only approvals given on this commit (the pull request's head).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the approvals to FILE.")
def approvals_from_reviews(reviews: Any, commit: str | None, output: Path | None) -> None:
    """Plumbing for the workflow: GitHub review JSON (REVIEWS or stdin) to an --approvals array."""
    import io
    import re

    from govlint.atomic import write_atomically
    from govlint.reviews import run_approvals_from_reviews

    if commit is not None and not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
        fail(f"--commit must be a full commit SHA in lower-case hex, not {ascii(commit)}")

    def core() -> int:
        buffer = io.StringIO()
        code = run_approvals_from_reviews(reviews, reviews.name, buffer, sys.stderr, commit)
        if output is None:
            sys.stdout.write(buffer.getvalue())
        else:
            write_atomically(output, buffer.getvalue())
        return code

    run(core)


@main.command()
@repo_argument
@click.option("--check", "check_only", is_flag=True, help="Exit 1 when .github/CODEOWNERS is stale; write nothing.")
def codeowners(repo: Path, check_only: bool) -> None:
    """Write .github/CODEOWNERS from the registry, so GitHub asks the right reviewers."""
    from govlint.codeowners import run_codeowners

    run(lambda: run_codeowners(repo, check_only, sys.stdout))


def _ask(question: Any) -> Any:
    """Put one question of `govlint new` to the user until the answer is usable.

    '?' lists every known value; on a terminal, Tab completes them (readline).
    """
    from govlint.errors import GovlintError
    from govlint.scaffold import CHOICES_SHOWN

    prompt = question.prompt
    if question.choices and len(question.choices) <= CHOICES_SHOWN and sum(map(len, question.choices)) < 60:
        prompt += f" [{'/'.join(question.choices)}]"
    elif question.choices:
        prompt += f" [{len(question.choices)} known: ? lists them" + (", Tab completes]" if sys.stdin.isatty() else "]")
    _complete_with(question.choices)
    doubted: Any = None
    while True:
        try:
            text = click.prompt(prompt, default=question.default or "", show_default=question.default is not None)
        except click.Abort:
            raise GovlintError(
                f"no answer for {question.label}; give it with --set {question.label}=VALUE (or --no-input to be told what is missing)"
            ) from None
        if text.strip() == "?" and question.choices:
            click.echo("  " + "\n  ".join(question.choices))
            continue
        try:
            value = question.parse(text)
        except ValueError as exc:
            click.echo(f"  {exc}", err=True)
            continue
        doubt = question.doubt(value)
        if doubt is None or value == doubted:
            return value
        click.echo(f"  {doubt}", err=True)
        doubted = value


def _record_ids(ctx: click.Context, incomplete: str) -> list[str]:
    """Shell completion of --from: the ids of the chosen kind's records, from the file names."""
    from govlint.registry import KIND_BY_NAME, REGISTRY_FOLDER
    from govlint.root import governance_root

    # With the option's value still being typed, click leaves the arguments unparsed in ctx.args.
    named = ctx.params.get("kind") or next((arg for arg in ctx.args if arg in KIND_BY_NAME), None)
    kind = KIND_BY_NAME.get(str(named))
    if kind is None:
        return []
    folder = governance_root(Path(ctx.params.get("repo") or ".")) / REGISTRY_FOLDER / kind.folder
    try:
        stems = sorted(path.stem for path in folder.glob("*.yaml"))
    except OSError:
        return []
    return [stem for stem in stems if stem.startswith(incomplete)]


def _complete_with(choices: tuple[str, ...]) -> None:
    """Tab completion of the known values at a terminal prompt, where readline exists."""
    if not sys.stdin.isatty():
        return
    try:
        import readline
    except ImportError:  # Windows without pyreadline: prompts still work, without Tab
        return

    def complete(text: str, state: int) -> str | None:
        matches = [choice for choice in choices if choice.startswith(text)]
        return matches[state] if state < len(matches) else None

    readline.set_completer_delims(" ,")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")


@main.command()
@click.argument("kind", type=click.Choice(("tool", "department", "data-domain", "vendor", "exception")))
@click.argument("record_id", metavar="[ID]", required=False)
@click.option(
    "--repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."), callback=_governance_root,
    help="The governance repository (default: the one the current folder is in).",
)
@click.option("--set", "values", multiple=True, metavar="FIELD=VALUE",
              help="A field's value (nested: security.sso=true; a tool's data: domain:access,...). Repeatable.")
@click.option("--from", "from_id", metavar="ID", shell_complete=lambda ctx, param, incomplete: _record_ids(ctx, incomplete),
              help="Start from a copy of this record, its dates, reviews and approvals cleared.")
@click.option("--today", metavar="YYYY-MM-DD", callback=_date, help="The date a tool is proposed on (default: today).")
@click.option("--no-input", is_flag=True, help="Ask nothing: a required field not given is an error.")
def new(kind: str, record_id: str | None, repo: Path, values: tuple[str, ...], from_id: str | None,
        today: str | None, no_input: bool) -> None:
    """Write a new KIND record: asks for each required field, or takes them from --set/--from."""
    from govlint.scaffold import NewSettings, new_record

    settings = NewSettings(repo=repo, kind=kind, record_id=record_id, values=values, from_id=from_id, today=today)
    ask = None if no_input else _ask
    run(lambda: new_record(settings, ask, ask, sys.stdout))


@main.command()
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start a governance repository in DIRECTORY: rules, schemas, a starter registry,
    workflows, pre-commit hooks and CODEOWNERS. Existing files are never overwritten."""
    from govlint.starter import run_init

    run(lambda: run_init(directory, sys.stdout))
