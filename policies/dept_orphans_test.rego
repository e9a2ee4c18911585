package govlint.rules.dept_orphans_test

import rego.v1

import data.govlint.rules.dept_orphans
import data.govlint.test.fixtures as fx

without(id) := object.union(object.remove(fx.registry, ["departments"]), {"departments": object.remove(fx.departments, [id])})

test_removing_an_empty_department if {
	count(dept_orphans.deny) == 0 with input as fx.change(without("sales"), [{"kind": "department", "id": "sales", "op": "remove", "fields": []}], null)
}

test_removing_a_department_that_owns_a_tool_and_a_domain if {
	findings := dept_orphans.deny with input as fx.change(without("ops"), [{"kind": "department", "id": "ops", "op": "remove", "fields": []}], null)
	{f.entity | some f in findings} == {"tool/planner", "data-domain/plans"}
}
