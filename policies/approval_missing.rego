# METADATA
# title: A change has the approvals it needs
# description: >-
#   Each change needs the approval of the people with authority over it: the owner's
#   executive sponsor and the IT champion for a tool moving ring, the finance lead above the
#   finance threshold, the security lead for restricted data, both sides and the deciding
#   executive for an ownership transfer. Approvals come from the pull request's reviews
#   (--approvals); without them, required approvals are listed as pending, not failed.
# custom:
#   id: APPROVAL-MISSING
#   severity: error
package govlint.rules.approval_missing

import rego.v1

import data.govlint.approvals
import data.govlint.lib.change_mode
import data.govlint.lib.logins
import data.govlint.lib

# input.approvals is null when nobody said who approved; the rule is then silent.
given_approvals := input.approvals if is_array(input.approvals)

else := []

given := {lower(a.by) | some a in given_approvals; is_string(a.by)}

satisfied(requirement) if {
	some approver in requirement.approvers
	approver in given
}

satisfied(requirement) if {
	some approver in requirement.approvers
	some login in given
	[approver, login] in logins
}

deny contains lib.finding_on(
	"APPROVAL-MISSING",
	requirement.entity,
	sprintf("needs approval from the %s (%s): %s", [requirement.role, who(requirement), requirement.reason]),
) if {
	change_mode
	is_array(input.approvals)
	some requirement in approvals.required
	not satisfied(requirement)
}

who(requirement) := concat(", ", requirement.approvers) if count(requirement.approvers) > 0

else := "nobody is named for this role"
