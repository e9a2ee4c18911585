"""`govlint history`: the decision ledger, every registry change on the branch's history told
as the decision it was, with its date, author, approvals and what it superseded.

The branch is walked along first parents (a merged pull request is its merge commit); each
commit's changed files come from one `git diff-tree` for the commits not asked about before
(the answers are cached by commit and parent: a commit never changes), and a record is read
once per blob id (the check's record cache), so a long history over a large registry costs
the files that changed, never the registry once per commit, and a warm run asks git only for
the list of commits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, TextIO

from govlint.cache import RecordCache, cache_directory
from govlint.cache import CheckedSchemas
from govlint.changes import Change, changed_fields
from govlint.decisions import change_wording
from govlint.errors import GovlintError
from govlint.git import CommitInfo, FileChange, GitTree, first_parent_changes, first_parent_commits, open_repository, read_blob
from govlint.parse import MAX_BYTES, too_large
from govlint.read import FileTooLarge
from govlint.registry import KIND_BY_FOLDER, KIND_BY_NAME, REGISTRY_FOLDER, Kind, read_records
from govlint.report.markdown import inline
from govlint.report.text import plain
from govlint.validate import SchemaSet

LedgerFormat = Literal["text", "markdown", "json"]
LEDGER_VERSION = 1
# Commit trailers that record an approval, and the role each stands for.
APPROVAL_TRAILERS = {"approved-by": "approved", "reviewed-by": "reviewed", "acked-by": "acknowledged"}
# The rings a tool passes through on its way in, as the stages of its story.
STAGES = {"proposed": "proposed", "assess": "proposed", "trial": "trial", "adopt": "adopted", "retired": "retired"}


@dataclass(frozen=True)
class HistorySettings:
    """What `govlint history` was asked for."""

    repo: Path
    ref: str = "HEAD"
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    entity: str | None = None  # kind/id: one record's story
    no_cache: bool = False
    cache_dir: Path | None = None


@dataclass(frozen=True)
class Approval:
    """An approval the history records: a commit trailer or an entry the record gained."""

    by: str
    role: str
    source: Literal["trailer", "record"]
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "role": self.role, "source": self.source, "date": self.date}


@dataclass(frozen=True)
class Superseded:
    """One fact a decision replaced: the field, its value before and its value after."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class LedgerEntry:
    """One decision: one record changed by one commit of the branch."""

    commit: CommitInfo
    entity: str
    op: Literal["add", "modify", "remove"]
    action: str
    title: str
    approvals: tuple[Approval, ...]
    superseded: tuple[Superseded, ...]
    # The commit of the branch that last changed this record before, or None for its first.
    previous_commit: str | None
    # A data-ownership decision's own `supersedes`, when this commit recorded it.
    supersedes: str | None = None
    # The entity this record was, when this commit renamed its file.
    renamed_from: str | None = None
    ring_before: str | None = None
    ring_after: str | None = None
    # Why the record could not be told as a decision (its file not readable as YAML).
    unreadable: str | None = None

    @property
    def date(self) -> str:
        return self.commit.date[:10]

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit.sha,
            "date": self.date,
            "timestamp": self.commit.date,
            "author": {"name": self.commit.author_name, "email": self.commit.author_email},
            "subject": self.commit.subject,
            "entity": self.entity,
            "op": self.op,
            "action": self.action,
            "title": self.title,
            "approvals": [approval.to_json() for approval in self.approvals],
            "superseded": [{"field": s.field, "before": s.before, "after": s.after} for s in self.superseded],
            "previous_commit": self.previous_commit,
            "supersedes": self.supersedes,
            "renamed_from": self.renamed_from,
            "ring": {"before": self.ring_before, "after": self.ring_after},
            "unreadable": self.unreadable,
        }


@dataclass(frozen=True)
class Stage:
    """A step of a tool's way in: the first time it reached a stage, and where."""

    stage: str
    date: str
    commit: str


STAGE_ORDER = ("proposed", "trial", "adopted", "retired", "removed")


def stages_of(entries: list[LedgerEntry]) -> list[Stage]:
    """The first date one record's decisions (oldest first) reached each stage, in the order
    reached: proposed when the record first appeared, then each ring it moved to; a removal
    ends the story as `removed`. A rename continues the story rather than starting one."""
    reached: dict[str, Stage] = {}
    for entry in entries:
        if entry.op == "remove":
            reached.setdefault("removed", Stage("removed", entry.date, entry.commit.sha))
            continue
        if entry.op == "add" and entry.renamed_from is None:
            reached.setdefault("proposed", Stage("proposed", entry.date, entry.commit.sha))
        stage = STAGES.get(entry.ring_after or "")
        if stage is not None and entry.ring_after != entry.ring_before:
            reached.setdefault(stage, Stage(stage, entry.date, entry.commit.sha))
    return sorted(reached.values(), key=lambda s: (s.date, STAGE_ORDER.index(s.stage)))


@dataclass(frozen=True)
class LeadTime:
    """One tool's proposal, trial and adoption dates from the ledger, and the days between."""

    tool: str
    proposed: str | None
    trial: str | None
    adopted: str | None

    @staticmethod
    def _days(start: str | None, end: str | None) -> int | None:
        from datetime import date

        if start is None or end is None:
            return None
        return (date.fromisoformat(end) - date.fromisoformat(start)).days

    @property
    def to_trial(self) -> int | None:
        return self._days(self.proposed, self.trial)

    @property
    def to_adoption(self) -> int | None:
        return self._days(self.proposed, self.adopted)


@dataclass
class Ledger:
    """The decisions of a branch's history, oldest first."""

    ref: str
    revision: str
    entries: list[LedgerEntry] = field(default_factory=list)
    entity: str | None = None
    # The names the entity has had, oldest first, when the ledger tells one record's story.
    names: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None

    def stages(self) -> list[Stage]:
        """The stages the ledger's entity reached, under any of its names."""
        wanted = set(self.names)
        return stages_of([entry for entry in self.entries if entry.entity in wanted])

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "version": LEDGER_VERSION,
            "ref": self.ref,
            "revision": self.revision,
            "since": self.since,
            "until": self.until,
            "entity": self.entity,
            "decisions": [entry.to_json() for entry in self.entries],
        }
        if self.entity is not None:
            document["story"] = {
                "names": self.names,
                "stages": [{"stage": s.stage, "date": s.date, "commit": s.commit} for s in self.stages()],
            }
        return document


def lead_times(ledger: Ledger) -> list[LeadTime]:
    """Each tool's days from proposal to trial and to adoption, from a whole-history ledger:
    proposed is the day its record first appeared, trial and adopted the first days its ring
    became `trial` and `adopt` (a tool added at `adopt` has no trial and no wait). Renames
    are followed. What the dashboard's lead-time chart is drawn from."""
    successor: dict[str, str] = {}
    for entry in ledger.entries:
        if entry.renamed_from is not None:
            successor[entry.renamed_from] = entry.entity
    by_tool: dict[str, list[LedgerEntry]] = {}
    for entry in ledger.entries:
        if not entry.entity.startswith("tool/"):
            continue
        final = entry.entity
        seen = {final}
        while final in successor and successor[final] not in seen:
            final = successor[final]
            seen.add(final)
        by_tool.setdefault(final, []).append(entry)
    times = []
    for final, entries in sorted(by_tool.items()):
        reached = {stage.stage: stage.date for stage in stages_of(entries)}
        if "proposed" in reached:
            times.append(LeadTime(final.partition("/")[2], reached["proposed"], reached.get("trial"), reached.get("adopted")))
    return times


def history_lead_times(repo: Path, ref: str = "HEAD", cache_dir: Path | None = None) -> list[LeadTime]:
    """Lead times of every tool on `ref`'s history, for a caller outside the CLI (the dashboard)."""
    return lead_times(build_ledger(HistorySettings(repo=repo, ref=ref, cache_dir=cache_dir)))


def _record_file(path: str | None, prefix: str) -> tuple[Kind, str] | None:
    """The kind and stem of a registry record file (`registry/tools/x.yaml`), else None."""
    if path is None:
        return None
    if prefix:
        if not path.startswith(prefix + "/"):
            return None
        path = path[len(prefix) + 1 :]
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != REGISTRY_FOLDER or not parts[2].endswith(".yaml"):
        return None
    kind = KIND_BY_FOLDER.get(parts[1])
    return (kind, parts[2][: -len(".yaml")]) if kind is not None else None


_REGULAR = ("100644", "100755")


def _entity_of(path: str | None, mode: str, prefix: str) -> tuple[Kind, str] | None:
    return _record_file(path, prefix) if mode in _REGULAR else None


class _Records:
    """Record values by (kind, stem, blob id): each blob read and validated once, through the
    check's record cache, the misses read together (in worker processes when many)."""

    def __init__(self, repo: Any, schemas: SchemaSet, cache: RecordCache | None) -> None:
        self._repo = repo
        self._schemas = schemas
        self._cache = cache
        self._values: dict[tuple[str, str, str], dict[str, Any] | str] = {}

    def load(self, wanted: set[tuple[Kind, str, str]]) -> None:
        misses: list[tuple[Kind, str, str, bytes]] = []
        for kind, stem, blob in sorted(wanted, key=lambda w: (w[0].name, w[1], w[2])):
            key = f"{kind.name}/{stem}:{blob}"
            cached = self._cache.get(key) if self._cache is not None else None
            if cached is not None:
                self._keep(kind, stem, blob, cached)
                continue
            try:
                misses.append((kind, stem, blob, read_blob(self._repo, blob, MAX_BYTES)))
            except FileTooLarge as exc:
                self._values[kind.name, stem, blob] = too_large(exc.size)
        fresh = read_records([(kind.name, stem, data) for kind, stem, _, data in misses], self._schemas)
        for (kind, stem, blob, _), result in zip(misses, fresh):
            if self._cache is not None:
                self._cache.put(f"{kind.name}/{stem}:{blob}", result)
            self._keep(kind, stem, blob, result)
        if self._cache is not None:
            self._cache.save(keep_unused=True)

    def _keep(self, kind: Kind, stem: str, blob: str, result: dict[str, Any]) -> None:
        if result["record"] is None:
            problem = result["problems"][0] if result["problems"] else ["YAML", 1, "unreadable", None]
            self._values[kind.name, stem, blob] = f"line {problem[1]}: {problem[2]}"
        else:
            self._values[kind.name, stem, blob] = json.loads(result["record"])

    def get(self, kind: Kind, stem: str, blob: str | None) -> dict[str, Any] | str | None:
        """The record, or why it could not be read (a string), or None when there is no blob."""
        return None if blob is None else self._values[kind.name, stem, blob]


def _value_at(record: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(record, dict) or part not in record:
            return None
        record = record[part]
    return record


def _approvals(commit: CommitInfo, old: dict[str, Any], new: dict[str, Any]) -> tuple[Approval, ...]:
    """The commit's approval trailers, then the attestations the record gained with it."""
    found = [
        Approval(value, APPROVAL_TRAILERS[key.lower()], "trailer")
        for key, value in commit.trailers
        if key.lower() in APPROVAL_TRAILERS
    ]
    before = [a for a in old.get("approvals") or [] if isinstance(a, dict)]
    for given in new.get("approvals") or []:
        if isinstance(given, dict) and given not in before and isinstance(given.get("by"), str):
            found.append(Approval(given["by"], str(given.get("role", "approver")), "record", _text(given.get("date"))))
    decision = new.get("decision")
    if isinstance(decision, dict) and decision != old.get("decision") and isinstance(decision.get("decided_by"), str):
        found.append(Approval(decision["decided_by"], "decided", "record", _text(decision.get("decided_on"))))
    if isinstance(new.get("approved_by"), str) and new.get("approved_by") != old.get("approved_by"):
        found.append(Approval(new["approved_by"], "approved", "record", _text(new.get("approved_on"))))
    return tuple(found)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _within(commit: CommitInfo, settings: HistorySettings) -> bool:
    day = commit.date[:10]
    return (settings.since is None or day >= settings.since) and (settings.until is None or day <= settings.until)


def _names_of(entity: str, walk: list[tuple[CommitInfo, list[FileChange]]], prefix: str) -> list[str]:
    """The entities a record has been, following renames back from `entity`, oldest first."""
    names = [entity]
    for _, changes in reversed(walk):
        for change in changes:
            if change.status != "R":
                continue
            old, new = _record_file(change.old_path, prefix), _record_file(change.new_path, prefix)
            if old and new and new[0].entity(new[1]) == names[0] and old[0].entity(old[1]) not in names:
                names.insert(0, old[0].entity(old[1]))
    return names


def build_ledger(settings: HistorySettings) -> Ledger:
    """The ledger of `settings.ref`'s first-parent history, filtered as asked."""
    if settings.entity is not None:
        kind_name, _, record_id = settings.entity.partition("/")
        if kind_name not in KIND_BY_NAME or not record_id:
            kinds = ", ".join(KIND_BY_NAME)
            raise GovlintError(f"--entity must be KIND/ID with KIND one of {kinds}, not {settings.entity!r}")
    repo, prefix = open_repository(settings.repo)
    tree = GitTree(repo, settings.ref, prefix)
    folder = f"{prefix}/{REGISTRY_FOLDER}" if prefix else REGISTRY_FOLDER
    cache_dir = None if settings.no_cache else cache_directory(settings.cache_dir)
    commits = first_parent_commits(repo, settings.ref)
    changed = first_parent_changes(repo, commits, folder, cache_dir)
    walk = [(commit, changed[commit.sha]) for commit in commits if changed.get(commit.sha)]
    names = _names_of(settings.entity, walk, prefix) if settings.entity else []

    # Which blobs are needed: every department version (owners are named by department), and
    # both sides of each record change the ledger will show.
    wanted: set[tuple[Kind, str, str]] = set()
    for commit, changes in walk:
        shown = _within(commit, settings)
        for change in changes:
            found = [(_entity_of(path, mode, prefix), blob) for path, blob, mode in (
                (change.old_path, change.old_blob, change.old_mode), (change.new_path, change.new_blob, change.new_mode))]
            present = [(where, blob) for where, blob in found if where is not None and blob is not None]
            told = shown and (not names or any(kind.entity(stem) in names for (kind, stem), _ in present))
            for (kind, stem), blob in present:
                if told or kind.name == "department":
                    wanted.add((kind, stem, blob))
    schemas = SchemaSet.load(tree, CheckedSchemas(cache_dir) if cache_dir else None)
    # The ledger's own cache file: the check's keeps only the records of one revision.
    ledger_key = hashlib.sha256(f"ledger {schemas.fingerprint}".encode()).hexdigest()
    records = _Records(repo, schemas, RecordCache(cache_dir, ledger_key) if cache_dir else None)
    records.load(wanted)

    ledger = Ledger(settings.ref, tree.revision, entity=settings.entity, names=names,
                    since=settings.since, until=settings.until)
    departments: dict[str, dict[str, Any]] = {}
    last_commit: dict[str, str] = {}
    wording = change_wording({})
    for commit, changes in walk:
        shown = _within(commit, settings)
        gone: dict[str, dict[str, Any]] = {}  # departments this commit removes
        departments_changed = False
        entries: list[LedgerEntry] = []
        pending: list[tuple[Kind, str, Any, Any, str | None, str | None]] = []
        for change in changes:
            old_file = _entity_of(change.old_path, change.old_mode, prefix) if change.old_blob else None
            new_file = _entity_of(change.new_path, change.new_mode, prefix) if change.new_blob else None
            # (before, after, renamed from): a file renamed within its kind is one record
            # under a new id, told as a rename; across kinds, a removal and an addition.
            sides: list[tuple[tuple[Kind, str] | None, tuple[Kind, str] | None, str | None]]
            if old_file and new_file and old_file != new_file:
                if old_file[0] == new_file[0]:
                    sides = [(old_file, new_file, old_file[0].entity(old_file[1]))]
                else:
                    sides = [(old_file, None, None), (None, new_file, None)]
            else:
                sides = [(old_file, new_file, None)] if old_file or new_file else []
            for before_file, after_file, renamed_from in sides:
                located = after_file or before_file
                assert located is not None  # each side names at least one file
                kind, stem = located
                entity = kind.entity(stem)
                previous = last_commit.pop(renamed_from, None) if renamed_from else last_commit.get(entity)
                wanted_here = shown and (not names or entity in names or renamed_from in names)
                if not wanted_here:
                    last_commit[entity] = commit.sha  # unread: the last commit that changed its file
                    if kind.name != "department":
                        continue  # only departments are followed outside the window
                old = records.get(before_file[0], before_file[1], change.old_blob) if before_file else None
                new = records.get(kind, stem, change.new_blob) if after_file else None
                if kind.name == "department":
                    departments_changed = True
                    if before_file and before_file[1] != stem and before_file[1] in departments:
                        gone[before_file[1]] = departments.pop(before_file[1])
                    if isinstance(new, dict):
                        departments[stem] = new
                    elif after_file is None and stem in departments:
                        gone[stem] = departments.pop(stem)
                if wanted_here:
                    pending.append((kind, stem, old, new, previous, renamed_from))
        if departments_changed:
            # A department removed by this commit still names the people of its records.
            wording = change_wording({**gone, **departments})
        for kind, stem, old, new, previous, renamed_from in pending:
            entry = _entry(commit, kind, stem, old, new, previous, renamed_from, wording)
            if entry is not None:
                entries.append(entry)
                last_commit[entry.entity] = commit.sha
        ledger.entries.extend(sorted(entries, key=lambda e: (list(KIND_BY_NAME).index(e.entity.partition("/")[0]), e.entity)))
    return ledger


def _entry(
    commit: CommitInfo,
    kind: Kind,
    stem: str,
    old: dict[str, Any] | str | None,
    new: dict[str, Any] | str | None,
    previous: str | None,
    renamed_from: str | None,
    wording: Callable[[Change, dict[str, Any], dict[str, Any]], tuple[str, str]],
) -> LedgerEntry | None:
    """One record's change in one commit as a decision; None when its value did not change
    (a comment or formatting edit)."""
    op: Literal["add", "modify", "remove"] = "add" if old is None else "remove" if new is None else "modify"
    entity = kind.entity(stem)
    if isinstance(old, str) or isinstance(new, str):
        problem = new if isinstance(new, str) else old
        return LedgerEntry(commit, entity, op, f"{op} {kind.name}", f"{entity}: the record could not be read", (),
                           (), previous, renamed_from=renamed_from, unreadable=str(problem))
    before, after = old or {}, new or {}
    if op == "modify":
        fields = changed_fields(before, after)
        if not fields and not renamed_from:
            return None
    else:
        fields = sorted(str(key) for key in after) if op == "add" else []
    action, title = wording(Change(kind.name, stem, op, tuple(fields)), before, after)
    if renamed_from:
        action, title = "rename", f"Rename {renamed_from} to {entity}"
    superseded = tuple(Superseded(path, _value_at(before, path), _value_at(after, path)) for path in fields) if op == "modify" else ()
    decision = after.get("decision")
    supersedes = decision.get("supersedes") if isinstance(decision, dict) and decision != before.get("decision") else None
    return LedgerEntry(
        commit, entity, op, action, title, _approvals(commit, before, after), superseded, previous,
        supersedes=supersedes if isinstance(supersedes, str) else None,
        renamed_from=renamed_from,
        ring_before=_text(before.get("ring")) if kind.name == "tool" else None,
        ring_after=_text(after.get("ring")) if kind.name == "tool" else None,
    )


def _shown(value: Any) -> str:
    """A superseded value as one line: text as written, anything else as compact JSON."""
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render_text(ledger: Ledger, out: TextIO) -> None:
    """The ledger for a terminal: a line per decision, its approvals and what it replaced."""
    if ledger.entity is not None:
        out.write(f"The story of {plain(ledger.entity)}")
        if len(ledger.names) > 1:
            out.write(f" (formerly {plain(', '.join(ledger.names[:-1]))})")
        out.write("\n")
        for stage in ledger.stages():
            out.write(f"  {stage.stage:<9} {stage.date}  {stage.commit[:12]}\n")
        out.write("\n")
    if not ledger.entries:
        out.write("No registry decisions in this history" + _window(ledger) + ".\n")
        return
    for entry in ledger.entries:
        commit = entry.commit
        out.write(
            f"{entry.date}  {commit.sha[:12]}  {plain(entry.title)}\n"
            f"    {plain(entry.entity)} ({entry.op}) by {plain(commit.author_name)} <{plain(commit.author_email)}>: "
            f"{plain(commit.subject)}\n"
        )
        for approval in entry.approvals:
            when = f" on {plain(approval.date)}" if approval.date else ""
            out.write(f"    {approval.role}: {plain(approval.by)}{when} ({approval.source})\n")
        for fact in entry.superseded:
            out.write(f"    {plain(fact.field)}: {plain(_shown(fact.before))} -> {plain(_shown(fact.after))}\n")
        if entry.supersedes:
            out.write(f"    supersedes: {plain(entry.supersedes)}\n")
        if entry.previous_commit:
            out.write(f"    replaces the decision of {entry.previous_commit[:12]}\n")
        if entry.unreadable:
            out.write(f"    unreadable: {plain(entry.unreadable)}\n")


def _window(ledger: Ledger) -> str:
    parts = []
    if ledger.since:
        parts.append(f" since {ledger.since}")
    if ledger.until:
        parts.append(f" until {ledger.until}")
    if ledger.entity:
        parts.append(f" for {ledger.entity}")
    return "".join(parts)


def render_markdown(ledger: Ledger, out: TextIO) -> None:
    """The ledger as markdown: a story table for one record, then a table of decisions."""
    heading = "Decision ledger" + (f": {inline(ledger.entity)}" if ledger.entity else "")
    out.write(f"## {heading}\n\n")
    if ledger.entity is not None:
        stages = ledger.stages()
        if stages:
            out.write("| stage | date | commit |\n| --- | --- | --- |\n")
            for stage in stages:
                out.write(f"| {stage.stage} | {stage.date} | `{stage.commit[:12]}` |\n")
            out.write("\n")
    if not ledger.entries:
        out.write("No registry decisions in this history" + inline(_window(ledger)) + ".\n")
        return
    out.write("| date | decision | by | approvals | superseded | commit |\n| --- | --- | --- | --- | --- | --- |\n")
    for entry in ledger.entries:
        approvals = "<br>".join(f"{a.role}: {inline(a.by)}" for a in entry.approvals) or "none recorded"
        replaced = [f"{inline(s.field)}: {inline(_shown(s.before))} → {inline(_shown(s.after))}" for s in entry.superseded]
        if entry.supersedes:
            replaced.append(f"supersedes {inline(entry.supersedes)}")
        if entry.unreadable:
            replaced.append(f"unreadable: {inline(entry.unreadable)}")
        author = inline(f"{entry.commit.author_name} <{entry.commit.author_email}>")
        out.write(
            f"| {entry.date} | {inline(entry.title)} | {author} | {approvals} | {'<br>'.join(replaced) or '—'} "
            f"| `{entry.commit.sha[:12]}` |\n"
        )


def write_json(ledger: Ledger, out: TextIO) -> None:
    """The ledger as one JSON object (history.schema.json), a decision to a line: a ledger
    of many thousand decisions is written by the C encoder and still reads line by line."""
    document = ledger.to_json()
    decisions = document.pop("decisions")
    head = _json_line(document)
    out.write(head[:-1] + (', "decisions": [' if document else '"decisions": ['))
    for index, decision in enumerate(decisions):
        out.write(("\n  " if index == 0 else ",\n  ") + _json_line(decision))
    out.write("\n]}\n" if decisions else "]}\n")


def _json_line(value: dict[str, Any]) -> str:
    """`value` as JSON, characters written as they are; but a line holding a lone surrogate
    (a file name that is not UTF-8, as git gave it) is written all in escapes, which JSON
    parsers decode back to the same string, where no UTF-8 encoder would write it at all."""
    line = json.dumps(value, ensure_ascii=False)
    if not line.isascii():
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            line = json.dumps(value, ensure_ascii=True)
    return line


def run_history(settings: HistorySettings, format_name: LedgerFormat, out: TextIO) -> int:
    """`govlint history`: build the ledger and print it; 0, or a GovlintError for exit 2."""
    ledger = build_ledger(settings)
    if format_name == "json":
        write_json(ledger, out)
    elif format_name == "markdown":
        render_markdown(ledger, out)
    else:
        render_text(ledger, out)
    return 0
