package govlint.rules.tool_duplicate_test

import rego.v1

import data.govlint.rules.tool_duplicate
import data.govlint.test.fixtures as fx

second(patch) := fx.with_tools({
	"planner": fx.tool,
	"zeta": object.union(fx.tool, object.union({"id": "zeta", "name": "Zeta"}, patch)),
})

test_one_tool_per_category if {
	count(tool_duplicate.deny) == 0 with input as fx.compliant
}

test_second_adopted_tool_without_justification if {
	findings := tool_duplicate.deny with input as second({})
	{f.entity | some f in findings} == {"tool/zeta"}
}

test_the_incumbent_sorts_first_whatever_changes if {
	findings := tool_duplicate.deny with input as fx.with_tools({
		"planner": fx.tool,
		"aardvark": object.union(fx.tool, {"id": "aardvark", "name": "Aardvark"}),
	})
	{f.entity | some f in findings} == {"tool/planner"}
}

test_justified_second_tool if {
	count(tool_duplicate.deny) == 0 with input as second({"justification": "Different regions."})
}

test_trial_beside_an_adopted_tool_needs_justification if {
	count(tool_duplicate.deny) == 1 with input as second({"ring": "trial"})
}

test_a_second_tool_needs_a_justification_from_its_proposal_on if {
	count(tool_duplicate.deny) == 1 with input as second({"ring": "proposed"})
	count(tool_duplicate.deny) == 1 with input as second({"ring": "assess"})
	count(tool_duplicate.deny) == 1 with input as second({"ring": "hold"})
}

test_a_retired_second_tool_needs_no_justification if {
	count(tool_duplicate.deny) == 0 with input as second({"ring": "retired"})
}
