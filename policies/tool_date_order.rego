# METADATA
# title: A tool's reviews and approvals are dated after its proposal
# description: >-
#   A security review, a legal review or an approval speaks for the proposal it looked at.
#   One dated before the tool's proposed_on was made for something else: most often the file
#   was copied from another tool and kept that tool's reviews. Redo the review for this tool,
#   or correct the date if it was mistyped. A warning, since a date may be wrong in either
#   place; the reviewer can tell which.
# custom:
#   id: TOOL-DATE-ORDER
#   severity: warning
package govlint.rules.tool_date_order

import rego.v1

import data.govlint.lib.tools
import data.govlint.lib

# Every dated review or approval of a tool, as [tool id, path, what it is, date]. Dates are
# YYYY-MM-DD strings checked by the schemas, so comparing the text compares the days.
# Each value is bound in the body with object.get: a reference in a rule's head to a field
# that may be absent is not portable (policies/README.md).
attested contains [id, "security.review.date", "security review", day] if {
	some id, t in tools
	day := object.get(t, ["security", "review", "date"], null)
	is_string(day)
}

attested contains [id, "contract.legal_review.date", "legal review", day] if {
	some id, t in tools
	day := object.get(t, ["contract", "legal_review", "date"], null)
	is_string(day)
}

attested contains [id, sprintf("approvals.%d.date", [i]), sprintf("approval by %s", [by]), day] if {
	some id, t in tools
	some i, approval in object.get(t, "approvals", [])
	day := object.get(approval, "date", null)
	is_string(day)
	by := object.get(approval, "by", "someone")
}

warn contains lib.finding(
	"TOOL-DATE-ORDER",
	sprintf("tool/%s", [id]),
	sprintf(
		"%s is dated %s, before the tool was proposed on %s: it was made for something else (a copied file?); redo it for this tool or correct the date",
		[what, day, proposed],
	),
	path,
) if {
	some entry in attested
	id := entry[0]
	path := entry[1]
	what := entry[2]
	day := entry[3]
	proposed := object.get(tools[id], "proposed_on", null)
	is_string(proposed)
	is_string(day)
	day < proposed
}
