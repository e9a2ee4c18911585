package govlint.rules.domain_steward_test

import rego.v1

import data.govlint.rules.domain_steward
import data.govlint.test.fixtures as fx

test_member_steward if {
	count(domain_steward.deny) == 0 with input as fx.compliant
}

test_lead_steward if {
	count(domain_steward.deny) == 0 with input as fx.with_domain({"steward": fx.email("ops-lead")})
}

test_steward_from_another_department if {
	some f in domain_steward.deny with input as fx.with_domain({"steward": fx.email("controller")})
	f.path == "steward"
}

test_executive_sponsor_is_not_a_steward if {
	count(domain_steward.deny) == 1 with input as fx.with_domain({"steward": fx.email("coo")})
}
