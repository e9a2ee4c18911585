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

deny contains lib.finding(
	"TOOL-VENDOR",
	sprintf("tool/%s", [id]),
	sprintf("vendor '%s' is blocked by procurement", [t.vendor]),
	"vendor",
) if {
	some id, t in tools
	t.ring != "retired"
	vendors[t.vendor].status == "blocked"
}

deny contains lib.finding(
	"TOOL-VENDOR",
	sprintf("tool/%s", [id]),
	sprintf("tool is at ring %s but vendor '%s' is %s, not approved", [t.ring, t.vendor, status]),
	"vendor",
) if {
	some id, t in tools
	t.ring in input.params.committed_rings
	status := vendors[t.vendor].status
	not status in {"approved", "blocked"}
}
