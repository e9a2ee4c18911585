# METADATA
# title: A department's IT champion works in IT
# description: >-
#   Every department names an IT champion so IT hears about a tool at evaluation time, not
#   when support is needed. The champion must be a member of an IT department, or the
#   department has a name on paper and no channel to IT.
# custom:
#   id: DEPT-IT-CHAMPION
#   severity: error
package govlint.rules.dept_it_champion

import rego.v1

import data.govlint.lib.departments
import data.govlint.lib.it_people
import data.govlint.lib

deny contains lib.finding(
	"DEPT-IT-CHAMPION",
	sprintf("department/%s", [id]),
	sprintf("IT champion %s is not a member of a department whose function is it", [d.it_champion.email]),
	"it_champion",
) if {
	some id, d in departments
	email := object.get(d, ["it_champion", "email"], null)
	is_string(email)
	not lib.lower_ascii(email) in it_people
}
