"""The finding record every stage produces and every format prints."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]
# In change mode a finding is `introduced` by the pull request or `existing` (already found
# when the base is judged by the same rules on the same day); in full mode it is neither.
Origin = Literal["introduced", "existing"]

# Rules govlint applies itself, before any policy runs.
BUILTIN_RULES: dict[str, dict[str, str]] = {
    "YAML": {
        "title": "File cannot be read strictly",
        "severity": "error",
        "description": (
            "Registry files are YAML read strictly: one UTF-8 document of YAML 1.2 core "
            "scalars, no duplicate keys, anchors, aliases or tags, at most 1 MiB, never a "
            "symlink. Anything else could mean different things to different readers."
        ),
    },
    "SCHEMA": {
        "title": "Record does not match its JSON Schema",
        "severity": "error",
        "description": (
            "Every record must match the JSON Schema of its kind in schemas/, and its id "
            "must equal its file name. Each violation is reported at the line of the field; "
            "a missing field at the line of the mapping that should hold it."
        ),
    },
    "REGISTRY-LAYOUT": {
        "title": "File or folder govlint does not read",
        "severity": "error",
        "description": (
            "registry/ holds one folder per kind (departments, tools, data-domains, vendors, "
            "exceptions) of .yaml files. Anything else would be silently ignored, so it is "
            "reported instead."
        ),
    },
    "REGISTRY-EMPTY": {
        "title": "Registry holds no records",
        "severity": "warning",
        "description": (
            "Every rule passes vacuously on an empty registry, so a check that read nothing "
            "(the wrong folder, a registry not yet written) says so instead of passing quietly."
        ),
    },
    "POLICY-CHANGE": {
        "title": "Pull request changes the rules",
        "severity": "warning",
        "description": (
            "A pull request is judged by the policies and schemas of the branch it targets, "
            "so it cannot weaken the rules that judge it. A change to policies/ or schemas/ "
            "is reported here and needs the governance owners' review (CODEOWNERS)."
        ),
    },
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the registry, at a file and line."""

    rule: str
    severity: Severity
    entity: str | None
    file: str | None
    line: int | None
    message: str
    path: str | None = None
    waived_by: str | None = None
    origin: Origin | None = None
    # 1-based column of the field on its line, where the file's YAML marks say it.
    column: int | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        return (
            self.file or "",
            self.line or 0,
            self.column or 0,
            self.rule,
            self.entity or "",
            self.message,
            self.path or "",
        )

    def waived(self, exception_entity: str) -> Finding:
        return replace(self, waived_by=exception_entity)

    def at_line(self, line: int | None, column: int | None = None) -> Finding:
        return replace(self, line=line, column=column)

    @property
    def location(self) -> str:
        """`file:line:col` as far as it is known; `(repository)` for a finding about no file."""
        where = self.file or "(repository)"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "entity": self.entity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "path": self.path,
            "waived_by": self.waived_by,
            "origin": self.origin,
        }
