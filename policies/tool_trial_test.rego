package govlint.rules.tool_trial_test

import rego.v1

import data.govlint.rules.tool_trial
import data.govlint.test.fixtures as fx

trial(proposed, ends) := fx.with_tool({"ring": "trial", "proposed_on": proposed, "trial_ends_on": ends})

test_trial_within_limits if {
	count(tool_trial.deny) == 0 with input as trial("2026-11-01", "2027-01-15")
}

test_exactly_the_maximum_length if {
	count(tool_trial.deny) == 0 with input as trial("2026-11-01", "2027-01-30")
}

test_one_day_too_long if {
	some f in tool_trial.deny with input as trial("2026-11-01", "2027-01-31")
	f.path == "trial_ends_on"
}

test_ended_trial if {
	some f in tool_trial.deny with input as trial("2026-09-01", "2026-11-21")
	contains(f.message, "ended")
}

test_ending_today_is_still_running if {
	count(tool_trial.deny) == 0 with input as trial("2026-09-01", "2026-11-22")
}

test_trial_without_end_date if {
	some f in tool_trial.deny with input as fx.with_tool({"ring": "trial"})
	f.path == "ring"
}
