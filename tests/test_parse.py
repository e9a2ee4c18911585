"""Strict YAML reading: what is refused, where, and what values plain scalars take."""

from __future__ import annotations

import pytest

from govlint.parse import MAX_BYTES, YamlProblem, line_of, read_bytes


def problem(text: str | bytes) -> YamlProblem:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(YamlProblem) as caught:
        read_bytes(data)
    return caught.value


def test_a_plain_record_reads_as_json_values() -> None:
    doc = read_bytes(b"kind: tool\nid: acme\ncost: 12.5\ncount: 3\nsso: true\nnothing: null\nlist: [a, b]\n")
    assert doc.value == {
        "kind": "tool", "id": "acme", "cost": 12.5, "count": 3, "sso": True, "nothing": None, "list": ["a", "b"],
    }


@pytest.mark.parametrize("text", ["yes", "no", "on", "off", "NO", "Yes", "y", "2026-01-05", "0x", "1_000"])
def test_yaml_1_1_scalars_stay_strings(text: str) -> None:
    assert read_bytes(f"v: {text}\n".encode()).value == {"v": text}


def test_quoted_scalars_are_strings() -> None:
    assert read_bytes(b"a: 'true'\nb: \"3\"\n").value == {"a": "true", "b": "3"}


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    found = problem("id: a\nname: x\nname: y\n")
    assert found.line == 3 and "duplicate key 'name'" in found.message


def test_anchor_and_alias_are_refused() -> None:
    assert problem("a: &x 1\nb: *x\n").line == 1


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    assert "anchor" in problem(bomb).message


def test_alias_bomb_costs_milliseconds_and_no_memory() -> None:
    """Nine levels of nine aliases would expand to 387 million items; it is refused at once."""
    import time
    import tracemalloc

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
    )
    tracemalloc.start()
    started = time.perf_counter()
    problem(bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.5 and peak < 1024 * 1024, (elapsed, peak)


@pytest.mark.parametrize("text", ["a: !!python/object:os.system x\n", "a: !custom x\n", "a: !!str 3\n"])
def test_tags_are_refused(text: str) -> None:
    assert "tag" in problem(text).message


def test_empty_file_is_a_problem() -> None:
    assert problem("").message == "file is empty"
    assert problem("# only a comment\n").message == "file is empty"


def test_two_documents_are_a_problem() -> None:
    assert problem("a: 1\n---\nb: 2\n").line == 2


def test_tab_indentation_is_a_problem_with_its_line() -> None:
    assert problem("a:\n\t- b\n").line == 2


def test_deep_nesting_does_not_recurse() -> None:
    found = problem("[" * 20000 + "]" * 20000)
    assert "nesting" in found.message


def test_size_limit() -> None:
    assert "limit" in problem(b"a: " + b"x" * MAX_BYTES).message


def test_non_utf8_reports_the_line_of_the_bad_byte() -> None:
    found = problem(b"a: 1\nb: \xff\xfe\n")
    assert found.line == 2 and "UTF-8" in found.message


def test_utf16_is_refused() -> None:
    assert "UTF-16" in problem("a: 1\n".encode("utf-16")).message


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert read_bytes(b"\xef\xbb\xbfa: 1\n").value == {"a": 1}


def test_crlf_keeps_line_numbers() -> None:
    doc = read_bytes(b"a: 1\r\nb:\r\n  c: 2\r\n", record_lines=True)
    assert doc.lines[("b", "c")] == 3


def test_lines_are_recorded_for_keys_and_list_items() -> None:
    doc = read_bytes(b"kind: tool\ndata:\n  - domain: a\n  - domain: b\n    access: read\n", record_lines=True)
    assert doc.lines[("data",)] == 2
    assert doc.lines[("data", 1)] == 4
    assert doc.lines[("data", 1, "access")] == 5
    assert line_of(doc.lines, ("data", 1, "missing")) == 4


def test_non_finite_numbers_are_refused() -> None:
    assert ".inf" in problem("a: .inf\n").message


def test_collection_as_key_is_refused() -> None:
    assert "key" in problem("? [a]\n: 1\n").message


@pytest.mark.parametrize(
    ("data", "line"),
    [(b"\r[", 1), (b"a: 1\rb: [", 1), (b"a: 1\n\rb: [", 2), (b"x: 1\r\n[", 2), (b"a: 1\nb: [\n", 2), (b"[", 1)],
)
def test_a_problem_is_placed_on_the_line_git_numbers(data: bytes, line: int) -> None:
    """PyYAML also breaks lines at a lone carriage return; the line reported is the one git
    and GitHub show, counted by "\\n"; at the end of the file, its last line, never the one
    after it."""
    with pytest.raises(YamlProblem) as problem:
        read_bytes(data, record_lines=True)
    assert problem.value.line == line


def test_fields_after_a_lone_carriage_return_keep_the_lines_git_numbers() -> None:
    document = read_bytes(b"a: 1\rb: 2\nc: 3\n", record_lines=True)
    assert document.value == {"a": 1, "b": 2, "c": 3}
    assert document.lines[("c",)] == 2
