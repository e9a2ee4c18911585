package govlint.rules.tool_sor_retire_test

import rego.v1

import data.govlint.rules.tool_sor_retire
import data.govlint.test.fixtures as fx

test_adopted_system_of_record if {
	count(tool_sor_retire.deny) == 0 with input as fx.compliant
}

test_retired_system_of_record if {
	some f in tool_sor_retire.deny with input as fx.with_tool({"ring": "retired"})
	f.entity == "tool/planner"
	f.path == "ring"
}

test_removed_system_of_record_in_a_change if {
	head := object.union(object.remove(fx.registry, ["tools"]), {"tools": {}})
	some f in tool_sor_retire.deny with input as fx.change(head, [{"kind": "tool", "id": "planner", "op": "remove", "fields": []}], null)
	f.entity == "data-domain/plans"
	f.path == "system_of_record"
}
