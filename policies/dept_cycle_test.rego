package govlint.rules.dept_cycle_test

import rego.v1

import data.govlint.rules.dept_cycle
import data.govlint.test.fixtures as fx

test_tree_has_no_cycle if {
	count(dept_cycle.deny) == 0 with input as fx.compliant
}

test_two_department_loop_reports_both if {
	findings := dept_cycle.deny with input as fx.with_department("exec", {"parent": "ops"})
	{f.entity | some f in findings} == {"department/exec", "department/ops"}
}

test_self_parent if {
	some f in dept_cycle.deny with input as fx.with_department("sales", {"parent": "sales"})
	f.entity == "department/sales"
}

test_a_department_below_a_loop_is_not_in_it if {
	looped := object.union(
		fx.with_department("exec", {"parent": "ops"}).registry.departments,
		{"below": object.union(fx.compliant.registry.departments.ops, {"id": "below", "parent": "ops"})},
	)
	findings := dept_cycle.deny with input as object.union(fx.compliant, {"registry": {"departments": looped}})
	{f.entity | some f in findings} == {"department/exec", "department/ops"}
}

test_a_parent_that_is_no_department_is_a_top if {
	count(dept_cycle.deny) == 0 with input as fx.with_department("ops", {"parent": "nowhere"})
}
