# METADATA
# title: Using another department's data needs the owner's consent
# description: >-
#   A data domain's owner decides who may use its data. A tool that reads or writes a domain
#   owned by another department needs that department listed among the domain's approved
#   consumers, with a purpose and who approved it.
# custom:
#   id: TOOL-DATA-CONSENT
#   severity: error
package govlint.rules.tool_data_consent

import rego.v1

import data.govlint.lib.consumers
import data.govlint.lib.domains
import data.govlint.lib.tools
import data.govlint.lib

deny contains lib.finding(
	"TOOL-DATA-CONSENT",
	sprintf("tool/%s", [id]),
	sprintf(
		"tool %ss data domain '%s', owned by '%s', which has not approved '%s' as a consumer",
		[use.access, use.domain, domain.owner, t.owner],
	),
	sprintf("data.%d.domain", [i]),
) if {
	some id, t in tools
	t.ring != "retired"
	is_string(t.owner)
	some i, use in object.get(t, "data", [])
	domain := domains[use.domain]
	is_string(domain.owner)
	domain.owner != t.owner
	not [use.domain, t.owner] in consumers
}
