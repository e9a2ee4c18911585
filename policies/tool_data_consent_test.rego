package govlint.rules.tool_data_consent_test

import rego.v1

import data.govlint.rules.tool_data_consent
import data.govlint.test.fixtures as fx

test_own_data_needs_no_consent if {
	count(tool_data_consent.deny) == 0 with input as fx.compliant
}

test_approved_consumer_passes if {
	count(tool_data_consent.deny) == 0 with input as fx.with_tool({"owner": "sales", "business_sponsor": fx.email("sales-lead")})
}

test_unapproved_department if {
	some f in tool_data_consent.deny with input as fx.with_tool({"owner": "finance", "business_sponsor": fx.email("controller")})
	f.path == "data.0.domain"
}

test_message_names_the_access if {
	some f in tool_data_consent.deny with input as fx.with_tool({"owner": "finance", "business_sponsor": fx.email("controller")})
	f.message == "tool is the system of record for data domain 'plans', owned by 'ops', which has not approved 'finance' as a consumer"
	some g in tool_data_consent.deny with input as fx.with_tool({
		"owner": "finance", "business_sponsor": fx.email("controller"),
		"data": [{"domain": "plans", "access": "read"}],
	})
	g.message == "tool reads data domain 'plans', owned by 'ops', which has not approved 'finance' as a consumer"
}

test_retired_tool_is_exempt if {
	count(tool_data_consent.deny) == 0 with input as fx.with_tool({"owner": "finance", "ring": "retired"})
}
