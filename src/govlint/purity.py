"""Policies are pure: a verdict depends on the repository, the date and the approvals only.

A policy calling `http.send`, `time.now_ns` or `rand.intn` could pass a registry today and
fail it tomorrow, answer differently on another machine, and poison the evaluation cache,
which keys on exactly those three inputs. Loading refuses such calls. The scan works on Rego
tokens, not on text: a comment or a string that mentions `http.send` is fine, a call spread
over `http . send (` or written `http["send"](` is not, and the expressions inside template
strings (`$"{...}"`) are code like any other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

from govlint.errors import GovlintError

# Built-ins whose answer is not a function of their arguments: one built-in, or a family
# (an entry ending in `.` or `_`).
IMPURE_BUILTINS: dict[str, str] = {
    "http.": "reads the network",
    "net.lookup_": "looks names up in DNS",
    "opa.runtime": "reads the engine's environment and configuration",
    "time.now_ns": "reads the clock (policies take the date from input.today)",
    "rand.": "draws random numbers",
    "uuid.": "draws random identifiers",
    "io.jwt.": "works with tokens, keys and the clock",
}
REFUSED_NAMES = "http.send, net.lookup_*, opa.runtime, time.now_ns, rand.*, uuid.*, io.jwt.*"

_FAMILY_HEAD = re.compile(r"\b(?:" + "|".join(sorted({name.split(".")[0] for name in IMPURE_BUILTINS})) + r")\b")

TokenKind = Literal["name", "string", "number", "punct"]
# One alternation, tried at each position: the scan is a loop of regex matches, fast enough
# to run on every load (a hundred kilobytes of policies in a few milliseconds).
_TOKEN = re.compile(
    r"""(?P<space>[ \t\r\n]+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>"(?:[^"\\\n]|\\.)*"?)
    |(?P<raw>`[^`]*`?)
    |(?P<template>\$["`])
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    |(?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    """One Rego token at its offset in the text; a string's text is its content as written
    (escapes undone only where a call's name is read from it)."""

    kind: TokenKind
    text: str
    offset: int


@dataclass(frozen=True)
class ImpureCall:
    """A call of a built-in that makes a verdict depend on more than the check's inputs."""

    name: str
    reason: str
    line: int
    column: int


def _scan(text: str, pos: int, tokens: list[Token], inside_template: bool = False) -> int:
    """Append the tokens of `text` from `pos` to `tokens`: comments, whitespace and the text
    of template strings left out, the expressions inside template strings kept. Stops at the
    end or, inside a template's `{...}`, after the brace that closes it; returns where.
    Anything unknown is punctuation, one character at a time, so a file that does not compile
    is scanned as far as it goes (the engine then says what is wrong with it)."""
    depth = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        assert match is not None  # the last alternative matches any character
        kind = match.lastgroup
        end = match.end()
        if kind in ("string", "raw"):
            body = match.group()[1:]
            closed = body.endswith(match.group()[0])  # an unclosed string runs to the line's end
            tokens.append(Token("string", body[:-1] if closed else body, pos))
        elif kind == "template":
            end = _scan_template(text, end, text[end - 1], tokens)
        elif kind in ("name", "number"):
            tokens.append(Token(kind, match.group(), pos))  # type: ignore[arg-type]
        elif kind == "punct":
            char = match.group()
            if inside_template and char == "}" and depth == 0:
                return end
            depth += {"{": 1, "}": -1}.get(char, 0)
            tokens.append(Token("punct", char, pos))
        pos = end
    return pos


def _scan_template(text: str, pos: int, closing: str, tokens: list[Token]) -> int:
    """A template string (`$"text {expr} text"`, or with backticks) from after its opening
    quote: the tokens of each embedded expression, bracketed by `{` and `}` so that they stay
    apart from what follows; returns the position after the closing quote."""
    raw = closing == "`"
    tokens.append(Token("string", "", pos - 2))
    while pos < len(text):
        char = text[pos]
        if char == closing:
            return pos + 1
        if char == "\n" and not raw:
            return pos
        if char == "\\" and not raw:
            pos += 2  # an escaped brace or quote is text
        elif char == "{":
            tokens.append(Token("punct", "{", pos))
            pos = _scan(text, pos + 1, tokens, inside_template=True)
            tokens.append(Token("punct", "}", pos - 1))
        else:
            pos += 1
    return pos


def tokenize(text: str) -> list[Token]:
    """The Rego tokens of `text`, comments and whitespace left out."""
    tokens: list[Token] = []
    _scan(text, 0, tokens)
    return tokens


def _imported_names(tokens: list[Token]) -> set[str]:
    """Names `import` binds (`import data.lib.http` binds `http`; `... as x` binds `x`):
    a call through them is a call of a rule, not of a built-in."""
    names: set[str] = set()
    for index, token in enumerate(tokens):
        if token.kind != "name" or token.text != "import":
            continue
        last = None
        position = index + 1
        while position < len(tokens) and (tokens[position].kind in ("name", "string") or tokens[position].text in ".[]"):
            token_here = tokens[position]
            if token_here.kind == "name" and token_here.text == "as" and position + 1 < len(tokens):
                last = tokens[position + 1].text
                break
            if token_here.kind in ("name", "string"):
                if position > index + 1 and tokens[position - 1].kind in ("name", "string"):
                    break  # two names in a row: the import ended before the second
                last = token_here.text
            position += 1
        if last:
            names.add(last)
    return names


def impure_calls(text: str) -> list[ImpureCall]:
    """Every call in `text` of a built-in IMPURE_BUILTINS names, in source order."""
    if not _FAMILY_HEAD.search(text):
        return []  # every such call starts with one of these names: nothing to scan for
    tokens = tokenize(text)
    imported = _imported_names(tokens)
    found: list[ImpureCall] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        previous = tokens[index - 1] if index else None
        starts_ref = token.kind == "name" and not (previous is not None and previous.text == ".")
        if not starts_ref:
            index += 1
            continue
        parts = [token.text]
        position = index + 1
        while position < len(tokens):
            if tokens[position].text == "." and position + 1 < len(tokens) and tokens[position + 1].kind == "name":
                parts.append(tokens[position + 1].text)
                position += 2
            elif (
                tokens[position].text == "["
                and position + 2 < len(tokens)
                and tokens[position + 1].kind == "string"
                and tokens[position + 2].text == "]"
            ):
                parts.append(_unescaped(tokens[position + 1].text))
                position += 3
            else:
                break
        called = position < len(tokens) and tokens[position].text == "("
        reason = impurity(".".join(parts)) if called and parts[0] not in imported else None
        if reason is not None:
            line = text.count("\n", 0, token.offset) + 1
            column = token.offset - (text.rfind("\n", 0, token.offset) + 1) + 1
            found.append(ImpureCall(".".join(parts), reason, line, column))
        index = position
    return found


def _unescaped(content: str) -> str:
    """A string token's value: Rego's escapes are JSON's (`"now\\u005fns"` is `now_ns`)."""
    try:
        value = json.loads(f'"{content}"')
    except ValueError:
        return content
    return value if isinstance(value, str) else content


def impurity(name: str) -> str | None:
    """Why calling the built-in `name` is impure, or None. Entries of IMPURE_BUILTINS that
    end in `.` or `_` name a family; the others one built-in."""
    for pattern, reason in IMPURE_BUILTINS.items():
        if name == pattern or (pattern.endswith((".", "_")) and name.startswith(pattern)):
            return reason
    return None


def refuse_impure_policy(path: str, text: str) -> None:
    """Stop loading when the policy at `path` calls an impure built-in (GovlintError naming
    the file, line and column of the first call)."""
    calls = impure_calls(text)
    if not calls:
        return
    first = calls[0]
    more = f" (and {len(calls) - 1} more such calls)" if len(calls) > 1 else ""
    raise GovlintError(
        f"{path}:{first.line}:{first.column}: policy calls {first.name}, which {first.reason}; a check "
        f"must be a pure function of the repository, the date and the approvals, so policies may "
        f"not call {REFUSED_NAMES}{more}"
    )
