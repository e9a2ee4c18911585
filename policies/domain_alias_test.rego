package govlint.rules.domain_alias_test

import rego.v1

import data.govlint.rules.domain_alias
import data.govlint.test.fixtures as fx

other(patch) := object.union(
	{"kind": "data-domain", "id": "budgets", "name": "Budgets", "classification": "internal", "owner": "finance", "steward": fx.email("controller")},
	patch,
)

test_distinct_names if {
	count(domain_alias.deny) == 0 with input as fx.with_domains({"plans": fx.domain, "budgets": other({})})
}

test_alias_equal_to_another_domains_alias_ignoring_case if {
	findings := domain_alias.deny with input as fx.with_domains({"plans": fx.domain, "budgets": other({"aliases": ["Schedules"]})})
	{[f.entity, f.path] | some f in findings} == {["data-domain/budgets", "aliases.0"], ["data-domain/plans", "aliases.0"]}
}

test_alias_equal_to_another_domains_id_with_hyphens_as_spaces if {
	inp := fx.with_domains({"plans": object.union(fx.domain, {"aliases": ["cost centres"]}), "cost-centres": other({"id": "cost-centres", "name": "Ledger units"})})
	count(domain_alias.deny) == 2 with input as inp
}

test_a_domain_may_repeat_its_own_name if {
	count(domain_alias.deny) == 0 with input as fx.with_domain({"aliases": ["Plans", "schedules"]})
}

test_names_compare_with_underscores_as_spaces_and_ends_trimmed if {
	inp := fx.with_domains({"plans": object.union(fx.domain, {"aliases": [" Cost_Centres "]}), "budgets": other({"name": "COST-centres"})})
	findings := domain_alias.deny with input as inp
	{[f.entity, f.path] | some f in findings} == {["data-domain/budgets", "name"], ["data-domain/plans", "aliases.0"]}
}

test_only_ascii_letters_are_folded if {
	# Lower-casing other scripts differs between engines (policies/README.md): "İ" stays apart from "i".
	inp := fx.with_domains({"plans": object.union(fx.domain, {"aliases": ["İndex"]}), "budgets": other({"aliases": ["index"]})})
	count(domain_alias.deny) == 0 with input as inp
}

test_a_name_with_a_line_break_is_folded_on_its_own if {
	# The names are folded together a line each; a line break inside one takes the slower way.
	inp := fx.with_domains({"plans": object.union(fx.domain, {"aliases": ["Two\nLines", "BUDGETS"]}), "budgets": other({"aliases": ["two\nlines"]})})
	findings := domain_alias.deny with input as inp
	{[f.entity, f.path] | some f in findings} == {
		["data-domain/plans", "aliases.0"], ["data-domain/budgets", "aliases.0"],
		["data-domain/plans", "aliases.1"], ["data-domain/budgets", "name"],
	}
}
