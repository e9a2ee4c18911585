# METADATA
# title: A tool's business sponsor has authority over its owner
# description: >-
#   The business sponsor answers for a tool's cost and use. They must be a member, lead or
#   executive sponsor of the owning department or of a department above it, so the
#   sponsorship sits inside the line of authority that pays for the tool.
# custom:
#   id: TOOL-SPONSOR
#   severity: error
package govlint.rules.tool_sponsor

import rego.v1

import data.govlint.lib.ancestry
import data.govlint.lib.departments
import data.govlint.lib.membership
import data.govlint.lib.tools
import data.govlint.lib

sponsor_in_line(sponsor, owner) if {
	some department in ancestry[owner]
	[lower(sponsor), department] in membership
}

deny contains lib.finding(
	"TOOL-SPONSOR",
	sprintf("tool/%s", [id]),
	sprintf("business sponsor %s is not in department '%s' or a department above it", [t.business_sponsor, t.owner]),
	"business_sponsor",
) if {
	some id, t in tools
	is_string(t.business_sponsor)
	departments[t.owner]
	not sponsor_in_line(t.business_sponsor, t.owner)
}
