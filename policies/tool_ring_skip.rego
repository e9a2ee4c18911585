# METADATA
# title: Tools move through the rings one allowed step at a time
# description: >-
#   A tool earns its way from proposal through assessment and trial to adoption. In a pull
#   request, a new tool must start in one of the initial rings, and a tool may only move
#   along a transition params allows; skipping from proposed straight to adopt skips the
#   assessment and trial that protect the organisation.
# custom:
#   id: TOOL-RING-SKIP
#   severity: error
#   params: [ring_transitions, initial_rings]
package govlint.rules.tool_ring_skip

import rego.v1

import data.govlint.lib.base_tools
import data.govlint.lib.change_mode
import data.govlint.lib.tools
import data.govlint.lib

deny contains lib.finding(
	"TOOL-RING-SKIP",
	sprintf("tool/%s", [c.id]),
	sprintf("a new tool starts at ring %s; new tools start at %s", [t.ring, concat(" or ", input.params.initial_rings)]),
	"ring",
) if {
	change_mode
	some c in input.changes
	c.kind == "tool"
	c.op == "add"
	t := tools[c.id]
	ring := t.ring
	is_string(ring)
	not ring in input.params.initial_rings
}

deny contains lib.finding(
	"TOOL-RING-SKIP",
	sprintf("tool/%s", [c.id]),
	sprintf("ring moves from %s to %s; from %s a tool may move to %s", [old, new, old, allowed_text(old)]),
	"ring",
) if {
	change_mode
	some c in input.changes
	c.kind == "tool"
	c.op == "modify"
	old := base_tools[c.id].ring
	new := tools[c.id].ring
	old != new
	not new in object.get(input.params.ring_transitions, old, [])
}

allowed_text(ring) := concat(", ", input.params.ring_transitions[ring]) if count(input.params.ring_transitions[ring]) > 0

else := "no other ring"
