# METADATA
# title: Tools are reviewed on their cadence
# description: >-
#   Every tool in use is reviewed regularly: is it still needed, still compliant, still the
#   right choice? A review older than the tool's cadence (or the default in params) is a
#   warning; older than twice the cadence it is an error. A tool never reviewed counts from
#   the day it was proposed. Retired tools are exempt.
# custom:
#   id: TOOL-REVIEW-OVERDUE
#   severity: warning
#   params: [review]
package govlint.rules.tool_review_overdue

import rego.v1

import data.govlint.lib.today
import data.govlint.lib.tools
import data.govlint.lib

cadence(t) := t.review.cadence_days if is_number(t.review.cadence_days)

else := input.params.review.default_cadence_days

last_review(t) := [t.review.last_reviewed, "review.last_reviewed"] if is_string(t.review.last_reviewed)

else := [t.proposed_on, "proposed_on"] if is_string(t.proposed_on)

# A tool whose review record has a last_reviewed date within the record's cadence is not
# overdue, whatever its ring. Tools share review records (a date and a cadence), so each
# distinct record is judged once; only the tools whose record fails are judged one by one.
reviews := {t.review | some t in tools}

# The age in days of each date a review record names, each distinct date worked out once.
review_ages[date] := lib.days_between(date, today) if {
	some date in {review.last_reviewed | some review in reviews}
	is_string(date)
}

current_reviews := {review |
	some review in reviews
	age := review_ages[review.last_reviewed]
	age <= review_cadence(review)
}

review_cadence(review) := review.cadence_days if is_number(review.cadence_days)

else := input.params.review.default_cadence_days

# The tools that may be overdue: those with no review record at all, and those holding a
# record that is not current, looked for only when there is one. Every tool is read here, so
# each rule tests one plain field per tool (negating a plain reference is portable).
unreviewed contains id if {
	some id, t in tools
	not t.review
}

unreviewed contains id if {
	stale := reviews - current_reviews
	count(stale) > 0
	some id, t in tools
	t.review in stale
}

overdue[id] := {"age": age, "cadence": cadence(t), "since": since, "path": path} if {
	some id in unreviewed
	t := tools[id]
	ring := object.get(t, "ring", null) # bound first: see policies/README.md
	not ring in {"retired", "proposed"}
	[since, path] := last_review(t)
	age := lib.days_between(since, today)
	age > cadence(t)
}

message(o) := sprintf("last reviewed %s, %d days ago, against a cadence of %d days", [o.since, o.age, o.cadence])

warn contains lib.finding("TOOL-REVIEW-OVERDUE", sprintf("tool/%s", [id]), message(o), o.path) if {
	some id, o in overdue
	o.age <= 2 * o.cadence
}

deny contains lib.finding("TOOL-REVIEW-OVERDUE", sprintf("tool/%s", [id]), message(o), o.path) if {
	some id, o in overdue
	o.age > 2 * o.cadence
}
