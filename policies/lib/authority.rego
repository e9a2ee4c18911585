# Authority in change mode: who may approve a pull request, read from the base revision only.
#
# A pull request can rewrite every record it touches, the people, github logins and parents
# that say who approves it among them. So approvers, their logins and the line of authority
# are read from input.base; the head only says what changed. A department that is new in the
# pull request answers to its nearest ancestor (by the head's parent chain) that the base
# knows; one with no such ancestor answers to the executive sponsors of the base's top-level
# departments. In full mode there is no base and nobody holds authority here: approvals are
# a change-mode matter.
package govlint.lib.authority

import rego.v1

# Names imported one by one: inside a package below govlint.lib, regorus does not resolve an
# import of govlint.lib itself.
import data.govlint.lib.base_ancestors
import data.govlint.lib.base_registry
import data.govlint.lib.change_mode
import data.govlint.lib.departments as head_departments
import data.govlint.lib.lower_ascii

departments := object.get(base_registry, "departments", {}) if {
	change_mode
} else := {}

# The lower-cased e-mail of each base department's executive sponsor.
executive[id] := lower_ascii(email) if {
	some id, department in departments
	email := department.executive_sponsor.email
	is_string(email)
}

# The executive sponsors of the base's top-level departments: the authority of last resort.
root_executives contains email if {
	some id, department in departments
	parent := object.get(department, "parent", null)
	not is_string(parent)
	email := executive[id]
}

# The seat of a department: the base department that holds authority over it. A department
# the base has is its own seat. A department new in the pull request sits with the nearest
# department above it (by the head's parent chain) that the base has; one whose chain reaches
# no base department (a new top-level department, a loop of new ones) has no seat and answers
# to the root executives.
#
# The seats of the new departments are found together, in one walk down from the base
# departments through the new ones, so that a pull request adding a chain of thousands of
# departments costs time in proportion to their number: asking each new department's chain
# for its nearest base department would walk the chain once per department. Walking down
# needs children; as in lib/registry.rego they are linked as first child and next sibling
# from one sorted list of [parent, child] pairs, so each new department has at most two
# edges. The walk from a base department's first new child reaches that child's siblings
# and everything below them that is new: exactly the new departments it is the seat of.
new_child_pairs := sort([[parent, id] |
	some id, department in head_departments
	not departments[id]
	parent := department.parent
	is_string(parent)
])

new_child_parents := [pair[0] | some pair in new_child_pairs]

new_child_ids := [pair[1] | some pair in new_child_pairs]

first_new_child := {parent: new_child_ids[i] | some i, parent in new_child_parents; starts_new_family(i)}

starts_new_family(0) := true

starts_new_family(i) if new_child_parents[i - 1] != new_child_parents[i]

next_new_sibling := {new_child_ids[i]: new_child_ids[i + 1] | some i, parent in new_child_parents; new_child_parents[i + 1] == parent}

new_descent := {id: array.concat([c | c := first_new_child[id]], [s | s := next_new_sibling[id]]) |
	some id, _ in head_departments
	not departments[id]
}

# Each new department below a base department, with that base department. An object built
# at once, not a partial object: in regorus, a function reading another package's partial
# object came out empty when a rule of a third package called it.
new_seats := {id: parent |
	some parent, first in first_new_child
	departments[parent]
	some id in graph.reachable(new_descent, {first})
}

seat(id) := id if {
	departments[id]
} else := new_seats[id]

# The executive sponsors who may approve for a department of the head (or of the base).
executives_over(id) := {email} if {
	s := seat(id)
	email := executive[s]
} else := root_executives

# The role those executives hold, as a sentence fragment.
executive_role(id) := sprintf("executive sponsor of %s", [s]) if {
	s := seat(id)
	executive[s]
} else := "executive sponsor of a top-level department"

# The executive sponsors of a department's seat and of every base department above it: one
# walk up the base's chain, for the department asked about only.
chain_executives_over(id) := {email | some a in base_ancestors(s); email := executive[a]} if {
	s := seat(id)
} else := root_executives

# The base departments that are, or are above, a department's seat; with no seat, the
# base's top-level departments, whose executives are the authority of last resort.
line_over(id) := base_ancestors(s) if {
	s := seat(id)
} else := {top |
	some top, department in departments
	parent := object.get(department, "parent", null)
	not is_string(parent)
}

# The executive sponsors of the base departments over both of two departments: those who
# may settle a dispute between them, such as a transfer of ownership.
executives_over_both(a, b) := {email | some d in line_over(a) & line_over(b); email := executive[d]}

# The lower-cased e-mails of the people holding the given roles (`lead`, `executive_sponsor`)
# in the base departments of a function (`finance`, `procurement`, ...).
function_people(function, roles) := {lower_ascii(email) |
	some department in departments
	department.function == function
	some role in roles
	email := department[role].email
	is_string(email)
}

# The people of the base, each role read by its own path.
base_people contains person if {
	some department in departments
	some role in ["executive_sponsor", "lead", "it_champion"]
	person := department[role]
	is_object(person)
}

base_people contains person if {
	some department in departments
	some person in object.get(department, "members", [])
	is_object(person)
}

# [email, github login], both lower-cased, as the base registry pairs them.
logins contains [lower_ascii(email), lower_ascii(login)] if {
	some person in base_people
	email := person.email
	login := person.github
	is_string(email)
	is_string(login)
}

# Approvals given on the pull request --------------------------------------------------------

# input.approvals is null when nobody said who approved.
approvals_known if is_array(input.approvals)

given_approvals := input.approvals if {
	approvals_known
} else := []

given := {lower_ascii(a.by) | some a in given_approvals; is_string(a.by)}

# A person approved the pull request: by their e-mail, or by the github login the base gives them.
approved(email) if lower_ascii(email) in given

approved(email) if {
	some login in given
	[lower_ascii(email), login] in logins
}

# How to name a person to a reviewer: their e-mail, with the base's github logins for it.
reviewer_name(email) := sprintf("%s (github: %s)", [email, concat(", ", sort(names))]) if {
	names := {login | some pair in logins; pair[0] == lower_ascii(email); login := pair[1]}
	count(names) > 0
} else := email
