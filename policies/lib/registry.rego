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

# Text -----------------------------------------------------------------------------------------

# E-mails, logins and names are compared without regard to the case of ASCII letters only.
# `lower` on other letters differs between Rego engines (Turkish dotted I, Greek final
# sigma), and e-mail addresses fold only ASCII anyway: DNS names are ASCII-insensitive and the
# local part is the receiving server's business. So "Lena@X.example" is "lena@x.example",
# while "İlker@..." stays apart from "ilker@...", on every engine alike.
ascii_lowercase := {
	"A": "a", "B": "b", "C": "c", "D": "d", "E": "e", "F": "f", "G": "g", "H": "h", "I": "i",
	"J": "j", "K": "k", "L": "l", "M": "m", "N": "n", "O": "o", "P": "p", "Q": "q", "R": "r",
	"S": "s", "T": "t", "U": "u", "V": "v", "W": "w", "X": "x", "Y": "y", "Z": "z",
}

lower_ascii(text) := strings.replace_n(ascii_lowercase, text)

# A number as whole units, for messages. `sprintf("%v")` prints large numbers differently
# on each engine (3e+17 or 300000000000000000) and `%.2f` rounds halves differently, but
# both round a number to an integer and print an integer alike.
whole(number) := format_int(round(number), 10)

# People --------------------------------------------------------------------------------------

# The people a department lists, by role. The IT champion is IT's person, not the department's.
staff(department) := array.concat(
	[p | some role in ["executive_sponsor", "lead"]; p := department[role]; is_object(p)],
	[p | some p in object.get(department, "members", []); is_object(p)],
)

# The lower-cased e-mails of everyone each department lists (the people of staff), computed
# once per department.
staff_emails[id] := emails_of(department) if some id, department in departments

emails_of(department) := {lower_ascii(email) | some email in written_emails(department)}

# The e-mails of the people of staff as written, each role read by its own path.
written_emails(department) := array.concat(
	[email | email := department.executive_sponsor.email; is_string(email)],
	array.concat(
		[email | email := department.lead.email; is_string(email)],
		[email | some p in department.members; email := p.email; is_string(email)],
	),
)

# Everyone named anywhere in a department, IT champions included. A department without an
# it_champion field contributes nobody (as when its people were listed in one array with the
# champion). Lower-cased in one call over all of them, a line each, rather than one call per
# e-mail, which cost most of the time: an e-mail holds no line break (the schema's pattern
# allows no whitespace).
known_people := {email | some email in split(lower_ascii(concat("\n", named)), "\n")} if {
	named := array.concat(
		[email | some department in departments; "it_champion" in object.keys(department); some email in written_emails(department)],
		[email | some department in departments; email := department.it_champion.email; is_string(email)],
	)
	count(named) > 0
} else := set()

known_person(email) if lower_ascii(email) in known_people

# Members, leads and sponsors of the departments whose function is IT.
# Read from the IT departments alone: staff_emails would work out everyone's.
it_people contains email if {
	some department in departments
	department.function == "it"
	some email in emails_of(department)
}

# [email, github login], both lower-cased, for matching approvals given as logins.
logins contains [lower_ascii(p.email), lower_ascii(p.github)] if {
	some department in departments
	some p in array.concat(staff(department), [department.it_champion])
	is_string(p.email)
	is_string(p.github)
}

# The line of authority ------------------------------------------------------------------------

# Every question about the line of authority is answered by walking one department's chain
# (graph.reachable from it), never by working out every department's chain up front: that
# would be quadratic in the depth of the tree, and a pull request can add a chain of
# thousands. The rules ask about the few departments that own or sponsor something.

parent_graph := {id: parents |
	some id, department in departments
	parents := [p | p := department.parent; is_string(p)]
}

base_parent_graph := {id: parents |
	some id, department in base_departments
	parents := [p | p := department.parent; is_string(p)]
}

# A department and every department above it; undefined for an id that is no department.
ancestors(id) := graph.reachable(parent_graph, {id}) if departments[id]

base_ancestors(id) := graph.reachable(base_parent_graph, {id}) if base_departments[id]

# The executive sponsors (lower-cased e-mails) of a department and of every one above it.
chain_executives(id) := {lower_ascii(email) |
	some a in ancestors(id)
	email := departments[a].executive_sponsor.email
	is_string(email)
}

# The lower-cased e-mails of everyone listed in a department or in a department above it.
line_people(id) := {email |
	some a in ancestors(id)
	some email in staff_emails[a]
}

# The departments whose chain ends at a top (no parent, or a parent that is no department),
# found in one walk down from the tops. A department outside it is in a loop or below one.
# Walking down needs each department's children; they are linked as first child and next
# sibling from one sorted list of [parent, child] pairs, so every department has at most two
# edges and the walk is linear in the number of departments.
parent_of := {id: p | some id, department in departments; p := department.parent; is_string(p); departments[p]}

tops := {id | some id, _ in departments; not parent_of[id]}

child_pairs := sort([[p, id] | some id, p in parent_of])

child_parents := [pair[0] | some pair in child_pairs]

child_ids := [pair[1] | some pair in child_pairs]

first_child := {p: child_ids[i] | some i, p in child_parents; starts_family(i)}

starts_family(0) := true

starts_family(i) if child_parents[i - 1] != child_parents[i]

next_sibling := {child_ids[i]: child_ids[i + 1] | some i, p in child_parents; child_parents[i + 1] == p}

descent_graph := {id: array.concat([c | c := first_child[id]], [s | s := next_sibling[id]]) | some id, _ in departments}

rooted := graph.reachable(descent_graph, tops)

unrooted := {id | some id, _ in departments; not id in rooted}

# Leads of the departments with a given function (finance, security, ...).
functions := {department.function | some department in departments}

function_leads[function] := sorted if {
	some function in functions
	sorted := sort([lower_ascii(d.lead.email) | some d in departments; d.function == function; is_string(d.lead.email)])
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

# The most sensitive data a tool handles: {"rank", "classification", "domain"}; undefined when
# the tool names no known data domain. A function, so that only the tools a rule asks about
# are ranked, and only the domains they use: ranking every domain up front cost more than
# ranking the uses of the few tools asked about.
data_level(tool) := level if {
	ranked := [[use_rank, use.domain] |
		some use in tool.data
		classification := domains[use.domain].classification
		use_rank := rank[classification]
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
	some index, pair in adopted_pairs
	first_of_category(index)
	is_string(pair[0])
}

adopted_pairs := sort([[tool.category, id] | some id, tool in tools; tool.ring == "adopt"])

adopted_categories := [p[0] | some p in adopted_pairs]

first_of_category(0) := true

first_of_category(index) if adopted_categories[index - 1] != adopted_categories[index]

# Dates ----------------------------------------------------------------------------------------

day_ns := 86400000000000

date_ns(date) := time.parse_ns("2006-01-02", date)

# Whole days from a to b (negative when b is earlier).
days_between(a, b) := (date_ns(b) - date_ns(a)) / day_ns

today := input.today
