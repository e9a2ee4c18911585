package govlint.rules.tool_date_order_test

import rego.v1

import data.govlint.rules.tool_date_order
import data.govlint.test.fixtures as fx

test_reviews_after_the_proposal_pass if {
	count(tool_date_order.warn) == 0 with input as fx.compliant
}

test_review_on_the_day_of_the_proposal_passes if {
	count(tool_date_order.warn) == 0 with input as fx.with_tool({"proposed_on": "2026-01-10"})
}

test_legal_review_before_the_proposal if {
	findings := tool_date_order.warn with input as fx.with_tool({"proposed_on": "2026-01-15"})
	count(findings) == 1
	some f in findings
	f.path == "contract.legal_review.date"
	f.entity == "tool/planner"
	startswith(f.message, "legal review is dated 2026-01-10, before the tool was proposed on 2026-01-15")
}

test_security_and_legal_review_of_a_copied_file if {
	findings := tool_date_order.warn with input as fx.with_tool({"proposed_on": "2026-03-01"})
	{f.path | some f in findings} == {"security.review.date", "contract.legal_review.date"}
}

test_approval_before_the_proposal if {
	some f in tool_date_order.warn with input as fx.with_tool({"approvals": [
		{"by": fx.email("cfo"), "role": "executive", "date": "2026-02-01"},
		{"by": fx.email("coo"), "role": "executive", "date": "2025-12-31"},
	]})
	f.path == "approvals.1.date"
	startswith(f.message, "approval by coo@example.test is dated 2025-12-31")
}

test_a_tool_without_proposed_on_or_dates_is_left_to_the_schema if {
	tool := object.remove(fx.tool, ["proposed_on", "security"])
	count(tool_date_order.warn) == 0 with input as fx.with_tools({"planner": tool})
}
