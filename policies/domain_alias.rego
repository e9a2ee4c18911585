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
# lib.lower_ascii does), the ends trimmed. One replacement table does both foldings (each
# replacement is one character and none produces a character another replaces, so their
# order is moot). The table is imported by name: regorus reads `lib.ascii_lowercase` by
# evaluating every rule of package govlint.lib first.
name_folding := object.union(ascii_lowercase, {"-": " ", "_": " "})

# [domain id, field, text as written] for every name of every domain.
written := array.concat(
	[[id, "id", id] | some id, _ in domains],
	array.concat(
		[[id, "name", name] | some id, d in domains; name := d.name; is_string(name)],
		[[id, sprintf("aliases.%d", [i]), alias] | some id, d in domains; some i, alias in object.get(d, "aliases", [])],
	),
)

# The written names folded, in the same order. Folding every name of every domain one call at
# a time was most of this rule's cost, so they are folded together, a line each, by one call
# over all of them. A name holding a line break would split into more lines than there are
# names; then each is folded on its own.
folded_lines := split(strings.replace_n(name_folding, concat("\n", [w[2] | some w in written])), "\n")

folded := folded_lines if {
	count(folded_lines) == count(written)
} else := [strings.replace_n(name_folding, w[2]) | some w in written]

# [folded name, domain id, field, text as written], sorted: a name's claims sit side by side,
# so one pass finds every collision, and both domains involved are told, each at the field
# that holds the name. Neighbours are compared through flat arrays of names and domain ids:
# regorus is slow to index an array of claims and then the claim.
claims := sort([[trim_space(lines[i]), w[0], w[1], w[2]] | lines := folded; some i, w in written])

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
