package govlint.rules.ref_unknown_test

import rego.v1

import data.govlint.rules.ref_unknown
import data.govlint.test.fixtures as fx

test_compliant_registry_has_no_unknown_references if {
	count(ref_unknown.deny) == 0 with input as fx.compliant
}

test_unknown_vendor if {
	some f in ref_unknown.deny with input as fx.with_tool({"vendor": "nobody"})
	f.path == "vendor"
	f.entity == "tool/planner"
}

test_unknown_data_domain_points_at_the_list_item if {
	some f in ref_unknown.deny with input as fx.with_tool({"data": [
		{"domain": "plans", "access": "read"},
		{"domain": "ghost", "access": "read"},
	]})
	f.path == "data.1.domain"
}

test_unknown_person_as_reviewer if {
	findings := ref_unknown.deny with input as fx.with_tool({"security": {"review": {"reviewer": "stranger@example.test"}}})
	count(findings) == 1
}

test_person_matching_ignores_case if {
	count(ref_unknown.deny) == 0 with input as fx.with_tool({"security": {"review": {"reviewer": "CISO@Example.Test"}}})
}

test_unknown_parent_department if {
	some f in ref_unknown.deny with input as fx.with_department("ops", {"parent": "nowhere"})
	f.path == "parent"
}

test_unreadable_record_is_not_unknown if {
	count(ref_unknown.deny) == 0 with input as fx.with_tool({"vendor": "broken"})
		with data.govlint.unreadable as {"vendors": ["broken"]}
}

test_system_of_record_removed_in_a_change_is_left_to_tool_sor_retire if {
	head := object.remove(fx.registry, ["tools"])
	count(ref_unknown.deny) == 0 with input as fx.change(
		object.union(head, {"tools": {}}),
		[{"kind": "tool", "id": "planner", "op": "remove", "fields": []}],
		null,
	)
}
