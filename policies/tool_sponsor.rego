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

import data.govlint.lib.departments
import data.govlint.lib.staff_emails
import data.govlint.lib.tools
import data.govlint.lib

# The verdict depends only on the sponsor and the owner, and tools share few such pairs:
# each distinct pair is judged once, and the tools are visited again only when one fails.
pairs := {[t.business_sponsor, t.owner] | some t in tools}

outside_line := {pair |
	some pair in pairs
	sponsor := pair[0]
	is_string(sponsor)
	owner := pair[1]
	is_string(owner)
	departments[owner] # the owner's chain is walked for departments only
	not in_line(lib.lower_ascii(sponsor), owner)
}

# Whether a department in the owner's chain lists the sponsor: one lookup per department
# of the chain, without collecting everyone in it.
in_line(email, owner) if {
	some department in lib.ancestors(owner)
	email in staff_emails[department]
}

deny contains lib.finding(
	"TOOL-SPONSOR",
	sprintf("tool/%s", [id]),
	sprintf("business sponsor %s is not in department '%s' or a department above it", [t.business_sponsor, t.owner]),
	"business_sponsor",
) if {
	count(outside_line) > 0
	some id, t in tools
	[t.business_sponsor, t.owner] in outside_line
}
