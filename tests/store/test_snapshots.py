"""Snapshots round-trip through the store, share identical raw documents, and stay partial."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cosec.errors import NotFoundError
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.store.engine import Store
from cosec.store.snapshots import (
    latest_snapshot,
    list_snapshots,
    load_snapshot,
    raw_blob,
    save_snapshot,
)
from cosec.store.tables.collect import RawBlobRow

T0 = datetime(2026, 11, 1, 23, 59, 59, tzinfo=UTC)


def _snapshot(taken_at: datetime, users: list[dict[str, str]]) -> Snapshot:
    return Snapshot(
        tenant="main",
        taken_at=taken_at,
        outcomes={
            "users": ResourceOutcome("users", Outcome.OK, item_count=len(users)),
            "messageRules": ResourceOutcome("messageRules", Outcome.OK, item_count=1),
            "riskyUsers": ResourceOutcome(
                "riskyUsers",
                Outcome.NOT_ASSESSED,
                "the tenant has no Microsoft Entra ID P2 licence",
                licence="Microsoft Entra ID P2",
            ),
        },
        raw={"users": users},
        raw_per_parent={"messageRules": {"u1": [{"id": "r1", "displayName": "fwd"}]}},
    )


def test_round_trip_keeps_raw_outcomes_and_parents(store: Store) -> None:
    users = [{"id": "u1", "displayName": "Ann Ödegaard"}]
    with store.session() as s:
        sid = save_snapshot(
            s, _snapshot(T0, users), started_at=T0, finished_at=T0, as_of=date(2026, 11, 1)
        )
    with store.session() as s:
        snap = load_snapshot(s, sid)
        infos = list_snapshots(s, "main")
    assert snap.id == sid and snap.taken_at == T0
    assert snap.items("users") == users
    assert snap.children("messageRules") == {"u1": [{"id": "r1", "displayName": "fwd"}]}
    assert snap.items("messageRules") == [{"id": "r1", "displayName": "fwd"}]
    assert snap.partial
    assert snap.outcome("riskyUsers").licence == "Microsoft Entra ID P2"
    assert snap.outcome("users").digest is not None
    assert [(i.id, i.partial, i.as_of) for i in infos] == [(sid, True, date(2026, 11, 1))]
    assert infos[0].outcomes == {"ok": 2, "not_assessed": 1}


def test_identical_documents_are_stored_once_and_compressed(store: Store) -> None:
    users = [{"id": f"u{i}", "displayName": "same " * 20} for i in range(50)]
    with store.session() as s:
        a = save_snapshot(s, _snapshot(T0, users), started_at=T0, finished_at=T0)
        b = save_snapshot(
            s,
            _snapshot(T0 + timedelta(days=1), users),
            started_at=T0,
            finished_at=T0,
        )
    with store.session() as s:
        first, second = load_snapshot(s, a), load_snapshot(s, b)
        digest = first.outcome("users").digest
        assert digest == second.outcome("users").digest
        assert digest is not None
        assert s.scalar(select(func.count()).select_from(RawBlobRow)) == 2
        stored = s.get(RawBlobRow, digest)
        assert stored is not None
        assert len(stored.data) < stored.size
        assert json.loads(raw_blob(s, digest)) == users
        assert zlib.decompress(stored.data) == raw_blob(s, digest)


def test_latest_snapshot_respects_at_or_before(store: Store) -> None:
    with store.session() as s:
        ids = [
            save_snapshot(
                s,
                _snapshot(T0 + timedelta(days=d), [{"id": str(d)}]),
                started_at=T0,
                finished_at=T0,
            )
            for d in range(3)
        ]
    with store.session() as s:
        latest = latest_snapshot(s, "main")
        middle = latest_snapshot(s, "main", at_or_before=T0 + timedelta(days=1, hours=1))
        assert latest is not None and latest.id == ids[2]
        assert middle is not None and middle.id == ids[1]
        assert latest_snapshot(s, "main", at_or_before=T0 - timedelta(days=1)) is None
        assert latest_snapshot(s, "other") is None


def test_unknown_snapshot_and_digest_are_not_found(store: Store) -> None:
    with store.session() as s:
        with pytest.raises(NotFoundError, match="snapshot"):
            load_snapshot(s, 999)
        with pytest.raises(NotFoundError, match="digest"):
            raw_blob(s, "0" * 64)
