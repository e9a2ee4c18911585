package govlint.rules.tool_it_champion_test

import rego.v1

import data.govlint.rules.tool_it_champion
import data.govlint.test.fixtures as fx

test_it_member_passes if {
	count(tool_it_champion.deny) == 0 with input as fx.compliant
}

test_champion_outside_it if {
	some f in tool_it_champion.deny with input as fx.with_tool({"it_champion": fx.email("ops-lead")})
	f.path == "it_champion"
}

test_missing_champion if {
	count(tool_it_champion.deny) == 1 with input as fx.with_tools({"planner": object.remove(fx.tool, ["it_champion"])})
}

test_case_of_the_email_does_not_matter if {
	count(tool_it_champion.deny) == 0 with input as fx.with_tool({"it_champion": "Champ2@Example.Test"})
}
