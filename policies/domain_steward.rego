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
import data.govlint.lib.lower_ascii
import data.govlint.lib

# Whether a department lists a lower-cased e-mail as a member or its lead. lower_ascii is
# imported by name: regorus calls a function through the package alias (lib.lower_ascii)
# at twice the cost, and this one runs for every member of every owner asked about.
belongs(email, department) if {
	some p in object.get(department, "members", [])
	lower_ascii(p.email) == email
}

belongs(email, department) if lower_ascii(department.lead.email) == email

# Domains share few [steward, owner] pairs: each is judged once, and the domains are visited
# again only when one fails.
pairs := {[d.steward, d.owner] | some d in domains}

strays := {pair |
	some pair in pairs
	steward := pair[0]
	is_string(steward)
	owner := departments[pair[1]]
	email := lower_ascii(steward)
	not belongs(email, owner)
}

deny contains lib.finding(
	"DOMAIN-STEWARD",
	sprintf("data-domain/%s", [id]),
	sprintf("steward %s is not a member or lead of owner department '%s'", [d.steward, d.owner]),
	"steward",
) if {
	count(strays) > 0
	some id, d in domains
	[d.steward, d.owner] in strays
}
