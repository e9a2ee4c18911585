package govlint.rules.tool_legal_review_test

import rego.v1

import data.govlint.rules.tool_legal_review
import data.govlint.test.fixtures as fx

test_approved_review_passes if {
	count(tool_legal_review.deny) == 0 with input as fx.compliant
}

test_pending_review_at_adopt if {
	some f in tool_legal_review.deny with input as fx.with_tool({"contract": {"legal_review": {"status": "pending"}}})
	f.path == "contract.legal_review"
}

test_missing_review_points_at_the_contract if {
	inp := fx.with_tools({"planner": object.union(object.remove(fx.tool, ["contract"]), {"contract": {"annual_cost": 100, "currency": "USD"}})})
	some f in tool_legal_review.deny with input as inp
	f.path == "contract"
}

test_assessment_needs_no_review_yet if {
	count(tool_legal_review.deny) == 0 with input as fx.with_tool({"ring": "assess", "contract": {"legal_review": {"status": "pending"}}})
}

test_no_contract_no_review if {
	count(tool_legal_review.deny) == 0 with input as fx.with_tools({"planner": object.remove(fx.tool, ["contract"])})
}
