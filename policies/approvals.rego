# Who must approve a change, derived from the registry rather than from file paths.
#
# `required` holds one entry per approval a change needs:
#   {"entity", "role", "approvers": [lower-cased emails], "reason"}
# APPROVAL-MISSING checks them against input.approvals; `govlint decisions` lists them.
package govlint.approvals

import rego.v1

import data.govlint.lib.base_departments
import data.govlint.lib.departments
import data.govlint.lib.function_leads
import data.govlint.lib.kind_key
import data.govlint.lib.data_level

changes := object.get(input, "changes", [])

head(kind, id) := input.registry[kind_key[kind]][id]

base(kind, id) := input.base[kind_key[kind]][id]

department(id) := found if found := departments[id]

else := base_departments[id]

executive(id) := lower(department(id).executive_sponsor.email)

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
	sprintf("executive sponsor of %s", [t.owner]),
	{executive(t.owner)},
	ring_reason(c, t),
) if {
	some c in changes
	c.kind == "tool"
	ring_decision(c)
	t := head("tool", c.id)
	is_string(t.ring)
	executive(t.owner)
}

ring_reason(c, t) := sprintf("new tool %s at ring %s in %s", [c.id, t.ring, t.owner]) if c.op == "add"

else := sprintf("tool %s moves from %s to %s in %s", [c.id, base("tool", c.id).ring, t.ring, t.owner])

# IT hears of every change to a tool: its champion approves additions, ring moves, edits and
# removals alike (for a removal, the champion the tool had).
required contains need(entity(c), "IT champion", {lower(champion)}, it_reason(c)) if {
	some c in changes
	c.kind == "tool"
	champion := champion_of(c)
}

champion_of(c) := t.it_champion if {
	c.op != "remove"
	t := head("tool", c.id)
	is_string(t.it_champion)
}

champion_of(c) := t.it_champion if {
	c.op == "remove"
	t := base("tool", c.id)
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
	{lead | some lead in object.get(function_leads, "finance", [])},
	sprintf("annual cost above the finance threshold of %v %s", [input.params.spend.finance_threshold, input.params.spend.base_currency]),
) if {
	some c in changes
	c.kind == "tool"
	touches(c, "contract")
	t := head("tool", c.id)
	t.ring != "retired"
	base_cost(t) > input.params.spend.finance_threshold
}

required contains need(
	entity(c),
	"security lead",
	{lead | some lead in object.get(function_leads, "security", [])},
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
	sprintf("executive sponsor of %s", [side]),
	{executive(side)},
	sprintf("ownership moves from %s to %s", [old, new]),
) if {
	some c in changes
	[old, new] := transfer(c)
	some side in [old, new]
	executive(side)
}

required contains need(
	entity(c),
	"deciding executive",
	{lower(decision.decided_by)},
	sprintf("the decision that moves ownership from %s to %s", [old, new]),
) if {
	some c in changes
	c.kind == "data-domain"
	[old, new] := transfer(c)
	decision := head(c.kind, c.id).decision
	is_string(decision.decided_by)
}

# Departments and exceptions ------------------------------------------------------------------

required contains need(
	entity(c),
	sprintf("executive sponsor of %s", [parent]),
	{executive(parent)},
	sprintf("department %s is %s under %s", [c.id, verb, parent]),
) if {
	some c in changes
	c.kind == "department"
	c.op in {"add", "remove"}
	parent := department_record(c).parent
	is_string(parent)
	executive(parent)
	verb := {"add": "created", "remove": "dissolved"}[c.op]
}

department_record(c) := head("department", c.id) if c.op == "add"

else := base("department", c.id)

required contains need(
	entity(c),
	"approver named on the exception",
	{lower(e.approved_by)},
	sprintf("waives %s for %s until %s", [e.rule, e.entity, e.expires_on]),
) if {
	some c in changes
	c.kind == "exception"
	c.op in {"add", "modify"}
	e := head("exception", c.id)
	is_string(e.approved_by)
}
