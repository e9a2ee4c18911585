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

# How a tool uses a data domain, as the verb of the message.
access_verbs := {"read": "reads", "write": "writes", "system-of-record": "is the system of record for"}

# Whether a tool owned by `owner` uses a domain of another department without its consent.
lacks_consent(owner, domain_id) if {
	domain := domains[domain_id]
	is_string(domain.owner)
	domain.owner != owner
	not [domain_id, owner] in consumers
}

# Tools of one owner tend to use the same domains: each distinct [owner, domain] pair is
# judged once, and the tools are visited again only when one lacks consent. The pairs are
# read from the distinct [owner, data] of the tools, retired ones included (the findings
# below leave them out): walking every tool's data list costs more than the rest of the rule.
pairs := {[owner, use.domain] |
	some [owner, uses] in {[t.owner, t.data] | some t in tools}
	some use in uses
}

unconsented contains pair if {
	some pair in pairs
	is_string(pair[0])
	lacks_consent(pair[0], pair[1])
}

deny contains lib.finding(
	"TOOL-DATA-CONSENT",
	sprintf("tool/%s", [id]),
	sprintf(
		"tool %s data domain '%s', owned by '%s', which has not approved '%s' as a consumer",
		[verb, use.domain, domains[use.domain].owner, t.owner],
	),
	sprintf("data.%d.domain", [i]),
) if {
	count(unconsented) > 0
	some id, t in tools
	t.ring != "retired"
	some i, use in t.data
	[t.owner, use.domain] in unconsented
	verb := object.get(access_verbs, object.get(use, "access", null), "uses") # bound: access may be absent
}
