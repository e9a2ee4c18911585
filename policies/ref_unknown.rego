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
import data.govlint.lib.known_ids
import data.govlint.lib.known_people
import data.govlint.lib.tools
import data.govlint.lib.vendors
import data.govlint.lib

missing(kind, id, field, target_kind, target) := lib.finding(
	"REF-UNKNOWN",
	sprintf("%s/%s", [kind, id]),
	sprintf("%s names %s '%s', which is not in the registry", [field, target_kind, target]),
	field,
)

unknown_person(kind, id, field, email) := lib.finding(
	"REF-UNKNOWN",
	sprintf("%s/%s", [kind, id]),
	sprintf("%s names %s, who is not listed in any department", [field, email]),
	field,
)

known(email) if lower(email) in known_people

# A department or tool removed in this change is reported by DEPT-ORPHANS or TOOL-SOR-RETIRE.
removed_department(id) if base_departments[id]

removed_tool(id) if base_tools[id]

# Departments.

deny contains missing("department", id, "parent", "department", d.parent) if {
	some id, d in departments
	is_string(d.parent)
	not ["departments", d.parent] in known_ids
}

# Tools.

deny contains missing("tool", id, "owner", "department", t.owner) if {
	some id, t in tools
	is_string(t.owner)
	not ["departments", t.owner] in known_ids
	not removed_department(t.owner)
}

deny contains missing("tool", id, sprintf("users.%d", [i]), "department", user) if {
	some id, t in tools
	some i, user in object.get(t, "users", [])
	not ["departments", user] in known_ids
}

deny contains missing("tool", id, "vendor", "vendor", t.vendor) if {
	some id, t in tools
	is_string(t.vendor)
	not ["vendors", t.vendor] in known_ids
}

deny contains missing("tool", id, sprintf("%s.%d", [field, i]), "tool", other) if {
	some id, t in tools
	some field in ["integrations", "replaces"]
	some i, other in object.get(t, field, [])
	not ["tools", other] in known_ids
}

deny contains missing("tool", id, sprintf("data.%d.domain", [i]), "data domain", use.domain) if {
	some id, t in tools
	some i, use in object.get(t, "data", [])
	not ["data_domains", use.domain] in known_ids
}

deny contains unknown_person("tool", id, "security.review.reviewer", email) if {
	some id, t in tools
	email := t.security.review.reviewer
	not known(email)
}

deny contains unknown_person("tool", id, "contract.legal_review.reviewer", email) if {
	some id, t in tools
	email := t.contract.legal_review.reviewer
	not known(email)
}

deny contains unknown_person("tool", id, sprintf("approvals.%d.by", [i]), approval.by) if {
	some id, t in tools
	some i, approval in object.get(t, "approvals", [])
	not known(approval.by)
}

# Data domains.

deny contains missing("data-domain", id, "owner", "department", d.owner) if {
	some id, d in domains
	is_string(d.owner)
	not ["departments", d.owner] in known_ids
	not removed_department(d.owner)
}

deny contains missing("data-domain", id, "system_of_record", "tool", d.system_of_record) if {
	some id, d in domains
	is_string(d.system_of_record)
	not ["tools", d.system_of_record] in known_ids
	not removed_tool(d.system_of_record)
}

deny contains missing("data-domain", id, sprintf("consumers.%d.department", [i]), "department", c.department) if {
	some id, d in domains
	some i, c in object.get(d, "consumers", [])
	not ["departments", c.department] in known_ids
}

deny contains unknown_person("data-domain", id, sprintf("consumers.%d.approved_by", [i]), c.approved_by) if {
	some id, d in domains
	some i, c in object.get(d, "consumers", [])
	not known(c.approved_by)
}

deny contains unknown_person("data-domain", id, "decision.decided_by", d.decision.decided_by) if {
	some id, d in domains
	is_string(d.decision.decided_by)
	not known(d.decision.decided_by)
}

# Vendors and exceptions.

deny contains unknown_person("vendor", id, "risk_assessment.assessor", v.risk_assessment.assessor) if {
	some id, v in vendors
	is_string(v.risk_assessment.assessor)
	not known(v.risk_assessment.assessor)
}

deny contains unknown_person("exception", id, "approved_by", e.approved_by) if {
	some id, e in exceptions
	is_string(e.approved_by)
	not known(e.approved_by)
}
