package govlint.rules.approval_missing_test

import rego.v1

import data.govlint.approvals
import data.govlint.rules.approval_missing
import data.govlint.test.fixtures as fx

fresh := object.union(fx.tool, {"id": "fresh", "ring": "proposed", "contract": {"annual_cost": 30000}})

head := object.union(fx.registry, {"tools": {"fresh": fresh}})

add_fresh(given) := fx.change(head, [{"kind": "tool", "id": "fresh", "op": "add", "fields": ["ring"]}], given)

test_a_new_tool_needs_the_sponsor_the_champion_and_finance if {
	roles := {r.role | some r in approvals.required} with input as add_fresh(null)
	roles == {"executive sponsor of ops", "IT champion", "finance lead"}
}

test_unknown_approvals_fail_nothing if {
	count(approval_missing.deny) == 0 with input as add_fresh(null)
}

test_missing_approvals_are_findings if {
	count(approval_missing.deny) == 3 with input as add_fresh([])
}

test_approvals_by_email_and_github_login if {
	given := [{"by": "COO@example.test"}, {"by": "champ2-gh"}, {"by": "controller@example.test"}]
	inp := add_fresh(given)
	count(approval_missing.deny) == 0 with input as object.union(inp, {"registry": {"tools": {"fresh": {"it_champion": fx.email("champ2")}}}})
}

test_restricted_data_needs_the_security_lead if {
	restricted := object.union(head, {"data_domains": {"plans": {"classification": "restricted"}}})
	inp := fx.change(restricted, [{"kind": "tool", "id": "fresh", "op": "add", "fields": ["data"]}], null)
	some r in approvals.required with input as inp
	r.role == "security lead"
	r.approvers == [fx.email("ciso")]
}

test_ownership_transfer_needs_both_sides_and_the_decider if {
	moved := object.union(fx.registry, {"data_domains": {"plans": {"owner": "sales", "decision": {"decided_by": fx.email("ceo"), "decided_on": "2026-11-20", "rationale": "x"}}}})
	inp := fx.change(moved, [{"kind": "data-domain", "id": "plans", "op": "modify", "fields": ["owner"]}], null)
	roles := {r.role | some r in approvals.required} with input as inp
	roles == {"executive sponsor of ops", "executive sponsor of sales", "deciding executive"}
}

test_any_edit_of_a_tool_needs_its_it_champion if {
	edited := object.union(fx.registry, {"tools": {"planner": {"description": "Now also for budgets"}}})
	inp := fx.change(edited, [{"kind": "tool", "id": "planner", "op": "modify", "fields": ["description"]}], null)
	some r in approvals.required with input as inp
	r.role == "IT champion"
	r.approvers == [lower(fx.tool.it_champion)]
	r.reason == "tool planner changes description"
}

test_removing_a_tool_needs_the_champion_it_had if {
	gone := object.remove(fx.registry, ["tools"])
	inp := fx.change(object.union(gone, {"tools": {}}), [{"kind": "tool", "id": "planner", "op": "remove", "fields": []}], null)
	roles := {[r.role, r.approvers[0], r.reason] | some r in approvals.required} with input as inp
	roles == {["IT champion", lower(fx.tool.it_champion), "tool planner leaves the registry"]}
}

# Authority comes from the base ------------------------------------------------------------------

requirements(inp) := found if {
	found := {[r.entity, r.role, r.approvers] | some r in approvals.required} with input as inp
}

test_a_login_set_in_the_pull_request_approves_nothing if {
	# The head gives Operations' executive sponsor the login mallory; only mallory reviewed.
	head_ops := object.union(fx.departments.ops, {"executive_sponsor": {"github": "mallory"}})
	inp := object.union(add_fresh([{"by": "mallory"}]), {"registry": {"departments": {"ops": head_ops}}})
	found := {f.message | some f in approval_missing.deny} with input as inp
	some message in found
	contains(message, "executive sponsor of ops (coo@example.test)")
}

test_a_sponsor_replaced_in_the_pull_request_is_not_the_approver if {
	head_ops := object.union(fx.departments.ops, {"executive_sponsor": fx.person("mallory")})
	inp := object.union(add_fresh(null), {"registry": {"departments": {"ops": head_ops}}})
	some r in approvals.required with input as inp
	r.entity == "tool/fresh"
	r.role == "executive sponsor of ops"
	r.approvers == [fx.email("coo")]
}

test_editing_a_departments_people_needs_its_base_executive if {
	head_ops := object.union(fx.departments.ops, {"members": [fx.person("ops-analyst"), fx.person("mallory")]})
	head := object.union(fx.registry, {"departments": {"ops": head_ops}})
	inp := fx.change(head, [{"kind": "department", "id": "ops", "op": "modify", "fields": ["members"]}], null)
	requirements(inp) == {["department/ops", "executive sponsor of ops", [fx.email("coo")]]}
}

test_a_login_change_needs_the_departments_executive if {
	head_fin := object.union(fx.departments.finance, {"lead": {"github": "mallory"}})
	head := object.union(fx.registry, {"departments": {"finance": head_fin}})
	inp := fx.change(head, [{"kind": "department", "id": "finance", "op": "modify", "fields": ["lead.github"]}], [{"by": "mallory"}])
	[f.entity | some f in approval_missing.deny] == ["department/finance"] with input as inp
}

test_a_description_edit_needs_no_executive if {
	head_ops := object.union(fx.departments.ops, {"description": "Runs the plants"})
	head := object.union(fx.registry, {"departments": {"ops": head_ops}})
	inp := fx.change(head, [{"kind": "department", "id": "ops", "op": "modify", "fields": ["description"]}], null)
	requirements(inp) == set()
}

test_a_new_department_answers_to_its_parent_in_the_base if {
	plants := {"kind": "department", "id": "plants", "name": "Plants", "function": "business", "parent": "ops", "executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory")}
	head := object.union(fx.registry, {"departments": {"plants": plants}})
	inp := fx.change(head, [{"kind": "department", "id": "plants", "op": "add", "fields": ["parent"]}], null)
	requirements(inp) == {["department/plants", "executive sponsor of ops", [fx.email("coo")]]}
}

test_a_tool_of_a_new_department_answers_to_the_nearest_base_ancestor if {
	plants := {"kind": "department", "id": "plants", "name": "Plants", "function": "business", "parent": "ops-north", "executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory")}
	yard := {"kind": "department", "id": "yard", "name": "Yard", "function": "business", "parent": "plants", "executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory")}
	tool := object.union(fresh, {"owner": "yard", "contract": {"annual_cost": 200000}})
	head := object.union(fx.registry, {"departments": {"plants": plants, "yard": yard}, "tools": {"fresh": tool}})
	inp := fx.change(head, [{"kind": "tool", "id": "fresh", "op": "add", "fields": ["owner"]}], null)
	reqs := requirements(inp)
	["tool/fresh", "executive sponsor of ops-north", [fx.email("coo")]] in reqs
	["tool/fresh", "executive sponsor of yard or above", [fx.email("ceo"), fx.email("coo")]] in reqs
}

test_a_new_top_level_department_answers_to_the_top_level_executives if {
	lab := {"kind": "department", "id": "lab", "name": "Lab", "function": "business", "executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory")}
	head := object.union(fx.registry, {"departments": {"lab": lab}})
	inp := fx.change(head, [{"kind": "department", "id": "lab", "op": "add", "fields": ["name"]}], null)
	requirements(inp) == {["department/lab", "executive sponsor of a top-level department", [fx.email("ceo")]]}
}

test_spend_above_the_executive_threshold_needs_an_executive_of_the_line if {
	costly := object.union(fx.tool, {"contract": {"annual_cost": 300000}})
	head := object.union(fx.registry, {"tools": {"planner": costly}})
	inp := fx.change(head, [{"kind": "tool", "id": "planner", "op": "modify", "fields": ["contract.annual_cost"]}], null)
	["tool/planner", "executive sponsor of ops or above", [fx.email("ceo"), fx.email("coo")]] in requirements(inp)
}

procurement := {
	"kind": "department", "id": "procurement", "name": "Procurement", "function": "procurement", "parent": "finance",
	"executive_sponsor": fx.person("cfo"), "lead": fx.person("buyer"), "it_champion": fx.person("champ"),
}

# A vendor change with procurement in the base (and in the head).
vendor_change(vendors, change, given) := object.union(
	fx.change(object.union(object.remove(fx.registry, ["vendors"]), {"vendors": vendors, "departments": {"procurement": procurement}}), [change], given),
	{"base": {"departments": {"procurement": procurement}}},
)

test_unblocking_a_vendor_needs_procurement if {
	inp := vendor_change({"acme": object.union(fx.vendor, {"status": "approved", "risk_tier": "high"})}, {"kind": "vendor", "id": "acme", "op": "modify", "fields": ["status"]}, [])
	requirements(inp) == {["vendor/acme", "procurement lead or executive sponsor", [fx.email("buyer"), fx.email("cfo")]]}
	count(approval_missing.deny) == 1 with input as inp
}

test_a_new_vendor_needs_procurement if {
	fresh_vendor := object.union(fx.vendor, {"id": "newco"})
	inp := vendor_change({"acme": fx.vendor, "newco": fresh_vendor}, {"kind": "vendor", "id": "newco", "op": "add", "fields": ["status"]}, [{"by": "buyer@example.test"}])
	requirements(inp) == {["vendor/newco", "procurement lead or executive sponsor", [fx.email("buyer"), fx.email("cfo")]]}
	count(approval_missing.deny) == 0 with input as inp
}

test_a_vendor_description_needs_nobody if {
	inp := vendor_change({"acme": object.union(fx.vendor, {"description": "Anvils"})}, {"kind": "vendor", "id": "acme", "op": "modify", "fields": ["description"]}, [])
	requirements(inp) == set()
}

test_a_rule_change_needs_the_governance_owners if {
	inp := object.union(fx.change(fx.registry, [], [{"by": "mallory"}]), {
		"rule_changes": ["policies/tool_spend.rego"],
		"params": {"governance_owners": ["Rules-Owner@example.test"]},
	})
	requirements(inp) == {["policy/policies/tool_spend.rego", "governance owners", ["rules-owner@example.test"]]}
	[f.entity | some f in approval_missing.deny] == ["policy/policies/tool_spend.rego"] with input as inp
}

test_a_rule_change_without_owners_names_nobody if {
	inp := object.union(fx.change(fx.registry, [], []), {"rule_changes": ["schemas/tool.schema.json"]})
	some f in approval_missing.deny with input as inp
	contains(f.message, "nobody is named for this role")
}

test_the_finding_for_a_tool_of_a_new_department_names_the_base_executives if {
	plants := {"kind": "department", "id": "plants", "name": "Plants", "function": "business", "parent": "ops-north", "executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory")}
	tool := object.union(fresh, {"owner": "plants", "contract": {"annual_cost": 200000}})
	head := object.union(fx.registry, {"departments": {"plants": plants}, "tools": {"fresh": tool}})
	inp := fx.change(head, [{"kind": "tool", "id": "fresh", "op": "add", "fields": ["owner"]}], [{"by": "mallory"}])
	messages := {f.message | some f in approval_missing.deny} with input as inp
	some ring in messages
	contains(ring, "executive sponsor of ops-north (coo@example.test)")
	some spend in messages
	contains(spend, "executive sponsor of plants or above (ceo@example.test, coo@example.test)")
}

test_an_exception_needs_the_owners_executive_whoever_it_names if {
	waiver := object.union(fx.exception, {"id": "planner-mfa", "rule": "TOOL-DATA-CONTROLS", "approved_by": fx.email("ops-analyst"), "expires_on": "2027-01-01"})
	head := object.union(fx.registry, {"exceptions": {"planner-mfa": waiver}})
	inp := fx.change(head, [{"kind": "exception", "id": "planner-mfa", "op": "add", "fields": ["rule"]}], [{"by": "ops-analyst@example.test"}])
	requirements(inp) == {
		["exception/planner-mfa", "approver named on the exception", [fx.email("ops-analyst")]],
		["exception/planner-mfa", "executive sponsor of ops", [fx.email("coo")]],
	}
	messages := {f.message | some f in approval_missing.deny} with input as inp
	count(messages) == 1
	some m in messages
	contains(m, "executive sponsor of ops (coo@example.test)")
}
