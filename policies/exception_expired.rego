# METADATA
# title: Exceptions are time-boxed and name what they waive
# description: >-
#   An exception waives one rule for one entity, for a limited time. Once expired it waives
#   nothing and must be renewed or removed. It may run at most exception_max_days after it
#   was approved (or after today, when approved_on is absent), and it must name a rule and
#   an entity that exist.
# custom:
#   id: EXCEPTION-EXPIRED
#   severity: error
#   params: [exception_max_days]
package govlint.rules.exception_expired

import rego.v1

import data.govlint.lib.exceptions
import data.govlint.lib.kind_key
import data.govlint.lib.today
import data.govlint.lib

max_days := input.params.exception_max_days

known_rules := data.govlint.catalog.rules

deny contains lib.finding(
	"EXCEPTION-EXPIRED",
	sprintf("exception/%s", [id]),
	sprintf("exception expired on %s; renew it with a new approval or remove it", [e.expires_on]),
	"expires_on",
) if {
	some id, e in exceptions
	is_string(e.expires_on)
	e.expires_on < today
}

deny contains lib.finding(
	"EXCEPTION-EXPIRED",
	sprintf("exception/%s", [id]),
	sprintf("exception runs %d days from %s to %s, more than the %d allowed", [days, start, e.expires_on, max_days]),
	"expires_on",
) if {
	some id, e in exceptions
	is_string(e.expires_on)
	start := object.get(e, "approved_on", today)
	days := lib.days_between(start, e.expires_on)
	days > max_days
}

deny contains lib.finding(
	"EXCEPTION-EXPIRED",
	sprintf("exception/%s", [id]),
	sprintf("exception waives rule %s, which no policy defines", [e.rule]),
	"rule",
) if {
	some id, e in exceptions
	is_string(e.rule)
	not known_rules[e.rule]
}

deny contains lib.finding(
	"EXCEPTION-EXPIRED",
	sprintf("exception/%s", [id]),
	sprintf("exception names %s, which is not in the registry", [e.entity]),
	"entity",
) if {
	some id, e in exceptions
	entity := object.get(e, "entity", null)
	is_string(entity)
	not entity_exists(entity)
}

entity_exists(entity) if {
	[kind, record_id] := split(entity, "/")
	input.registry[kind_key[kind]][record_id]
}
