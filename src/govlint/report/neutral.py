"""What a pull request wrote is data: the characters no format may pass through unchanged.

Each format has one function that makes user-controlled text safe in it (`text.plain`,
`github.escape_data`, `markdown.inline`, `junit.xml_text`, `sarif.message`); all of them start
from `visible`, which shows the characters that could end a line, move the cursor, colour a
terminal or reorder what a reader sees. JSON needs none: its own string escaping keeps every
character inside its field, and its consumers get the record text exactly as written.
"""

from __future__ import annotations

import re

# C0 controls (line breaks, ESC for ANSI sequences), DEL, C1 controls (NEL among them), the
# Unicode line and paragraph separators, the bidirectional marks, embeddings, overrides and
# isolates (the "Trojan source" characters), and lone surrogates, which no encoder accepts.
HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every hidden character written out as `\\x..` or `\\u....`."""
    return HIDDEN.sub(_shown, text)
