# METADATA
# title: A second tool for an adopted capability states why
# description: >-
#   Buying the same capability twice should be a decision, not an accident. When a category
#   already has an adopted tool, any other tool of that category, from its proposal on, must
#   carry a justification; retired tools are exempt. The incumbent is the adopted tool whose
#   id sorts first.
# custom:
#   id: TOOL-DUPLICATE
#   severity: error
package govlint.rules.tool_duplicate

import rego.v1

import data.govlint.lib.incumbent
import data.govlint.lib.tools
import data.govlint.lib

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
