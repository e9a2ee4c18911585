# Shared indexes over the registry, each computed once per evaluation, so that no rule has to
# scan one collection for every member of another.
package govlint.lib

import rego.v1

departments := object.get(input.registry, "departments", {})

tools := object.get(input.registry, "tools", {})

domains := object.get(input.registry, "data_domains", {})

vendors := object.get(input.registry, "vendors", {})

exceptions := object.get(input.registry, "exceptions", {})

base_registry := object.get(input, "base", null)

change_mode if {
	input.mode == "change"
	is_object(base_registry)
}

base_departments := object.get(base_registry, "departments", {}) if change_mode

base_tools := object.get(base_registry, "tools", {}) if change_mode

base_domains := object.get(base_registry, "data_domains", {}) if change_mode

# The input key of each kind of entity.
kind_key := {
	"department": "departments",
	"tool": "tools",
	"data-domain": "data_domains",
	"vendor": "vendors",
	"exception": "exceptions",
}

# The ids of the records whose files exist but could not be read, by input key: references
# to them are not unknown.
unreadable_ids[key] := {id | some id in ids} if some key, ids in data.govlint.unreadable

finding(rule, entity, message, path) := {"rule": rule, "entity": entity, "message": message, "path": path}

finding_on(rule, entity, message) := {"rule": rule, "entity": entity, "message": message}

# People --------------------------------------------------------------------------------------

# The people a department lists, by role. The IT champion is IT's person, not the department's.
staff(department) := array.concat(
	[p | some role in ["executive_sponsor", "lead"]; p := department[role]; is_object(p)],
	[p | some p in object.get(department, "members", []); is_object(p)],
)

# The lower-cased e-mails of everyone each department lists (the people of staff), computed
# once per department, each role read by its own path.
staff_emails[id] := (sponsor | lead) | members if {
	some id, department in departments
	sponsor := {lower(email) | email := department.executive_sponsor.email; is_string(email)}
	lead := {lower(email) | email := department.lead.email; is_string(email)}
	members := {lower(email) | some p in department.members; email := p.email; is_string(email)}
}

# Everyone named anywhere in a department, IT champions included. A department without an
# it_champion field contributes nobody (as when its people were listed in one array with the
# champion).
known_people contains email if {
	some id, department in departments
	"it_champion" in object.keys(department)
	some email in staff_emails[id]
}

known_people contains lower(department.it_champion.email) if {
	some department in departments
	is_string(department.it_champion.email)
}

known_person(email) if lower(email) in known_people

# Members, leads and sponsors of the departments whose function is IT.
it_people contains email if {
	some id, department in departments
	department.function == "it"
	some email in staff_emails[id]
}

# [email, github login], both lower-cased, for matching approvals given as logins.
logins contains [lower(p.email), lower(p.github)] if {
	some department in departments
	some p in array.concat(staff(department), [department.it_champion])
	is_string(p.email)
	is_string(p.github)
}

# The line of authority ------------------------------------------------------------------------

parent_graph := {id: parents |
	some id, department in departments
	parents := [p | p := department.parent; is_string(p)]
}

# Each department and every department above it.
ancestry[id] := graph.reachable(parent_graph, {id}) if some id, _ in departments

base_parent_graph := {id: parents |
	some id, department in base_departments
	parents := [p | p := department.parent; is_string(p)]
}

base_ancestry[id] := graph.reachable(base_parent_graph, {id}) if some id, _ in base_departments

# The executive sponsors of a department and of every department above it.
chain_executives[id] := executives if {
	some id, _ in departments
	executives := {lower(departments[a].executive_sponsor.email) |
		some a in ancestry[id]
		is_string(departments[a].executive_sponsor.email)
	}
}

# The lower-cased e-mails of everyone listed in a department or in a department above it.
line_people[id] := {email |
	some department in ancestry[id]
	some email in staff_emails[department]
} if {
	some id, _ in departments
}

# Leads of the departments with a given function (finance, security, ...).
functions := {department.function | some department in departments}

function_leads[function] := sorted if {
	some function in functions
	sorted := sort([lower(d.lead.email) | some d in departments; d.function == function; is_string(d.lead.email)])
}

# Tools and data ------------------------------------------------------------------------------

# Classification rank: 0 for the least sensitive.
rank[classification] := index if some index, classification in input.params.classification_order

# [domain id, department id] for every approved consumer.
consumers contains [domain_id, consumer.department] if {
	some domain_id, domain in domains
	some consumer in object.get(domain, "consumers", [])
	is_string(consumer.department)
}

# The classification rank of each data domain, computed once.
domain_rank[id] := rank[domain.classification] if some id, domain in domains

# The most sensitive data a tool handles: {"rank", "classification", "domain"}; undefined when
# the tool names no known data domain. A function, so that only the tools a rule asks about
# are ranked.
data_level(tool) := level if {
	ranked := [[use_rank, use.domain] |
		some use in tool.data
		use_rank := domain_rank[use.domain]
	]
	count(ranked) > 0
	top := max(ranked)
	level := {"rank": top[0], "classification": input.params.classification_order[top[0]], "domain": top[1]}
}

# The incumbent of each category that has an adopted tool: the adopted tool whose id sorts
# first. Sorted by category then id, the first pair of each category is its incumbent. The
# categories are compared through a flat array of their own: indexing an array of pairs and
# then the pair costs far more in regorus. Non-string categories sort apart from the strings
# and are dropped only at the end, on the few first pairs.
incumbent := {pair[0]: pair[1] |
	pairs := sort([[tool.category, id] | some id, tool in tools; tool.ring == "adopt"])
	categories := [p[0] | some p in pairs]
	some index, pair in pairs
	not categories[index - 1] == pair[0]
	is_string(pair[0])
}

# Dates ----------------------------------------------------------------------------------------

day_ns := 86400000000000

date_ns(date) := time.parse_ns("2006-01-02", date)

# Whole days from a to b (negative when b is earlier).
days_between(a, b) := (date_ns(b) - date_ns(a)) / day_ns

today := input.today
