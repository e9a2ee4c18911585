# METADATA
# title: Run-time decisions from the registry, for systems that ask an OPA server
# description: >-
#   What a procurement system, an SSO gateway or a ticketing system asks at run time, answered
#   from the registry that `govlint bundle` puts under data.govlint.registry (and the params
#   under data.govlint.params). The question comes as input, the answer is a document:
#   `tool` ({"tool"}) a tool's ring and status; `may_use` ({"department", "tool", "domain"})
#   whether a department may use a tool with a data domain and every reason why not (the
#   domain owner's consent, the controls the domain's classification requires, the vendor's
#   standing, the tool's ring); `domain_owner` ({"domain"}) who owns a data domain;
#   `approvers` ({"kind", "id"} and the proposed "record", or "op": "remove") who must approve
#   a change to a record. Not a rule: `govlint check` never reads this package.
package govlint.decide

import rego.v1

import data.govlint.lib.kind_key
import data.govlint.rules.tool_data_controls

# Read by their own paths: a reference to all of data.govlint would take in this package too,
# which OPA refuses as recursion.
registry := data.govlint.registry

params := data.govlint.params

tools := object.get(registry, "tools", {})

departments := object.get(registry, "departments", {})

domains := object.get(registry, "data_domains", {})

vendors := object.get(registry, "vendors", {})

# What each ring means to a system deciding at run time.
ring_status := {
	"proposed": "proposed",
	"assess": "being assessed",
	"trial": "in trial",
	"adopt": "adopted",
	"hold": "on hold",
	"retired": "retired",
}

# The rings at which a tool may hold a department's data: those at which the rules hold it to
# its commitments (params `committed_rings`, trial and adopt in the reference params).
usable_rings := {ring | some ring in object.get(params, "committed_rings", ["trial", "adopt"])}

asked(name) := value if {
	value := input[name]
	is_string(value)
}

# A tool's ring and status -----------------------------------------------------------------

tool := answer if {
	id := asked("tool")
	t := tools[id]
	ring := object.get(t, "ring", null)
	answer := {
		"tool": id,
		"known": true,
		"ring": ring,
		"status": object.get(ring_status, ring, "unknown"),
		"adopted": ring == "adopt",
		"usable": ring in usable_rings,
		"owner": object.get(t, "owner", null),
		"vendor": object.get(t, "vendor", null),
	}
} else := {"tool": object.get(input, "tool", null), "known": false, "status": "unknown", "adopted": false, "usable": false}

# Who owns a data domain ---------------------------------------------------------------------

domain_owner := answer if {
	id := asked("domain")
	d := domains[id]
	owner := object.get(d, "owner", null)
	answer := {
		"domain": id,
		"known": true,
		"owner": owner,
		"executive_sponsor": object.get(departments, [owner, "executive_sponsor", "email"], null),
		"steward": object.get(d, "steward", null),
		"classification": object.get(d, "classification", null),
		"system_of_record": object.get(d, "system_of_record", null),
		"consumers": sort([c.department | some c in object.get(d, "consumers", []); is_string(c.department)]),
	}
} else := {"domain": object.get(input, "domain", null), "known": false}

# Whether a department may use a tool with a data domain -------------------------------------

may_use := {
	"department": object.get(input, "department", null),
	"tool": object.get(input, "tool", null),
	"domain": object.get(input, "domain", null),
	"allowed": count(why_not) == 0,
	"reasons": sort([reason | some reason in why_not]),
}

why_not contains sprintf("'%s' is not a department of the registry", [name]) if {
	name := object.get(input, "department", "")
	not departments[name]
}

why_not contains sprintf("'%s' is not a tool of the registry", [name]) if {
	name := object.get(input, "tool", "")
	not tools[name]
}

why_not contains sprintf("'%s' is not a data domain of the registry", [name]) if {
	name := object.get(input, "domain", "")
	not domains[name]
}

why_not contains sprintf("tool %s is %s; only a tool at ring %s may hold data", [id, status, rings]) if {
	id := asked("tool")
	t := tools[id]
	ring := object.get(t, "ring", null)
	not ring in usable_rings
	status := object.get(ring_status, ring, "at no known ring")
	rings := concat(" or ", sort([r | some r in usable_rings]))
}

why_not contains sprintf("vendor '%s' is %s, not approved by procurement", [name, status]) if {
	t := tools[asked("tool")]
	name := t.vendor
	status := object.get(vendors, [name, "status"], "not on the approved-supplier list")
	status != "approved"
}

# The owner decides who may use its data: the department must own the domain or be one of
# its approved consumers.
why_not contains sprintf(
	"data domain '%s' is owned by '%s', which has not approved '%s' as a consumer",
	[domain_id, owner, department],
) if {
	department := asked("department")
	domain_id := asked("domain")
	owner := domains[domain_id].owner
	owner != department
	not consents(domain_id, department)
}

consents(domain_id, department) if {
	some c in object.get(domains[domain_id], "consumers", [])
	c.department == department
}

# The classification of the data asks for controls the tool must have.
why_not contains sprintf("%s data needs %s, which tool %s lacks", [level, control_name, tool_id]) if {
	tool_id := asked("tool")
	t := tools[tool_id]
	level := domains[asked("domain")].classification
	some control in object.get(params, ["controls", level], [])
	tool_data_controls.lacks(t, control)
	control_name := tool_data_controls.describe(control)
}

# Who must approve a change to a record --------------------------------------------------------

# The change asked about, judged as a pull request would be (by the approval rules of
# data.govlint.approvals, with the registry as its base):
#   {"kind", "id", "record"}: the record as proposed, new when the registry has no such id;
#     the fields whose values differ are what changes.
#   {"kind", "id", "op": "remove"}: the record removed.
#   {"kind", "id"} with optional "fields": those fields (default: all) edited, values unknown.
current(kind, id) := registry[kind_key[kind]][id]

proposed := input.record if is_object(input.record)

asked_op := object.get(input, "op", "modify")

differing(old, new) := sort([key |
	some key in object.keys(old) | object.keys(new)
	object.get(old, key, null) != object.get(new, key, null)
])

asked_change := {"kind": kind, "id": id, "op": "add", "fields": sort(object.keys(proposed))} if {
	kind := asked("kind")
	id := asked("id")
	kind_key[kind]
	not current(kind, id)
	proposed
}

asked_change := {"kind": kind, "id": id, "op": "modify", "fields": fields} if {
	kind := asked("kind")
	id := asked("id")
	record := current(kind, id)
	new := proposed
	asked_op != "remove"
	fields := object.get(input, "fields", differing(record, new))
}

asked_change := {"kind": kind, "id": id, "op": "remove", "fields": []} if {
	kind := asked("kind")
	id := asked("id")
	current(kind, id)
	not proposed
	asked_op == "remove"
}

asked_change := {"kind": kind, "id": id, "op": "modify", "fields": fields} if {
	kind := asked("kind")
	id := asked("id")
	record := current(kind, id)
	not proposed
	asked_op != "remove"
	fields := object.get(input, "fields", sort(object.keys(record)))
}

# The registry after the change: the proposed record in place, or the removed one gone.
head_records := object.union(object.remove(object.get(registry, key, {}), [asked_change.id]), {asked_change.id: proposed}) if {
	key := kind_key[asked_change.kind]
} else := object.remove(object.get(registry, key, {}), [asked_change.id]) if {
	asked_change.op == "remove"
	key := kind_key[asked_change.kind]
}

head_registry := object.union(object.remove(registry, [key]), {key: head_records}) if {
	key := kind_key[asked_change.kind]
} else := registry

change_input := {
	"mode": "change",
	"today": object.get(input, "today", "1970-01-01"),
	"registry": head_registry,
	"base": registry,
	"changes": [asked_change],
	"approvals": null,
	"params": params,
	"rule_changes": [],
}

# A proposed record the same as the registry's changes nothing, so needs nobody.
judged_required := [] if {
	asked_change.op == "modify"
	asked_change.fields == []
} else := required if {
	# Bound before `with`: regorus evaluates a rule named in a `with` value under the input it
	# replaces, where the question (kind, id) is gone.
	judged := change_input
	required := data.govlint.approvals.required with input as judged
}

approvers := {
	"kind": change.kind,
	"id": change.id,
	"known": true,
	"required": sort([{"role": r.role, "approvers": r.approvers, "reason": r.reason} | some r in judged_required]),
} if {
	change := asked_change
} else := {"kind": object.get(input, "kind", null), "id": object.get(input, "id", null), "known": false, "required": []}
