# METADATA
# title: Trials have an end date, a limited length, and end
# description: >-
#   Vendors start a department on a trial that quietly becomes the system it decides with.
#   A trial needs an end date no more than the allowed number of days after it was proposed,
#   and once that date has passed the tool must move on: adopt, hold or retired.
# custom:
#   id: TOOL-TRIAL
#   severity: error
#   params: [trial]
package govlint.rules.tool_trial

import rego.v1

import data.govlint.lib.today
import data.govlint.lib.tools
import data.govlint.lib

max_days := input.params.trial.max_days

# The tools on trial, found in one pass for the three checks.
trials contains id if {
	some id, t in tools
	t.ring == "trial"
}

deny contains lib.finding(
	"TOOL-TRIAL",
	sprintf("tool/%s", [id]),
	"tool is on trial without trial_ends_on; every trial needs an end date",
	"ring",
) if {
	some id in trials
	ends_on := object.get(tools[id], "trial_ends_on", null) # bound first: see policies/README.md
	not is_string(ends_on)
}

deny contains lib.finding(
	"TOOL-TRIAL",
	sprintf("tool/%s", [id]),
	sprintf("trial runs %d days from %s to %s, more than the %d allowed", [days, t.proposed_on, t.trial_ends_on, max_days]),
	"trial_ends_on",
) if {
	some id in trials
	t := tools[id]
	is_string(t.trial_ends_on)
	is_string(t.proposed_on)
	days := lib.days_between(t.proposed_on, t.trial_ends_on)
	days > max_days
}

deny contains lib.finding(
	"TOOL-TRIAL",
	sprintf("tool/%s", [id]),
	sprintf("trial ended on %s; move the tool to adopt, hold or retired", [t.trial_ends_on]),
	"trial_ends_on",
) if {
	some id in trials
	t := tools[id]
	is_string(t.trial_ends_on)
	t.trial_ends_on < today
}
