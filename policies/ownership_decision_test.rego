package govlint.rules.ownership_decision_test

import rego.v1

import data.govlint.rules.ownership_decision
import data.govlint.test.fixtures as fx

transfer(to, decision) := fx.change(
	object.union(fx.registry, {"data_domains": {"plans": object.union(fx.domain, object.union({"owner": to}, decision))}}),
	[{"kind": "data-domain", "id": "plans", "op": "modify", "fields": ["owner"]}],
	null,
)

decided_by(name) := {"decision": {"decided_by": fx.email(name), "decided_on": "2026-11-20", "rationale": "Settled."}}

test_executive_over_both_decides if {
	count(ownership_decision.deny) == 0 with input as transfer("sales", decided_by("ceo"))
}

test_executive_of_one_side_cannot_decide if {
	some f in ownership_decision.deny with input as transfer("sales", decided_by("coo"))
	f.path == "decision.decided_by"
}

test_parent_executive_decides_within_its_own_line if {
	count(ownership_decision.deny) == 0 with input as transfer("ops-north", decided_by("coo"))
}

test_no_decision if {
	some f in ownership_decision.deny with input as transfer("sales", {})
	f.path == "owner"
}

test_tool_transfer_needs_an_approval_by_an_executive_over_both if {
	head := object.union(fx.registry, {"tools": {"planner": {"owner": "sales"}}})
	changes := [{"kind": "tool", "id": "planner", "op": "modify", "fields": ["owner"]}]
	count(ownership_decision.deny) == 1 with input as fx.change(head, changes, null)
	approved := object.union(head, {"tools": {"planner": {"approvals": [{"by": fx.email("ceo"), "role": "ceo", "date": "2026-11-20"}]}}})
	count(ownership_decision.deny) == 0 with input as fx.change(approved, changes, null)
}

# Who decides is read from the base ---------------------------------------------------------------

test_a_sponsor_named_in_the_pull_request_cannot_decide if {
	# The pull request makes mallory the executive sponsor of the company and decides as her.
	inp := transfer("sales", decided_by("mallory"))
	head := object.union(inp.registry, {"departments": {"exec": {"executive_sponsor": fx.person("mallory")}}})
	some f in ownership_decision.deny with input as object.union(inp, {"registry": head})
	f.path == "decision.decided_by"
	contains(f.message, fx.email("ceo"))
}

test_moving_a_department_under_oneself_in_the_pull_request_decides_nothing if {
	# coo is over ops; the pull request also puts sales under ops, so coo would be over both.
	inp := transfer("sales", decided_by("coo"))
	head := object.union(inp.registry, {"departments": {"sales": {"parent": "ops"}}})
	some f in ownership_decision.deny with input as object.union(inp, {"registry": head})
	f.path == "decision.decided_by"
}

test_a_new_department_counts_from_its_nearest_base_ancestor if {
	plants := {
		"kind": "department", "id": "plants", "name": "Plants", "function": "business", "parent": "ops-north",
		"executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory"),
	}
	by_mallory := transfer("plants", decided_by("mallory"))
	with_plants := {"registry": object.union(by_mallory.registry, {"departments": {"plants": plants}})}
	some f in ownership_decision.deny with input as object.union(by_mallory, with_plants)
	f.path == "decision.decided_by"
	by_coo := transfer("plants", decided_by("coo"))
	count(ownership_decision.deny) == 0 with input as object.union(by_coo, {"registry": object.union(by_coo.registry, {"departments": {"plants": plants}})})
}

test_a_tool_approval_by_a_sponsor_named_in_the_pull_request_does_not_count if {
	head := object.union(fx.registry, {
		"tools": {"planner": {"owner": "sales", "approvals": [{"by": fx.email("mallory"), "role": "ceo", "date": "2026-11-20"}]}},
		"departments": {"exec": {"executive_sponsor": fx.person("mallory")}},
	})
	changes := [{"kind": "tool", "id": "planner", "op": "modify", "fields": ["owner"]}]
	count(ownership_decision.deny) == 1 with input as fx.change(head, changes, null)
}
