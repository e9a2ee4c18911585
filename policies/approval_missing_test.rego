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
