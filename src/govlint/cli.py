"""The `govlint` command line: parses options, fills settings, calls one core function."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn

import click

from govlint import __version__
from govlint.engines import ENGINE_NAMES
from govlint.errors import GovlintError
from govlint.report import FORMAT_NAMES


def fail(message: str) -> NoReturn:
    click.echo(f"govlint: error: {message}", err=True)
    sys.exit(GovlintError.exit_code)


def run(core: Callable[[], int]) -> NoReturn:
    """The one top-level handler: a failure of govlint itself is one line and exit 2."""
    try:
        code = core()
    except GovlintError as exc:
        fail(exc.message)
    except KeyboardInterrupt:
        fail("interrupted")
    except RecursionError:
        fail("input nested too deeply to process")
    except MemoryError:
        fail("out of memory")
    except Exception as exc:  # a bug: still one line, with the details behind GOVLINT_DEBUG
        if os.environ.get("GOVLINT_DEBUG"):
            raise
        fail(f"internal error ({type(exc).__name__}: {exc}); set GOVLINT_DEBUG=1 for details")
    sys.exit(code)


def _governance_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """REPO, or the folder a command runs in, taken up to the governance repository's root."""
    from govlint.root import governance_root

    return None if value is None else governance_root(value)


repo_argument = click.argument(
    "repo", required=False, default=".", type=click.Path(file_okay=False, path_type=Path),
    callback=_governance_root,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--today", metavar="YYYY-MM-DD", help="The date to judge against, for reproducible runs.")
@click.option("--approvals", type=click.Path(dir_okay=False, path_type=Path), help="JSON array of {\"by\": login or email}.")
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default="embedded", show_default=True)
@click.option("--opa-url", metavar="URL", help="The OPA server for --engine opa.")
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds policy evaluation may take.")
@click.option("--no-cache", is_flag=True, help="Read and validate every file afresh.")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GOVLINT_CACHE_DIR",
    help="Where parsed records are cached (default: the user cache directory).",
)
def check(repo: Path, format_name: str, base_if_upstream: bool, **options: Any) -> None:
    """Lint the registry of REPO against its policies and schemas."""
    from govlint.check import CheckSettings, run_check

    if format_name == "auto":
        format_name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMAT_NAMES else "text"
    if base_if_upstream and options["base"] is None:
        from govlint.git import upstream_of

        options["base"] = upstream_of(repo)
    settings = CheckSettings(repo=repo, format=format_name, **options)
    run(lambda: run_check(settings, sys.stdout))


@main.command()
@repo_argument
@click.option("--coverage", is_flag=True, help="Report the lines of each policy the tests reach.")
@click.option("--run", "name_filter", metavar="TEXT", help="Only tests whose name contains TEXT.")
@click.option("--verbose", "-v", is_flag=True, help="List passing tests too.")
def test(repo: Path, coverage: bool, name_filter: str | None, verbose: bool) -> None:
    """Run the test_* rules of policies/*_test.rego."""
    from govlint.catalog import read_policy_files
    from govlint.policytest import print_results, run_tests
    from govlint.read import WorkingTree

    def core() -> int:
        files, _ = read_policy_files(WorkingTree(repo))
        results, covered = run_tests(files, name_filter, coverage)
        return print_results(results, covered, sys.stdout, verbose)

    run(core)


@main.command()
@repo_argument
def policies(repo: Path) -> None:
    """List the rules with their severity and title."""
    from govlint.explain import list_rules

    run(lambda: list_rules(repo, sys.stdout))


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
@click.option("--today", metavar="YYYY-MM-DD", help="The date a tool is proposed on (default: today).")
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
@click.option("--format", "format_name", type=click.Choice(("markdown", "json")), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the brief to FILE.")
@click.option("--today", metavar="YYYY-MM-DD", help="The date to judge against.")
@click.option("--approvals", type=click.Path(dir_okay=False, path_type=Path), help="JSON array of {\"by\": login or email}.")
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default="embedded", show_default=True)
@click.option("--opa-url", metavar="URL", help="The OPA server for --engine opa.")
def decisions(repo: Path, format_name: str, **options: Any) -> None:
    """The executive brief of a change: each change as a decision with its approvals."""
    from govlint.check import CheckSettings
    from govlint.decisions import run_decisions

    settings = CheckSettings(repo=repo, **options)
    run(lambda: run_decisions(settings, "json" if format_name == "json" else "markdown", sys.stdout))
