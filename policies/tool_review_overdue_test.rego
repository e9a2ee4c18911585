package govlint.rules.tool_review_overdue_test

import rego.v1

import data.govlint.rules.tool_review_overdue
import data.govlint.test.fixtures as fx

reviewed(date) := fx.with_tool({"review": {"last_reviewed": date}})

test_recent_review if {
	count(tool_review_overdue.warn) == 0 with input as reviewed("2026-06-01")
	count(tool_review_overdue.deny) == 0 with input as reviewed("2026-06-01")
}

test_exactly_on_cadence_is_not_overdue if {
	# 2025-11-22 to 2026-11-22 is 365 days.
	count(tool_review_overdue.warn) == 0 with input as reviewed("2025-11-22")
}

test_one_day_past_cadence_warns if {
	some f in tool_review_overdue.warn with input as reviewed("2025-11-21")
	f.path == "review.last_reviewed"
	count(tool_review_overdue.deny) == 0 with input as reviewed("2025-11-21")
}

test_past_twice_the_cadence_is_an_error if {
	count(tool_review_overdue.deny) == 1 with input as reviewed("2024-11-21")
	count(tool_review_overdue.warn) == 0 with input as reviewed("2024-11-21")
}

test_own_cadence_overrides_the_default if {
	count(tool_review_overdue.warn) == 1 with input as fx.with_tool({"review": {"last_reviewed": "2026-06-01", "cadence_days": 90}})
}

test_never_reviewed_counts_from_proposal if {
	some f in tool_review_overdue.warn with input as fx.with_tools({"planner": object.union(object.remove(fx.tool, ["review"]), {"proposed_on": "2025-06-01"})})
	f.path == "proposed_on"
}

test_retired_tools_are_exempt if {
	count(tool_review_overdue.deny) == 0 with input as fx.with_tool({"ring": "retired", "review": {"last_reviewed": "2020-01-01"}})
}
