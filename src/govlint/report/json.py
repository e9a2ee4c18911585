"""`--format json`: one object, `{"version": 1, "summary": {...}, "findings": [...]}`."""

from __future__ import annotations

import json
from typing import Any, TextIO

from govlint.report import Report


class JsonFormatter:
    name = "json"

    def write(self, report: Report, out: TextIO) -> None:
        summary = report.summary
        document: dict[str, Any] = {
            "version": 1,
            "summary": {
                "errors": summary.errors,
                "warnings": summary.warnings,
                "waived": summary.waived,
                # Change mode: unwaived findings the base has too (origin "existing"); debt that
                # counts in errors and warnings above only with --fail-on existing.
                "existing_errors": summary.existing_errors,
                "existing_warnings": summary.existing_warnings,
            },
            "findings": [finding.to_json() for finding in report.findings],
        }
        if report.preview is not None:
            document["after_merge"] = report.preview.to_json()
        json.dump(document, out, indent=2, sort_keys=False)
        out.write("\n")
