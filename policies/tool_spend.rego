# METADATA
# title: Spend above the thresholds has a purchase order and an executive's approval
# description: >-
#   Finance needs a purchase order for any tool whose annual cost is above the finance
#   threshold, and an approval by an executive sponsor of the owning department (or of a
#   department above it) above the executive threshold. Costs convert to the base currency
#   at the rates in params; a currency without a rate cannot be judged and is reported.
# custom:
#   id: TOOL-SPEND
#   severity: error
#   params: [spend]
package govlint.rules.tool_spend

import rego.v1

import data.govlint.lib.chain_executives
import data.govlint.lib.tools
import data.govlint.lib

spend := input.params.spend

# Values are bound in the body: regorus treats an undefined path in a rule's value as an error.
base_cost[id] := cost if {
	some id, t in tools
	t.ring != "retired"
	cost := t.contract.annual_cost * spend.rates[t.contract.currency]
}

deny contains lib.finding(
	"TOOL-SPEND",
	sprintf("tool/%s", [id]),
	sprintf("currency %s has no rate in params.spend.rates, so the cost cannot be judged", [t.contract.currency]),
	"contract.currency",
) if {
	some id, t in tools
	t.ring != "retired"
	is_string(t.contract.currency)
	not spend.rates[t.contract.currency]
}

deny contains lib.finding(
	"TOOL-SPEND",
	sprintf("tool/%s", [id]),
	sprintf(
		"annual cost %v %s is above the finance threshold of %v %s and the contract has no po_number",
		[t.contract.annual_cost, t.contract.currency, spend.finance_threshold, spend.base_currency],
	),
	"contract",
) if {
	some id, cost in base_cost
	cost > spend.finance_threshold
	t := tools[id]
	not t.contract.po_number
}

executive_approved(id, t) if {
	some approval in object.get(t, "approvals", [])
	lower(approval.by) in chain_executives[t.owner]
}

deny contains lib.finding(
	"TOOL-SPEND",
	sprintf("tool/%s", [id]),
	sprintf(
		"annual cost %v %s is above the executive threshold of %v %s and no executive sponsor of '%s' or above has approved it",
		[t.contract.annual_cost, t.contract.currency, spend.executive_threshold, spend.base_currency, t.owner],
	),
	path,
) if {
	some id, cost in base_cost
	cost > spend.executive_threshold
	t := tools[id]
	not executive_approved(id, t)
	path := approvals_path(t)
}

approvals_path(t) := "approvals" if t.approvals

else := "contract.annual_cost"
