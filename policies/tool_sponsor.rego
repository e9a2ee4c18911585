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

import data.govlint.lib.ancestors
import data.govlint.lib.departments
import data.govlint.lib.lower_ascii
import data.govlint.lib.staff_emails
import data.govlint.lib.tools
import data.govlint.lib.written_emails
import data.govlint.lib

# The verdict depends only on the sponsor and the owner, and tools share few such pairs:
# each distinct pair is judged once, and the tools are visited again only when one fails.
pairs := {[t.business_sponsor, t.owner] | some t in tools}

# A sponsor is nearly always written as the department writes them, so each pair is first
# looked for as written, and lower-cased (and staff_emails, every department's people
# lower-cased, worked out) only when that fails.
outside_line := {pair |
	some pair in pairs
	sponsor := pair[0]
	is_string(sponsor)
	owner := pair[1]
	is_string(owner)
	departments[owner] # the owner's chain is walked for departments only
	chain := ancestors(owner)
	not listed_as_written(sponsor, chain)
	not in_line(lower_ascii(sponsor), chain)
}

# Whether a department of the chain lists the sponsor: one lookup per department of the
# chain, without collecting everyone in it.
listed_as_written(email, chain) if {
	some department in chain
	email in written_staff[department]
}

in_line(email, chain) if {
	some department in chain
	email in staff_emails[department]
}

written_staff[id] := {email | some email in written_emails(department)} if some id, department in departments

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
