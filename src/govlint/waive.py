"""Waivers: live exceptions turn the findings they name into waived ones.

An exception is live when its record is valid and EXCEPTION-EXPIRED says nothing about it;
the policy is the single judge of expiry.
"""

from __future__ import annotations

from govlint.findings import Finding
from govlint.registry import Registry

# Findings about the record itself, or about exceptions, cannot be waived by an exception; nor
# can the approvals a pull request needs (an exception in the pull request would waive them).
UNWAIVABLE = frozenset(
    {"YAML", "SCHEMA", "REGISTRY-LAYOUT", "EXCEPTION-EXPIRED", "APPROVAL-MISSING", "ATTESTATION-UNCONFIRMED"}
)


def live_waivers(findings: list[Finding], registry: Registry) -> dict[tuple[str, str], str]:
    """(rule, entity) -> the exception entity that waives it."""
    rejected = {f.entity for f in findings if f.rule == "EXCEPTION-EXPIRED" and f.severity == "error"}
    waivers: dict[tuple[str, str], str] = {}
    for exception_id in sorted(registry.records["exceptions"]):
        entity = f"exception/{exception_id}"
        if entity in rejected or entity not in registry.valid:
            continue
        record = registry.records["exceptions"][exception_id]
        waivers.setdefault((record["rule"], record["entity"]), entity)
    return waivers


def apply_waivers(findings: list[Finding], registry: Registry) -> list[Finding]:
    waivers = live_waivers(findings, registry)
    result = []
    for finding in findings:
        waiver = None if finding.rule in UNWAIVABLE else waivers.get((finding.rule, finding.entity or ""))
        result.append(finding.waived(waiver) if waiver else finding)
    return result
