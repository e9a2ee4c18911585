# METADATA
# title: Contracts are reviewed by legal before a trial or adoption
# description: >-
#   Legal wants every contract reviewed before the organisation depends on the tool. A tool
#   with a contract at a committed ring (trial or adopt by default) needs a legal review
#   whose status is approved.
# custom:
#   id: TOOL-LEGAL-REVIEW
#   severity: error
#   params: [committed_rings]
package govlint.rules.tool_legal_review

import rego.v1

import data.govlint.lib.tools
import data.govlint.lib

deny contains lib.finding(
	"TOOL-LEGAL-REVIEW",
	sprintf("tool/%s", [id]),
	sprintf("tool is at ring %s with a contract whose legal review is %s", [t.ring, status]),
	path,
) if {
	some id, t in tools
	object.get(t, ["contract", "legal_review", "status"], null) != "approved" # first: it settles most tools
	t.ring in input.params.committed_rings
	is_object(t.contract)
	status := object.get(t.contract, ["legal_review", "status"], "missing")
	path := review_path(t)
}

review_path(t) := "contract.legal_review" if t.contract.legal_review

else := "contract"
