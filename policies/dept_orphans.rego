# METADATA
# title: A department is not removed while it still owns things
# description: >-
#   Dissolving a department must not leave its tools and data domains without an owner.
#   Move each one to its new owner (with the decision that takes) before, or in the same
#   pull request as, the department's removal.
# custom:
#   id: DEPT-ORPHANS
#   severity: error
package govlint.rules.dept_orphans

import rego.v1

import data.govlint.lib.change_mode
import data.govlint.lib.domains
import data.govlint.lib.tools
import data.govlint.lib

removed contains c.id if {
	change_mode
	some c in input.changes
	c.kind == "department"
	c.op == "remove"
}

deny contains lib.finding(
	"DEPT-ORPHANS",
	sprintf("tool/%s", [id]),
	sprintf("owner department '%s' is removed in this change; move the tool to its new owner first", [t.owner]),
	"owner",
) if {
	count(removed) > 0
	some id, t in tools
	t.owner in removed
}

deny contains lib.finding(
	"DEPT-ORPHANS",
	sprintf("data-domain/%s", [id]),
	sprintf("owner department '%s' is removed in this change; move the domain to its new owner first", [d.owner]),
	"owner",
) if {
	count(removed) > 0
	some id, d in domains
	d.owner in removed
}
