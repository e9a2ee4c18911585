# METADATA
# title: A system of record is not retired or removed while a domain names it
# description: >-
#   A data domain's system of record is where its data is authoritative. Retiring or
#   removing that tool while the domain still names it leaves the data without a home: move
#   the domain to its new system of record first.
# custom:
#   id: TOOL-SOR-RETIRE
#   severity: error
package govlint.rules.tool_sor_retire

import rego.v1

import data.govlint.lib.base_tools
import data.govlint.lib.change_mode
import data.govlint.lib.domains
import data.govlint.lib.tools
import data.govlint.lib

deny contains lib.finding(
	"TOOL-SOR-RETIRE",
	sprintf("tool/%s", [tool_id]),
	sprintf("tool is retired but is the system of record of data domain '%s'", [domain_id]),
	"ring",
) if {
	registered := tools # bound first: regorus looks a key up faster in a local than in a rule
	some domain_id, domain in domains
	tool_id := domain.system_of_record
	registered[tool_id].ring == "retired"
}

# Change mode: the tool's file is removed while a domain still names it.
deny contains lib.finding(
	"TOOL-SOR-RETIRE",
	sprintf("data-domain/%s", [domain_id]),
	sprintf("system of record '%s' is removed in this change; name the domain's new system of record", [tool_id]),
	"system_of_record",
) if {
	change_mode
	some domain_id, domain in domains
	tool_id := domain.system_of_record
	is_string(tool_id)
	not tools[tool_id]
	base_tools[tool_id]
}
