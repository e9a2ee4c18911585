# METADATA
# title: References point at records that exist
# description: >-
#   Every department, tool, vendor and data domain a record names must have its own file,
#   and every person named by email must be listed in some department. A dangling reference
#   means an owner, a system of record or an approver nobody can find.
# custom:
#   id: REF-UNKNOWN
#   severity: error
package govlint.rules.ref_unknown

import rego.v1

import data.govlint.lib.base_departments
import data.govlint.lib.base_tools
import data.govlint.lib.departments
import data.govlint.lib.domains
import data.govlint.lib.exceptions
import data.govlint.lib.known_people
import data.govlint.lib.tools
import data.govlint.lib.unreadable_ids
import data.govlint.lib.vendors
import data.govlint.lib

# Each kind of reference is collected once over the records and checked as a set of distinct
# values. Only when some value names nothing does a rule go back over the records, to find
# the records that name it; in a sound registry it never does. A list field (users, data,
# integrations) is collected as the distinct lists first: tools repeat the same lists, and
# walking each list of each tool costs more than the pass over the tools itself.

missing(kind, id, field, target_kind, target) := lib.finding(
	"REF-UNKNOWN",
	sprintf("%s/%s", [kind, id]),
	sprintf("%s names %s '%s', which is not in the registry%s", [field, target_kind, target, remedy_of(target_kind, target)]),
	field,
)

# How to fix a dangling reference, worked out once per distinct target, and for the first
# `hinted_max` targets only (in sorted order): finding the ids that look like a target reads
# every known id, so a pull request naming many missing records, or one missing record from
# many files, would otherwise cost the registry's size once per reference. The other targets
# get the same remedy without look-alikes: every known id where there are few, else the
# folder that holds them.
hinted_max := 20

dangling := {[target_kind, target] |
	some [target_kind, targets] in [
		["department", unknown_parents], ["department", unknown_owners], ["department", unknown_users],
		["vendor", unknown_vendors], ["tool", object.get(unknown_tool_refs, "integrations", set())],
		["tool", object.get(unknown_tool_refs, "replaces", set())], ["data domain", unknown_domains],
		["department", unknown_domain_owners], ["tool", unknown_systems], ["department", unknown_consumers],
	]
	some target in targets
}

hinted := {pair | some pair in array.slice(sort(dangling), 0, hinted_max)}

remedies[pair] := remedy(pair[0], pair[1], known_ids[pair[0]], near_max) if some pair in hinted

remedy_of(target_kind, target) := text if {
	text := remedies[[target_kind, target]]
} else := remedy(target_kind, target, known_ids[target_kind], 0)

known_ids := {"department": department_ids, "tool": tool_ids, "vendor": vendor_ids, "data domain": domain_ids}

# How to fix a dangling reference: the known ids, all of them when there are at most
# `listed_max`, else the few that look like the target. A vendor is often simply not yet
# registered, so its message also names the file to add. The lists are built once per kind
# (the *_ids rules below) and read only for a finding, so a sound registry pays nothing.

listed_max := 12

near_max := 5

department_ids := sort([id | some id, _ in departments])

tool_ids := sort([id | some id, _ in tools])

vendor_ids := sort([id | some id, _ in vendors])

domain_ids := sort([id | some id, _ in domains])

folder := {"department": "departments", "tool": "tools", "vendor": "vendors", "data domain": "data-domains"}

# `limit`: how many look-alike ids to offer; 0 offers none, and does not look for them.
remedy("vendor", target, known, limit) := sprintf(": add registry/vendors/%s.yaml or pick %s", [target, choice(known, target, limit)])

remedy(target_kind, target, known, limit) := sprintf("; %s", [offer(target_kind, known, target, limit)]) if target_kind != "vendor"

choice(known, target, limit) := sprintf("one of %s", [concat(", ", known)]) if {
	count(known) > 0
	count(known) <= listed_max
} else := sprintf("one of %s (nearest of %d)", [concat(", ", near), count(known)]) if {
	near := near_ids(known, target, limit)
	count(near) > 0
} else := sprintf("one of the %d in registry/vendors/", [count(known)]) if {
	count(known) > 0
} else := "none: there are no vendors yet"

offer(target_kind, known, target, limit) := sprintf("known %ss: %s", [target_kind, concat(", ", known)]) if {
	count(known) > 0
	count(known) <= listed_max
} else := sprintf("nearest known %ss: %s (of %d)", [target_kind, concat(", ", near), count(known)]) if {
	near := near_ids(known, target, limit)
	count(near) > 0
} else := sprintf("the %d known %ss are in registry/%s/", [count(known), target_kind, folder[target_kind]]) if {
	count(known) > 0
} else := sprintf("there are no %ss yet: add registry/%s/%s.yaml", [target_kind, folder[target_kind], target])

# The known ids that look like the target: those sharing its longest common beginning (two
# letters at least), and those that hold it or that it holds. A cheap, portable stand-in for
# an edit distance, in the order of `known`, at most `limit` of them.
near_ids(known, target, limit) := array.slice(alike, 0, limit) if {
	limit > 0
	is_string(target)
	wanted := lib.lower_ascii(target)
	best := max([prefix_length(id, wanted) | some id in known])
	alike := [id | some id in known; looks_like(id, wanted, best)]
} else := []

prefix_length(one, two) := max([n |
	some n in numbers.range(0, min([count(one), count(two)]))
	substring(one, 0, n) == substring(two, 0, n)
])

looks_like(id, wanted, best) if {
	best >= 2
	prefix_length(id, wanted) == best
}

looks_like(id, wanted, _) if contains(id, wanted)

looks_like(id, wanted, _) if {
	count(id) >= 3
	contains(wanted, id)
}

unknown_person(kind, id, field, email) := lib.finding(
	"REF-UNKNOWN",
	sprintf("%s/%s", [kind, id]),
	sprintf("%s names %s, who is not listed in any department", [field, email]),
	field,
)

known(email) if lib.lower_ascii(email) in known_people

# The values that name no record: neither one read (in `records`) nor one whose file exists
# but could not be read (under `key` in unreadable_ids).
absent(records, key, values) := {value |
	some value in values
	not records[value]
	not unreadable(key, value)
}

# The same, for references whose value must be a string to count.
absent_strings(records, key, values) := {value |
	some value in absent(records, key, values)
	is_string(value)
}

unreadable(key, id) if {
	ids := unreadable_ids[key]
	ids[id]
}

# The e-mails that name nobody listed in a department.
strangers(emails) := {email | some email in emails; not known(email)}

# A department or tool removed in this change is reported by DEPT-ORPHANS or TOOL-SOR-RETIRE.
removed_department(id) if base_departments[id]

removed_tool(id) if base_tools[id]

# Departments.

unknown_parents := absent_strings(departments, "departments", {d.parent | some d in departments})

deny contains missing("department", id, "parent", "department", d.parent) if {
	count(unknown_parents) > 0
	some id, d in departments
	d.parent in unknown_parents
}

# Tools.

unknown_owners := {owner |
	some owner in absent_strings(departments, "departments", {t.owner | some t in tools})
	not removed_department(owner)
}

deny contains missing("tool", id, "owner", "department", t.owner) if {
	count(unknown_owners) > 0
	some id, t in tools
	t.owner in unknown_owners
}

unknown_users := absent(departments, "departments", {user | some users in {t.users | some t in tools}; some user in users})

deny contains missing("tool", id, sprintf("users.%d", [i]), "department", user) if {
	count(unknown_users) > 0
	some id, t in tools
	some i, user in t.users
	user in unknown_users
}

unknown_vendors := absent_strings(vendors, "vendors", {t.vendor | some t in tools})

deny contains missing("tool", id, "vendor", "vendor", t.vendor) if {
	count(unknown_vendors) > 0
	some id, t in tools
	t.vendor in unknown_vendors
}

unknown_tool_refs := {field: absent(tools, "tools", {other | some others in {t[field] | some t in tools}; some other in others}) |
	some field in ["integrations", "replaces"]
}

deny contains missing("tool", id, sprintf("%s.%d", [field, i]), "tool", other) if {
	some field, unknown in unknown_tool_refs
	count(unknown) > 0
	some id, t in tools
	some i, other in t[field]
	other in unknown
}

unknown_domains := absent(domains, "data_domains", {use.domain | some uses in {t.data | some t in tools}; some use in uses})

deny contains missing("tool", id, sprintf("data.%d.domain", [i]), "data domain", use.domain) if {
	count(unknown_domains) > 0
	some id, t in tools
	some i, use in t.data
	use.domain in unknown_domains
}

deny contains unknown_person("tool", id, "security.review.reviewer", email) if {
	unknown := strangers({t.security.review.reviewer | some t in tools})
	count(unknown) > 0
	some id, t in tools
	email := t.security.review.reviewer
	email in unknown
}

deny contains unknown_person("tool", id, "contract.legal_review.reviewer", email) if {
	unknown := strangers({t.contract.legal_review.reviewer | some t in tools})
	count(unknown) > 0
	some id, t in tools
	email := t.contract.legal_review.reviewer
	email in unknown
}

deny contains unknown_person("tool", id, sprintf("approvals.%d.by", [i]), approval.by) if {
	unknown := strangers({approval.by | some t in tools; some approval in t.approvals})
	count(unknown) > 0
	some id, t in tools
	some i, approval in t.approvals
	approval.by in unknown
}

# Data domains.

unknown_domain_owners := {owner |
	some owner in absent_strings(departments, "departments", {d.owner | some d in domains})
	not removed_department(owner)
}

deny contains missing("data-domain", id, "owner", "department", d.owner) if {
	count(unknown_domain_owners) > 0
	some id, d in domains
	d.owner in unknown_domain_owners
}

unknown_systems := {tool |
	some tool in absent_strings(tools, "tools", {d.system_of_record | some d in domains})
	not removed_tool(tool)
}

deny contains missing("data-domain", id, "system_of_record", "tool", d.system_of_record) if {
	count(unknown_systems) > 0
	some id, d in domains
	d.system_of_record in unknown_systems
}

unknown_consumers := absent(departments, "departments", {c.department | some d in domains; some c in d.consumers})

deny contains missing("data-domain", id, sprintf("consumers.%d.department", [i]), "department", c.department) if {
	count(unknown_consumers) > 0
	some id, d in domains
	some i, c in d.consumers
	c.department in unknown_consumers
}

deny contains unknown_person("data-domain", id, sprintf("consumers.%d.approved_by", [i]), c.approved_by) if {
	unknown := strangers({c.approved_by | some d in domains; some c in d.consumers})
	count(unknown) > 0
	some id, d in domains
	some i, c in d.consumers
	c.approved_by in unknown
}

deny contains unknown_person("data-domain", id, "decision.decided_by", d.decision.decided_by) if {
	some id, d in domains
	decided_by := d.decision.decided_by # read in the body: undefined for a domain without it
	is_string(decided_by)
	not known(decided_by)
}

# Vendors and exceptions.

deny contains unknown_person("vendor", id, "risk_assessment.assessor", v.risk_assessment.assessor) if {
	unknown := strangers({a | some v in vendors; a := v.risk_assessment.assessor; is_string(a)})
	count(unknown) > 0
	some id, v in vendors
	v.risk_assessment.assessor in unknown
}

deny contains unknown_person("exception", id, "approved_by", e.approved_by) if {
	some id, e in exceptions
	approved_by := object.get(e, "approved_by", null)
	is_string(approved_by)
	not known(approved_by)
}
