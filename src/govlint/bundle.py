"""OPA bundles: the registry, its params and its policies packed for OPA's bundle distribution.

`govlint bundle -o bundle.tar.gz` writes what an OPA server loads with `--bundle` or polls from
a bundle service (DESIGN section 11), so a procurement system or an SSO gateway can ask the
`govlint.decide` package about the registry without govlint running anywhere. The archive is
reproducible byte for byte: the same files give the same bytes on every build.

What the archive holds, under the one root `govlint`:

- `.manifest`: `{"revision", "roots": ["govlint"], "rego_version": 1}`. The revision is the
  commit of the repository's HEAD when the files the bundle is made of (policies/, schemas/,
  registry/) are as that commit has them; otherwise the commit followed by `-dirty` (or just
  `working-tree` outside git), so a bundle built from edits is never taken for a commit's.
- `data.json`: `data.govlint.registry` (the records by kind and id, as the policies see them),
  `data.govlint.params` (params.yaml), `data.govlint.catalog` and `data.govlint.unreadable`
  (what `govlint check` gives the rules, so they can be queried on the server too).
- the policies, at their paths in the repository, tests left out.
- with a signing key, `.signatures.json` in OPA's bundle signature format.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from govlint.atomic import write_atomically
from govlint.catalog import POLICY_FOLDER, PolicySet
from govlint.errors import GovlintError
from govlint.read import WorkingTree
from govlint.registry import REGISTRY_FOLDER, load_registry, records_json
from govlint.validate import SchemaSet

BUNDLE_ROOT = "govlint"
MANIFEST = ".manifest"
DATA_FILE = "data.json"
SIGNATURES = ".signatures.json"
SigningAlgorithm = Literal["RS256", "HS256"]
SIGNING_ALGORITHMS: tuple[SigningAlgorithm, ...] = ("RS256", "HS256")
# The folders a bundle is made of: a change in any of them makes the build not the commit's.
SOURCE_FOLDERS = (POLICY_FOLDER, "schemas", REGISTRY_FOLDER)
OUTSIDE_GIT = "working-tree"


@dataclass(frozen=True)
class BundleSettings:
    """What `govlint bundle` was asked for."""

    repo: Path
    output: Path
    signing_key: Path | None = None
    signing_alg: SigningAlgorithm = "RS256"
    key_id: str | None = None


def canonical_json(value: Any) -> bytes:
    """JSON as OPA hashes a JSON file of a bundle when it checks a signature: keys sorted,
    no spaces, text as UTF-8, with Go's escapes where they differ from Python's (backspace and
    form feed as \\u0008 and \\u000c; line and paragraph separators escaped). A file written
    this way hashes the same whether its bytes or its parsed value are hashed."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # An escape starts at a backslash preceded by an even number of backslashes.
    text = re.sub(r"(?<!\\)((?:\\\\)*)\\([bf])", lambda m: m.group(1) + ("\\u0008" if m.group(2) == "b" else "\\u000c"), text)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.encode("utf-8")


def revision_of(repo: Path) -> str:
    """The manifest's revision: HEAD's commit, marked `-dirty` when the bundle's sources on
    disk differ from it; `working-tree` outside git."""
    from govlint.git import working_tree_state

    commit, dirty = working_tree_state(repo, SOURCE_FOLDERS)
    if commit is None:
        return OUTSIDE_GIT
    return f"{commit}-dirty" if dirty else commit


def bundle_files(repo: Path) -> dict[str, bytes]:
    """Every file of the bundle but its signature, by path inside the archive. A registry with
    a record that fails its schema or cannot be read stops the build: the bundle would serve
    the record without the broken fields, and the systems asking could not tell."""
    tree = WorkingTree(repo)
    schemas = SchemaSet.load(tree)
    policies = PolicySet.load(tree, schemas)
    registry = load_registry(tree, schemas)
    problems = sorted(
        (f for f in registry.findings + schemas.refused + policies.refused if f.severity == "error"),
        key=lambda f: f.sort_key,
    )
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        where = f"{first.file}:{first.line}" if first.line else (first.file or "registry")
        raise GovlintError(
            f"{where}: {first.rule}: {first.message}{more}; a bundle is built only from a "
            "registry whose records all read cleanly (run `govlint check`)"
        )
    data = {
        BUNDLE_ROOT: {
            "registry": json.loads(records_json(registry.as_input())),
            "params": policies.params,
            "catalog": policies.catalog(),
            "unreadable": registry.unreadable,
        }
    }
    manifest = {"revision": revision_of(repo), "roots": [BUNDLE_ROOT], "rego_version": 1}
    files = {MANIFEST: canonical_json(manifest), DATA_FILE: canonical_json(data)}
    for policy in policies.sources:
        files[policy.path] = policy.text.encode("utf-8")
    return files


def signature_file(
    files: dict[str, bytes], key: bytes, algorithm: SigningAlgorithm, key_id: str | None
) -> bytes:
    """`.signatures.json` for `files`: one JWT whose payload lists each file with the SHA-256
    of its bytes (every JSON file is already in the canonical form OPA hashes), signed with an
    RSA private key in PEM (RS256) or a shared secret (HS256). No issue time is put in it, so a
    signed bundle stays reproducible; `key_id` goes in the JWT header as `kid`, where OPA looks
    for the key to verify with when its configuration names none."""
    try:
        import jwt
    except ImportError:
        raise GovlintError("signing a bundle needs PyJWT: pip install 'govlint[bundle-signing]'") from None
    payload = {
        "files": [
            {"name": name, "hash": hashlib.sha256(content).hexdigest(), "algorithm": "SHA-256"}
            for name, content in sorted(files.items())
        ]
    }
    headers = {"kid": key_id} if key_id else None
    signing_key: Any = key
    if algorithm == "RS256":
        try:
            from cryptography.hazmat.primitives.serialization import load_pem_private_key

            signing_key = load_pem_private_key(key, password=None)
        except ImportError:
            raise GovlintError("RS256 signing needs cryptography: pip install 'govlint[bundle-signing]'") from None
        except (ValueError, TypeError) as exc:
            raise GovlintError(f"the signing key is not an unencrypted PEM private key: {exc}") from None
    try:
        token = jwt.encode(payload, signing_key, algorithm=algorithm, headers=headers)
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise GovlintError(f"cannot sign the bundle with {algorithm}: {exc}") from None
    return canonical_json({"signatures": [token]})


def pack(files: dict[str, bytes]) -> bytes:
    """A tar.gz of `files` whose bytes depend on their names and contents alone: entries in
    name order, each a regular file of mode 0644 owned by uid and gid 0 with no owner names,
    modified at time 0; gzip with no file name and time 0 in its header."""
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(files[name]))
    compressed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0, compresslevel=9) as gz:
        gz.write(archive.getvalue())
    return compressed.getvalue()


def build_bundle(settings: BundleSettings) -> bytes:
    """The bundle's bytes, signed when a key is given."""
    files = bundle_files(settings.repo)
    if settings.signing_key is not None:
        try:
            key = settings.signing_key.read_bytes()
        except OSError as exc:
            raise GovlintError(f"cannot read the signing key {settings.signing_key}: {exc.strerror}") from None
        if settings.signing_alg == "HS256":
            # The secret as OPA's configuration holds it: a file's final line break is not part of it.
            key = key.removesuffix(b"\n").removesuffix(b"\r")
            if not key:
                raise GovlintError(f"the signing key {settings.signing_key} is empty")
        files[SIGNATURES] = signature_file(files, key, settings.signing_alg, settings.key_id)
    return pack(files)


def run_bundle(settings: BundleSettings, out: TextIO) -> int:
    """Write the bundle to the output file (atomically) and say what it holds."""
    content = build_bundle(settings)
    write_atomically(settings.output, content)
    signed = f", signed {settings.signing_alg}" if settings.signing_key is not None else ""
    out.write(f"wrote {settings.output} ({len(content)} bytes{signed})\n")
    return 0
