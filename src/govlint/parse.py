"""Strict YAML reading: one document of YAML 1.2 core scalars, built from parser events.

The document is built iteratively from libyaml's event stream (never recursively), so deep
nesting cannot exhaust the stack, and anchors, aliases and tags are refused the moment they
appear, so an alias bomb costs nothing. The same walk can record the line of every path, which
is how findings are placed; that is only done for files that have findings.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Union

import yaml

try:  # the C parser is the fast path; the pure-Python one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

Key = Union[str, int]
Path = tuple[Key, ...]

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)\Z|\.(nan|NaN|NAN)\Z")
# YAML 1.1 readers (PyYAML among them) break lines at NEL, LS and PS; YAML 1.2 and most
# editors do not. A file holding one means two different things to two readers: a key after
# it hides on the line above in an editor and a diff, so these characters are refused.
_ODD_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
_LINE_BREAK_NAMES = {"\x85": "NEL (U+0085)", "\u2028": "LINE SEPARATOR (U+2028)", "\u2029": "PARAGRAPH SEPARATOR (U+2029)"}

# The largest magnitude at which every integer is exact in a double: JSON parsers, Rego
# engines and JavaScript agree on numbers up to here and disagree (or fail) beyond it.
EXACT_LIMIT = 2**53
# 2**53 has 16 decimal digits: a longer integer is out of range without converting it, which
# also keeps Python's limit on converting long digit strings (4,300 digits) out of reach.
_EXACT_DIGITS = len(str(EXACT_LIMIT))


class YamlProblem(Exception):
    """The file cannot be read strictly; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Document:
    """A strictly read YAML document: its value; when asked for, the line of each path; and
    the text as written of each plain scalar that resolved to a number or boolean, so a
    field that wants a string can keep `1.10` as written rather than as 1.1."""

    value: Any
    lines: dict[Path, int]
    scalar_texts: dict[Path, str]
    # Plain scalars that read as numbers beyond ±2**53: kept as their text (a field that
    # wants text takes them as written; one that wants a number reports them).
    out_of_range: dict[Path, str] = field(default_factory=dict)


class OutOfRange(str):
    """The text of a plain scalar that reads as a number no engine holds exactly: a string
    to everything downstream (JSON, the schema, the policies), marked so it can be named."""


def too_large(size: int) -> str:
    return f"file is {size} bytes, over the limit of {MAX_BYTES} bytes"


def decode(data: bytes) -> str:
    """UTF-8 text of a file, refusing other encodings with the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(too_large(len(data)), 1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("file is UTF-16; registry files must be UTF-8", 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line) from None
    odd = _ODD_LINE_BREAK.search(text)
    if odd is not None:
        line = text.count("\n", 0, odd.start()) + 1
        raise YamlProblem(
            f"line break character {_LINE_BREAK_NAMES[odd.group()]} is not allowed: YAML readers disagree "
            "on whether it ends a line; use a plain line break (or a \\u escape in a double-quoted string)",
            line,
        )
    return text


def resolve_plain(text: str, line: int) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        sign, digits = ("-" if text.startswith("-") else ""), text.lstrip("+-").lstrip("0")
        if len(digits) > _EXACT_DIGITS:
            return OutOfRange(text)
        return _exact(int(sign + (digits or "0")), text)
    if _OCT.match(text):
        return _exact(int(text[2:], 8), text)
    if _HEX.match(text):
        return _exact(int(text[2:], 16), text)
    if _FLOAT.match(text):
        return _exact(float(text), text)  # a float too large to hold is inf, out of range too
    if _SPECIAL_FLOAT.match(text):
        raise YamlProblem(f"{text} is not a number JSON can hold; quote it if it is text", line)
    return text


def _exact(value: int | float, text: str) -> int | float | OutOfRange:
    """`value`, or its text marked OutOfRange when it is beyond ±2**53 or not finite."""
    if (isinstance(value, int) or math.isfinite(value)) and -EXACT_LIMIT <= value <= EXACT_LIMIT:
        return value
    return OutOfRange(text)


def describe_out_of_range(text: str) -> str:
    """A number too large to hold, named briefly even when it has thousands of digits."""
    shown = text if len(text) <= 24 else f"{text[:12]}...{text[-4:]} ({len(text)} characters)"
    return (
        f"the number {shown} is beyond ±2^53 ({EXACT_LIMIT}), the range JSON and Rego engines hold "
        "exactly; quote it if it is text"
    )


class _Container:
    __slots__ = ("value", "path", "pending_key", "keys")

    def __init__(self, value: Any, path: Path) -> None:
        self.value = value
        self.path = path
        self.pending_key: str | None = None
        self.keys: dict[str, int] | None = {} if isinstance(value, dict) else None


# Line breaks to YAML besides "\n" and "\r\n": a lone carriage return, and YAML 1.1's NEL, LS
# and PS. A file holding one is numbered differently by YAML than by git and editors.
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def _line_counter(text: str) -> Callable[[Any], int]:
    """The 1-based line of a PyYAML mark as git and GitHub count lines, by "\n" alone. PyYAML
    also breaks lines at a lone "\r" (and NEL, LS, PS), so a file holding one would get
    findings below its last line; only such a file pays for counting by the mark's offset."""
    if not _OTHER_BREAKS.search(text):
        return lambda mark: mark.line + 1
    newlines = [index for index, character in enumerate(text) if character == "\n"]
    return lambda mark: bisect.bisect_left(newlines, mark.index) + 1


def read_document(text: str, *, record_lines: bool = False) -> Document:
    """Build the single document in `text`, raising YamlProblem at the first violation."""
    line_at = _line_counter(text)
    lines: dict[Path, int] = {}
    scalar_texts: dict[Path, str] = {}
    out_of_range: dict[Path, str] = {}
    stack: list[_Container] = []
    root: Any = None
    documents = 0
    done = False
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = line_at(event.start_mark) if event.start_mark is not None else 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem("file holds more than one YAML document", line)
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem(f"alias *{event.anchor} is not allowed; write the value out", line)
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                finished = stack.pop()
                if not stack:
                    root, done = finished.value, True
                continue
            assert isinstance(event, yaml.NodeEvent)
            if event.anchor is not None:
                raise YamlProblem(f"anchor &{event.anchor} is not allowed; write the value out", line)
            tag = getattr(event, "tag", None)
            if tag is not None:
                # Even the non-specific tag `!` is refused: `! 72000` is the string "72000"
                # to YAML and the number 72000 to readers that ignore it.
                raise YamlProblem(f"tag {tag} is not allowed", line)

            plain = False
            if isinstance(event, yaml.ScalarEvent):
                plain = event.style in ("", None) and event.implicit[0]
                value: Any = resolve_plain(event.value, line) if plain else event.value
            elif isinstance(event, yaml.MappingStartEvent):
                value = {}
            else:
                value = []

            parent = stack[-1] if stack else None
            if parent is not None and parent.keys is not None and parent.pending_key is None:
                # This node is a mapping key.
                if not isinstance(event, yaml.ScalarEvent):
                    raise YamlProblem("a mapping key must be a plain name, not a collection", line)
                key = event.value
                if key in parent.keys:
                    raise YamlProblem(
                        f"duplicate key '{key}' (first on line {parent.keys[key]})", line
                    )
                parent.keys[key] = line
                parent.pending_key = key
                if record_lines:
                    lines[parent.path + (key,)] = line
                continue

            if parent is None:
                path: Path = ()
                if record_lines:
                    lines[()] = line  # where the document's own mapping (or value) starts
            elif parent.keys is not None:
                assert parent.pending_key is not None
                path = parent.path + (parent.pending_key,)
                parent.value[parent.pending_key] = value
                parent.pending_key = None
            else:
                path = parent.path + (len(parent.value),)
                parent.value.append(value)
                if record_lines:
                    lines[path] = line

            if isinstance(event, yaml.ScalarEvent):
                if plain and value is not None and not isinstance(value, str):
                    scalar_texts[path] = event.value
                elif isinstance(value, OutOfRange):
                    out_of_range[path] = event.value
                if parent is None:
                    root, done = value, True
                continue
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(f"nesting is deeper than {MAX_DEPTH} levels", line)
            stack.append(_Container(value, path))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # At the end of the file PyYAML marks the line after the last: the last is shown.
        last = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        line = min(line_at(mark), last) if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        tab = _tab_at(text, mark)
        if tab is not None:
            raise YamlProblem(f"invalid YAML: a tab at column {tab}; YAML indents with spaces", line) from None
        raise YamlProblem(f"invalid YAML: {problem}", line) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise YamlProblem(f"invalid YAML: {exc.reason} (character {exc.character!r})", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", 1) from None
    if not done:
        raise YamlProblem("file is empty", 1)
    return Document(root, lines, scalar_texts, out_of_range)


def _tab_at(text: str, mark: Any) -> int | None:
    """The 1-based column of the tab PyYAML stopped at, or None when it stopped at something
    else. PyYAML says "found character that cannot start any token" for a tab that indents a
    line, which names neither the tab nor where it is."""
    if mark is None:
        return None
    lines = text.split("\n")
    if not 0 <= mark.line < len(lines):
        return None
    line = lines[mark.line]
    if mark.column < len(line) and line[mark.column] == "\t":
        return mark.column + 1
    # Some errors mark the start of the line whose indentation holds the tab.
    stripped = line.lstrip(" ")
    if stripped.startswith("\t") and mark.column <= len(line) - len(stripped):
        return len(line) - len(stripped) + 1
    return None


def read_bytes(data: bytes, *, record_lines: bool = False) -> Document:
    return read_document(decode(data), record_lines=record_lines)


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of the deepest recorded prefix of `path`; 1 when nothing of it is recorded."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return 1
