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

import data.govlint.lib
import data.govlint.lib.authority
import data.govlint.lib.change_mode
import data.govlint.lib.tools

spend := input.params.spend

# Tools above the lower of the two thresholds, with their cost in the base currency: the only
# ones the threshold findings can be about. Values are bound in the body: regorus treats an
# undefined path in a rule's value as an error. Every tool is read here, so each is first
# priced at the highest rate, which needs neither its currency nor a lookup, and only the few
# above the threshold at that rate are priced at their own and their ring read. Costs are not
# negative and rates are positive, and rounding keeps the order of products, so no tool is
# above the threshold at its own rate and below it at the highest.
costly[id] := cost if {
	rates := spend.rates
	lowest := min([spend.finance_threshold, spend.executive_threshold])
	top_rate := max([rate | some rate in rates])
	some id, t in tools
	t.contract.annual_cost * top_rate > lowest
	cost := t.contract.annual_cost * rates[t.contract.currency]
	cost > lowest
	t.ring != "retired"
}

# The currencies named by tools, each checked once against the rates (the findings below
# leave out retired tools).
unrated := {currency |
	some currency in {t.contract.currency | some t in tools}
	is_string(currency)
	not spend.rates[currency]
}

deny contains lib.finding(
	"TOOL-SPEND",
	sprintf("tool/%s", [id]),
	sprintf("currency %s has no rate in params.spend.rates, so the cost cannot be judged", [t.contract.currency]),
	"contract.currency",
) if {
	count(unrated) > 0
	some id, t in tools
	t.ring != "retired"
	t.contract.currency in unrated
}

deny contains lib.finding(
	"TOOL-SPEND",
	sprintf("tool/%s", [id]),
	sprintf(
		"annual cost %s %s is above the finance threshold of %s %s and the contract has no po_number",
		[lib.whole(t.contract.annual_cost), t.contract.currency, lib.whole(spend.finance_threshold), spend.base_currency],
	),
	"contract",
) if {
	some id, cost in costly
	cost > spend.finance_threshold
	t := tools[id]
	not t.contract.po_number
}

executive_approved(id, t) if {
	some approval in object.get(t, "approvals", [])
	lib.lower_ascii(approval.by) in executives_over(t.owner)
}

# The executive sponsors of a department and of every one above it. In a pull request they
# are the base's (lib/authority.rego), so that naming oneself the owner's executive sponsor
# in the same pull request approves nothing; a department new in it counts from its nearest
# base ancestor. In full mode the registry is all there is.
executives_over(owner) := authority.chain_executives_over(owner) if {
	change_mode
} else := lib.chain_executives(owner)

deny contains lib.finding(
	"TOOL-SPEND",
	sprintf("tool/%s", [id]),
	sprintf(
		"annual cost %s %s is above the executive threshold of %s %s and no executive sponsor of %s or above has approved it",
		[lib.whole(t.contract.annual_cost), t.contract.currency, lib.whole(spend.executive_threshold), spend.base_currency, owner],
	),
	path,
) if {
	some id, cost in costly
	cost > spend.executive_threshold
	t := tools[id]
	not executive_approved(id, t)
	path := approvals_path(t)
	owner := owner_text(t) # bound here: a finding must not read a field that may be absent
}

owner_text(t) := sprintf("'%s'", [t.owner]) if is_string(t.owner)

else := "its owner"

approvals_path(t) := "approvals" if t.approvals

else := "contract.annual_cost"
