package govlint.rules.tool_spend_test

import rego.v1

import data.govlint.rules.tool_spend
import data.govlint.test.fixtures as fx

contract_without_po(patch) := object.union(object.remove(fx.tool.contract, ["po_number"]), patch)

without_po(cost) := fx.with_tools({"planner": object.union(
	object.remove(fx.tool, ["contract"]),
	{"contract": contract_without_po({"annual_cost": cost})},
)})

test_below_threshold_needs_no_po if {
	count(tool_spend.deny) == 0 with input as without_po(20000)
}

test_exactly_at_the_threshold_needs_no_po if {
	count(tool_spend.deny) == 0 with input as without_po(25000)
}

test_above_the_threshold_needs_a_po if {
	some f in tool_spend.deny with input as without_po(25001)
	f.path == "contract"
}

test_other_currencies_convert if {
	# 23,000 EUR is 25,300 USD at the fixture rate.
	inp := fx.with_tools({"planner": object.union(
		object.remove(fx.tool, ["contract"]),
		{"contract": contract_without_po({"annual_cost": 23000, "currency": "EUR"})},
	)})
	count(tool_spend.deny) == 1 with input as inp
}

test_unknown_currency if {
	some f in tool_spend.deny with input as fx.with_tool({"contract": {"currency": "XYZ"}})
	f.path == "contract.currency"
}

test_above_executive_threshold_needs_an_executive if {
	some f in tool_spend.deny with input as fx.with_tool({"contract": {"annual_cost": 200000}})
	f.path == "contract.annual_cost"
}

test_executive_of_an_ancestor_approves if {
	count(tool_spend.deny) == 0 with input as fx.with_tool({
		"contract": {"annual_cost": 200000},
		"approvals": [{"by": fx.email("ceo"), "role": "executive", "date": "2026-01-02"}],
	})
}

test_approval_by_someone_else_does_not_count if {
	some f in tool_spend.deny with input as fx.with_tool({
		"contract": {"annual_cost": 200000},
		"approvals": [{"by": fx.email("cro"), "role": "executive", "date": "2026-01-02"}],
	})
	f.path == "approvals"
}

# In a pull request the executives are the base's ---------------------------------------------

approved_by(name) := {"contract": {"annual_cost": 200000}, "approvals": [{"by": fx.email(name), "role": "executive", "date": "2026-11-20"}]}

spend_change(head) := fx.change(head, [{"kind": "tool", "id": "planner", "op": "modify", "fields": ["contract.annual_cost"]}], [])

test_in_a_pull_request_the_base_executive_approves if {
	head := object.union(fx.registry, {"tools": {"planner": approved_by("coo")}})
	count(tool_spend.deny) == 0 with input as spend_change(head)
}

test_a_sponsor_named_in_the_pull_request_does_not_approve_its_spend if {
	head := object.union(fx.registry, {
		"tools": {"planner": approved_by("mallory")},
		"departments": {"ops": {"executive_sponsor": fx.person("mallory")}},
	})
	count(tool_spend.deny) == 0 with input as fx.input_for(head) # the head alone would pass it
	some f in tool_spend.deny with input as spend_change(head)
	f.path == "approvals"
}

test_a_new_department_counts_from_its_nearest_base_ancestor if {
	plants := {
		"kind": "department", "id": "plants", "name": "Plants", "function": "business", "parent": "ops-north",
		"executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory"),
	}
	by_mallory := object.union(approved_by("mallory"), {"owner": "plants", "users": ["plants"]})
	by_coo := object.union(approved_by("coo"), {"owner": "plants", "users": ["plants"]})
	count(tool_spend.deny) == 1 with input as spend_change(object.union(fx.registry, {"departments": {"plants": plants}, "tools": {"planner": by_mallory}}))
	count(tool_spend.deny) == 0 with input as spend_change(object.union(fx.registry, {"departments": {"plants": plants}, "tools": {"planner": by_coo}}))
}
