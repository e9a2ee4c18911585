# METADATA
# title: A change has the approvals it needs
# description: >-
#   Each change needs the approval of the people with authority over it: the owner's
#   executive sponsor and the IT champion for a tool moving ring, the finance lead above the
#   finance threshold, the security lead for restricted data, both sides and the deciding
#   executive for an ownership transfer; the department's executive sponsor for a change to
#   its people, logins, parent or function; procurement for a new vendor or a change to a
#   vendor's status, risk tier, DPA or certifications; the governance owners (params) for a
#   change to policies/ or schemas/; for an exception, the approver it names and the
#   executive sponsor of the owner of what it waives. Approvers and their github logins are read from the
#   base revision, never from the pull request. Approvals come from the pull request's reviews
#   (--approvals); without them, required approvals are listed as pending, not failed.
# custom:
#   id: APPROVAL-MISSING
#   severity: error
package govlint.rules.approval_missing

import rego.v1

import data.govlint.approvals
import data.govlint.lib
import data.govlint.lib.authority
import data.govlint.lib.authority.approvals_known # by name: regorus reads authority.approvals_known by evaluating the whole package
import data.govlint.lib.change_mode

satisfied(requirement) if {
	some approver in requirement.approvers
	authority.approved(approver)
}

# input.approvals is null when nobody said who approved; the rule is then silent.
deny contains lib.finding_on(
	"APPROVAL-MISSING",
	requirement.entity,
	sprintf("needs approval from the %s (%s): %s", [requirement.role, who(requirement), requirement.reason]),
) if {
	change_mode
	approvals_known
	some requirement in approvals.required
	not satisfied(requirement)
}

who(requirement) := concat(", ", requirement.approvers) if count(requirement.approvers) > 0

else := "nobody is named for this role"
