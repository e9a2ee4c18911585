# METADATA
# title: An attestation counts only when the person it names approved the pull request
# description: >-
#   Some fields name a person as having approved, decided or reviewed something: an approval
#   recorded on a tool, a security or legal review, an ownership decision, a consumer's
#   approval, an exception's approver (params.attestations lists them). Anyone can type a
#   name. In a pull request an attestation counts when the base revision already held it
#   unchanged (the same mapping, or the same list item, in the same record), or when the
#   person it names approved the pull request, by e-mail or by the github login the base
#   registry gives them. The attestation is the whole mapping that holds the name: changing
#   a review's status or an exception's expiry under the same reviewer's name needs that
#   reviewer again. Silent when approvals are unknown (no --approvals).
# custom:
#   id: ATTESTATION-UNCONFIRMED
#   severity: error
#   params: [attestations]
package govlint.rules.attestation_unconfirmed

import rego.v1

import data.govlint.lib
import data.govlint.lib.authority
import data.govlint.lib.authority.approvals_known # by name: regorus reads authority.approvals_known by evaluating the whole package
import data.govlint.lib.change_mode
import data.govlint.lib.kind_key

# The attestation paths of a kind, e.g. "approvals.*.by": dot-separated keys, `*` standing
# for every item of a list.
patterns(kind) := object.get(object.get(input.params, "attestations", {}), kind, [])

# The attestations written in a record: {"path": where the name is, "email", "unit": path of
# the mapping or list that holds the attestation, "value": what was attested, "listed"}.
attestations(kind, record) := {a |
	some pattern in patterns(kind)
	is_string(pattern)
	parts := split(pattern, ".")
	some a in array.concat(plain(record, parts), listed(record, parts))
}

# A name at a fixed path: the attested thing is the mapping holding it (the whole record for
# a top-level field).
plain(record, parts) := [a |
	not "*" in parts
	email := object.get(record, parts, null)
	is_string(email)
	unit := array.slice(parts, 0, count(parts) - 1)
	a := {"path": concat(".", parts), "email": email, "unit": unit, "value": object.get(record, unit, null), "listed": false}
]

# A name inside each item of a list: the attested thing is the item.
listed(record, parts) := [a |
	some star, part in parts
	part == "*"
	list_path := array.slice(parts, 0, star)
	list := object.get(record, list_path, null)
	is_array(list)
	inner := array.slice(parts, star + 1, count(parts))
	some index, item in list
	email := object.get(item, inner, null)
	is_string(email)
	where := array.concat(array.concat(list_path, [format_int(index, 10)]), inner)
	a := {"path": concat(".", where), "email": email, "unit": list_path, "value": item, "listed": true}
]

# The base held the attestation unchanged: the same mapping at the same place, or the same
# item anywhere in the same list (reordering a list confirms nothing and breaks nothing).
held_in_base(c, a) if {
	not a.listed
	base_record := input.base[kind_key[c.kind]][c.id]
	object.get(base_record, a.unit, null) == a.value
}

held_in_base(c, a) if {
	a.listed
	base_record := input.base[kind_key[c.kind]][c.id]
	base_list := object.get(base_record, a.unit, null)
	is_array(base_list)
	a.value in base_list
}

deny contains lib.finding(
	"ATTESTATION-UNCONFIRMED",
	sprintf("%s/%s", [c.kind, c.id]),
	sprintf(
		"%s names %s, but this pull request has no approval from them: it needs a review from %s",
		[a.path, a.email, authority.reviewer_name(a.email)],
	),
	a.path,
) if {
	change_mode
	approvals_known
	some c in input.changes
	c.op in {"add", "modify"}
	record := input.registry[kind_key[c.kind]][c.id]
	some a in attestations(c.kind, record)
	not held_in_base(c, a)
	email := a.email # every attestation has one; bound so that the negated call reads no field
	not authority.approved(email)
}
