package govlint.rules.exception_expired_test

import rego.v1

import data.govlint.rules.exception_expired
import data.govlint.test.fixtures as fx

test_live_exception if {
	count(exception_expired.deny) == 0 with input as fx.compliant with data.govlint.catalog as fx.catalog
}

test_expired_yesterday if {
	some f in exception_expired.deny with input as fx.with_exception({"expires_on": "2026-11-21"}) with data.govlint.catalog as fx.catalog
	f.path == "expires_on"
}

test_expiring_today_is_still_live if {
	count(exception_expired.deny) == 0 with input as fx.with_exception({"expires_on": "2026-11-22"}) with data.govlint.catalog as fx.catalog
}

test_exactly_the_maximum_length if {
	count(exception_expired.deny) == 0 with input as fx.with_exception({"approved_on": "2026-10-01", "expires_on": "2027-03-30"}) with data.govlint.catalog as fx.catalog
}

test_one_day_too_long if {
	count(exception_expired.deny) == 1 with input as fx.with_exception({"approved_on": "2026-10-01", "expires_on": "2027-03-31"}) with data.govlint.catalog as fx.catalog
}

test_without_approval_date_counts_from_today if {
	inp := fx.with_tools({"planner": fx.tool})
	exceptions := {"planner-scim": object.union(object.remove(fx.exception, ["approved_on"]), {"expires_on": "2027-06-01"})}
	count(exception_expired.deny) == 1 with input as object.union(inp, {"registry": {"exceptions": exceptions}}) with data.govlint.catalog as fx.catalog
}

test_unknown_rule if {
	some f in exception_expired.deny with input as fx.with_exception({"rule": "NO-SUCH-RULE"}) with data.govlint.catalog as fx.catalog
	f.path == "rule"
}

test_unknown_entity if {
	some f in exception_expired.deny with input as fx.with_exception({"entity": "tool/ghost"}) with data.govlint.catalog as fx.catalog
	f.path == "entity"
}
