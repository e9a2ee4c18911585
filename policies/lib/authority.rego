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
import data.govlint.lib.ancestry
import data.govlint.lib.base_ancestry
import data.govlint.lib.base_registry
import data.govlint.lib.change_mode
import data.govlint.lib.departments as head_departments

departments := object.get(base_registry, "departments", {}) if {
	change_mode
} else := {}

# The lower-cased e-mail of each base department's executive sponsor.
executive[id] := lower(email) if {
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

# The base department that holds authority over each department of the head (or of the
# base): itself when the base has it, else the nearest department above it that the base
# has. Along one parent chain the nearer a department, the more departments its own ancestry
# holds; ids break ties (a chain that loops, which DEPT-CYCLE reports). A partial object, not
# a function: in regorus, a function reading another package's partial object came out empty
# when a rule of a third package called it.
seats[id] := id if some id, _ in departments

seats[id] := nearest if {
	some id, _ in head_departments
	not departments[id]
	candidates := [[count(ancestry[a]), a] | some a in ancestry[id]; departments[a]]
	count(candidates) > 0
	nearest := max(candidates)[1]
}

seat(id) := seats[id]

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

# The executive sponsors of each base department and of every base department above it,
# computed once per department.
chain_executives[id] := {email | some a in base_ancestry[id]; email := executive[a]} if {
	some id, _ in departments
}

# The executive sponsors of a department's seat and of every base department above it.
chain_executives_over(id) := chain if {
	s := seat(id)
	chain := chain_executives[s]
} else := root_executives

# The lower-cased e-mails of the people holding the given roles (`lead`, `executive_sponsor`)
# in the base departments of a function (`finance`, `procurement`, ...).
function_people(function, roles) := {lower(email) |
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
logins contains [lower(email), lower(login)] if {
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

given := {lower(a.by) | some a in given_approvals; is_string(a.by)}

# A person approved the pull request: by their e-mail, or by the github login the base gives them.
approved(email) if lower(email) in given

approved(email) if {
	some login in given
	[lower(email), login] in logins
}

# How to name a person to a reviewer: their e-mail, with the base's github logins for it.
reviewer_name(email) := sprintf("%s (github: %s)", [email, concat(", ", sort(names))]) if {
	names := {login | some pair in logins; pair[0] == lower(email); login := pair[1]}
	count(names) > 0
} else := email
