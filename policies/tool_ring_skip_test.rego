package govlint.rules.tool_ring_skip_test

import rego.v1

import data.govlint.rules.tool_ring_skip
import data.govlint.test.fixtures as fx

moved(ring) := fx.change(
	object.union(fx.registry, {"tools": {"planner": {"ring": ring}}}),
	[{"kind": "tool", "id": "planner", "op": "modify", "fields": ["ring"]}],
	null,
)

added(ring) := fx.change(
	object.union(fx.registry, {"tools": {"fresh": object.union(fx.tool, {"id": "fresh", "ring": ring})}}),
	[{"kind": "tool", "id": "fresh", "op": "add", "fields": ["ring"]}],
	null,
)

test_allowed_move if {
	count(tool_ring_skip.deny) == 0 with input as moved("hold")
}

test_disallowed_move if {
	some f in tool_ring_skip.deny with input as moved("assess")
	f.path == "ring"
}

test_new_tool_at_an_initial_ring if {
	count(tool_ring_skip.deny) == 0 with input as added("proposed")
}

test_new_tool_straight_to_adopt if {
	count(tool_ring_skip.deny) == 1 with input as added("adopt")
}

test_full_mode_never_judges_moves if {
	count(tool_ring_skip.deny) == 0 with input as fx.with_tool({"ring": "assess"})
}
