package govlint.decide_test

import rego.v1

import data.govlint.decide
import data.govlint.test.fixtures as fx

# The fixture organisation as a bundle serves it: the registry and params under data.
patched(kind, id, patch) := object.union(fx.registry, {kind: {id: object.union(fx.registry[kind][id], patch)}})

test_tool_status_and_ring if {
	answer := decide.tool with input as {"tool": "planner"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer.known
	answer.ring == "adopt"
	answer.status == "adopted"
	answer.adopted
	answer.owner == "ops"
}

test_tool_on_hold_is_not_usable if {
	reg := patched("tools", "planner", {"ring": "hold"})
	answer := decide.tool with input as {"tool": "planner"} with data.govlint.registry as reg with data.govlint.params as fx.params
	answer.status == "on hold"
	not answer.usable
	not answer.adopted
}

test_unknown_tool if {
	answer := decide.tool with input as {"tool": "nope"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer == {"tool": "nope", "known": false, "status": "unknown", "adopted": false, "usable": false}
}

test_owner_may_use_its_tool_with_its_domain if {
	answer := decide.may_use with input as {"department": "ops", "tool": "planner", "domain": "plans"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer.allowed
	answer.reasons == []
}

test_approved_consumer_may_use if {
	answer := decide.may_use with input as {"department": "sales", "tool": "planner", "domain": "plans"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer.allowed
}

test_department_without_consent_may_not if {
	answer := decide.may_use with input as {"department": "finance", "tool": "planner", "domain": "plans"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	not answer.allowed
	answer.reasons == ["data domain 'plans' is owned by 'ops', which has not approved 'finance' as a consumer"]
}

test_classification_controls_the_tool_lacks if {
	reg := patched("tools", "planner", {"security": {"mfa": false, "backup": false}})
	answer := decide.may_use with input as {"department": "ops", "tool": "planner", "domain": "plans"} with data.govlint.registry as reg with data.govlint.params as fx.params
	not answer.allowed
	answer.reasons == [
		"confidential data needs MFA, which tool planner lacks",
		"confidential data needs backups, which tool planner lacks",
	]
}

test_public_data_needs_no_controls if {
	reg := object.union(
		patched("tools", "planner", {"security": {"sso": false, "mfa": false}}),
		{"data_domains": {"plans": object.union(fx.domain, {"classification": "public"})}},
	)
	answer := decide.may_use with input as {"department": "ops", "tool": "planner", "domain": "plans"} with data.govlint.registry as reg with data.govlint.params as fx.params
	answer.allowed
}

test_blocked_and_unlisted_vendors if {
	blocked := patched("vendors", "acme", {"status": "blocked"})
	answer := decide.may_use with input as {"department": "ops", "tool": "planner", "domain": "plans"} with data.govlint.registry as blocked with data.govlint.params as fx.params
	answer.reasons == ["vendor 'acme' is blocked, not approved by procurement"]
	unlisted := patched("tools", "planner", {"vendor": "globex"})
	other := decide.may_use with input as {"department": "ops", "tool": "planner", "domain": "plans"} with data.govlint.registry as unlisted with data.govlint.params as fx.params
	other.reasons == ["vendor 'globex' is not on the approved-supplier list, not approved by procurement"]
}

test_tool_not_in_use_may_not_hold_data if {
	reg := patched("tools", "planner", {"ring": "assess"})
	answer := decide.may_use with input as {"department": "ops", "tool": "planner", "domain": "plans"} with data.govlint.registry as reg with data.govlint.params as fx.params
	answer.reasons == ["tool planner is being assessed; only a tool at ring adopt or trial may hold data"]
}

test_unknown_names_are_reasons if {
	answer := decide.may_use with input as {"department": "marketing", "tool": "nope", "domain": "secrets"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	not answer.allowed
	answer.reasons == [
		"'marketing' is not a department of the registry",
		"'nope' is not a tool of the registry",
		"'secrets' is not a data domain of the registry",
	]
}

test_missing_question_is_not_allowed if {
	answer := decide.may_use with input as {} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	not answer.allowed
	count(answer.reasons) == 3
}

test_domain_owner if {
	answer := decide.domain_owner with input as {"domain": "plans"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer.owner == "ops"
	answer.executive_sponsor == fx.email("coo")
	answer.steward == fx.email("ops-analyst")
	answer.classification == "confidential"
	answer.consumers == ["sales"]
	unknown := decide.domain_owner with input as {"domain": "nope"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	unknown == {"domain": "nope", "known": false}
}

test_approvers_of_a_tool if {
	answer := decide.approvers with input as {"kind": "tool", "id": "planner"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer.known
	some need in answer.required
	need.role == "IT champion"
	need.approvers == [fx.email("champ")]
}

# Procurement answers for its suppliers: here Finance plays the procurement function.
test_approvers_of_a_vendor_change if {
	reg := patched("departments", "finance", {"function": "procurement"})
	answer := decide.approvers with input as {"kind": "vendor", "id": "acme", "fields": ["status"]} with data.govlint.registry as reg with data.govlint.params as fx.params
	[need] := answer.required
	need.role == "procurement lead or executive sponsor"
	need.approvers == [fx.email("cfo"), fx.email("controller")]
}

test_a_vendor_field_procurement_does_not_hold_needs_nobody if {
	reg := patched("departments", "finance", {"function": "procurement"})
	answer := decide.approvers with input as {"kind": "vendor", "id": "acme", "fields": ["name"]} with data.govlint.registry as reg with data.govlint.params as fx.params
	answer.required == []
}

test_approvers_of_an_unknown_record if {
	answer := decide.approvers with input as {"kind": "tool", "id": "nope"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer == {"kind": "tool", "id": "nope", "known": false, "required": []}
}

# A proposed record: only what differs is judged as changed.
test_approvers_of_a_proposed_transfer if {
	proposed := object.union(fx.domain, {"owner": "sales"})
	answer := decide.approvers with input as {"kind": "data-domain", "id": "plans", "record": proposed} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer.known
	count(answer.required) > 0
	every need in answer.required {
		need.approvers != []
	}
}

test_approvers_of_a_new_tool if {
	proposed := object.union(fx.tool, {"id": "dialer", "ring": "trial", "owner": "sales"})
	answer := decide.approvers with input as {"kind": "tool", "id": "dialer", "record": proposed} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	some need in answer.required
	need.role == "executive sponsor of sales"
	need.approvers == [fx.email("cro")]
}

test_approvers_of_an_unchanged_record if {
	answer := decide.approvers with input as {"kind": "tool", "id": "planner", "record": fx.tool} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	answer.required == []
}

test_approvers_of_a_removal if {
	answer := decide.approvers with input as {"kind": "tool", "id": "planner", "op": "remove"} with data.govlint.registry as fx.registry with data.govlint.params as fx.params
	some need in answer.required
	need.reason == "tool planner leaves the registry"
}
