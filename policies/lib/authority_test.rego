package govlint.lib.authority_test

import rego.v1

import data.govlint.lib.authority
import data.govlint.test.fixtures as fx

new_department(id, parent) := {
	"kind": "department", "id": id, "name": id, "function": "business", "parent": parent,
	"executive_sponsor": fx.person("mallory"), "lead": fx.person("mallory"),
}

# A pull request adding the given departments to the fixture registry (the base).
adding(departments) := fx.change(object.union(fx.registry, {"departments": departments}), [], [])

test_a_base_department_is_its_own_seat if {
	authority.seat("ops-north") == "ops-north" with input as adding({})
}

test_new_departments_sit_with_the_nearest_base_department_above_them if {
	inp := adding({
		"plants": new_department("plants", "ops-north"),
		"yard": new_department("yard", "plants"),
		"gate": new_department("gate", "yard"),
		"dock": new_department("dock", "plants"),
		"desk": new_department("desk", "sales"),
	})
	seats := {id: authority.seat(id) | some id in ["plants", "yard", "gate", "dock", "desk"]} with input as inp
	seats == {"plants": "ops-north", "yard": "ops-north", "gate": "ops-north", "dock": "ops-north", "desk": "sales"}
}

test_a_new_department_under_one_the_pull_request_removes_sits_with_it if {
	# The base still has sales: it holds authority over what the pull request puts below it.
	head := object.union(object.remove(fx.registry, ["departments"]), {"departments": object.union(
		object.remove(fx.departments, ["sales"]),
		{"desk": new_department("desk", "sales")},
	)})
	authority.seat("desk") == "sales" with input as fx.change(head, [], [])
}

test_new_departments_with_no_base_department_above_have_no_seat if {
	inp := adding({
		"lab": object.remove(new_department("lab", ""), ["parent"]),
		"bench": new_department("bench", "lab"),
		"loop-a": new_department("loop-a", "loop-b"),
		"loop-b": new_department("loop-b", "loop-a"),
		"stray": new_department("stray", "nowhere"),
	})
	seated := {id | some id in ["lab", "bench", "loop-a", "loop-b", "stray"]; authority.seat(id)} with input as inp
	seated == set()
	authority.executives_over("bench") == {fx.email("ceo")} with input as inp
	authority.executive_role("loop-a") == "executive sponsor of a top-level department" with input as inp
}

test_the_chain_of_a_new_department_is_its_seats_base_chain if {
	inp := adding({"plants": new_department("plants", "ops-north"), "yard": new_department("yard", "plants")})
	authority.chain_executives_over("yard") == {fx.email("coo"), fx.email("ceo")} with input as inp
	authority.chain_executives_over("sales") == {fx.email("cro"), fx.email("ceo")} with input as inp
}

test_the_head_parent_of_a_base_department_does_not_move_its_line if {
	# The pull request puts sales under ops and names mallory ops' sponsor: the base decides.
	head := object.union(fx.registry, {"departments": {
		"sales": {"parent": "ops"},
		"ops": {"executive_sponsor": fx.person("mallory")},
	}})
	inp := fx.change(head, [], [])
	authority.chain_executives_over("sales") == {fx.email("cro"), fx.email("ceo")} with input as inp
	authority.executives_over_both("sales", "ops-north") == {fx.email("ceo")} with input as inp
}

test_executives_over_both_sides if {
	inp := adding({"plants": new_department("plants", "ops-north")})
	authority.executives_over_both("plants", "ops") == {fx.email("coo"), fx.email("ceo")} with input as inp
	authority.executives_over_both("plants", "finance") == {fx.email("ceo")} with input as inp
	authority.executives_over_both("nowhere", "ops") == {fx.email("ceo")} with input as inp
}

test_in_full_mode_nobody_holds_authority if {
	authority.executives_over("ops") == set() with input as fx.compliant
	not authority.seat("ops") with input as fx.compliant
}
