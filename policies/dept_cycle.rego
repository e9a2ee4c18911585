# METADATA
# title: The line of authority has no loops
# description: >-
#   A department's parent chain is its line of authority: ownership disputes are settled by
#   an executive above every department involved. A chain that loops back on itself has no
#   top, so nobody could settle them.
# custom:
#   id: DEPT-CYCLE
#   severity: error
package govlint.rules.dept_cycle

import rego.v1

import data.govlint.lib.departments
import data.govlint.lib.parent_graph
import data.govlint.lib.unrooted
import data.govlint.lib

deny contains lib.finding(
	"DEPT-CYCLE",
	sprintf("department/%s", [id]),
	sprintf("parent chain of '%s' loops back to itself through '%s'", [id, d.parent]),
	"parent",
) if {
	some id in unrooted # departments whose chain never reaches a top: usually none
	d := departments[id]
	id in graph.reachable(parent_graph, {d.parent})
}
