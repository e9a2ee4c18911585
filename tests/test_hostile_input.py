"""Nothing a pull request contains breaks the check (issue 10, parts 1 and 4).

Every number, date, name and path a proposer can write is checked before an engine sees it,
and the files govlint keeps (caches) or writes (--output) are safe. The record cases live in
tests/hostile/, one file each: its header says where it goes and which finding it must give.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TODAY, MiniRepo, check_json, commit_all, copy_reference, git, git_init, govlint, write

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(HOSTILE.glob("*.yaml"))


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A copy of the reference governance repository, which passes on TODAY."""
    return copy_reference(tmp_path / "gov")


def header(case: Path) -> dict[str, str]:
    fields = {}
    for line in case.read_bytes().decode("utf-8").split("\n")[:3]:
        key, _, value = line[2:].partition(": ")
        fields[key] = value
    return fields


def no_crash(stderr: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr and "panicked" not in stderr, stderr


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_a_hostile_record_is_a_finding_at_its_line(reference: Path, case: Path) -> None:
    fields = header(case)
    rule, _, line = fields["expect"].partition(" line ")
    write(reference / fields["place"], case.read_bytes())
    result = govlint("check", str(reference), "--format", "json", "--today", TODAY)
    no_crash(result.stderr)
    assert result.exit_code == 1, result.stderr
    found = [(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    assert (rule, fields["place"], int(line)) in found, found


def test_the_hostile_corpus_covers_each_reproduction() -> None:
    assert len(CASES) >= 15


# -- file names ---------------------------------------------------------------------------


def layout_findings(report: dict[str, object]) -> list[tuple[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["file"], f["message"]) for f in findings if f["rule"] == "REGISTRY-LAYOUT"]


def tool_text(tool_id: str) -> bytes:
    return (ROOT_TOOLS / "bastion-endpoint.yaml").read_bytes().replace(b"bastion-endpoint", tool_id.encode())


ROOT_TOOLS = Path(__file__).resolve().parents[1] / "registry" / "tools"


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_a_layout_finding(reference: Path) -> None:
    os.makedirs(reference / "registry" / "tools", exist_ok=True)
    with open(os.path.join(os.fsencode(reference / "registry" / "tools"), b"caf\xe9.yaml"), "wb") as handle:
        handle.write(tool_text("cafe"))
    code, report = check_json(reference)
    assert code == 1
    [(file, message)] = layout_findings(report)
    assert file == "registry/tools/caf\\xe9.yaml" and "not UTF-8" in message


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("bastion-endpoint\n.yaml", "bastion-endpoint\\x0a.yaml"),
        ("bastion\x1b[31m.yaml", "bastion\\x1b[31m.yaml"),
        ("bastion\u202eeulav.yaml", "bastion\\u202eeulav.yaml"),
        ("bastion\u200b-endpoint.yaml", "bastion\\u200b-endpoint.yaml"),
    ],
    ids=["newline", "escape", "right-to-left-override", "zero-width-space"],
)
def test_a_file_name_with_control_or_invisible_characters_is_a_layout_finding(
    reference: Path, name: str, shown: str
) -> None:
    record_id = name[: -len(".yaml")]
    write(reference / "registry" / "tools" / name, tool_text("x").replace(b"id: x", f"id: {json.dumps(record_id)}".encode()))
    code, report = check_json(reference)
    assert code == 1
    assert [file for file, _ in layout_findings(report)] == [f"registry/tools/{shown}"]


def test_an_id_with_a_trailing_newline_in_a_file_named_the_same_does_not_pass(reference: Path) -> None:
    """The issue's case: a look-alike of bastion-endpoint, id and file name ending in a newline."""
    write(
        reference / "registry" / "tools" / "bastion-endpoint\n.yaml",
        (ROOT_TOOLS / "bastion-endpoint.yaml").read_bytes().replace(b"id: bastion-endpoint", b'id: "bastion-endpoint\\n"'),
    )
    code, report = check_json(reference)
    assert code == 1
    assert layout_findings(report)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_committed_file_name_that_is_not_utf8_is_a_layout_finding_in_change_mode(reference: Path) -> None:
    git_init(reference)
    commit_all(reference, "base")
    git(reference, "checkout", "-q", "-b", "proposal")
    with open(os.path.join(os.fsencode(reference / "registry" / "tools"), b"caf\xe9.yaml"), "wb") as handle:
        handle.write(tool_text("cafe"))
    commit_all(reference, "a tool with a Latin-1 name")
    result = govlint("check", str(reference), "--base", "main", "--head", "proposal", "--format", "json", "--today", TODAY)
    no_crash(result.stderr)
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert ("registry/tools/caf\\xe9.yaml", "the file name is not UTF-8 (byte 0xe9); it is not read") in layout_findings(report)


# -- approvals ----------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["\\ud800", "octo\\u0000cat", "octo\\ncat"], ids=["lone-surrogate", "nul", "newline"])
def test_an_approval_login_that_is_not_text_is_one_line_and_exit_2(reference: Path, tmp_path: Path, login: str) -> None:
    approvals = write(tmp_path / "approvals.json", '[{"by": "' + login + '"}]')
    result = govlint("check", str(reference), "--today", TODAY, "--approvals", str(approvals))
    no_crash(result.stderr)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "entry 1" in result.stderr


# -- params.yaml that is not a regular file -----------------------------------------------


def replace_params(reference: Path, make: str) -> None:
    params = reference / "policies" / "params.yaml"
    params.unlink()
    if make == "fifo":
        os.mkfifo(params)
    elif make == "directory":
        params.mkdir()
    else:
        os.mknod(params, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null


@pytest.mark.parametrize(
    "make",
    [
        "fifo",
        "directory",
        pytest.param(
            "device",
            marks=pytest.mark.skipif(
                not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root"
            ),
        ),
    ],
)
def test_params_that_is_not_a_regular_file_stops_the_check_with_one_line(reference: Path, make: str) -> None:
    replace_params(reference, make)
    # A subprocess with a time limit: the old code hung forever opening the FIFO.
    done = subprocess.run(
        [sys.executable, "-m", "govlint", "check", str(reference), "--today", TODAY, "--no-cache"],
        capture_output=True, text=True, timeout=60,
    )
    no_crash(done.stderr)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "policies/params.yaml is a" in done.stderr and "not a regular file" in done.stderr


# -- --output ---------------------------------------------------------------------------


def make_target(tmp_path: Path, kind: str) -> Path:
    target = tmp_path / f"target-{kind}"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return target


@pytest.mark.parametrize(
    "kind",
    [
        "fifo",
        "directory",
        pytest.param(
            "device",
            marks=pytest.mark.skipif(
                not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root"
            ),
        ),
    ],
)
def test_output_replaces_only_a_regular_file_or_a_new_path(reference: Path, tmp_path: Path, kind: str) -> None:
    target = make_target(tmp_path, kind)
    before = os.lstat(target)
    result = govlint("check", str(reference), "--today", TODAY, "-o", str(target))
    no_crash(result.stderr)
    assert result.exit_code == 2
    if kind == "directory":  # click's own check of the option says so first, as a usage error
        assert "is a directory" in result.stderr
    else:
        assert len(result.stderr.strip().splitlines()) == 1 and f"cannot write {target}" in result.stderr
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_write_atomically_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    from govlint.atomic import write_atomically
    from govlint.errors import GovlintError

    target = make_target(tmp_path, kind)
    with pytest.raises(GovlintError, match="only a regular file or a new path is replaced"):
        write_atomically(target, "report\n")
    assert not list(tmp_path.glob(".target-*.tmp"))


def test_output_still_replaces_a_regular_file_and_creates_a_new_one(reference: Path, tmp_path: Path) -> None:
    existing = write(tmp_path / "report.txt", "old\n")
    assert govlint("check", str(reference), "--today", TODAY, "-o", str(existing)).exit_code == 0
    assert existing.read_text() != "old\n"
    fresh = tmp_path / "new-report.json"
    assert govlint("check", str(reference), "--today", TODAY, "--format", "json", "-o", str(fresh)).exit_code == 0
    assert json.loads(fresh.read_text())["summary"]["errors"] == 0


# -- caches -----------------------------------------------------------------------------


def test_a_cache_entry_whose_record_is_not_json_is_discarded(reference: Path, private_cache: Path) -> None:
    expected = check_json(reference)
    [records] = private_cache.glob("records-*.json")
    document = json.loads(records.read_text())
    assert document["entries"]
    for entry in document["entries"].values():
        if entry["record"] is not None:
            entry["record"] = "{not json" + entry["record"]
    records.write_text(json.dumps(document))
    assert check_json(reference) == expected
    # and the damaged entries were replaced by good ones
    rewritten = json.loads(records.read_text())["entries"].values()
    assert all(entry["record"] is None or json.loads(entry["record"]) for entry in rewritten)


def test_cache_dir_never_deletes_files_govlint_did_not_write(reference: Path, tmp_path: Path) -> None:
    """`--cache-dir` pointed at a folder of the user's own: their evaluations/*.json stay."""
    folder = tmp_path / "mine"
    theirs = folder / "evaluations"
    theirs.mkdir(parents=True, mode=0o700)
    folder.chmod(0o700)
    for number in range(40):
        write(theirs / f"{number:064x}.json", json.dumps({"key": "mine", "values": [number]}))
        write(theirs / f"quarterly-{number}.json", "{}")
    for day in range(20):  # twenty evaluations: enough that govlint prunes its own
        result = govlint("check", str(reference), "--today", f"2026-11-{day + 1:02d}", "--cache-dir", str(folder))
        no_crash(result.stderr)
    assert len(list(theirs.glob("quarterly-*.json"))) == 40
    keys = {path: json.loads(path.read_text()).get("key") for path in theirs.glob("*.json")}
    assert list(keys.values()).count("mine") == 40
    ours = [path for path, key in keys.items() if key == path.stem]
    assert 0 < len(ours) <= 16


def test_a_relative_xdg_cache_home_never_falls_back_to_a_shared_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from govlint.cache import default_directory

    monkeypatch.delenv("GOVLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", "/home/someone")
    found = default_directory()
    assert found is not None and found.is_absolute()
    if sys.platform.startswith("linux"):
        assert found == Path("/home/someone/.cache/govlint")
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home directory at all
    found = default_directory()
    assert found is None or not str(found).startswith("/tmp")


def test_the_cache_directory_is_created_private(reference: Path, tmp_path: Path) -> None:
    folder = tmp_path / "new-cache"
    assert govlint("check", str(reference), "--today", TODAY, "--cache-dir", str(folder)).exit_code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_cache_directory_others_can_write_is_refused(reference: Path, tmp_path: Path, mode: int) -> None:
    folder = tmp_path / "shared-cache"
    folder.mkdir()
    folder.chmod(mode)
    result = govlint("check", str(reference), "--today", TODAY, "--cache-dir", str(folder))
    no_crash(result.stderr)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "writable by group or others" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_directory_owned_by_someone_else_is_refused(reference: Path, tmp_path: Path) -> None:
    """The issue's attack: another user pre-creates the cache folder and fills it."""
    folder = tmp_path / "planted-cache"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    result = govlint("check", str(reference), "--today", TODAY, "--cache-dir", str(folder))
    no_crash(result.stderr)
    assert result.exit_code == 2 and "belongs to another user" in result.stderr


# -- blob ids under converting attributes -------------------------------------------------


@pytest.mark.parametrize(
    "attribute", ["ident", "eol=crlf", "text", "text=auto", "working-tree-encoding=ISO-8859-1", "filter=lfs"]
)
def test_blob_ids_are_not_trusted_under_a_converting_attribute(tmp_path: Path, attribute: str) -> None:
    from govlint.git import unchanged_blob_ids

    root = tmp_path / "repo"
    write(root / "registry" / "tools" / "plain.yaml", "kind: tool\n")
    write(root / "registry" / "tools" / "marked.yaml", "kind: tool\nname: \"$Id$\"\n")
    write(root / ".gitattributes", f"marked.yaml {attribute}\n")
    git_init(root)
    commit_all(root, "base")
    known = unchanged_blob_ids(root, "registry")
    assert "registry/tools/plain.yaml" in known
    assert "registry/tools/marked.yaml" not in known


def test_an_unset_attribute_converts_nothing_so_its_blob_id_is_trusted(tmp_path: Path) -> None:
    from govlint.git import unchanged_blob_ids

    root = tmp_path / "repo"
    write(root / "registry" / "tools" / "marked.yaml", "kind: tool\n")
    write(root / ".gitattributes", "marked.yaml -text -ident\n")
    git_init(root)
    commit_all(root, "base")
    assert "registry/tools/marked.yaml" in unchanged_blob_ids(root, "registry")


def test_under_ident_the_working_tree_result_never_lands_in_the_blobs_cache_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case end to end: with `ident`, git calls the expanded file unchanged, so
    the old code read it and stored its result under the blob's id; a check of the commit
    then took the working tree's result for the blob's."""
    import govlint.read

    monkeypatch.setattr(govlint.read, "GIT_IDS_MINIMUM", 1)
    root = copy_reference(tmp_path / "gov")
    tool = root / "registry" / "tools" / "bastion-endpoint.yaml"
    # Committed, the name is `$Id$` (4 characters); checked out, git expands it to 45, over
    # a 20-character limit this test's schema sets: only the working tree breaks the schema.
    tool.write_text(tool.read_text().replace("name: Bastion endpoint protection", 'name: "$Id$"'))
    schema = root / "schemas" / "tool.schema.json"
    schema.write_text(schema.read_text().replace('"maxLength": 200', '"maxLength": 20', 1))
    write(root / ".gitattributes", "registry/tools/bastion-endpoint.yaml ident\n")
    git_init(root)
    commit_all(root, "base")
    tool.unlink()
    git(root, "checkout", "--", "registry/tools/bastion-endpoint.yaml")  # the checkout expands $Id$
    assert "$Id: " in tool.read_text()
    working_code, working = check_json(root)
    assert any(f["rule"] == "SCHEMA" and f["file"].endswith("bastion-endpoint.yaml") for f in working["findings"])
    committed_code, committed = check_json(root, "--head", "HEAD")
    assert not any(f["file"].endswith("bastion-endpoint.yaml") for f in committed["findings"]), committed


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_rule_file_with_an_unprintable_name_is_reported_by_a_printable_name(reference: Path) -> None:
    """A pull request adding `policies/\\xff.rego`: its POLICY-CHANGE finding names it escaped,
    so every format can carry it (a lone surrogate cannot be written as UTF-8)."""
    git_init(reference)
    commit_all(reference, "base")
    git(reference, "checkout", "-q", "-b", "proposal")
    with open(os.path.join(os.fsencode(reference / "policies"), b"\xff.rego"), "wb") as handle:
        handle.write(b"package govlint.rules.odd\n")
    commit_all(reference, "a policy with a name that is not UTF-8")
    result = govlint("check", str(reference), "--base", "main", "--format", "json", "--today", TODAY)
    no_crash(result.stderr)
    files = [f["file"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "POLICY-CHANGE"]
    assert files == ["policies/\\xff.rego"]


# -- the checks themselves, unit by unit --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("9007199254740992", 9007199254740992),
        ("-9007199254740992", -9007199254740992),
        ("0x1F", 31),
        ("-" + "0" * 5000 + "12", -12),  # leading zeros do not count towards the limit
        ("1e300", "1e300"),
        ("9007199254740993", "9007199254740993"),
        ("-9007199254740993", "-9007199254740993"),
        ("7" * 4301, "7" * 4301),
        ("0x" + "f" * 2000, "0x" + "f" * 2000),
        ("0o" + "7" * 30, "0o" + "7" * 30),
        ("1e400", "1e400"),
        ("1" * 400 + ".5", "1" * 400 + ".5"),
    ],
    ids=lambda value: str(value)[:20],
)
def test_numbers_beyond_2_53_keep_their_text_and_are_marked(text: str, value: object) -> None:
    from govlint.parse import read_bytes

    document = read_bytes(f"n: {text}\n".encode())
    assert document.value == {"n": value}
    assert (("n",) in document.out_of_range) == isinstance(value, str)


def test_a_number_out_of_range_is_named_briefly_where_a_number_is_wanted(mini_repo: MiniRepo) -> None:
    write(mini_repo.root / "registry" / "tools" / "good.yaml", "kind: tool\nid: good\nname: x\nsso: " + "9" * 5000 + "\n")
    code, report = check_json(mini_repo.root)
    [finding] = [f for f in report["findings"] if f["rule"] == "SCHEMA"]
    assert code == 1 and finding["line"] == 4
    assert "beyond ±2^53" in finding["message"] and len(finding["message"]) < 200


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: ! 72000\n", 1),
        ("a: 1\nb: !foo x\n", 2),
        ("a: 1\nb: x\x85c: 2\n", 2),
        ("a: 1\nb: 2\n# a comment\u2028\n", 3),
        ("a: 1\nb: 'quoted \u2029 too'\n", 2),
    ],
    ids=["non-specific-tag", "local-tag", "nel", "ls-in-a-comment", "ps-in-a-quoted-string"],
)
def test_tags_and_odd_line_breaks_are_yaml_problems_at_their_line(text: str, line: int) -> None:
    from govlint.parse import YamlProblem, read_bytes

    with pytest.raises(YamlProblem) as caught:
        read_bytes(text.encode("utf-8"))
    assert caught.value.line == line


def test_a_double_quoted_escape_still_spells_those_characters() -> None:
    from govlint.parse import read_bytes

    assert read_bytes(b'a: "x\\u2028y"\n').value == {"a": "x\u2028y"}


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        ("^[a-z]+$", "^[a-z]+\\Z"),
        ("^a$|^b$", "^a\\Z|^b\\Z"),
        ("^[$]+$", "^[$]+\\Z"),
        ("^\\$x$", "^\\$x\\Z"),
        ("^[^\\]$]$", "^[^\\]$]\\Z"),
        ("^a\\\\$", "^a\\\\\\Z"),
    ],
)
def test_schema_patterns_read_dollar_as_the_end_of_the_text(pattern: str, python: str) -> None:
    from govlint.validate import ecma_pattern

    assert ecma_pattern(pattern) == python


@pytest.mark.parametrize("value", ["bastion-endpoint\n", "bastion-endpoint\r\n", "\nbastion", "Bastion"])
def test_the_reference_id_pattern_refuses_look_alikes(value: str) -> None:
    from govlint.read import WorkingTree
    from govlint.validate import SchemaSet

    schemas = SchemaSet.load(WorkingTree(Path(__file__).resolve().parents[1], use_git=False))
    record = json.loads(json.dumps({"id": value}))
    violations = schemas.violations("vendor.schema.json", record)
    assert any(v.path == ("id",) and v.keyword == "pattern" for v in violations)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("1900-01-01", True), ("2199-12-31", True), ("1899-12-31", False), ("2200-01-01", False),
     ("2262-04-12", False), ("2026-02-29", False), ("2026-1-05", False), ("２０２６-01-01", False)],
)
def test_dates_are_checked_alike_by_the_fast_check_and_by_jsonschema(value: str, valid: bool) -> None:
    from govlint.validate import SchemaSet

    schemas = SchemaSet({"d.json": {"type": "object", "properties": {"d": {"type": "string", "format": "date"}}}})
    check = schemas.check_of("d.json")
    assert check is not None and check({"d": value}) is valid
    assert (not schemas.violations("d.json", {"d": value})) is valid


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_every_name_is_either_refused_or_shown_as_it_is(name: str) -> None:
    from govlint.read import Entry, name_problem, refusal, shown_path

    path = f"registry/tools/{name}.yaml"
    problem = name_problem(path)
    shown = shown_path(path)
    shown.encode("utf-8")  # whatever the name, what is shown can be written
    assert shown.isprintable()
    assert (problem is None) == (shown == path)
    finding = refusal(Entry(path, "file"))
    assert (finding is None) == (problem is None)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.from_regex(r"\A[-+]?[0-9]{1,60}(\.[0-9]{0,5})?([eE][-+]?[0-9]{1,4})?\Z")))
def test_every_plain_number_reads_exactly_or_as_text(number: object) -> None:
    from govlint.parse import EXACT_LIMIT, read_bytes

    text = str(number)
    value = read_bytes(f"n: {text}\n".encode()).value["n"]
    if isinstance(value, str):
        assert value == text
    else:
        assert -EXACT_LIMIT <= value <= EXACT_LIMIT
        json.dumps(value, allow_nan=False)


def test_with_core_autocrlf_no_blob_id_is_trusted(tmp_path: Path) -> None:
    from govlint.git import unchanged_blob_ids

    root = tmp_path / "repo"
    write(root / "registry" / "tools" / "plain.yaml", "kind: tool\n")
    git_init(root)
    commit_all(root, "base")
    assert "registry/tools/plain.yaml" in unchanged_blob_ids(root, "registry")
    git(root, "config", "core.autocrlf", "true")
    assert unchanged_blob_ids(root, "registry") == {}


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_committed_name_that_is_not_utf8_in_a_checkout_taking_blob_ids_from_git(
    reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The working tree of a clone: git is asked which files are unchanged, and one of the
    names it lists is not UTF-8."""
    import govlint.read

    monkeypatch.setattr(govlint.read, "GIT_IDS_MINIMUM", 1)
    with open(os.path.join(os.fsencode(reference / "registry" / "tools"), b"caf\xe9.yaml"), "wb") as handle:
        handle.write(tool_text("cafe"))
    git_init(reference)
    commit_all(reference, "base")
    code, report = check_json(reference)
    assert code == 1
    assert [file for file, _ in layout_findings(report)] == ["registry/tools/caf\\xe9.yaml"]
