# Who must approve a change, derived from the registry rather than from file paths.
#
# `required` holds one entry per approval a change needs:
#   {"entity", "role", "approvers": [lower-cased emails], "reason"}
# APPROVAL-MISSING checks them against input.approvals; `govlint decisions` lists them.
#
# The approvers are always people of the base revision (lib/authority.rego): what a pull
# request says about people, logins and parents decides nothing about who approves it. The
# head only says what changed, and which records (owner, IT champion) a change concerns.
package govlint.approvals

import rego.v1

import data.govlint.lib.authority
import data.govlint.lib.data_level
import data.govlint.lib.kind_key
import data.govlint.lib.lower_ascii

changes := object.get(input, "changes", [])

head(kind, id) := input.registry[kind_key[kind]][id]

base(kind, id) := input.base[kind_key[kind]][id]

need(entity, role, approvers, reason) := {
	"entity": entity,
	"role": role,
	"approvers": sort([a | some a in approvers]),
	"reason": reason,
}

entity(c) := sprintf("%s/%s", [c.kind, c.id])

# Tools ----------------------------------------------------------------------------------------

ring_decision(c) if c.op == "add"

ring_decision(c) if {
	c.op == "modify"
	head("tool", c.id).ring != base("tool", c.id).ring
}

touches(c, field) if c.op == "add"

touches(c, field) if {
	c.op == "modify"
	some changed in c.fields
	startswith(changed, field)
}

required contains need(
	entity(c),
	authority.executive_role(t.owner),
	authority.executives_over(t.owner),
	ring_reason(c, t),
) if {
	some c in changes
	c.kind == "tool"
	ring_decision(c)
	t := head("tool", c.id)
	is_string(t.ring)
	is_string(t.owner)
}

ring_reason(c, t) := sprintf("new tool %s at ring %s in %s", [c.id, t.ring, t.owner]) if c.op == "add"

else := sprintf("tool %s moves from %s to %s in %s", [c.id, base("tool", c.id).ring, t.ring, t.owner])

# IT hears of every change to a tool: its champion approves additions, ring moves, edits and
# removals alike. For an edit or a removal that is the champion the base names (the one who
# answers for the tool today, even when the edit names another); for a new tool, the one it
# names, whom TOOL-IT-CHAMPION holds to IT's people.
required contains need(entity(c), "IT champion", {lower_ascii(champion)}, it_reason(c)) if {
	some c in changes
	c.kind == "tool"
	champion := champion_of(c)
}

champion_of(c) := t.it_champion if {
	c.op == "add"
	t := head("tool", c.id)
	is_string(t.it_champion)
} else := t.it_champion if {
	t := base("tool", c.id)
	is_string(t.it_champion)
} else := t.it_champion if {
	c.op == "modify"
	t := head("tool", c.id)
	is_string(t.it_champion)
}

it_reason(c) := sprintf("IT takes on tool %s at ring %s", [c.id, head("tool", c.id).ring]) if {
	ring_decision(c)
	is_string(head("tool", c.id).ring)
} else := sprintf("tool %s leaves the registry", [c.id]) if {
	c.op == "remove"
} else := sprintf("tool %s changes %s", [c.id, concat(", ", c.fields)])

base_cost(t) := t.contract.annual_cost * input.params.spend.rates[t.contract.currency]

required contains need(
	entity(c),
	"finance lead",
	authority.function_people("finance", ["lead"]),
	sprintf("annual cost above the finance threshold of %s %s", [amount(input.params.spend.finance_threshold), input.params.spend.base_currency]),
) if {
	some c in changes
	c.kind == "tool"
	touches(c, "contract")
	t := head("tool", c.id)
	t.ring != "retired"
	base_cost(t) > input.params.spend.finance_threshold
}

# Above the executive threshold, TOOL-SPEND wants an executive's approval recorded on the file;
# the executive approves the pull request too, so that the record is not just typed in.
required contains need(
	entity(c),
	sprintf("executive sponsor of %s or above", [t.owner]),
	authority.chain_executives_over(t.owner),
	sprintf("annual cost above the executive threshold of %s %s", [amount(input.params.spend.executive_threshold), input.params.spend.base_currency]),
) if {
	some c in changes
	c.kind == "tool"
	spend_decision(c)
	t := head("tool", c.id)
	is_string(t.owner)
	t.ring != "retired"
	base_cost(t) > input.params.spend.executive_threshold
}

spend_decision(c) if touches(c, "contract")

spend_decision(c) if touches(c, "owner")

# Thresholds are numbers of any size: printed as integers when whole, never through %v (its
# rendering of large numbers differs between engines).
amount(n) := format_int(n, 10) if n == floor(n)

else := sprintf("%.2f", [n])

required contains need(
	entity(c),
	"security lead",
	authority.function_people("security", ["lead"]),
	sprintf("tool handles restricted data (data domain '%s')", [level.domain]),
) if {
	some c in changes
	c.kind == "tool"
	touches(c, "data")
	t := head("tool", c.id)
	t.ring != "retired"
	level := data_level(t)
	level.classification == "restricted"
}

# Ownership transfers, of data domains and tools ---------------------------------------------

transfer(c) := [base(c.kind, c.id).owner, head(c.kind, c.id).owner] if {
	c.op == "modify"
	c.kind in {"tool", "data-domain"}
	base(c.kind, c.id).owner != head(c.kind, c.id).owner
}

required contains need(
	entity(c),
	authority.executive_role(side),
	authority.executives_over(side),
	sprintf("ownership moves from %s to %s", [old, new]),
) if {
	some c in changes
	[old, new] := transfer(c)
	some side in [old, new]
	is_string(side)
}

required contains need(
	entity(c),
	"deciding executive",
	{lower_ascii(decision.decided_by)},
	sprintf("the decision that moves ownership from %s to %s", [old, new]),
) if {
	some c in changes
	c.kind == "data-domain"
	[old, new] := transfer(c)
	decision := head(c.kind, c.id).decision
	is_string(decision.decided_by)
}

# Departments: the line of authority itself ---------------------------------------------------

# A new or dissolved department answers to the department above it (the base's, or the
# nearest one the base has); a top-level one to the base's top-level executives.
required contains need(
	entity(c),
	role,
	approvers,
	sprintf("department %s is %s %s", [c.id, verb, place]),
) if {
	some c in changes
	c.kind == "department"
	c.op in {"add", "remove"}
	parent := object.get(department_record(c), "parent", null)
	verb := {"add": "created", "remove": "dissolved"}[c.op]
	[role, approvers, place] := above(parent)
}

department_record(c) := head("department", c.id) if c.op == "add"

else := base("department", c.id)

above(parent) := [authority.executive_role(parent), authority.executives_over(parent), sprintf("under %s", [parent])] if {
	is_string(parent)
} else := ["executive sponsor of a top-level department", authority.root_executives, "at the top level"]

# The fields of a department that say who holds authority: its people and their logins, its
# place in the line of authority, its function (finance, security, procurement approve for
# the whole organisation) and the github team CODEOWNERS requests reviews from.
authority_fields := {"executive_sponsor", "lead", "it_champion", "members", "parent", "function", "github_team"}

required contains need(
	entity(c),
	authority.executive_role(c.id),
	authority.executives_over(c.id),
	sprintf("department %s changes who holds authority: %s", [c.id, concat(", ", sort(touched))]),
) if {
	some c in changes
	c.kind == "department"
	c.op == "modify"
	touched := {field | some path in c.fields; field := split(path, ".")[0]; field in authority_fields}
	count(touched) > 0
}

# Vendors: the approved-supplier list belongs to procurement -----------------------------------

vendor_fields := {"status", "risk_tier", "dpa_signed", "certifications"}

required contains need(
	entity(c),
	"procurement lead or executive sponsor",
	authority.function_people("procurement", ["lead", "executive_sponsor"]),
	vendor_reason(c),
) if {
	some c in changes
	c.kind == "vendor"
	vendor_decision(c)
}

vendor_decision(c) if c.op in {"add", "remove"}

vendor_decision(c) if {
	c.op == "modify"
	some path in c.fields
	split(path, ".")[0] in vendor_fields
}

vendor_reason(c) := sprintf("new vendor %s with status %s", [c.id, object.get(head("vendor", c.id), "status", "unstated")]) if {
	c.op == "add"
} else := sprintf("vendor %s leaves the registry", [c.id]) if {
	c.op == "remove"
} else := sprintf("vendor %s changes %s", [c.id, concat(", ", sort({f | some path in c.fields; f := split(path, ".")[0]; f in vendor_fields}))])

# Exceptions ------------------------------------------------------------------------------------

required contains need(
	entity(c),
	"approver named on the exception",
	{lower_ascii(e.approved_by)},
	sprintf("waives %s for %s until %s", [e.rule, e.entity, e.expires_on]),
) if {
	some c in changes
	c.kind == "exception"
	c.op in {"add", "modify"}
	e := head("exception", c.id)
	is_string(e.approved_by)
}

# Whoever the exception names, waiving a rule is a decision for the authority over what it
# waives: the base's executive sponsor of the owner of the tool or data domain (of the
# department itself), or procurement for a vendor.
required contains need(entity(c), role, approvers, sprintf("waives %s for %s until %s", [e.rule, e.entity, e.expires_on])) if {
	some c in changes
	c.kind == "exception"
	c.op in {"add", "modify"}
	e := head("exception", c.id)
	is_string(e.entity)
	[role, approvers] := waiver_authority(e.entity)
}

waiver_authority(waived) := [authority.executive_role(owner), authority.executives_over(owner)] if {
	[kind, id] := split(waived, "/")
	kind in {"tool", "data-domain"}
	owner := owner_of(kind, id)
} else := [authority.executive_role(id), authority.executives_over(id)] if {
	[kind, id] := split(waived, "/")
	kind == "department"
} else := ["procurement lead or executive sponsor", authority.function_people("procurement", ["lead", "executive_sponsor"])] if {
	[kind, _] := split(waived, "/")
	kind == "vendor"
}

# The owner the base gives a record, or the head's for a record new in the pull request.
owner_of(kind, id) := owner if {
	owner := base(kind, id).owner
	is_string(owner)
} else := owner if {
	owner := head(kind, id).owner
	is_string(owner)
}

# The rules themselves: policies/, schemas/ and params -------------------------------------------

# input.rule_changes lists the files under policies/ and schemas/ that the pull request
# changes. Each needs one of the governance owners the base's params name; the entity
# `policy/<path>` is the file itself.
required contains need(
	sprintf("policy/%s", [path]),
	"governance owners",
	{lower_ascii(owner) | some owner in object.get(input.params, "governance_owners", []); is_string(owner)},
	sprintf("changes the rules that judge every record (%s)", [path]),
) if {
	some path in object.get(input, "rule_changes", [])
	is_string(path)
}
