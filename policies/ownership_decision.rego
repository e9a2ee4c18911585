# METADATA
# title: Ownership moves only by an executive's decision
# description: >-
#   Process disputes are usually data-ownership disputes in disguise, and they are settled
#   only by an executive with authority over every department involved. When a data domain
#   or tool changes owner, the change must carry a new decision (for a domain) or an
#   approval (for a tool) by the executive sponsor of a department that is, or is above,
#   both the old and the new owner.
# custom:
#   id: OWNERSHIP-DECISION
#   severity: error
package govlint.rules.ownership_decision

import rego.v1

import data.govlint.lib
import data.govlint.lib.authority
import data.govlint.lib.base_domains
import data.govlint.lib.change_mode
import data.govlint.lib.domains
import data.govlint.lib.kind_key
import data.govlint.lib.tools

# Executive sponsors of the departments above (or equal to) both owners. Read from the base
# (lib/authority.rego), as every authority in a pull request is: the pull request could
# otherwise name its own executive sponsor, or move a department under one, and then record
# that executive's decision. A department new in the pull request counts from its nearest
# base ancestor.
authorities(old, new) := authority.executives_over_both(old, new)

transfers contains [c.kind, c.id, old, new] if {
	change_mode
	some c in input.changes
	c.op == "modify"
	c.kind in {"tool", "data-domain"}
	old := input.base[kind_key[c.kind]][c.id].owner
	new := input.registry[kind_key[c.kind]][c.id].owner
	old != new
}

deny contains lib.finding(
	"OWNERSHIP-DECISION",
	sprintf("data-domain/%s", [id]),
	sprintf("owner changes from %s to %s without a new decision by an executive over both", [old, new]),
	"owner",
) if {
	some ["data-domain", id, old, new] in transfers
	domains[id].decision == object.get(base_domains[id], "decision", null)
}

deny contains lib.finding(
	"OWNERSHIP-DECISION",
	sprintf("data-domain/%s", [id]),
	sprintf("owner changes from %s to %s without a new decision by an executive over both", [old, new]),
	"owner",
) if {
	some ["data-domain", id, old, new] in transfers
	object.get(domains[id], "decision", null) == null
}

deny contains lib.finding(
	"OWNERSHIP-DECISION",
	sprintf("data-domain/%s", [id]),
	sprintf(
		"decision by %s cannot move ownership from %s to %s; it takes the executive sponsor of a department over both (%s)",
		[decision.decided_by, old, new, concat(", ", sort([a | some a in authorities(old, new)]))],
	),
	"decision.decided_by",
) if {
	some ["data-domain", id, old, new] in transfers
	decision := domains[id].decision
	decision != object.get(base_domains[id], "decision", null)
	decided_by := object.get(decision, "decided_by", "")
	not lib.lower_ascii(decided_by) in authorities(old, new)
}

deny contains lib.finding(
	"OWNERSHIP-DECISION",
	sprintf("tool/%s", [id]),
	sprintf(
		"owner changes from %s to %s without an approval by the executive sponsor of a department over both (%s)",
		[old, new, concat(", ", sort([a | some a in authorities(old, new)]))],
	),
	"owner",
) if {
	some ["tool", id, old, new] in transfers
	tool := tools[id]
	not approved_by_authority(tool, old, new)
}

approved_by_authority(t, old, new) if {
	some approval in object.get(t, "approvals", [])
	lib.lower_ascii(approval.by) in authorities(old, new)
}
