# METADATA
# title: A data domain's steward belongs to its owner
# description: >-
#   The steward looks after a data domain day to day on the owner's behalf. They must be a
#   member or lead of the owning department; a steward elsewhere means ownership on paper
#   and care somewhere else.
# custom:
#   id: DOMAIN-STEWARD
#   severity: error
package govlint.rules.domain_steward

import rego.v1

import data.govlint.lib.departments
import data.govlint.lib.domains
import data.govlint.lib

belongs(email, department) if {
	some p in object.get(department, "members", [])
	lower(p.email) == lower(email)
}

belongs(email, department) if lower(department.lead.email) == lower(email)

deny contains lib.finding(
	"DOMAIN-STEWARD",
	sprintf("data-domain/%s", [id]),
	sprintf("steward %s is not a member or lead of owner department '%s'", [d.steward, d.owner]),
	"steward",
) if {
	some id, d in domains
	is_string(d.steward)
	owner := departments[d.owner]
	not belongs(d.steward, owner)
}
