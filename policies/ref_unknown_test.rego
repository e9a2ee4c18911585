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

# Messages say how to fix.

test_unknown_vendor_names_the_file_to_add_and_the_known_vendors if {
	some f in ref_unknown.deny with input as fx.with_tool({"vendor": "boardly"})
	f.message == "vendor names vendor 'boardly', which is not in the registry: add registry/vendors/boardly.yaml or pick one of acme"
}

test_unknown_department_lists_the_known_ones_when_few if {
	some f in ref_unknown.deny with input as fx.with_tool({"owner": "design"})
	f.message == "owner names department 'design', which is not in the registry; known departments: exec, finance, it, ops, ops-north, sales, security"
}

many_departments := {sprintf("team-%d", [i]): fx.departments.ops | some i in numbers.range(10, 29)}

with_many_departments(patch) := object.union(
	fx.with_tool(patch),
	{"registry": {"departments": object.union(fx.departments, many_departments)}},
)

test_unknown_department_among_many_names_the_nearest_few if {
	some f in ref_unknown.deny with input as with_many_departments({"owner": "teem-1"})
	f.message == "owner names department 'teem-1', which is not in the registry; nearest known departments: team-10, team-11, team-12, team-13, team-14 (of 27)"
}

test_unknown_department_among_many_with_none_near_names_the_folder if {
	some f in ref_unknown.deny with input as with_many_departments({"owner": "xyz"})
	f.message == "owner names department 'xyz', which is not in the registry; the 27 known departments are in registry/departments/"
}

test_unknown_vendor_among_many_names_the_nearest if {
	vendors := {id: object.union(fx.vendor, {"id": id}) | some id in ["acme", "acme-eu", "boards", "canva", "docu", "figma", "gusto", "hubspot", "jira", "klaviyo", "lucid", "miro", "notion"]}
	some f in ref_unknown.deny with input as object.union(fx.with_tool({"vendor": "boardly"}), {"registry": {"vendors": vendors}})
	f.message == "vendor names vendor 'boardly', which is not in the registry: add registry/vendors/boardly.yaml or pick one of boards (nearest of 13)"
}
