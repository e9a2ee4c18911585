"""Placing findings: a field path in a record to the 1-based line and column it is written on.

Lines are recorded only for files that have findings: the file is read a second time with
line recording on, once, and kept for the rest of the run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from govlint.cache import LineCache
from govlint.parse import Path, YamlProblem, line_of, read_bytes
from govlint.read import Tree


def split_path(path: str | None) -> tuple[str, ...]:
    """A policy's dotted path (`data.1.domain`) as its parts; empty parts are dropped."""
    if not path:
        return ()
    return tuple(part for part in path.split(".") if part)


class LineIndex:
    """Lines of field paths in the files of one tree."""

    def __init__(
        self, tree: Tree, content_ids: Mapping[str, str] | None = None, cache: LineCache | None = None
    ) -> None:
        """`content_ids` (file to blob id) and `cache` let unchanged files be placed from the
        cache without being read."""
        self._tree = tree
        self._lines: dict[str, dict[Path, int] | None] = {}
        self._texts: dict[str, list[str] | None] = {}
        self._content_ids = content_ids or {}
        self._cache = cache

    def _lines_of(self, file: str) -> dict[Path, int] | None:
        if file not in self._lines:
            try:
                self._lines[file] = read_bytes(self._tree.read(file), record_lines=True).lines
            except (YamlProblem, Exception):  # unreadable files already have their own finding
                self._lines[file] = None
        return self._lines[file]

    def _text_of(self, file: str) -> list[str] | None:
        if file not in self._texts:
            try:
                self._texts[file] = self._tree.read(file).decode("utf-8").split("\n")
            except Exception:  # unreadable files already have their own finding
                self._texts[file] = None
        return self._texts[file]

    def column(self, file: str, line: int | None, dotted: str | None) -> int | None:
        """The 1-based column where the finding's field starts on its line: the key of a
        mapping entry, the item after `- ` of a list entry, else the line's first character."""
        if not line:
            return None
        content_id = self._content_ids.get(file)
        key = f"\0column\0{line}\0{dotted or ''}"
        if content_id is not None and self._cache is not None:
            cached = self._cache.get(content_id, key)
            if cached is not None:
                return cached
        found = self._find_column(file, line, dotted)
        if found is not None and content_id is not None and self._cache is not None:
            self._cache.put(content_id, key, found)
        return found

    def _find_column(self, file: str, line: int, dotted: str | None) -> int | None:
        text = self._text_of(file)
        if text is None or line > len(text):
            return None
        row = text[line - 1].rstrip("\r")
        parts = split_path(dotted) or ("id",)
        last = parts[-1]
        if not last.isdigit():
            key = re.search(rf"(?<![\w-])['\"]?{re.escape(last)}['\"]?\s*:", row)
            if key:
                return key.start() + 1
        content = len(row) - len(row.lstrip(" -"))
        return content + 1 if content < len(row) else None

    def line(self, file: str, path: Path) -> int:
        lines = self._lines_of(file)
        if lines is None:
            return 1
        if not path:
            return lines.get(("id",), 1)
        return line_of(lines, path)

    def line_of_dotted(self, file: str, dotted: str | None) -> int:
        """The line of a policy finding's `path`, whose list indices are written as numbers."""
        content_id = self._content_ids.get(file)
        if content_id is None or self._cache is None:
            return self._resolve(file, dotted)
        line = self._cache.get(content_id, dotted or "")
        if line is None:
            line = self._resolve(file, dotted)
            self._cache.put(content_id, dotted or "", line)
        return line

    def _resolve(self, file: str, dotted: str | None) -> int:
        lines = self._lines_of(file)
        parts = split_path(dotted)
        if lines is None or not parts:
            return self.line(file, ())
        resolved: list[str | int] = []
        for part in parts:
            as_key = tuple(resolved) + (part,)
            if as_key not in lines and part.isdigit() and tuple(resolved) + (int(part),) in lines:
                resolved.append(int(part))
            else:
                resolved.append(part)
        return line_of(lines, tuple(resolved))
