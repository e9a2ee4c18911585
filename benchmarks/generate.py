"""Generate a realistic registry of any size for the benchmark: the four kinds in the
proportions of a large organisation (per 10,000 tools: 300 departments, 2,000 data domains,
700 vendors), valid against the reference schemas and policies, with a controllable share of
tools that break a rule.

    python benchmarks/generate.py OUT_DIR --tools 10000 --violations 0.02
    python benchmarks/generate.py OUT_DIR --tools 1000 --deep-chain 10000

`--deep-chain N` adds N departments in one parent chain below the first business department
(what a pull request can grow without bound), and hands twenty tools, evenly spread down the
chain and the deepest among them, to departments in it: every rule that follows the line of
authority walks the chain.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-22"
CATEGORIES = [
    "crm", "business-intelligence", "e-billing", "contract-lifecycle", "hris", "marketing-automation",
    "ticketing", "collaboration", "data-warehouse", "accounts-payable", "spend-management", "vendor-risk",
    "endpoint-security", "identity", "source-control", "observability", "e-signature", "learning",
]
CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"]
FUNCTIONS = ["security", "legal", "finance", "procurement"]


def person(index: int) -> dict[str, str]:
    return {"name": f"Person {index}", "email": f"person-{index}@bench.example"}


def yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_yaml(value: object, indent: int = 0) -> str:
    """A small block-style YAML writer: every string quoted, so no scalar changes meaning."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 2)}")
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {yaml_scalar(item)}")
        return "\n".join(lines)
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                body = to_yaml(item, indent + 2).lstrip()
                lines.append(f"{pad}- {body}")
            else:
                lines.append(f"{pad}- {yaml_scalar(item)}")
        return "\n".join(lines)
    return pad + yaml_scalar(value)


def write_record(root: Path, folder: str, record: dict[str, object]) -> None:
    path = root / "registry" / folder / f"{record['id']}.yaml"
    kind = record["kind"]
    path.write_text(f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n{to_yaml(record)}\n")


def generate(out: Path, tools: int, violations: float = 0.0, seed: int = 7, deep_chain: int = 0) -> Path:
    rng = random.Random(seed)
    departments = max(10, tools * 3 // 100)
    domains = max(10, tools // 5)
    vendors = max(10, tools * 7 // 100)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("departments", "tools", "data-domains", "vendors", "exceptions"):
        (out / "registry" / folder).mkdir(parents=True)
    for folder in ("policies", "schemas"):
        shutil.copytree(ROOT / folder, out / folder)

    it_people = [person(i) for i in range(1, 41)]
    leads: dict[str, dict[str, str]] = {}
    sponsors: dict[str, dict[str, str]] = {}
    next_person = 1000
    for index in range(departments):
        dept_id = "it" if index == 0 else f"dept-{index}"
        parent = None if index <= 1 else ("dept-1" if index < 8 else f"dept-{rng.randrange(1, index)}")
        function = "it" if index == 0 else (FUNCTIONS[index - 2] if 2 <= index < 6 else "business")
        lead, sponsor = person(next_person), person(next_person + 1)
        members = [person(next_person + 2 + k) for k in range(3)]
        next_person += 5
        if dept_id == "it":
            lead, members = it_people[0], it_people[1:]
        leads[dept_id], sponsors[dept_id] = lead, sponsor
        record: dict[str, object] = {
            "kind": "department", "id": dept_id, "name": f"Department {index}", "function": function,
            "executive_sponsor": sponsor, "lead": lead, "it_champion": it_people[1 + index % 39],
            "members": members, "github_team": f"@bench/{dept_id}", "cost_center": f"CC-{1000 + index}",
        }
        if parent:
            record["parent"] = parent
        write_record(out, "departments", record)
    dept_ids = ["it"] + [f"dept-{i}" for i in range(1, departments)]
    for depth in range(1, deep_chain + 1):
        dept_id = f"chain-{depth:05d}"
        lead, sponsor = person(next_person), person(next_person + 1)
        members = [person(next_person + 2)]
        next_person += 3
        leads[dept_id], sponsors[dept_id] = lead, sponsor
        write_record(out, "departments", {
            "kind": "department", "id": dept_id, "name": f"Chain department {depth}", "function": "business",
            "parent": "dept-1" if depth == 1 else f"chain-{depth - 1:05d}",
            "executive_sponsor": sponsor, "lead": lead, "it_champion": it_people[1 + depth % 39],
            "members": members, "github_team": f"@bench/{dept_id}", "cost_center": f"CC-{100000 + depth}",
        })

    for index in range(vendors):
        write_record(out, "vendors", {
            "kind": "vendor", "id": f"vendor-{index:05d}", "name": f"Vendor {index}", "status": "approved",
            "risk_tier": ["low", "medium", "high"][index % 3],
            "risk_assessment": {"date": "2026-06-01", "assessor": leads["dept-5"]["email"]},
            "dpa_signed": True, "certifications": ["soc2-type2"],
        })

    # The first tool of each owning department is its system of record.
    owner_of_tool = [dept_ids[index % departments] for index in range(tools)]
    if deep_chain:
        for step in range(20):
            depth = deep_chain - step * deep_chain // 20  # the deepest first
            owner_of_tool[(step * 7919) % tools] = f"chain-{depth:05d}"
    domain_owner = [dept_ids[index % departments] for index in range(domains)]
    seen_category: set[str] = set()
    for index in range(tools):
        owner = owner_of_tool[index]
        category = CATEGORIES[index % len(CATEGORIES)] + f"-{index // (len(CATEGORIES) * 50)}"
        # A tool handed to the chain keeps no data: its owner is no consumer of the domains.
        own_domains = [] if owner.startswith("chain-") else [d for d in range(index % departments, domains, departments)][:2]
        classification = max((CLASSIFICATIONS[d % 4] for d in own_domains), key=CLASSIFICATIONS.index, default="public")
        tool: dict[str, object] = {
            "kind": "tool", "id": f"tool-{index:05d}", "name": f"Tool {index}", "vendor": f"vendor-{index % vendors:05d}",
            "category": category, "owner": owner, "users": [owner],
            "business_sponsor": leads[owner]["email"], "it_champion": it_people[1 + index % 39]["email"],
            "ring": "adopt", "proposed_on": "2025-03-01", "hosting": "saas", "data_residency": ["eu"],
            "data": [{"domain": f"domain-{d:05d}", "access": "read"} for d in own_domains],
            "security": {"sso": True, "mfa": True, "scim": True, "backup": True,
                         "review": {"status": "approved", "date": "2026-02-01", "reviewer": leads["dept-2"]["email"]}},
            "contract": {"annual_cost": 12000 + index % 9000, "currency": "USD", "start": "2025-04-01",
                         "legal_review": {"status": "approved", "date": "2025-03-20", "reviewer": leads["dept-3"]["email"]}},
            "review": {"last_reviewed": "2026-09-01", "cadence_days": 365},
        }
        if category in seen_category:
            tool["justification"] = "Serves a different business unit with requirements the adopted tool does not meet."
        seen_category.add(category)
        if violations and rng.random() < violations:
            tool["security"]["sso"] = False  # type: ignore[index]
            if classification in ("public",):
                tool["ring"] = "trial"  # no trial end date: TOOL-TRIAL
        write_record(out, "tools", tool)

    for index in range(domains):
        owner = domain_owner[index]
        owner_index = dept_ids.index(owner) if owner != "it" else 0  # domains stay with the base departments
        write_record(out, "data-domains", {
            "kind": "data-domain", "id": f"domain-{index:05d}", "name": f"Domain {index}",
            "classification": CLASSIFICATIONS[index % 4], "owner": owner, "steward": leads[owner]["email"],
            "aliases": [f"alias {index}"], "system_of_record": f"tool-{owner_index:05d}",
        })
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tools", type=int, default=1000)
    parser.add_argument("--violations", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--deep-chain", type=int, default=0, metavar="N", help="add N departments in one chain")
    args = parser.parse_args()
    generate(args.out, args.tools, args.violations, args.seed, args.deep_chain)


if __name__ == "__main__":
    main()
