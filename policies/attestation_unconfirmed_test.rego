package govlint.rules.attestation_unconfirmed_test

import rego.v1

import data.govlint.rules.attestation_unconfirmed as rule
import data.govlint.test.fixtures as fx

attestations := {
	"tool": ["approvals.*.by", "security.review.reviewer", "contract.legal_review.reviewer"],
	"data-domain": ["decision.decided_by", "consumers.*.approved_by"],
	"exception": ["approved_by"],
}

# A pull request changing the planner tool to `tool`, with the given approvals.
edit_planner(tool, given) := object.union(
	fx.change(
		object.union(object.remove(fx.registry, ["tools"]), {"tools": {"planner": tool}}),
		[{"kind": "tool", "id": "planner", "op": "modify", "fields": ["approvals"]}],
		given,
	),
	{"params": {"attestations": attestations}},
)

ceo_approval := {"by": fx.email("ceo"), "role": "executive sponsor", "date": "2026-11-20"}

with_approval := object.union(fx.tool, {"approvals": [ceo_approval]})

paths(findings) := {f.path | some f in findings}

test_a_typed_in_approval_is_unconfirmed if {
	found := rule.deny with input as edit_planner(with_approval, [{"by": "ops-lead@example.test"}])
	paths(found) == {"approvals.0.by"}
	some f in found
	contains(f.message, "needs a review from ceo@example.test")
}

test_the_named_person_approving_confirms_it if {
	count(rule.deny) == 0 with input as edit_planner(with_approval, [{"by": "CEO@example.test"}])
}

test_unknown_approvals_confirm_and_fail_nothing if {
	count(rule.deny) == 0 with input as edit_planner(with_approval, null)
}

test_a_login_counts_only_as_the_base_gives_it if {
	# The head gives the CEO the login mallory; the base gives her none.
	head_ceo := object.union(fx.departments.exec, {"executive_sponsor": {"github": "mallory"}})
	inp := edit_planner(with_approval, [{"by": "mallory"}])
	paths(rule.deny) == {"approvals.0.by"} with input as object.union(inp, {"registry": {"departments": {"exec": head_ceo}}})
}

test_a_login_the_base_gives_confirms if {
	base := object.union(fx.registry, {"departments": {"exec": {"executive_sponsor": {"github": "The-CEO"}}}})
	inp := object.union(edit_planner(with_approval, [{"by": "the-ceo"}]), {"base": base})
	count(rule.deny) == 0 with input as inp
}

test_an_attestation_the_base_held_needs_nobody if {
	base := object.union(fx.registry, {"tools": {"planner": with_approval}})
	moved := object.union(with_approval, {"approvals": [{"by": fx.email("coo"), "role": "sponsor", "date": "2026-11-21"}, ceo_approval]})
	inp := object.union(edit_planner(moved, [{"by": "coo@example.test"}]), {"base": base})
	count(rule.deny) == 0 with input as inp
}

test_a_changed_review_under_the_same_name_needs_the_reviewer if {
	# The base's security review was pending; the head says approved under the same reviewer.
	pending := object.union(fx.tool, {"security": {"review": {"status": "pending"}}})
	base := object.union(object.remove(fx.registry, ["tools"]), {"tools": {"planner": pending}})
	inp := object.union(edit_planner(fx.tool, []), {"base": base})
	paths(rule.deny) == {"security.review.reviewer"} with input as inp
}

test_an_extended_exception_needs_its_approver if {
	longer := object.union(fx.exception, {"expires_on": "2027-04-01"})
	head := object.union(fx.registry, {"exceptions": {"planner-scim": longer}})
	inp := object.union(
		fx.change(head, [{"kind": "exception", "id": "planner-scim", "op": "modify", "fields": ["expires_on"]}], []),
		{"params": {"attestations": attestations}},
	)
	found := rule.deny with input as inp
	paths(found) == {"approved_by"}
	some f in found
	f.entity == "exception/planner-scim"
}

test_a_new_consumer_needs_its_approver if {
	consumers := array.concat(fx.domain.consumers, [{"department": "it", "purpose": "Audit", "approved_by": fx.email("ops-lead")}])
	head := object.union(fx.registry, {"data_domains": {"plans": object.union(fx.domain, {"consumers": consumers})}})
	inp := object.union(
		fx.change(head, [{"kind": "data-domain", "id": "plans", "op": "modify", "fields": ["consumers"]}], [{"by": "it-lead@example.test"}]),
		{"params": {"attestations": attestations}},
	)
	paths(rule.deny) == {"consumers.1.approved_by"} with input as inp
}

test_a_new_record_has_no_attestation_in_the_base if {
	fresh := object.union(fx.tool, {"id": "fresh"})
	head := object.union(fx.registry, {"tools": {"fresh": fresh}})
	inp := object.union(
		fx.change(head, [{"kind": "tool", "id": "fresh", "op": "add", "fields": ["security"]}], [{"by": "ciso@example.test"}]),
		{"params": {"attestations": attestations}},
	)
	paths(rule.deny) == {"contract.legal_review.reviewer"} with input as inp
}

test_full_mode_says_nothing if {
	count(rule.deny) == 0 with input as object.union(fx.with_tool({"approvals": [ceo_approval]}), {"approvals": [], "params": {"attestations": attestations}})
}
