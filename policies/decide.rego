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
#   `approvers` ({"kind", "id"}, optional "op" and "fields") who must approve a change to a
#   record. Not a rule: `govlint check` never reads this package.
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

# The rings at which a tool may hold a department's data.
usable_rings := {"trial", "adopt"}

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

why_not contains sprintf("tool %s is %s; only a tool in trial or adopted may hold data", [id, status]) if {
	id := asked("tool")
	t := tools[id]
	ring := object.get(t, "ring", null)
	not ring in usable_rings
	status := object.get(ring_status, ring, "at no known ring")
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

# The change asked about: a modification of every field of the record unless "fields" names
# some, or "op": "remove". It is judged as a pull request would be, by the approval rules of
# data.govlint.approvals, with the registry as both base and head.
asked_change := {"kind": kind, "id": id, "op": op, "fields": fields} if {
	kind := asked("kind")
	id := asked("id")
	record := registry[kind_key[kind]][id]
	op := object.get(input, "op", "modify")
	op in {"modify", "remove"}
	fields := object.get(input, "fields", sort(object.keys(record)))
}

change_input := {
	"mode": "change",
	"today": object.get(input, "today", "1970-01-01"),
	"registry": registry,
	"base": registry,
	"changes": [asked_change],
	"approvals": null,
	"params": params,
	"rule_changes": [],
}

approvers := {
	"kind": change.kind,
	"id": change.id,
	"known": true,
	"required": sort([{"role": r.role, "approvers": r.approvers, "reason": r.reason} | some r in required]),
} if {
	change := asked_change
	# Bound before `with`: regorus evaluates a rule named in a `with` value under the input it
	# replaces, where the question (kind, id) is gone.
	judged := change_input
	required := data.govlint.approvals.required with input as judged
} else := {"kind": object.get(input, "kind", null), "id": object.get(input, "id", null), "known": false, "required": []}
