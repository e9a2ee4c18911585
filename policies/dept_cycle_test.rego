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
