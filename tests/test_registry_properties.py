"""Property: any valid registry from the generator passes, and adding one known violation to
it yields exactly that rule, at that file and line."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from typing import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, check_json

spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
assert spec is not None and spec.loader is not None
generate_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate_module)

IT_LEAD = "person-1@bench.example"


def set_field(text: str, key: str, value: str) -> str:
    """Replace the first `key: ...` line's value, keeping the line where it is."""
    pattern = re.compile(rf"^(\s*){re.escape(key)}: .*$", re.MULTILINE)
    assert pattern.search(text), key
    return pattern.sub(lambda m: f"{m.group(1)}{key}: {value}", text, count=1)


Violation = tuple[str, str, str, Callable[[str], str]]
VIOLATIONS: list[Violation] = [
    ("TOOL-IT-CHAMPION", "tools", "it_champion", lambda t: set_field(t, "it_champion", '"person-1000@bench.example"')),
    ("TOOL-SPONSOR", "tools", "business_sponsor", lambda t: set_field(t, "business_sponsor", f'"{IT_LEAD}"')),
    ("REF-UNKNOWN", "tools", "vendor", lambda t: set_field(t, "vendor", '"vendor-missing"')),
    ("TOOL-SPEND", "tools", "annual_cost", lambda t: set_field(t, "annual_cost", "50000")),
    ("TOOL-LEGAL-REVIEW", "tools", "legal_review", lambda t: t.replace('legal_review:\n    status: "approved"', 'legal_review:\n    status: "pending"')),
    ("TOOL-REVIEW-OVERDUE", "tools", "last_reviewed", lambda t: set_field(t, "last_reviewed", '"2023-01-01"')),
    ("DOMAIN-STEWARD", "data-domains", "steward", lambda t: set_field(t, "steward", f'"{IT_LEAD}"')),
]


@given(
    tools=st.integers(min_value=12, max_value=60),
    seed=st.integers(min_value=0, max_value=10_000),
    violation=st.sampled_from(VIOLATIONS),
    pick=st.integers(min_value=0, max_value=10_000),
)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_one_violation_yields_exactly_its_rule(tmp_path: Path, tools: int, seed: int, violation: Violation, pick: int) -> None:
    root = tmp_path / "generated"
    if root.exists():
        shutil.rmtree(root)
    generate_module.generate(root, tools, 0.0, seed)
    code, report = check_json(root, "--no-cache")
    assert code == 0 and report["findings"] == [], report["findings"][:3]

    rule, folder, key, mutate = violation
    # Records owned by the IT department would make IT's lead a legitimate sponsor or steward.
    candidates = sorted(
        path for path in (root / "registry" / folder).glob("*.yaml") if 'owner: "it"\n' not in path.read_text()
    )
    target = candidates[pick % len(candidates)]
    before = target.read_text()
    target.write_text(mutate(before))
    assert target.read_text() != before
    line = next(n for n, text in enumerate(target.read_text().splitlines(), 1) if text.strip().startswith(f"{key}:"))

    code, report = check_json(root, "--no-cache")
    found = [(f["rule"], f["file"], f["line"]) for f in report["findings"]]
    relative = target.relative_to(root).as_posix()
    if rule == "TOOL-SPEND":
        line = next(n for n, t in enumerate(target.read_text().splitlines(), 1) if t.strip() == "contract:")
    if rule == "TOOL-LEGAL-REVIEW":
        line = next(n for n, t in enumerate(target.read_text().splitlines(), 1) if t.strip() == "legal_review:")
    assert found == [(rule, relative, line)]
    assert code == 1
