# Fixtures for the policy unit tests: a tiny organisation that passes every rule, and helpers
# that change one record of it. Tests state their own params, so they keep testing the same
# boundaries when policies/params.yaml is tuned.
package govlint.test.fixtures

import rego.v1

person(name) := {"name": name, "email": sprintf("%s@example.test", [name])}

email(name) := sprintf("%s@example.test", [name])

params := {
	"exception_max_days": 180,
	"notice_days": 30,
	"spend": {
		"base_currency": "USD",
		"rates": {"USD": 1, "EUR": 1.1},
		"finance_threshold": 25000,
		"executive_threshold": 150000,
	},
	"trial": {"max_days": 90},
	"review": {"default_cadence_days": 365},
	"classification_order": ["public", "internal", "confidential", "restricted"],
	"controls": {
		"public": [],
		"internal": ["sso"],
		"confidential": ["sso", "mfa", "backup", "security_review"],
		"restricted": ["sso", "mfa", "scim", "backup", "security_review", "data_residency"],
	},
	"committed_rings": ["trial", "adopt"],
	"ring_transitions": {
		"proposed": ["assess", "trial", "retired"],
		"assess": ["trial", "hold", "retired"],
		"trial": ["adopt", "hold", "retired"],
		"adopt": ["hold", "retired"],
		"hold": ["adopt", "trial", "retired"],
		"retired": ["assess"],
	},
	"initial_rings": ["proposed", "assess"],
}

departments := {
	"exec": {
		"kind": "department", "id": "exec", "name": "Executive", "function": "business",
		"executive_sponsor": person("ceo"), "lead": person("chief-of-staff"), "it_champion": person("champ"),
	},
	"it": {
		"kind": "department", "id": "it", "name": "IT", "function": "it", "parent": "exec",
		"executive_sponsor": person("cio"), "lead": person("it-lead"), "it_champion": person("champ"),
		"members": [person("champ"), object.union(person("champ2"), {"github": "Champ2-GH"})],
	},
	"security": {
		"kind": "department", "id": "security", "name": "Security", "function": "security", "parent": "exec",
		"executive_sponsor": person("cio"), "lead": person("ciso"), "it_champion": person("champ"),
	},
	"finance": {
		"kind": "department", "id": "finance", "name": "Finance", "function": "finance", "parent": "exec",
		"executive_sponsor": person("cfo"), "lead": person("controller"), "it_champion": person("champ"),
	},
	"ops": {
		"kind": "department", "id": "ops", "name": "Operations", "function": "business", "parent": "exec",
		"executive_sponsor": person("coo"), "lead": person("ops-lead"), "it_champion": person("champ"),
		"members": [person("ops-analyst")],
	},
	"ops-north": {
		"kind": "department", "id": "ops-north", "name": "Operations North", "function": "business", "parent": "ops",
		"executive_sponsor": person("coo"), "lead": person("north-lead"), "it_champion": person("champ"),
	},
	"sales": {
		"kind": "department", "id": "sales", "name": "Sales", "function": "business", "parent": "exec",
		"executive_sponsor": person("cro"), "lead": person("sales-lead"), "it_champion": person("champ"),
	},
}

tool := {
	"kind": "tool", "id": "planner", "name": "Planner", "vendor": "acme", "category": "planning",
	"owner": "ops", "users": ["ops"], "business_sponsor": email("ops-lead"), "it_champion": email("champ"),
	"ring": "adopt", "proposed_on": "2026-01-05", "hosting": "saas", "data_residency": ["eu"],
	"data": [{"domain": "plans", "access": "system-of-record"}],
	"security": {
		"sso": true, "mfa": true, "scim": true, "backup": true,
		"review": {"status": "approved", "date": "2026-01-20", "reviewer": email("ciso")},
	},
	"contract": {
		"annual_cost": 20000, "currency": "USD", "po_number": "PO-1",
		"legal_review": {"status": "approved", "date": "2026-01-10", "reviewer": email("ops-lead")},
	},
	"review": {"last_reviewed": "2026-06-01"},
}

domain := {
	"kind": "data-domain", "id": "plans", "name": "Plans", "classification": "confidential",
	"owner": "ops", "steward": email("ops-analyst"), "aliases": ["schedules"], "system_of_record": "planner",
	"consumers": [{"department": "sales", "purpose": "Forecasts", "approved_by": email("ops-lead")}],
}

vendor := {
	"kind": "vendor", "id": "acme", "name": "Acme", "status": "approved", "risk_tier": "low",
	"risk_assessment": {"date": "2026-01-01", "assessor": email("controller")},
}

exception := {
	"kind": "exception", "id": "planner-scim", "name": "Planner SCIM", "rule": "TOOL-DATA-CONTROLS",
	"entity": "tool/planner", "reason": "Connector pending", "approved_by": email("ciso"),
	"approved_on": "2026-10-01", "expires_on": "2027-03-01",
}

registry := {
	"departments": departments,
	"tools": {"planner": tool},
	"data_domains": {"plans": domain},
	"vendors": {"acme": vendor},
	"exceptions": {"planner-scim": exception},
}

input_for(reg) := {
	"mode": "full", "today": "2026-11-22", "registry": reg, "base": null,
	"changes": [], "approvals": null, "params": params,
}

# The whole registry with one tool, domain, vendor, department or exception replaced.
with_tool(patch) := input_for(object.union(registry, {"tools": {"planner": object.union(tool, patch)}}))

# Replaces the whole map: object.union merges deeply, so a field removed from a patched record
# would come back from the fixture.
with_tools(tools) := input_for(object.union(object.remove(registry, ["tools"]), {"tools": tools}))

with_domain(patch) := input_for(object.union(registry, {"data_domains": {"plans": object.union(domain, patch)}}))

with_domains(domains) := input_for(object.union(object.remove(registry, ["data_domains"]), {"data_domains": domains}))

with_vendor(patch) := input_for(object.union(registry, {"vendors": {"acme": object.union(vendor, patch)}}))

with_department(id, patch) := input_for(object.union(registry, {"departments": {id: object.union(departments[id], patch)}}))

with_exception(patch) := input_for(object.union(registry, {"exceptions": {"planner-scim": object.union(exception, patch)}}))

compliant := input_for(registry)

# A change-mode input: `base` is the fixture registry, `registry` the given head.
change(head, changes, approvals) := {
	"mode": "change", "today": "2026-11-22", "registry": head, "base": registry,
	"changes": changes, "approvals": approvals, "params": params,
}

catalog := {"rules": {"TOOL-DATA-CONTROLS": {}, "TOOL-SPEND": {}, "SCHEMA": {}}}

# Rules of a finding set, for compact assertions.
rules_of(findings) := {f.rule | some f in findings}
