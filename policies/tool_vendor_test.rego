package govlint.rules.tool_vendor_test

import rego.v1

import data.govlint.rules.tool_vendor
import data.govlint.test.fixtures as fx

test_approved_vendor_passes if {
	count(tool_vendor.deny) == 0 with input as fx.compliant
}

test_blocked_vendor_at_any_ring if {
	count(tool_vendor.deny) == 1 with input as fx.with_vendor({"status": "blocked"})
	count(tool_vendor.deny) == 1 with input as object.union(fx.with_vendor({"status": "blocked"}), {"registry": {"tools": {"planner": {"ring": "assess"}}}})
}

test_pending_vendor_at_trial if {
	some f in tool_vendor.deny with input as object.union(fx.with_vendor({"status": "pending"}), {"registry": {"tools": {"planner": {"ring": "trial"}}}})
	f.path == "vendor"
}

test_pending_vendor_may_be_assessed if {
	count(tool_vendor.deny) == 0 with input as object.union(fx.with_vendor({"status": "pending"}), {"registry": {"tools": {"planner": {"ring": "assess"}}}})
}

test_retired_tool_of_a_blocked_vendor_is_fine if {
	count(tool_vendor.deny) == 0 with input as object.union(fx.with_vendor({"status": "blocked"}), {"registry": {"tools": {"planner": {"ring": "retired"}}}})
}
