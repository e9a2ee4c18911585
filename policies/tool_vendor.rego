# METADATA
# title: Tools come from vendors procurement allows
# description: >-
#   Procurement keeps the approved-supplier list. A tool from a blocked vendor may not be
#   used at any ring short of retired; from a vendor not yet approved, it may be assessed
#   but not trialled or adopted.
# custom:
#   id: TOOL-VENDOR
#   severity: error
#   params: [committed_rings]
package govlint.rules.tool_vendor

import rego.v1

import data.govlint.lib.tools
import data.govlint.lib.vendors
import data.govlint.lib

# Vendors by standing, each judged once: in a sound registry both are empty and the tools are
# not visited at all.
blocked := {id | some id, v in vendors; v.status == "blocked"}

unapproved[id] := status if {
	some id, v in vendors
	status := v.status
	not status in {"approved", "blocked"}
}

deny contains lib.finding(
	"TOOL-VENDOR",
	sprintf("tool/%s", [id]),
	sprintf("vendor '%s' is blocked by procurement", [t.vendor]),
	"vendor",
) if {
	count(blocked) > 0
	some id, t in tools
	t.vendor in blocked
	t.ring != "retired"
}

deny contains lib.finding(
	"TOOL-VENDOR",
	sprintf("tool/%s", [id]),
	sprintf("tool is at ring %s but vendor '%s' is %s, not approved", [t.ring, t.vendor, status]),
	"vendor",
) if {
	count(unapproved) > 0
	some id, t in tools
	status := unapproved[t.vendor]
	t.ring in input.params.committed_rings
}
