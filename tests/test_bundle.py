"""`govlint bundle`: a reproducible OPA bundle whose govlint.decide package answers run-time
questions from the registry, alike on OPA itself and on the embedded engine."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, commit_all, copy_reference, git, git_init, govlint, write
from govlint.bundle import canonical_json
from opa_oracle import oracle_or_skip_reason

OPA_MODULE, WHY_NOT = oracle_or_skip_reason()


@pytest.fixture
def reference_repo(tmp_path: Path) -> Path:
    """The reference governance repository, committed in a git repository of its own."""
    root = tmp_path / "governance"
    copy_reference(root)
    git_init(root)
    commit_all(root, "reference registry")
    return root


def build(repo: Path, output: Path, *options: str) -> bytes:
    result = govlint("bundle", str(repo), "-o", str(output), *options)
    assert result.exit_code == 0, result.stderr
    return output.read_bytes()


def members(bundle: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


# Reproducible ---------------------------------------------------------------------------------


def test_built_twice_and_from_two_clones_the_bytes_are_the_same(reference_repo: Path, tmp_path: Path) -> None:
    first = build(reference_repo, tmp_path / "one.tar.gz")
    second = build(reference_repo, tmp_path / "two.tar.gz")
    assert first == second
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(reference_repo), str(clone))
    (clone / "policies" / "params.yaml").touch()  # another mtime changes nothing
    assert build(clone, tmp_path / "three.tar.gz") == first


def test_archive_headers_carry_no_time_owner_or_name(reference_repo: Path, tmp_path: Path) -> None:
    bundle = build(reference_repo, tmp_path / "bundle.tar.gz")
    # gzip header: magic, method, flags (no FNAME bit), mtime 0.
    assert bundle[:3] == b"\x1f\x8b\x08"
    assert bundle[3] & 0x08 == 0
    assert bundle[4:8] == b"\0\0\0\0"
    with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as tar:
        infos = tar.getmembers()
    names = [info.name for info in infos]
    assert names == sorted(names)
    for info in infos:
        assert (info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode) == (0, 0, 0, "", "", 0o644)
        assert info.isfile()


def test_contents_manifest_data_and_policies_without_tests(reference_repo: Path, tmp_path: Path) -> None:
    files = members(build(reference_repo, tmp_path / "bundle.tar.gz"))
    head = git(reference_repo, "rev-parse", "HEAD")
    manifest = json.loads(files[".manifest"])
    assert manifest == {"revision": head, "roots": ["govlint"], "rego_version": 1}
    data = json.loads(files["data.json"])
    assert set(data) == {"govlint"}
    assert set(data["govlint"]) == {"registry", "params", "catalog", "unreadable"}
    assert data["govlint"]["registry"]["tools"]["harborview-crm"]["owner"] == "sales"
    assert data["govlint"]["params"]["spend"]["executive_threshold"] == 150000
    rego = {name for name in files if name.endswith(".rego")}
    assert "policies/decide.rego" in rego and "policies/lib/registry.rego" in rego
    assert not any(name.endswith("_test.rego") for name in rego)
    assert set(files) == rego | {".manifest", "data.json"}
    # JSON files are written in the canonical form OPA hashes them in.
    assert files["data.json"] == canonical_json(data)


def test_revision_marks_a_working_tree_that_differs_from_head(reference_repo: Path, tmp_path: Path) -> None:
    head = git(reference_repo, "rev-parse", "HEAD")
    write(reference_repo / "registry" / "tools" / "harborview-crm.yaml",
          (reference_repo / "registry" / "tools" / "harborview-crm.yaml").read_text() + "# edited\n")
    manifest = json.loads(members(build(reference_repo, tmp_path / "b.tar.gz"))[".manifest"])
    assert manifest["revision"] == f"{head}-dirty"
    git(reference_repo, "checkout", "--", ".")
    assert json.loads(members(build(reference_repo, tmp_path / "c.tar.gz"))[".manifest"])["revision"] == head
    vendor = (reference_repo / "registry" / "vendors" / "harborview.yaml").read_text()
    write(reference_repo / "registry" / "vendors" / "globex.yaml", vendor.replace("id: harborview", "id: globex"))
    manifest = json.loads(members(build(reference_repo, tmp_path / "d.tar.gz"))[".manifest"])
    assert manifest["revision"] == f"{head}-dirty"  # an untracked record is not the commit's


def test_outside_git_the_revision_says_so(tmp_path: Path) -> None:
    root = copy_reference(tmp_path / "plain")
    manifest = json.loads(members(build(root, tmp_path / "b.tar.gz"))[".manifest"])
    assert manifest["revision"] == "working-tree"


def test_canonical_json_escapes_as_go_does() -> None:
    assert canonical_json({"b": "x\by\fz\u2028", "a": "\\b&<>é"}) == (
        '{"a":"\\\\b&<>é","b":"x\\u0008y\\u000cz\\u2028"}'.encode()
    )


# Bad input --------------------------------------------------------------------------------


def test_a_broken_record_stops_the_build_with_one_line(reference_repo: Path, tmp_path: Path) -> None:
    write(reference_repo / "registry" / "vendors" / "globex.yaml", "kind: vendor\nid: globex\n")
    output = tmp_path / "b.tar.gz"
    result = govlint("bundle", str(reference_repo), "-o", str(output))
    assert result.exit_code == 2
    assert result.stderr.startswith("govlint: error: registry/vendors/globex.yaml:")
    assert "govlint check" in result.stderr and result.stderr.count("\n") == 1
    assert not output.exists()


def test_an_unusable_signing_key_is_one_line(reference_repo: Path, tmp_path: Path) -> None:
    pytest.importorskip("jwt", reason="signing needs PyJWT (the bundle-signing extra)")
    key = write(tmp_path / "key.pem", "not a key")
    result = govlint("bundle", str(reference_repo), "-o", str(tmp_path / "b.tar.gz"), "--signing-key", str(key))
    assert result.exit_code == 2
    assert "not an unencrypted PEM private key" in result.stderr and result.stderr.count("\n") == 1


def test_an_empty_hs256_secret_is_refused(reference_repo: Path, tmp_path: Path) -> None:
    secret = write(tmp_path / "secret", "\n")
    result = govlint("bundle", str(reference_repo), "-o", str(tmp_path / "b.tar.gz"),
                     "--signing-key", str(secret), "--signing-alg", "HS256")
    assert result.exit_code == 2
    assert "is empty" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "b.tar.gz").exists()


def test_output_that_is_a_directory_is_refused(reference_repo: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = govlint("bundle", str(reference_repo), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "Traceback" not in result.stderr


# Signing ----------------------------------------------------------------------------------


def verified_files(files: dict[str, bytes], key: Any, algorithm: str) -> dict[str, Any]:
    """The signed payload, after checking the signature and that it lists every other file
    with the SHA-256 of its content (what OPA checks before it activates a bundle)."""
    import jwt

    [token] = json.loads(files[".signatures.json"])["signatures"]
    payload: dict[str, Any] = jwt.decode(token, key, algorithms=[algorithm])
    listed = {entry["name"]: entry for entry in payload["files"]}
    assert set(listed) == set(files) - {".signatures.json"}
    for name, content in files.items():
        if name != ".signatures.json":
            assert listed[name] == {"name": name, "hash": hashlib.sha256(content).hexdigest(), "algorithm": "SHA-256"}
    return payload


def test_hs256_signature_verifies_and_stays_reproducible(reference_repo: Path, tmp_path: Path) -> None:
    jwt = pytest.importorskip("jwt", reason="signing needs PyJWT (the bundle-signing extra)")
    secret = write(tmp_path / "secret", "a shared secret of at least 32 bytes for HS256\n")
    options = ("--signing-key", str(secret), "--signing-alg", "HS256", "--key-id", "governance")
    first = build(reference_repo, tmp_path / "a.tar.gz", *options)
    assert build(reference_repo, tmp_path / "b.tar.gz", *options) == first
    files = members(first)
    verified_files(files, b"a shared secret of at least 32 bytes for HS256", "HS256")
    [token] = json.loads(files[".signatures.json"])["signatures"]
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "kid": "governance", "typ": "JWT"}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, b"another secret, also 32 bytes or longer", algorithms=["HS256"])


def test_rs256_signature_verifies_with_the_public_key(reference_repo: Path, tmp_path: Path) -> None:
    pytest.importorskip("jwt", reason="signing needs PyJWT (the bundle-signing extra)")
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa", reason="RS256 needs cryptography")
    from cryptography.hazmat.primitives import serialization

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = write(tmp_path / "key.pem", private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption(),
    ))
    files = members(build(reference_repo, tmp_path / "b.tar.gz", "--signing-key", str(key)))
    verified_files(files, private.public_key(), "RS256")


# The decide package, on OPA and on the embedded engine ----------------------------------------

# The questions README documents, with the answers they get on the reference repository.
QUESTIONS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("tool", {"tool": "harborview-crm"}, {
        "tool": "harborview-crm", "known": True, "ring": "adopt", "status": "adopted", "adopted": True,
        "usable": True, "owner": "sales", "vendor": "harborview",
    }),
    ("tool", {"tool": "revpulse-forecasting"}, {
        "tool": "revpulse-forecasting", "known": True, "ring": "assess", "status": "being assessed",
        "adopted": False, "usable": False, "owner": "commercial-operations", "vendor": "revpulse",
    }),
    ("may_use", {"department": "sales", "tool": "harborview-crm", "domain": "customer-accounts"}, {
        "department": "sales", "tool": "harborview-crm", "domain": "customer-accounts", "allowed": True, "reasons": [],
    }),
    ("may_use", {"department": "marketing", "tool": "harborview-crm", "domain": "contract-terms"}, {
        "department": "marketing", "tool": "harborview-crm", "domain": "contract-terms", "allowed": False,
        "reasons": ["data domain 'contract-terms' is owned by 'legal', which has not approved 'marketing' as a consumer"],
    }),
    ("may_use", {"department": "it", "tool": "codeharbor-scm", "domain": "employee-records"}, {
        "department": "it", "tool": "codeharbor-scm", "domain": "employee-records", "allowed": False,
        "reasons": ["restricted data needs stated data residency, which tool codeharbor-scm lacks"],
    }),
    ("domain_owner", {"domain": "contract-terms"}, {
        "domain": "contract-terms", "known": True, "owner": "legal",
        "executive_sponsor": "helen.achterberg@alderridge.example", "steward": "marcus.bell@alderridge.example",
        "classification": "confidential", "system_of_record": "clausewise-clm",
        "consumers": ["legal-operations", "procurement", "sales"],
    }),
    ("approvers", {"kind": "vendor", "id": "harborview", "fields": ["status"]}, {
        "kind": "vendor", "id": "harborview", "known": True, "required": [{
            "role": "procurement lead or executive sponsor",
            "approvers": ["kenji.watanabe@alderridge.example", "victor.lindqvist@alderridge.example"],
            "reason": "vendor harborview changes status",
        }],
    }),
    ("approvers", {"kind": "tool", "id": "harborview-crm", "fields": ["contract"]}, {
        "kind": "tool", "id": "harborview-crm", "known": True, "required": [
            {"approvers": ["amira.nasser@alderridge.example"], "role": "finance lead",
             "reason": "annual cost above the finance threshold of 25000 USD"},
            {"approvers": ["claire.dubois@alderridge.example", "maren.okafor@alderridge.example"],
             "role": "executive sponsor of sales or above",
             "reason": "annual cost above the executive threshold of 150000 USD"},
            {"approvers": ["grace.liu@alderridge.example"], "role": "IT champion",
             "reason": "tool harborview-crm changes contract"},
        ],
    }),
]


def _embedded_answers(files: dict[str, bytes], questions: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    import regorus

    engine = regorus.Engine()
    for name, content in files.items():
        if name.endswith(".rego"):
            engine.add_policy(name, content.decode())
    engine.add_data_json(files["data.json"].decode())
    answers = []
    for rule, question in questions:
        engine.set_input_json(json.dumps(question))
        result = json.loads(engine.eval_query_as_json(f"x := data.govlint.decide.{rule}"))["result"]
        answers.append(result[0]["bindings"]["x"] if result else None)
    return answers


def _opa_answers(files: dict[str, bytes], questions: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    engine = OPA_MODULE.OpaEngine()
    try:
        for name, content in files.items():
            if name.endswith(".rego"):
                engine.add_policy(name, content.decode())
        engine.add_data(json.loads(files["data.json"]))
        answers = []
        for rule, question in questions:
            bindings = engine.eval_query(f"x := data.govlint.decide.{rule}", question)
            answers.append(bindings[0]["x"] if bindings else None)
        return answers
    finally:
        engine.close()


@pytest.fixture(scope="module")
def reference_bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = copy_reference(tmp_path_factory.mktemp("reference"))
    return members(build(root, root.parent / "bundle.tar.gz"))


def _sorted_required(answer: Any) -> Any:
    if isinstance(answer, dict) and "required" in answer:
        return {**answer, "required": sorted(answer["required"], key=lambda r: json.dumps(r, sort_keys=True))}
    return answer


def test_decide_answers_on_the_embedded_engine(reference_bundle: dict[str, bytes]) -> None:
    answers = _embedded_answers(reference_bundle, [(rule, q) for rule, q, _ in QUESTIONS])
    assert [_sorted_required(a) for a in answers] == [_sorted_required(expected) for _, _, expected in QUESTIONS]


@pytest.mark.skipif(OPA_MODULE is None, reason=f"OPA not available to load the bundle: {WHY_NOT}")
def test_opa_loads_the_bundle_and_gives_the_documented_answers(reference_bundle: dict[str, bytes]) -> None:
    questions = [(rule, q) for rule, q, _ in QUESTIONS]
    answers = _opa_answers(reference_bundle, questions)
    assert [_sorted_required(a) for a in answers] == [_sorted_required(expected) for _, _, expected in QUESTIONS]
    assert answers == _embedded_answers(reference_bundle, questions)


# Every rule package's deny and warn sets, the packages found by iteration, as a reader of the
# bundle who does not know the package names would ask.
RULES_QUERY = (
    '{name: {"deny": object.get(rules, "deny", []), "warn": object.get(rules, "warn", [])} '
    "| some name, rules in data.govlint.rules}"
)


@pytest.mark.skipif(OPA_MODULE is None, reason=f"OPA not available to load the bundle: {WHY_NOT}")
def test_the_rules_in_the_bundle_still_judge_input(reference_bundle: dict[str, bytes]) -> None:
    """The rule packages read `input`, not the bundle's data: on OPA with the bundle loaded,
    the reference registry sent as input passes, and a tool of a blocked vendor is found."""
    data = json.loads(reference_bundle["data.json"])["govlint"]
    registry = data["registry"]
    document = {
        "mode": "full", "today": "2026-11-22", "registry": registry, "base": None, "changes": [],
        "approvals": None, "params": data["params"], "rule_changes": [],
    }
    blocked = json.loads(json.dumps(document))
    blocked["registry"]["vendors"]["harborview"]["status"] = "blocked"
    engine = OPA_MODULE.OpaEngine()
    try:
        for name, content in reference_bundle.items():
            if name.endswith(".rego"):
                engine.add_policy(name, content.decode())
        engine.add_data(json.loads(reference_bundle["data.json"]))
        clean = engine.eval_query(f"x := {RULES_QUERY}", document)[0]["x"]
        found = engine.eval_query(f"x := {RULES_QUERY}", blocked)[0]["x"]
    finally:
        engine.close()
    assert "decide" not in clean
    assert all(not sets["deny"] and not sets["warn"] for sets in clean.values()), clean
    assert [f["entity"] for f in found["tool_vendor"]["deny"]] == ["tool/harborview-crm"]


def test_check_ignores_the_decide_package() -> None:
    """`govlint check` queries data.govlint.rules only: the decide package is no rule."""
    result = govlint("check", str(ROOT), "--format", "json", "--today", "2026-11-22", "--no-cache")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert not any(f["rule"].startswith("DECIDE") for f in json.loads(result.stdout)["findings"])
    assert "govlint.decide" not in govlint("policies", str(ROOT)).stdout

