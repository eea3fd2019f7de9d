from __future__ import annotations

import hashlib
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cosec.reports.pack import PackError, build_pack, referenced_resources, verify_pack

NOW = datetime(2026, 11, 2, tzinfo=UTC)
RAW = b"[1]"
RAW_DIGEST = hashlib.sha256(RAW).hexdigest()


def _pack(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    return build_pack(
        tmp_path / "p.zip",
        {"a.json": b"{}", f"raw/{RAW_DIGEST}.json": RAW},
        key=key,
        tenant="main",
        period="2026-10",
        generated_at=NOW,
    )


def test_round_trip_and_trusted_key(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    result = verify_pack(_pack(tmp_path, key), trusted=key.public_key())
    assert result.ok, result.problems
    assert (result.tenant, result.period, result.files) == ("main", "2026-10", 3)
    other = verify_pack(tmp_path / "p.zip", trusted=Ed25519PrivateKey.generate().public_key())
    assert any("not by this workspace's key" in p for p in other.problems)


def test_a_re_signed_pack_with_a_swapped_key_is_still_caught_by_the_trusted_key(
    tmp_path: Path,
) -> None:
    mine, theirs = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    forged = build_pack(
        tmp_path / "f.zip",
        {"a.json": b"[]"},
        key=theirs,
        tenant="main",
        period="2026-10",
        generated_at=NOW,
    )
    assert verify_pack(forged).ok  # self-consistent on its own…
    assert not verify_pack(forged, trusted=mine.public_key()).ok  # …but not signed by us


def test_raw_documents_must_hash_to_their_name(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pack = build_pack(
        tmp_path / "r.zip",
        {"raw/" + "0" * 64 + ".json": RAW},
        key=key,
        tenant="t",
        period="p",
        generated_at=NOW,
    )
    assert any("not the raw document" in p for p in verify_pack(pack).problems)


def test_missing_manifest_and_non_zip(tmp_path: Path) -> None:
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(bare, "w") as zf:
        zf.writestr("a.json", b"{}")
    assert "manifest.json is missing" in verify_pack(bare).problems
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    with pytest.raises(PackError, match="cannot open"):
        verify_pack(junk)


def test_reserved_and_escaping_paths_are_refused(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    for bad in ("manifest.json", "../x", "/etc/x", "public-key.pem"):
        with pytest.raises(PackError):
            build_pack(
                tmp_path / "x.zip", {bad: b""}, key=key, tenant="t", period="p", generated_at=NOW
            )
    assert not (tmp_path / "x.zip").exists()


def test_referenced_resources_from_finding_documents() -> None:
    docs = [
        {
            "evidence": [{"resource": "users", "object_id": "u1"}],
            "affected": [{"resource": "conditionalAccessPolicies"}],
        },
        {"evidence": [], "affected": [], "missing_resource": "mdeMachines"},
    ]
    assert referenced_resources(docs) == {"users", "conditionalAccessPolicies"}
