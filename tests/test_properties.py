"""Property-based tests: whatever bytes a pull request holds, govlint answers with findings.

Random byte strings and random YAML-like documents go to the reader and through the CLI;
the result is always a value or a YamlProblem with a line inside the file, never another
exception, and always quickly.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_POLICY, MINI_SCHEMA, copy_reference, govlint, write
from govlint.parse import YamlProblem, read_bytes

SECONDS_PER_DOCUMENT = 2.0
CHECK_SECONDS = 30.0

yaml_atoms = st.sampled_from(
    [
        "a", "id", "kind", "tool", ":", ": ", "- ", "\n", "  ", "\t", "&x ", "*x", "!!str ", "!tag ", "[", "]",
        "{", "}", ",", "'", '"', "#", "---", "...", "|", ">", "?", "yes", "no", "on", "1.10", "2026-01-05",
        "~", "null", ".inf", "0x1F", "\r\n", "\ufeff", "é", "\x00", "%YAML 1.1", "<<: ", "@", "`",
    ]
)
yaml_like = st.lists(yaml_atoms, max_size=60).map("".join)


def _read_or_problem(data: bytes) -> None:
    started = time.monotonic()
    try:
        document = read_bytes(data, record_lines=True)
    except YamlProblem as problem:
        assert 1 <= problem.line <= data.count(b"\n") + 2, (problem.line, data)
        assert problem.message
    else:
        json.dumps(document.value)  # whatever is read is JSON, as the policies need it
        assert all(line >= 1 for line in document.lines.values())
    assert time.monotonic() - started < SECONDS_PER_DOCUMENT


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_random_bytes_read_as_a_value_or_a_located_problem(data: bytes) -> None:
    _read_or_problem(data)


@given(yaml_like)
@settings(max_examples=400, deadline=None)
def test_random_yaml_like_text_reads_as_a_value_or_a_located_problem(text: str) -> None:
    _read_or_problem(text.encode("utf-8"))


@given(st.one_of(yaml_like.map(lambda t: t.encode("utf-8")), st.binary(max_size=200)))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_check_answers_any_file_with_findings_at_a_file_and_line(tmp_path: Path, content: bytes) -> None:
    root = tmp_path / "repo"
    if not root.exists():
        write(root / "schemas" / "tool.schema.json", json.dumps(MINI_SCHEMA))
        write(root / "policies" / "mini_sso.rego", MINI_POLICY)
    write(root / "registry" / "tools" / "fuzzed.yaml", content)
    started = time.monotonic()
    result = govlint("check", str(root), "--format", "json", "--today", "2026-11-22")
    assert time.monotonic() - started < CHECK_SECONDS
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    for finding in json.loads(result.stdout)["findings"]:
        assert finding["file"] == "registry/tools/fuzzed.yaml"
        assert isinstance(finding["line"], int) and 1 <= finding["line"] <= content.count(b"\n") + 2


# Field names and values of real records, so the fuzzed text reaches the schemas and rules.
record_atoms = st.sampled_from(
    [
        "kind: tool\n", "id: fuzzed\n", "name: Fuzz\n", "vendor: keyward\n", "owner: it\n", "ring: adopt\n",
        "ring: trial\n", "category: crm\n", "business_sponsor: x@y.example\n", "data:\n", "  - domain: matters\n",
        "    access: write\n", "security:\n", "  sso: yes\n", "  sso: true\n", "contract:\n", "  annual_cost: 1e9\n",
        "  currency: USD\n", "trial_ends_on: 2020-01-01\n", "users: [it, legal]\n", "proposed_on: '2026-01-01'\n",
        "approvals: []\n", "- ", ": ", "  ", "\t", "&a ", "*a", "!!int ", "{", "}", "[", "]", "'", "\"", "\r\n", "#",
    ]
)


@given(st.lists(record_atoms, max_size=40).map("".join))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_check_of_the_reference_repository_answers_any_tool_file(tmp_path: Path, text: str) -> None:
    root = tmp_path / "reference"
    if not root.exists():
        copy_reference(root)
    write(root / "registry" / "tools" / "fuzzed.yaml", text)
    started = time.monotonic()
    result = govlint("check", str(root), "--format", "json", "--today", "2026-11-22")
    assert time.monotonic() - started < CHECK_SECONDS
    assert result.exit_code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert any(f["file"] == "registry/tools/fuzzed.yaml" for f in findings) or "id: fuzzed" in text
    for finding in findings:
        assert finding["file"] and isinstance(finding["line"], int) and finding["line"] >= 1
