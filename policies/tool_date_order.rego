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

# Each dated review or approval of a tool set before its proposal. Dates are YYYY-MM-DD
# strings checked by the schemas, so comparing the text compares the days. This rule reads
# every tool, so each body opens with the one comparison that fails for almost all of them,
# and binds the dates for the message only after it: a finding is built only for a date that
# fails it. A field read in the body (not negated) leaves the rule undefined for a tool
# without it, on both engines alike (policies/README.md); a field present is a date string
# (the schema leaves out one that is not), so the comparison needs no type test first.
warn contains too_early(id, "security.review.date", "security review", day, proposed) if {
	some id, t in tools
	t.security.review.date < t.proposed_on
	day := t.security.review.date
	proposed := t.proposed_on
}

warn contains too_early(id, "contract.legal_review.date", "legal review", day, proposed) if {
	some id, t in tools
	t.contract.legal_review.date < t.proposed_on
	day := t.contract.legal_review.date
	proposed := t.proposed_on
}

warn contains too_early(id, sprintf("approvals.%d.date", [i]), sprintf("approval by %s", [by]), day, proposed) if {
	some id, t in tools
	some i, approval in t.approvals
	approval.date < t.proposed_on
	day := approval.date
	proposed := t.proposed_on
	by := object.get(approval, "by", "someone")
}

too_early(id, path, what, day, proposed) := lib.finding(
	"TOOL-DATE-ORDER",
	sprintf("tool/%s", [id]),
	sprintf(
		"%s is dated %s, before the tool was proposed on %s: it was made for something else (a copied file?); redo it for this tool or correct the date",
		[what, day, proposed],
	),
	path,
)
