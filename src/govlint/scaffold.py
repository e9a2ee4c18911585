"""`govlint new`: a new registry record, asked for field by field or given as flags.

The questions come from the kind's JSON Schema (its required fields, in the schema's order)
and the answers are checked against the registry itself: a tool's owner must be a department
that exists, its sponsor someone with authority over that department, its IT champion someone
in IT. An unknown value is answered with the nearest known ones, so a typo costs a second
try at the prompt rather than a round trip through CI. The record written passes its schema,
names its schema for editors, and lists the optional fields as comments.

No terminal code lives here: the command line passes an `Ask` callback that puts a
`Question` to the user and returns `Question.parse` of the answer.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

import yaml

from govlint.catalog import PolicySet, read_policy_files
from govlint.errors import GovlintError
from govlint.read import WorkingTree
from govlint.registry import KIND_BY_NAME, Kind, Registry, load_registry
from govlint.suggest import did_you_mean
from govlint.validate import SCHEMA_FOLDER, SchemaSet

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Fields that record someone's judgement or a moment in a record's life: a copy made with
# --from must not carry them over, or it would claim reviews and approvals it never had.
ATTESTATIONS = frozenset({"approvals", "approved_by", "decision", "review", "risk_assessment", "legal_review"})
# Shown in a prompt in full up to this many; beyond it, "?" lists them and Tab completes.
CHOICES_SHOWN = 8

QuestionType = Literal["text", "choice", "boolean", "date", "email", "id", "list", "number", "integer"]
Ask = Callable[["Question"], Any]


@dataclass(frozen=True)
class Question:
    """One field to fill in: how to ask for it and how to read the answer."""

    path: tuple[str, ...]
    prompt: str
    type: QuestionType = "text"
    choices: tuple[str, ...] = ()
    # Whether only the choices are accepted (a reference that must resolve) or they are hints.
    strict: bool = False
    default: str | None = None
    # What the choices are, for messages: "department", "person in IT", ...
    noun: str = "value"
    # How to make a missing value exist, for messages: "govlint new vendor X".
    create_hint: str = ""
    # Known values that may not be chosen, each with the reason (a blocked vendor).
    refused: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return ".".join(self.path)

    def parse(self, text: str) -> Any:
        """The answer as the record holds it; ValueError with a message that says how to fix it."""
        answer = text.strip()
        if not answer and self.default is not None:
            answer = self.default
        if self.type == "boolean":
            lowered = answer.lower()
            if lowered in ("y", "yes", "true"):
                return True
            if lowered in ("n", "no", "false"):
                return False
            raise ValueError(f"{self.label}: answer yes or no")
        if self.type == "list":
            items = [item.strip() for item in answer.split(",") if item.strip()]
            return [self._one(item) for item in items]
        if not answer:
            raise ValueError(f"{self.label} is required")
        if self.type in ("number", "integer"):
            try:
                number = float(answer) if self.type == "number" else int(answer)
            except ValueError:
                raise ValueError(f"{self.label}: {answer!r} is not a{'n integer' if self.type == 'integer' else ' number'}") from None
            return int(number) if isinstance(number, float) and number.is_integer() else number
        return self._one(answer)

    def doubt(self, value: Any) -> str | None:
        """For an open question (a category), a new value close to a known one may be a typo:
        the note to show before accepting it, or None."""
        if self.strict or not self.choices or not isinstance(value, str) or value in self.choices:
            return None
        close = did_you_mean(value, self.choices)
        return f"{self.label}: {value!r} would be a new {self.noun}{close}; enter it again to keep it" if close else None

    def _one(self, answer: str) -> str:
        if answer in self.refused:
            raise ValueError(f"{self.label}: {answer!r} {self.refused[answer]}")
        if self.strict and not self.choices:
            create = f"; {self.create_hint.format(answer)}" if self.create_hint else ""
            raise ValueError(f"{self.label}: the registry has no {self.noun} yet{create}")
        if self.choices and answer not in self.choices:
            lowered = {choice.lower(): choice for choice in self.choices}
            if answer.lower() in lowered and self.type in ("email", "choice"):
                return lowered[answer.lower()]
            if self.strict:
                close = did_you_mean(answer, self.choices)
                if close:
                    hint = close
                elif len(self.choices) <= 12:
                    hint = f" (one of: {', '.join(self.choices)})"
                else:
                    hint = f" (none of the {len(self.choices)} known is close)"
                if self.create_hint and not close:
                    hint += f"; {self.create_hint.format(answer)}"
                raise ValueError(f"{self.label}: {answer!r} is not a known {self.noun}{hint}")
        if self.type == "date":
            try:
                return date.fromisoformat(answer).isoformat()
            except ValueError:
                raise ValueError(f"{self.label}: {answer!r} is not a date written YYYY-MM-DD") from None
        if self.type == "email" and not EMAIL_PATTERN.match(answer):
            raise ValueError(f"{self.label}: {answer!r} is not an e-mail address")
        if self.type == "id" and not ID_PATTERN.match(answer):
            raise ValueError(f"{self.label}: {answer!r} is not an id: lower-case words joined by hyphens")
        return answer


@dataclass(frozen=True)
class NewSettings:
    """What `govlint new` was asked to do."""

    repo: Path
    kind: str
    record_id: str | None = None
    values: tuple[str, ...] = ()  # --set field=value, in the order given
    from_id: str | None = None
    today: str | None = None


@dataclass
class Person:
    name: str
    email: str
    github: str | None = None
    # (department id, role): role is executive_sponsor, lead or member.
    roles: set[tuple[str, str]] = field(default_factory=set)

    def record(self) -> dict[str, str]:
        person = {"name": self.name, "email": self.email}
        if self.github:
            person["github"] = self.github
        return person


class RegistryFacts:
    """What the registry already holds, as the choices a new record may refer to."""

    def __init__(self, registry: Registry, rule_ids: Iterable[str]) -> None:
        self.records = registry.records
        self.departments = registry.records["departments"]
        self.rule_ids = tuple(sorted(rule_ids))
        self.people: dict[str, Person] = {}
        for department_id, department in self.departments.items():
            # An IT champion belongs to an IT department; naming one here makes them known,
            # not a member of this department.
            for role in ("executive_sponsor", "lead", "it_champion"):
                self._add(department.get(role), department_id, role)
            for member in department.get("members") or []:
                self._add(member, department_id, "member")

    def _add(self, person: Any, department_id: str, role: str) -> None:
        if not (isinstance(person, Mapping) and isinstance(person.get("email"), str)):
            return
        email = person["email"].lower()
        known = self.people.setdefault(email, Person(str(person.get("name") or email), person["email"]))
        if person.get("github") and not known.github:
            known.github = str(person["github"])
        if role != "it_champion":
            known.roles.add((department_id, role))

    def ids(self, key: str) -> tuple[str, ...]:
        return tuple(sorted(self.records[key]))

    def categories(self) -> tuple[str, ...]:
        found = {t.get("category") for t in self.records["tools"].values()}
        return tuple(sorted(c for c in found if isinstance(c, str)))

    def adopted_in(self, category: str, ring: str = "adopt") -> tuple[str, ...]:
        """The tools already adopted for a capability: a second one needs a justification."""
        tools = self.records["tools"]
        return tuple(sorted(t_id for t_id, t in tools.items() if t.get("category") == category and t.get("ring") == ring))

    def line_of_authority(self, department_id: str) -> list[str]:
        """The department and every department above it, nearest first (cycles stop)."""
        chain: list[str] = []
        current: Any = department_id
        while isinstance(current, str) and current in self.departments and current not in chain:
            chain.append(current)
            current = self.departments[current].get("parent")
        return chain

    def staff_of(
        self, department_ids: Iterable[str], roles: Iterable[str] = ("executive_sponsor", "lead", "member")
    ) -> tuple[str, ...]:
        wanted = {(d, role) for d in department_ids for role in roles}
        return tuple(sorted(p.email for p in self.people.values() if p.roles & wanted))

    def it_people(self) -> tuple[str, ...]:
        it = [d_id for d_id, d in self.departments.items() if d.get("function") == "it"]
        return self.staff_of(it)

    def everyone(self) -> tuple[str, ...]:
        return tuple(sorted(p.email for p in self.people.values()))

    def entities(self) -> tuple[str, ...]:
        return tuple(
            sorted(kind.entity(record_id) for kind in KIND_BY_NAME.values() for record_id in self.records[kind.key])
        )


class SchemaView:
    """The raw JSON Schemas, with `$ref`s followed, to read a kind's fields from."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self.documents = documents

    def resolve(self, node: Any, document: str) -> tuple[Any, str]:
        """A schema node with its `$ref` followed (and the document it now lives in)."""
        seen = 0
        while isinstance(node, Mapping) and "$ref" in node and seen < 20:
            target, _, pointer = str(node["$ref"]).partition("#")
            document = target or document
            node = self.documents.get(document, {})
            for part in [p for p in pointer.split("/") if p]:
                node = node.get(part, {}) if isinstance(node, Mapping) else {}
            seen += 1
        return node, document

    @staticmethod
    def ref_name(node: Any) -> str:
        """'date' for a node that is `{"$ref": "common.schema.json#/$defs/date"}`."""
        if isinstance(node, Mapping) and "$ref" in node:
            return str(node["$ref"]).rsplit("/", 1)[-1]
        return ""

    def at(self, kind: Kind, path: Iterable[str]) -> tuple[Any, str, str]:
        """(resolved schema, document, $defs name it came from) of a field path; {} when unknown."""
        node, document = self.resolve(self.documents[kind.schema], kind.schema)
        name = ""
        for part in path:
            properties = node.get("properties", {}) if isinstance(node, Mapping) else {}
            if part not in properties:
                return {}, document, ""
            name = self.ref_name(properties[part])
            node, document = self.resolve(properties[part], document)
        return node, document, name


def _set_path(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = record
    for part in path[:-1]:
        child = target.get(part)
        if not isinstance(child, dict):
            child = {}
            target[part] = child
        target = child
    target[path[-1]] = value


class RecordDraft:
    """A new record of one kind being filled in, from flags, a copy, and answers."""

    def __init__(self, root: Path, kind: Kind, today: str) -> None:
        tree = WorkingTree(root)
        self.root = root
        self.kind = kind
        self.today = today
        schema_set = SchemaSet.load(tree)
        if not schema_set.has(kind.schema):
            raise GovlintError(f"{SCHEMA_FOLDER}/{kind.schema} is missing; `govlint new {kind.name}` needs it")
        self.schema_set = schema_set
        documents = {}
        for entry in tree.entries(SCHEMA_FOLDER):
            if entry.type == "file" and entry.path.endswith(".json"):
                documents[entry.path.rsplit("/", 1)[-1]] = json.loads(tree.read(entry.path))
        self.schemas = SchemaView(documents)
        registry = load_registry(tree, schema_set)
        files, _ = read_policy_files(tree)
        self.facts = RegistryFacts(registry, PolicySet(files, {}).rules)
        self.record: dict[str, Any] = {"kind": kind.name}

    # -- what the schema says ------------------------------------------------------------

    @property
    def top(self) -> Mapping[str, Any]:
        return self.schemas.at(self.kind, [])[0]

    def required(self, path: tuple[str, ...] = ()) -> list[str]:
        node = self.schemas.at(self.kind, path)[0]
        wanted = set(node.get("required", []))
        return [name for name in node.get("properties", {}) if name in wanted]

    # -- questions -----------------------------------------------------------------------

    def question(self, path: tuple[str, ...]) -> Question:
        """How to ask for the field at `path`: its type from the schema, its choices from
        the registry."""
        node, _, ref = self.schemas.at(self.kind, path)
        label = ".".join(path)
        description = self._description(path, node, ref)
        prompt = f"{label} ({description.rstrip('.')})" if description and len(description) < 70 else label
        special = self._registry_question(path, prompt)
        if special is not None:
            return special
        if isinstance(node, Mapping) and "enum" in node:
            choices = tuple(str(v) for v in node["enum"])
            return Question(path, prompt, "choice", choices, strict=True, noun="value")
        if ref == "date":
            return Question(path, prompt + " [YYYY-MM-DD]", "date")
        if ref == "email":
            return Question(path, prompt, "email", self.facts.everyone(), noun="person")
        if ref == "id":
            return Question(path, prompt, "id")
        node_type = node.get("type") if isinstance(node, Mapping) else None
        if node_type == "boolean":
            return Question(path, prompt + " [yes/no]", "boolean")
        if node_type in ("number", "integer"):
            return Question(path, prompt, node_type)
        if node_type == "array":
            return Question(path, prompt + " (comma-separated, empty for none)", "list")
        return Question(path, prompt, "text")

    def _description(self, path: tuple[str, ...], node: Any, ref: str) -> str:
        """The field's own description; a shared definition's ("a date written ...") only
        where the field has none and is not a reference to one."""
        parent = self.schemas.at(self.kind, path[:-1])[0]
        own = parent.get("properties", {}).get(path[-1], {}) if isinstance(parent, Mapping) else {}
        found = own.get("description") if isinstance(own, Mapping) else None
        if found is None and not ref and isinstance(node, Mapping):
            found = node.get("description")
        return str(found or "")

    def _registry_question(self, path: tuple[str, ...], prompt: str) -> Question | None:
        kind, facts, label = self.kind.name, self.facts, ".".join(path)
        departments = facts.ids("departments")
        dept_hint = "create it first: govlint new department {0}"
        if label == "owner" or (kind == "department" and label == "parent"):
            return Question(path, prompt, "id", departments, strict=True, noun="department", create_hint=dept_hint)
        if kind == "tool" and label == "vendor":
            vendors = facts.records["vendors"]
            blocked = {v_id: "is blocked by procurement (TOOL-VENDOR); pick another vendor"
                       for v_id, v in vendors.items() if v.get("status") == "blocked"}
            return Question(path, prompt, "id", tuple(v for v in facts.ids("vendors") if v not in blocked),
                            strict=True, noun="vendor", refused=blocked,
                            create_hint="add registry/vendors/{0}.yaml (govlint new vendor {0}) or pick a known vendor")
        if kind == "tool" and label == "category":
            return Question(path, prompt + " (a new slug starts a new category)", "id", facts.categories(), noun="category")
        if kind == "tool" and label == "justification":
            adopted = facts.adopted_in(str(self.record.get("category")))
            return Question(path, f"justification ({', '.join(adopted)} already adopted for {self.record.get('category')}: "
                            "why another tool?)", "text")
        if kind == "tool" and label == "users":
            return Question(path, prompt + " (comma-separated departments)", "list", departments, strict=True, noun="department")
        if kind == "tool" and label == "business_sponsor":
            owner = self.record.get("owner")
            line = facts.line_of_authority(owner) if isinstance(owner, str) else []
            return Question(path, f"business_sponsor (someone in {' or '.join(line) or 'the owner department'}, by e-mail)",
                            "email", facts.staff_of(line), strict=bool(line), noun=f"person in {owner} or above it")
        if label in ("it_champion", "it_champion.email"):
            # A new department may be the IT department itself, naming a champion not yet known.
            return Question(path, "it_champion (someone in an IT department, by e-mail)", "email",
                            facts.it_people(), strict=kind == "tool", noun="person in an IT department")
        if kind == "data-domain" and label == "steward":
            owner = self.record.get("owner")
            staff = facts.staff_of([owner], ("lead", "member")) if isinstance(owner, str) else ()
            return Question(path, f"steward (a member or lead of {owner}, by e-mail)", "email", staff,
                            strict=bool(staff), noun=f"member or lead of {owner}")
        if kind == "exception" and label == "rule":
            return Question(path, prompt + " (the rule waived)", "choice", facts.rule_ids, strict=True, noun="rule",
                            create_hint="`govlint policies` lists the rules")
        if kind == "exception" and label == "entity":
            return Question(path, prompt + " (kind/id of the record waived, e.g. tool/<id>)", "text", facts.entities(), strict=True,
                            noun="record")
        if kind == "exception" and label == "approved_by":
            return Question(path, prompt + " (e-mail)", "email", facts.everyone(), strict=True, noun="person")
        if kind == "department" and label in ("executive_sponsor", "lead"):
            return Question(path, f"{label} (e-mail of someone known, or of a new person)", "email",
                            facts.everyone(), noun="person")
        return None

    # -- filling in ----------------------------------------------------------------------

    def start(self, record_id: str, from_id: str | None) -> None:
        self.record["id"] = record_id
        if from_id is not None:
            copied = self.facts.records[self.kind.key].get(from_id)
            if copied is None:
                known = self.facts.ids(self.kind.key)
                raise GovlintError(
                    f"--from {from_id}: no {self.kind.name} {from_id!r}{did_you_mean(from_id, known)}"
                )
            self.record.update(self._cleared_copy(copy.deepcopy(dict(copied))))
            self.record["id"] = record_id
        if self.kind.name == "tool":
            self.record["ring"] = "proposed"
            self.record["proposed_on"] = self.today

    def _cleared_copy(self, record: dict[str, Any]) -> dict[str, Any]:
        """A copy without what belonged to the original alone: its name and description, its
        dates, reviews, approvals and decisions."""
        for key in ("name", "description", "reason", "justification"):
            record.pop(key, None)

        def clear(node: dict[str, Any], path: tuple[str, ...]) -> None:
            for key in list(node):
                _, _, ref = self.schemas.at(self.kind, path + (key,))
                if key in ATTESTATIONS or ref in ("date", "review", "approval"):
                    del node[key]
                elif isinstance(node[key], dict):
                    clear(node[key], path + (key,))

        clear(record, ())
        return record

    def in_schema_order(self, assignments: Iterable[str]) -> list[str]:
        """--set values in the order the schema gives their fields, so that a value checked
        against another (a sponsor against the owner) is read after it; unknown fields first,
        so their message comes before any other."""
        order = {name: index for index, name in enumerate(self.top.get("properties", {}))}

        def position(assignment: str) -> int:
            return order.get(assignment.partition("=")[0].strip().split(".")[0], -1)

        return sorted(assignments, key=position)

    def apply(self, assignment: str) -> None:
        """One `--set field=value`: the value read as the field's schema wants it."""
        name, equals, raw = assignment.partition("=")
        path = tuple(part for part in name.strip().split(".") if part)
        if not equals or not path:
            raise GovlintError(f"--set {assignment!r}: write it field=value (nested fields as security.sso=true)")
        self._check_field(path)
        node, _, ref = self.schemas.at(self.kind, path)
        label = ".".join(path)
        if self.kind.name == "department" and ref == "person" and "@" in raw:
            self.record[path[0]] = self._person(path, raw)
            return
        if label == "data" and not raw.lstrip().startswith("["):
            self.record["data"] = self._data_shorthand(raw)
            return
        question = self.question(path)
        structured = isinstance(node, Mapping) and node.get("type") in ("object", "array")
        # YAML flow (`[a, b]`, `{sso: true}`) for lists and objects; plain text for the rest.
        if structured and (raw.lstrip().startswith(("[", "{")) or question.type != "list"):
            try:
                value = yaml.safe_load(raw)
            except yaml.YAMLError as exc:
                raise GovlintError(f"--set {label}: not a YAML value ({exc.__class__.__name__})") from None
            if question.type == "list" and isinstance(value, list) and all(isinstance(v, str) for v in value):
                raw = ",".join(value)  # checked item by item against the known values below
            else:
                _set_path(self.record, path, value)
                return
        try:
            value = question.parse(raw)
        except ValueError as exc:
            raise GovlintError(f"--set {exc}") from None
        _set_path(self.record, path, value)

    def _check_field(self, path: tuple[str, ...]) -> None:
        for depth in range(1, len(path) + 1):
            parent = self.schemas.at(self.kind, path[: depth - 1])[0]
            known = list(parent.get("properties", {})) if isinstance(parent, Mapping) else []
            if path[depth - 1] not in known:
                where = ".".join(path[: depth - 1]) or self.kind.name
                hint = did_you_mean(path[depth - 1], known) or f" (fields: {', '.join(known)})"
                raise GovlintError(f"--set {'.'.join(path)}: {where} has no field {path[depth - 1]!r}{hint}")

    def _person(self, path: tuple[str, ...], email: str) -> dict[str, str]:
        known = self.facts.people.get(email.strip().lower())
        if known is None:
            raise GovlintError(
                f"--set {path[0]}={email}: nobody with that e-mail in the registry{did_you_mean(email, self.facts.everyone())}; "
                f"for a new person set {path[0]}.name and {path[0]}.email"
            )
        return known.record()

    def _data_shorthand(self, raw: str) -> list[dict[str, str]]:
        """`domain:access,domain:access` for the tool's data list."""
        entries = []
        for item in (part.strip() for part in raw.split(",") if part.strip()):
            domain, _, access = item.partition(":")
            entries.append({
                "domain": self._data_question("domain").parse(domain),
                "access": self._data_question("access").parse(access or "read"),
            })
        return entries

    def _data_question(self, part: str) -> Question:
        if part == "domain":
            return Question(("data", "domain"), "data domain", "id", self.facts.ids("data_domains"), strict=True,
                            noun="data domain", create_hint="add it first: govlint new data-domain {0}")
        node = self.schemas.at(self.kind, ("data",))[0].get("items", {})
        node, _ = self.schemas.resolve(node, self.kind.schema)
        access = node.get("properties", {}).get("access", {}).get("enum", [])
        return Question(("data", "access"), "access", "choice", tuple(access), strict=True, default="read")

    def missing(self) -> list[tuple[str, ...]]:
        """The required fields not yet filled in, in schema order (nested ones after their parent)."""
        found: list[tuple[str, ...]] = []

        def walk(path: tuple[str, ...], node: Any) -> None:
            for name in self.required(path):
                value = node.get(name) if isinstance(node, Mapping) else None
                child, _, ref = self.schemas.at(self.kind, path + (name,))
                if value is None:
                    found.append(path + (name,))
                elif isinstance(value, dict) and isinstance(child, Mapping) and child.get("type") == "object":
                    walk(path + (name,), value)

        walk((), self.record)
        category = self.record.get("category")
        if (self.kind.name == "tool" and isinstance(category, str) and "justification" not in self.record
                and self.facts.adopted_in(category)):
            # TOOL-DUPLICATE would flag it: ask why now, while the category is on the user's mind.
            found.insert(0, ("justification",))
        return found

    def interview(self, ask: Ask) -> None:
        """Ask for every missing required field, in schema order."""
        while True:
            pending = self.missing()
            if not pending:
                return
            path = pending[0]
            node, _, ref = self.schemas.at(self.kind, path)
            if self.kind.name == "tool" and path == ("data",):
                self.record["data"] = self._ask_data(ask)
            elif ref == "person":
                self.record[path[0]] = self._ask_person(path, ask)
            elif isinstance(node, Mapping) and node.get("type") == "object":
                _set_path(self.record, path, {})  # its required fields are asked next
            else:
                _set_path(self.record, path, ask(self.question(path)))

    def _ask_person(self, path: tuple[str, ...], ask: Ask) -> dict[str, str]:
        question = self._registry_question(path, path[0]) or Question(
            path, f"{path[0]} (e-mail)", "email", self.facts.everyone(), noun="person"
        )
        email = ask(question)
        known = self.facts.people.get(str(email).lower())
        if known is not None:
            return known.record()
        name = ask(Question(path + ("name",), f"{path[0]}.name (full name of {email})", "text"))
        return {"name": name, "email": email}

    def _ask_data(self, ask: Ask) -> list[dict[str, str]]:
        domains = ask(Question(
            ("data",), "data (data domains the tool holds, comma-separated; empty for none)", "list",
            self.facts.ids("data_domains"), strict=True, noun="data domain",
            create_hint="add it first: govlint new data-domain {0}",
        ))
        entries = []
        for domain in domains:
            access = self._data_question("access")
            access = Question(("data", domain, "access"), f"access to {domain}", access.type, access.choices,
                              strict=True, default="read")
            entries.append({"domain": domain, "access": ask(access)})
        return entries

    # -- writing -------------------------------------------------------------------------

    def complete(self) -> None:
        """What follows from the answers: an IT department's champion is one of its members
        (DEPT-IT-CHAMPION wants the champion inside IT, and here IT is this department)."""
        record = self.record
        champion = record.get("it_champion")
        if self.kind.name != "department" or record.get("function") != "it" or not isinstance(champion, dict):
            return
        email = str(champion.get("email", "")).lower()
        staff = [record.get("executive_sponsor"), record.get("lead")] + list(record.get("members") or [])
        if not any(isinstance(p, dict) and str(p.get("email", "")).lower() == email for p in staff):
            record["members"] = list(record.get("members") or []) + [dict(champion)]

    def problems(self) -> list[str]:
        return [violation.message for violation in self.schema_set.violations(self.kind.schema, self.record)]

    def render(self) -> str:
        """The record as YAML, fields in schema order, the optional ones left as comments."""
        lines = [f"# yaml-language-server: $schema=../../{SCHEMA_FOLDER}/{self.kind.schema}"]
        properties = self.top.get("properties", {})
        for name in properties:
            if name in self.record:
                dumped = yaml.safe_dump({name: self.record[name]}, sort_keys=False, allow_unicode=True,
                                        default_flow_style=False, width=100)
                lines.extend(dumped.rstrip("\n").split("\n"))
            else:
                lines.append(f"# {name}: {self._hint(name)}")
        return "\n".join(lines) + "\n"

    def _hint(self, name: str) -> str:
        node, _, ref = self.schemas.at(self.kind, (name,))
        if not isinstance(node, Mapping):
            return "optional"
        description = self._description((name,), node, ref).strip().rstrip(".")
        if "enum" in node:
            shape = " | ".join(str(v) for v in node["enum"])
        elif ref:
            shape = ref
        elif node.get("type") == "object":
            shape = "{" + ", ".join(node.get("properties", {})) + "}"
        elif node.get("type") == "array":
            items, _ = self.schemas.resolve(node.get("items", {}), self.kind.schema)
            inner = "{" + ", ".join(items.get("properties", {})) + "}" if items.get("type") == "object" else "..."
            shape = f"[{inner}]"
        else:
            shape = str(node.get("type", "value"))
        return f"{shape}  ({description}; optional)" if description else f"{shape}  (optional)"


def today_of(value: str | None) -> str:
    if value is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise GovlintError(f"--today must be a date written YYYY-MM-DD, not {value!r}") from None


def next_steps(kind: Kind, record_id: str, relative: str) -> str:
    branch = f"{'propose' if kind.name == 'tool' else 'add'}-{kind.name}-{record_id}"
    return (
        f"wrote {relative}\n"
        "next:\n"
        f"  1. git switch -c {branch}\n"
        f"  2. fill in what the comments in {relative} offer (editors complete the fields from its schema)\n"
        "  3. govlint check --base main        (judges the change as the pull request will be)\n"
        f"  4. git add {relative} && git commit -m 'Add {kind.name} {record_id}' && git push -u origin {branch}\n"
        "  5. open a pull request; the owners in CODEOWNERS are asked to review it\n"
    )


def new_record(settings: NewSettings, ask: Ask | None, id_asker: Ask | None, out: TextIO) -> int:
    """Write a new record. `ask` puts a question to the user; None means every required field
    must come from --set or --from, and a missing one is an error naming them all."""
    kind = KIND_BY_NAME.get(settings.kind)
    if kind is None:
        raise GovlintError(f"no kind {settings.kind!r}{did_you_mean(settings.kind, KIND_BY_NAME)}; one of: {', '.join(KIND_BY_NAME)}")
    draft = RecordDraft(settings.repo, kind, today_of(settings.today))
    record_id = settings.record_id
    existing = draft.facts.ids(kind.key)
    id_question = Question(("id",), f"id of the new {kind.name} (lower-case words joined by hyphens)", "id")
    if record_id is None:
        if id_asker is None:
            raise GovlintError(f"give the new {kind.name}'s id: govlint new {kind.name} ID")
        record_id = id_asker(id_question)
    else:
        try:
            record_id = id_question.parse(record_id)
        except ValueError as exc:
            raise GovlintError(str(exc)) from None
    assert isinstance(record_id, str)
    relative = kind.file(record_id)
    target = settings.repo / relative
    if target.exists() or target.is_symlink() or record_id in existing:
        raise GovlintError(f"{relative} already exists; edit it, or choose another id")
    draft.start(record_id, settings.from_id)
    for assignment in draft.in_schema_order(settings.values):
        draft.apply(assignment)
    if draft.missing():
        if ask is None:
            names = ", ".join(".".join(path) for path in draft.missing())
            raise GovlintError(f"missing required fields for a {kind.name}: {names}; give them with --set field=value")
        draft.interview(ask)
    draft.complete()
    problems = draft.problems()
    if problems:
        raise GovlintError(f"the {kind.name} would not pass its schema: {problems[0]}")
    text = draft.render()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        raise GovlintError(f"{relative} already exists; edit it, or choose another id") from None
    except OSError as exc:
        raise GovlintError(f"cannot write {relative}: {exc.strerror}") from None
    out.write(next_steps(kind, record_id, relative))
    return 0
