# METADATA
# title: Every tool has an IT champion in IT
# description: >-
#   A tool bought without IT arrives without single sign-on, backups or support. Each tool
#   names an IT champion, a member of an IT department, who is involved from evaluation on.
# custom:
#   id: TOOL-IT-CHAMPION
#   severity: error
package govlint.rules.tool_it_champion

import rego.v1

import data.govlint.lib.it_people
import data.govlint.lib.tools
import data.govlint.lib

deny contains lib.finding_on(
	"TOOL-IT-CHAMPION",
	sprintf("tool/%s", [id]),
	"tool names no IT champion; add it_champion, the email of a member of an IT department",
) if {
	# Negating the plain field is portable, and cheaper than binding it with object.get for
	# every tool; a champion present is an e-mail (the schema leaves out one that is not).
	some id, t in tools
	not t.it_champion
}

# The champions named, each judged once; tools are visited again only for one outside IT.
outsiders := {champion |
	some champion in {t.it_champion | some t in tools}
	is_string(champion)
	not lib.lower_ascii(champion) in it_people
}

deny contains lib.finding(
	"TOOL-IT-CHAMPION",
	sprintf("tool/%s", [id]),
	sprintf("IT champion %s is not a member of a department whose function is it", [t.it_champion]),
	"it_champion",
) if {
	count(outsiders) > 0
	some id, t in tools
	t.it_champion in outsiders
}
