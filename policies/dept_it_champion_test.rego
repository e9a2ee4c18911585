package govlint.rules.dept_it_champion_test

import rego.v1

import data.govlint.rules.dept_it_champion
import data.govlint.test.fixtures as fx

test_champions_in_it_pass if {
	count(dept_it_champion.deny) == 0 with input as fx.compliant
}

test_champion_outside_it if {
	some f in dept_it_champion.deny with input as fx.with_department("sales", {"it_champion": fx.person("sales-lead")})
	f.path == "it_champion"
}

test_it_lead_counts_as_it if {
	count(dept_it_champion.deny) == 0 with input as fx.with_department("sales", {"it_champion": fx.person("it-lead")})
}
