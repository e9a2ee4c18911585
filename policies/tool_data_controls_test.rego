package govlint.rules.tool_data_controls_test

import rego.v1

import data.govlint.rules.tool_data_controls
import data.govlint.test.fixtures as fx

test_confidential_with_all_controls_passes if {
	count(tool_data_controls.deny) == 0 with input as fx.compliant
}

test_confidential_without_sso if {
	some f in tool_data_controls.deny with input as fx.with_tool({"security": {"sso": false}})
	f.path == "security.sso"
}

test_confidential_without_an_approved_review if {
	some f in tool_data_controls.deny with input as fx.with_tool({"security": {"review": {"status": "pending"}}})
	f.path == "security.review"
}

test_confidential_does_not_need_scim if {
	count(tool_data_controls.deny) == 0 with input as fx.with_tool({"security": {"scim": false}})
}

test_restricted_needs_scim_and_residency if {
	inp := fx.input_for(object.union(object.remove(fx.registry, ["tools"]), {
		"data_domains": {"plans": {"classification": "restricted"}},
		"tools": {"planner": object.union(object.remove(fx.tool, ["data_residency"]), {"security": {"scim": false}})},
	}))
	{f.path | some f in tool_data_controls.deny with input as inp} == {"security.scim", "data_residency"}
}

test_highest_classification_wins if {
	inp := fx.input_for(object.union(fx.registry, {
		"data_domains": {"notes": {"kind": "data-domain", "id": "notes", "name": "Notes", "classification": "public", "owner": "ops", "steward": fx.email("ops-lead")}},
		"tools": {"planner": object.union(fx.tool, {
			"data": [{"domain": "notes", "access": "read"}, {"domain": "plans", "access": "read"}],
			"security": {"mfa": false},
		})},
	}))
	some f in tool_data_controls.deny with input as inp
	contains(f.message, "confidential")
}

test_retired_tools_are_exempt if {
	count(tool_data_controls.deny) == 0 with input as fx.with_tool({"ring": "retired", "security": {"sso": false}})
}

test_a_proposal_states_the_controls_it_will_have if {
	count(tool_data_controls.deny) == 1 with input as fx.with_tool({"ring": "proposed", "security": {"sso": false}})
	count(tool_data_controls.deny) == 1 with input as fx.with_tool({"ring": "assess", "security": {"sso": false}})
}

test_hold_still_needs_controls if {
	count(tool_data_controls.deny) == 1 with input as fx.with_tool({"ring": "hold", "security": {"sso": false}})
}
