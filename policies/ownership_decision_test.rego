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
