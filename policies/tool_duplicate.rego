# METADATA
# title: A second tool for an adopted capability states why
# description: >-
#   Buying the same capability twice should be a decision, not an accident. When a category
#   has an adopted tool, any other tool of that category, from its proposal on, must carry a
#   justification; retired tools are exempt. The incumbent is the earliest-proposed adopted
#   tool without a justification (its id breaks a tie): a tool that justifies itself is never
#   the reason another is flagged, and only further tools without a justification are.
# custom:
#   id: TOOL-DUPLICATE
#   severity: error
package govlint.rules.tool_duplicate

import rego.v1

import data.govlint.lib.tools
import data.govlint.lib

# Adopted tools without a justification as [category, proposed_on, id], sorted: within each
# category the earliest proposal comes first, and the id settles a tie. Non-string categories
# cannot be compared with the others and name no capability, so they are left out.
candidates := sort([[t.category, object.get(t, "proposed_on", ""), id] |
	some id, t in tools
	t.ring == "adopt"
	not t.justification
	is_string(t.category)
])

# The first candidate of each category is its incumbent. (Written without negating an
# undefined index, which OPA and regorus read differently.) Neighbours are compared through a
# flat array of the categories: regorus is slow to index the array of rows and then the row.
incumbent[row[0]] := row[2] if {
	some index, row in candidates
	opens_category(index)
}

candidate_categories := [row[0] | some row in candidates]

opens_category(0) := true

opens_category(index) := true if {
	index > 0
	candidate_categories[index - 1] != candidate_categories[index]
}

# Cheap tests first: most tools carry a justification or are the incumbent.
deny contains lib.finding(
	"TOOL-DUPLICATE",
	sprintf("tool/%s", [id]),
	sprintf(
		"category %s already has adopted tool '%s'; give a justification for a second one",
		[t.category, first],
	),
	"category",
) if {
	some id, t in tools
	not t.justification
	t.ring != "retired"
	first := incumbent[t.category]
	first != id
}
