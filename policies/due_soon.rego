# METADATA
# title: Deadlines are announced before they pass
# description: >-
#   A trial's end, an exception's expiry, a tool's next review and a contract's renewal each
#   need someone to act before the day, not after it. From notice_days before such a date
#   until the day itself, each is a warning at the field that holds the date. Once the date
#   has passed, TOOL-TRIAL, EXCEPTION-EXPIRED and TOOL-REVIEW-OVERDUE report it as before
#   (a passed renewal is listed by `govlint due`). `govlint due` lists the same deadlines by
#   owner department, for the people who must act.
# custom:
#   id: DUE-SOON
#   severity: warning
#   params: [notice_days, review]
package govlint.rules.due_soon

import rego.v1

import data.govlint.lib.exceptions
import data.govlint.lib.today
import data.govlint.lib.tools
import data.govlint.lib

notice_days := input.params.notice_days

# Every deadline the registry holds, passed or not, as {"entity", "path", "what", "date",
# "days"}: `path` the field holding the date, `what` one of trial-end, exception-expiry,
# review or renewal, `date` the field's date (for a review, the last review, or the day the
# tool was proposed when it never was), `days` the whole days from today to the deadline,
# negative once it has passed. `govlint due` reads this set; `warn` below is its near part.
# Every value in a head is bound in its body: see policies/README.md.
deadlines contains {"entity": sprintf("tool/%s", [id]), "path": "trial_ends_on", "what": "trial-end", "date": ends_on, "days": days} if {
	some id, t in tools
	t.ring == "trial"
	ends_on := t.trial_ends_on
	is_string(ends_on)
	days := days_to[ends_on]
}

deadlines contains {"entity": sprintf("exception/%s", [id]), "path": "expires_on", "what": "exception-expiry", "date": expires_on, "days": days} if {
	some id, e in exceptions
	expires_on := e.expires_on
	is_string(expires_on)
	days := days_to[expires_on]
}

deadlines contains {"entity": sprintf("tool/%s", [id]), "path": path, "what": "review", "date": since, "days": days} if {
	some id, t in tools
	ring := object.get(t, "ring", null) # bound first: see policies/README.md
	not ring in {"retired", "proposed"}
	[since, path] := last_review(t)
	days := cadence(t) + days_to[since]
}

deadlines contains {"entity": sprintf("tool/%s", [id]), "path": "contract.renewal", "what": "renewal", "date": renewal, "days": days} if {
	some id, t in tools
	ring := object.get(t, "ring", null)
	ring != "retired"
	renewal := t.contract.renewal
	is_string(renewal)
	days := days_to[renewal]
}

# The same review rules as TOOL-REVIEW-OVERDUE: the tool's cadence or the default, counted
# from the last review or, for a tool never reviewed, from the day it was proposed.
cadence(t) := t.review.cadence_days if is_number(t.review.cadence_days)

else := input.params.review.default_cadence_days

last_review(t) := [t.review.last_reviewed, "review.last_reviewed"] if is_string(t.review.last_reviewed)

else := [t.proposed_on, "proposed_on"] if is_string(t.proposed_on)

# Days from today to each date a deadline is counted from, each distinct date worked out
# once: many tools share a review or renewal date.
deadline_dates := {date | some t in tools; date := t.trial_ends_on} | {date | some e in exceptions; date := e.expires_on} | {date | some t in tools; date := t.review.last_reviewed} | {date | some t in tools; date := t.proposed_on} | {date | some t in tools; date := t.contract.renewal}

days_to[date] := lib.days_between(today, date) if {
	some date in deadline_dates
	is_string(date)
}

when(0) := "today"

when(1) := "tomorrow"

when(days) := sprintf("in %d days", [days]) if days > 1

message(d) := sprintf("trial ends %s, on %s; decide whether to adopt, hold or retire the tool", [when(d.days), d.date]) if d.what == "trial-end"

message(d) := sprintf("exception expires %s, on %s; renew it with a new approval or fix what it waives", [when(d.days), d.date]) if d.what == "exception-expiry"

message(d) := sprintf("review falls due %s (counted from %s); review the tool and record last_reviewed", [when(d.days), d.date]) if d.what == "review"

message(d) := sprintf("contract renews %s, on %s; decide whether to renew, renegotiate or retire", [when(d.days), d.date]) if d.what == "renewal"

# The warnings: the deadlines within notice_days, found without building `deadlines` (every
# date of every tool) only to keep the few near ones. Each rule below is the matching rule of
# `deadlines` with its dates filtered first, and the deadline built only for a near one: a
# date today or later (YYYY-MM-DD text compares as days) is then measured. A tool's review
# depends only on its review record, which tools share, so each distinct record is judged
# once. A field read in the body leaves the rule undefined for a tool without it, on both
# engines alike (policies/README.md).
warn contains lib.finding("DUE-SOON", d.entity, message(d), d.path) if {
	some d in near_deadlines
}

near_deadlines contains {"entity": sprintf("tool/%s", [id]), "path": "trial_ends_on", "what": "trial-end", "date": ends_on, "days": days} if {
	some id, t in tools
	t.ring == "trial"
	ends_on := t.trial_ends_on
	days := near_days(ends_on)
}

near_deadlines contains {"entity": sprintf("exception/%s", [id]), "path": "expires_on", "what": "exception-expiry", "date": expires_on, "days": days} if {
	some id, e in exceptions
	expires_on := e.expires_on
	days := near_days(expires_on)
}

near_deadlines contains {"entity": sprintf("tool/%s", [id]), "path": "review.last_reviewed", "what": "review", "date": since, "days": days} if {
	count(near_reviews) > 0
	some id, t in tools
	t.review in near_reviews
	ring := object.get(t, "ring", null) # bound first: see policies/README.md
	not ring in {"retired", "proposed"}
	since := t.review.last_reviewed
	days := review_cadence(t.review) + lib.days_between(today, since)
}

near_deadlines contains {"entity": sprintf("tool/%s", [id]), "path": "proposed_on", "what": "review", "date": since, "days": days} if {
	some id in never_reviewed
	t := tools[id]
	ring := object.get(t, "ring", null)
	not ring in {"retired", "proposed"}
	since := t.proposed_on
	is_string(since)
	days := cadence(t) + lib.days_between(today, since)
	days >= 0
	days <= notice_days
}

near_deadlines contains {"entity": sprintf("tool/%s", [id]), "path": "contract.renewal", "what": "renewal", "date": renewal, "days": days} if {
	some id, t in tools
	renewal := t.contract.renewal
	days := near_days(renewal)
	ring := object.get(t, "ring", null)
	ring != "retired"
}

# Days from today to a date within notice_days from today; undefined for any other date.
near_days(date) := days if {
	is_string(date)
	date >= today
	days := lib.days_between(today, date)
	days <= notice_days
}

# The tools never reviewed, whose review is counted from their proposal (as last_review(t)
# does): those without a review record, and those whose record has no date, looked for only
# when there is one.
never_reviewed contains id if {
	some id, t in tools
	not t.review
}

never_reviewed contains id if {
	undated := {review | some review in reviews; not review.last_reviewed}
	count(undated) > 0
	some id, t in tools
	t.review in undated
}

reviews := {t.review | some t in tools}

# The review records (a last review date and maybe a cadence) that fall due within the
# notice, each judged once however many tools share it.
near_reviews contains review if {
	some review in reviews
	since := review.last_reviewed
	is_string(since)
	days := review_cadence(review) + lib.days_between(today, since)
	days >= 0
	days <= notice_days
}

review_cadence(review) := review.cadence_days if is_number(review.cadence_days)

else := input.params.review.default_cadence_days
