"""`--format json`: one object described by the published schema `check-report.schema.json`.

`{"kind": "govlint-check", "version": 2, "tool": {...}, "failed", "strict", "today",
"approvals_checked", "summary": {...}, "findings": [...]}`. The schema ships in the package
(`govlint/schemas/`), so consumers can validate what they read; `version` changes with the shape.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Literal, TextIO

from govlint import __version__
from govlint.report import Report

# The check report keeps DESIGN's `"version": 1`: everything added since (kind, tool, failed,
# origins, columns) is new fields a reader of version 1 may ignore. The decision brief, which
# changed shape, counts its versions apart.
VERSIONS = {"govlint-check": 1, "govlint-decisions": 2}
SchemaName = Literal["check-report", "decisions"]


def published_schema(name: SchemaName) -> dict[str, Any]:
    """The JSON Schema of a govlint JSON document, as shipped in the package."""
    text = resources.files("govlint").joinpath("schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def header(kind: str, report: Report) -> dict[str, Any]:
    """The fields every govlint JSON document starts with: what it is and how it was made."""
    return {
        "kind": kind,
        "version": VERSIONS[kind],
        "tool": {"name": "govlint", "version": __version__},
        "failed": report.failed,
        "strict": report.strict,
        "today": report.today or None,
        "approvals_checked": report.approvals_checked,
    }


class JsonFormatter:
    name = "json"

    def write(self, report: Report, out: TextIO) -> None:
        summary = report.summary
        document: dict[str, Any] = {
            **header("govlint-check", report),
            "summary": {
                "errors": summary.errors,
                "warnings": summary.warnings,
                "waived": summary.waived,
                # Change mode: unwaived findings the base has too (origin "existing"); debt that
                # counts in errors and warnings above only with --fail-on existing.
                "existing_errors": summary.existing_errors,
                "existing_warnings": summary.existing_warnings,
            },
            "files_checked": report.files_checked,
            "findings": [finding.to_json() for finding in report.findings],
        }
        if report.preview is not None:
            document["after_merge"] = report.preview.to_json()
        # ensure_ascii keeps the document 7-bit: any character a record holds (even a lone
        # surrogate) is written as an escape JSON parsers decode back to the same string.
        json.dump(document, out, indent=2, ensure_ascii=True)
        out.write("\n")
