package govlint.rules.tool_duplicate_test

import rego.v1

import data.govlint.rules.tool_duplicate
import data.govlint.test.fixtures as fx

second(patch) := fx.with_tools({
	"planner": fx.tool,
	"zeta": object.union(fx.tool, object.union({"id": "zeta", "name": "Zeta"}, patch)),
})

# Two tools of one category: `planner` (proposed 2026-01-05) and another with its own fields.
beside_planner(other_id, planner_patch, other_patch) := fx.with_tools({
	"planner": object.union(fx.tool, planner_patch),
	other_id: object.union(fx.tool, object.union({"id": other_id, "name": other_id}, other_patch)),
})

flagged(registry) := {f.entity | some f in tool_duplicate.deny with input as registry}

test_one_tool_per_category if {
	count(tool_duplicate.deny) == 0 with input as fx.compliant
}

test_second_adopted_tool_without_justification if {
	findings := tool_duplicate.deny with input as second({})
	{f.entity | some f in findings} == {"tool/zeta"}
}

test_same_proposal_date_the_id_breaks_the_tie if {
	flagged(beside_planner("aardvark", {}, {})) == {"tool/planner"}
	flagged(beside_planner("zeta", {}, {})) == {"tool/zeta"}
}

test_the_earliest_proposed_adopted_tool_is_the_incumbent_whatever_its_id if {
	early := {"proposed_on": "2021-03-01"}
	flagged(beside_planner("aardvark", {}, early)) == {"tool/planner"}
	flagged(beside_planner("zeta", {}, early)) == {"tool/planner"}
	flagged(beside_planner("aardvark", early, {})) == {"tool/aardvark"}
	flagged(beside_planner("zeta", early, {})) == {"tool/zeta"}
}

# A tool that justifies itself against the incumbent is never the reason the incumbent is
# flagged, whichever of the two ids sorts first and whichever was proposed first.
test_a_justified_adopted_tool_never_makes_the_other_a_duplicate if {
	justified := {"justification": "Only the Nordic entities; their bank feeds need it."}
	count(flagged(beside_planner("aardvark", {}, justified))) == 0
	count(flagged(beside_planner("zeta", {}, justified))) == 0
	count(flagged(beside_planner("aardvark", {}, object.union(justified, {"proposed_on": "2020-01-01"})))) == 0
	count(flagged(beside_planner("aardvark", justified, {}))) == 0
	count(flagged(beside_planner("zeta", justified, {}))) == 0
}

test_only_justified_adopted_tools_flag_nothing if {
	justified := {"justification": "Different regions."}
	count(flagged(beside_planner("zeta", justified, {"ring": "proposed"}))) == 0
}

test_further_tools_without_justification_are_each_flagged if {
	registry := fx.with_tools({
		"planner": fx.tool,
		"aardvark": object.union(fx.tool, {"id": "aardvark", "justification": "A second region."}),
		"mango": object.union(fx.tool, {"id": "mango", "ring": "trial"}),
		"zeta": object.union(fx.tool, {"id": "zeta", "ring": "proposed", "proposed_on": "2019-01-01"}),
	})
	flagged(registry) == {"tool/mango", "tool/zeta"}
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
