"""`--format json`: one object, `{"version": 1, "summary": {...}, "findings": [...]}`."""

from __future__ import annotations

import json
from typing import TextIO

from govlint.report import Report


class JsonFormatter:
    name = "json"

    def write(self, report: Report, out: TextIO) -> None:
        summary = report.summary
        document = {
            "version": 1,
            "summary": {"errors": summary.errors, "warnings": summary.warnings, "waived": summary.waived},
            "findings": [finding.to_json() for finding in report.findings],
        }
        json.dump(document, out, indent=2, sort_keys=False)
        out.write("\n")
