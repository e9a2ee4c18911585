# METADATA
# title: Every name for data belongs to one data domain
# description: >-
#   Legal says matters, finance says cost centres, procurement says vendor records: the same
#   data under different names is how ownership disputes hide. A domain's id, name and
#   aliases may not collide with another domain's, compared without case, hyphens or
#   underscores, so each name leads to exactly one owner.
# custom:
#   id: DOMAIN-ALIAS
#   severity: error
package govlint.rules.domain_alias

import rego.v1

import data.govlint.lib.ascii_lowercase
import data.govlint.lib.domains
import data.govlint.lib

# A name as compared: hyphens and underscores read as spaces, ASCII letters lower-cased (as
# lib.lower_ascii does), the ends trimmed. Every domain's id, name and aliases are folded, and
# that is most of this rule's cost, so one replacement table does both foldings in a single
# pass (each replacement is one character and none produces a character another replaces, so
# their order is moot), and the folding is written out in each rule below rather than called
# as a function, whose call costs as much again. The table is imported by name: regorus reads
# `lib.ascii_lowercase` by evaluating every rule of package govlint.lib first.
name_folding := object.union(ascii_lowercase, {"-": " ", "_": " "})

# [folded name, domain id, field, original text] for every name of every domain.
names contains [trim_space(strings.replace_n(name_folding, id)), id, "id", id] if some id, _ in domains

names contains [trim_space(strings.replace_n(name_folding, name)), id, "name", name] if {
	some id, d in domains
	name := d.name
	is_string(name)
}

names contains [trim_space(strings.replace_n(name_folding, alias)), id, sprintf("aliases.%d", [i]), alias] if {
	some id, d in domains
	some i, alias in object.get(d, "aliases", [])
}

# Sorted, a name's claims sit side by side: one pass finds every collision, and both
# domains involved are told, each at the field that holds the name. Neighbours are compared
# through flat arrays of names and domain ids: regorus is slow to index an array of claims
# and then the claim.
claims := sort(names)

claim_names := [claim[0] | some claim in claims]

claim_domains := [claim[1] | some claim in claims]

collisions contains [claims[index - 1], claim] if {
	some index, claim in claims
	claim_names[index - 1] == claim[0]
	claim_domains[index - 1] != claim[1]
}

deny contains lib.finding(
	"DOMAIN-ALIAS",
	sprintf("data-domain/%s", [mine[1]]),
	sprintf("%s '%s' is also a name of data domain '%s'", [field_label(mine[2]), mine[3], theirs[1]]),
	mine[2],
) if {
	some pair in collisions
	some [mine, theirs] in [pair, [pair[1], pair[0]]]
}

field_label("id") := "id"

field_label("name") := "name"

field_label(field) := "alias" if startswith(field, "aliases.")
