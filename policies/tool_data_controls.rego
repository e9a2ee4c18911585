# METADATA
# title: Tools have the controls their data's classification requires
# description: >-
#   The more sensitive the data a tool holds, the more controls it needs before it may hold
#   it: single sign-on, MFA, automated provisioning (SCIM), backups, an approved security
#   review, stated data residency. The table per classification is in params; the tool is
#   judged by the most sensitive data domain it reads or writes, at every ring but retired:
#   a proposal states the controls the tool will have, so one that cannot have them is
#   settled before anyone depends on it (or waived by an approved exception).
# custom:
#   id: TOOL-DATA-CONTROLS
#   severity: error
#   params: [controls, classification_order]
package govlint.rules.tool_data_controls

import rego.v1

import data.govlint.lib.data_level
import data.govlint.lib.tools

flag_names := {"sso": "single sign-on", "mfa": "MFA", "scim": "SCIM provisioning", "backup": "backups"}

lacks(tool, control) := sprintf("security.%s", [control]) if {
	flag_names[control]
	object.get(tool, ["security", control], false) != true
}

lacks(tool, "security_review") := review_path(tool) if object.get(tool, ["security", "review", "status"], null) != "approved"

lacks(tool, "data_residency") := "data_residency" if count(object.get(tool, "data_residency", [])) == 0

review_path(tool) := "security.review" if tool.security.review

else := "security"

# The tools that have every control `lacks` knows, and so lack none whatever their data: the
# common case, settled before any tool's data is ranked.
fully_controlled := {id |
	some id, t in tools
	security := t.security
	security.sso == true
	security.mfa == true
	security.scim == true
	security.backup == true
	security.review.status == "approved"
	t.data_residency[0]
}

# The tools that may lack a control; retired ones are dropped below. object.keys lists the
# ids without a pass over the tools in Rego, which costs as much as the rest of this rule.
candidates := object.keys(tools) - fully_controlled

describe(control) := flag_names[control]

describe("security_review") := "an approved security review"

describe("data_residency") := "stated data residency"

deny contains finding if {
	some id in candidates
	t := tools[id]
	t.ring != "retired"
	level := data_level(t)
	some control in input.params.controls[level.classification]
	path := lacks(t, control)
	message := sprintf(
		"tool handles %s data (data domain '%s') without %s",
		[level.classification, level.domain, describe(control)],
	)
	finding := {"rule": "TOOL-DATA-CONTROLS", "entity": sprintf("tool/%s", [id]), "message": message, "path": path}
}
