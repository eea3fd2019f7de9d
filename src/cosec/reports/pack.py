"""The evidence pack: one zip an auditor can check offline.

Layout::

    manifest.json          every other file with its SHA-256, plus tenant, period, time
    manifest.sig           Ed25519 signature of manifest.json's exact bytes
    public-key.pem         the workspace key that signed it
    metrics.json           metric values of the period (with reasons where no data)
    findings.json          control results as of the period end
    raw/<sha256>.json      raw API documents the findings point at, by content digest
    responsibility-map.{csv,md}
    exceptions.json        the exception register as at the period end
    restore-tests.json     recorded restore tests of the period
    reviews.json           reviews held (dates and attendees)
    changes.json           approved changes and unapproved drift of the period
    reports/…              the review of the period (HTML and PDF)

`verify_pack` re-hashes every file, reports edited, added and removed files, and checks
the signature (and, given the workspace key, that the pack was signed by it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cosec.errors import CosecError

FORMAT = "cosec-evidence-pack/1"
MANIFEST, SIGNATURE, PUBLIC_KEY = "manifest.json", "manifest.sig", "public-key.pem"
UNSIGNED = {MANIFEST, SIGNATURE}
FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip entry times: the manifest carries the real one


class PackError(CosecError):
    hint = "Check the path; a pack is the zip written by `cosec evidence pack`."


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, default=str) + "\n").encode()


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


def build_pack(
    output: Path,
    files: Mapping[str, bytes],
    *,
    key: Ed25519PrivateKey,
    tenant: str,
    period: str,
    generated_at: datetime,
) -> Path:
    """Write `files` (archive path → bytes) with a signed manifest into the zip `output`."""
    for name in files:
        p = PurePosixPath(name)
        if p.is_absolute() or ".." in p.parts or name in UNSIGNED or name == PUBLIC_KEY:
            raise PackError(f"invalid or reserved pack path {name!r}")
    contents = dict(files)
    contents[PUBLIC_KEY] = public_pem(key.public_key())
    manifest = _json(
        {
            "format": FORMAT,
            "tenant": tenant,
            "period": period,
            "generated_at": generated_at.isoformat(),
            "signing_key": key_fingerprint(key.public_key()),
            "files": {n: hashlib.sha256(b).hexdigest() for n, b in sorted(contents.items())},
        }
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = [(MANIFEST, manifest), (SIGNATURE, key.sign(manifest)), *sorted(contents.items())]
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    partial.replace(output)
    return output


@dataclass
class Verification:
    path: Path
    tenant: str = ""
    period: str = ""
    signing_key: str = ""
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_manifest(zf: zipfile.ZipFile, result: Verification) -> dict[str, Any] | None:
    names = set(zf.namelist())
    for required in (MANIFEST, SIGNATURE, PUBLIC_KEY):
        if required not in names:
            result.problems.append(f"{required} is missing")
    if result.problems:
        return None
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except ValueError:
        result.problems.append(f"{MANIFEST} is not valid JSON")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        result.problems.append(f"{MANIFEST} is not a {FORMAT} manifest")
        return None
    return manifest


def verify_pack(path: Path, *, trusted: Ed25519PublicKey | None = None) -> Verification:
    """Check every digest and the signature; problems name each file affected."""
    result = Verification(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackError(f"cannot open {path}: {exc}") from None
    with zf:
        manifest = _read_manifest(zf, result)
        if manifest is None:
            return result
        result.tenant, result.period = str(manifest.get("tenant")), str(manifest.get("period"))
        listed: dict[str, str] = dict(manifest.get("files") or {})
        result.files = len(listed)
        present = set(zf.namelist()) - UNSIGNED
        for name in sorted(present - set(listed)):
            result.problems.append(f"added: {name} is not in the manifest")
        for name in sorted(set(listed) - present):
            result.problems.append(f"removed: {name} is listed in the manifest but missing")
        for name in sorted(present & set(listed)):
            digest = hashlib.sha256(zf.read(name)).hexdigest()
            if digest != listed[name]:
                result.problems.append(f"changed: {name} does not match its digest")
            elif name.startswith("raw/") and PurePosixPath(name).stem != digest:
                result.problems.append(f"{name} is not the raw document of that digest")
        try:
            key = serialization.load_pem_public_key(zf.read(PUBLIC_KEY))
        except ValueError:
            result.problems.append(f"{PUBLIC_KEY} is not a PEM public key")
            return result
        if not isinstance(key, Ed25519PublicKey):
            result.problems.append(f"{PUBLIC_KEY} is not an Ed25519 key")
            return result
        result.signing_key = key_fingerprint(key)
        try:
            key.verify(zf.read(SIGNATURE), zf.read(MANIFEST))
        except InvalidSignature:
            result.problems.append("bad signature: manifest.json was not signed by public-key.pem")
        if trusted is not None and key_fingerprint(trusted) != result.signing_key:
            result.problems.append(
                f"signed by {result.signing_key}, not by this workspace's key "
                f"{key_fingerprint(trusted)}"
            )
    return result


def json_file(data: Any) -> bytes:
    """Canonical JSON bytes for a pack file."""
    return _json(data)


def referenced_resources(findings: Sequence[Mapping[str, Any]]) -> set[str]:
    """Resource keys the findings' evidence and affected objects point at."""
    keys: set[str] = set()
    for f in findings:
        for ref in [*(f.get("evidence") or ()), *(f.get("affected") or ())]:
            if isinstance(ref, Mapping) and ref.get("resource"):
                keys.add(str(ref["resource"]))
        if f.get("missing_resource"):
            keys.discard(str(f["missing_resource"]))
    return keys
