# METADATA
# title: A second tool for an adopted capability states why
# description: >-
#   Buying the same capability twice should be a decision, not an accident. When a category
#   already has an adopted tool, any other tool of that category on trial or adopted must
#   carry a justification. The incumbent is the adopted tool whose id sorts first.
# custom:
#   id: TOOL-DUPLICATE
#   severity: error
package govlint.rules.tool_duplicate

import rego.v1

import data.govlint.lib.categories_with_adopted
import data.govlint.lib.incumbents
import data.govlint.lib.tools
import data.govlint.lib

incumbent(category) := pair[1] if {
	some pair in incumbents
	pair[0] == category
}

deny contains lib.finding(
	"TOOL-DUPLICATE",
	sprintf("tool/%s", [id]),
	sprintf(
		"category %s already has adopted tool '%s'; give a justification for a second one",
		[t.category, incumbent(t.category)],
	),
	"category",
) if {
	some id, t in tools
	t.ring in {"trial", "adopt"}
	t.category in categories_with_adopted
	not [t.category, id] in incumbents
	not t.justification
}
