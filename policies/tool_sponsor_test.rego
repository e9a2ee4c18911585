package govlint.rules.tool_sponsor_test

import rego.v1

import data.govlint.rules.tool_sponsor
import data.govlint.test.fixtures as fx

test_lead_of_owner_passes if {
	count(tool_sponsor.deny) == 0 with input as fx.compliant
}

test_member_of_owner_passes if {
	count(tool_sponsor.deny) == 0 with input as fx.with_tool({"business_sponsor": fx.email("ops-analyst")})
}

test_executive_of_an_ancestor_passes if {
	count(tool_sponsor.deny) == 0 with input as fx.with_tool({"owner": "ops-north", "business_sponsor": fx.email("ceo")})
}

test_sponsor_from_a_sibling_department if {
	some f in tool_sponsor.deny with input as fx.with_tool({"business_sponsor": fx.email("sales-lead")})
	f.path == "business_sponsor"
}

test_sponsor_from_a_child_department_is_not_above_the_owner if {
	count(tool_sponsor.deny) == 1 with input as fx.with_tool({"business_sponsor": fx.email("north-lead")})
}

test_sponsor_written_in_other_case_still_passes if {
	# Looked for as written first, then lower-cased: both ways find the executive above.
	count(tool_sponsor.deny) == 0 with input as fx.with_tool({"owner": "ops-north", "business_sponsor": "CEO@Example.test"})
}
