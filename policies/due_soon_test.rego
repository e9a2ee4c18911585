package govlint.rules.due_soon_test

import rego.v1

import data.govlint.rules.due_soon
import data.govlint.test.fixtures as fx

# The fixtures judge on 2026-11-22 with notice_days 30: 2026-12-22 is the last day announced.

trial(ends) := fx.with_tool({"ring": "trial", "proposed_on": "2026-10-01", "trial_ends_on": ends})

renewing(date) := fx.with_tool({"contract": {"renewal": date}})

# What falls due about the tool, by kind.
tool_deadlines := {d.what | some d in due_soon.deadlines; d.entity == "tool/planner"}

test_nothing_due_in_the_compliant_registry if {
	count(due_soon.warn) == 0 with input as fx.compliant
}

test_trial_ending_within_the_notice_warns_at_its_end_date if {
	some f in due_soon.warn with input as trial("2026-12-10")
	f.rule == "DUE-SOON"
	f.entity == "tool/planner"
	f.path == "trial_ends_on"
	contains(f.message, "in 18 days, on 2026-12-10")
}

test_trial_on_the_last_day_of_notice_warns if {
	count(due_soon.warn) == 1 with input as trial("2026-12-22")
}

test_trial_a_day_beyond_the_notice_is_quiet if {
	count(due_soon.warn) == 0 with input as trial("2026-12-23")
}

test_trial_ending_today_warns_and_an_ended_one_is_left_to_tool_trial if {
	some f in due_soon.warn with input as trial("2026-11-22")
	contains(f.message, "ends today")
	count(due_soon.warn) == 0 with input as trial("2026-11-21")
}

test_trial_end_of_a_tool_not_on_trial_is_no_deadline if {
	# Only its review falls due.
	count(tool_deadlines) == 1 with input as fx.with_tools({"planner": object.union(fx.tool, {"ring": "adopt", "trial_ends_on": "2026-12-01", "review": {"last_reviewed": "2026-11-01"}})})
}

test_exception_expiring_tomorrow_warns if {
	some f in due_soon.warn with input as fx.with_exception({"expires_on": "2026-11-23"})
	f.entity == "exception/planner-scim"
	f.path == "expires_on"
	contains(f.message, "expires tomorrow")
}

test_review_falling_due_within_the_notice_warns if {
	# 2025-12-01 + 365 days is 2026-12-01, 9 days away.
	some f in due_soon.warn with input as fx.with_tool({"review": {"last_reviewed": "2025-12-01"}})
	f.path == "review.last_reviewed"
	contains(f.message, "in 9 days")
}

test_review_follows_the_tools_own_cadence if {
	count(due_soon.warn) == 0 with input as fx.with_tool({"review": {"last_reviewed": "2026-09-01"}})
	# 2026-09-01 + 90 days is 2026-11-30.
	count(due_soon.warn) == 1 with input as fx.with_tool({"review": {"last_reviewed": "2026-09-01", "cadence_days": 90}})
}

test_never_reviewed_tool_counts_from_its_proposal if {
	tools := {"planner": object.union(object.remove(fx.tool, ["review"]), {"proposed_on": "2025-12-10"})}
	some f in due_soon.warn with input as fx.with_tools(tools)
	f.path == "proposed_on"
}

test_overdue_review_is_left_to_tool_review_overdue if {
	count(due_soon.warn) == 0 with input as fx.with_tool({"review": {"last_reviewed": "2025-11-01"}})
	some d in due_soon.deadlines with input as fx.with_tool({"review": {"last_reviewed": "2025-11-01"}})
	d.what == "review"
	d.days == -21
}

test_retired_and_proposed_tools_have_no_review_due if {
	count(tool_deadlines) == 0 with input as fx.with_tool({"ring": "retired", "review": {"last_reviewed": "2025-12-01"}})
	count(tool_deadlines) == 0 with input as fx.with_tool({"ring": "proposed", "review": {"last_reviewed": "2025-12-01"}})
}

test_contract_renewal_within_the_notice_warns if {
	some f in due_soon.warn with input as renewing("2026-12-20")
	f.path == "contract.renewal"
	count(due_soon.warn) == 0 with input as renewing("2026-12-23")
}

test_passed_renewal_is_a_deadline_but_no_warning if {
	count(due_soon.warn) == 0 with input as renewing("2026-09-30")
	some d in due_soon.deadlines with input as renewing("2026-09-30")
	d.what == "renewal"
	d.days == -53
}

test_retired_tool_renews_nothing if {
	count(tool_deadlines) == 0 with input as fx.with_tool({"ring": "retired", "contract": {"renewal": "2026-12-01"}})
}

test_notice_days_zero_announces_only_today if {
	inp := trial("2026-11-23")
	count(due_soon.warn) == 0 with input as object.union(inp, {"params": {"notice_days": 0}})
	count(due_soon.warn) == 1 with input as object.union(trial("2026-11-22"), {"params": {"notice_days": 0}})
}

# `warn` finds the near deadlines without building `deadlines`, rule by rule; this holds the
# two together on a registry with a deadline of every kind, near, far and passed.
many_deadlines := fx.with_tools({
	"trial-near": object.union(fx.tool, {"ring": "trial", "trial_ends_on": "2026-12-01"}),
	"trial-far": object.union(fx.tool, {"ring": "trial", "trial_ends_on": "2027-01-30"}),
	"trial-ended": object.union(fx.tool, {"ring": "trial", "trial_ends_on": "2026-11-01"}),
	"review-near": object.union(fx.tool, {"review": {"last_reviewed": "2025-12-01"}}),
	"review-shared": object.union(fx.tool, {"review": {"last_reviewed": "2025-12-01"}}),
	"review-own-cadence": object.union(fx.tool, {"review": {"last_reviewed": "2026-09-01", "cadence_days": 90}}),
	"review-held": object.union(fx.tool, {"ring": "hold", "review": {"last_reviewed": "2025-12-20"}}),
	"review-retired": object.union(fx.tool, {"ring": "retired", "review": {"last_reviewed": "2025-12-01"}}),
	"review-passed": object.union(fx.tool, {"review": {"last_reviewed": "2025-10-01"}}),
	"never-reviewed": object.union(object.remove(fx.tool, ["review"]), {"proposed_on": "2025-12-10"}),
	"review-undated": object.union(object.remove(fx.tool, ["review"]), {"proposed_on": "2025-11-01", "review": {"cadence_days": 400}}),
	"never-reviewed-proposed": object.union(object.remove(fx.tool, ["review"]), {"ring": "proposed", "proposed_on": "2025-12-10"}),
	"renewal-near": object.union(fx.tool, {"contract": {"renewal": "2026-12-22"}}),
	"renewal-retired": object.union(fx.tool, {"ring": "retired", "contract": {"renewal": "2026-12-01"}}),
	"renewal-passed": object.union(fx.tool, {"contract": {"renewal": "2026-11-21"}}),
})

test_warnings_are_exactly_the_near_deadlines if {
	inp := object.union(many_deadlines, {"registry": {"exceptions": {
		"soon": object.union(fx.exception, {"expires_on": "2026-11-22"}),
		"later": object.union(fx.exception, {"expires_on": "2027-03-01"}),
	}}})
	near := {[d.entity, d.path] | some d in due_soon.deadlines; d.days >= 0; d.days <= 30} with input as inp
	warned := {[f.entity, f.path] | some f in due_soon.warn} with input as inp
	count(near) == 9
	warned == near
}
