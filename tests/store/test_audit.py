from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from cosec.governance.audit import verify_chain
from cosec.store import audit
from cosec.store.engine import Store

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def _fill(store: Store, n: int = 5) -> None:
    for i in range(n):
        with store.session() as s:
            audit.append(
                s,
                at=T0 + timedelta(minutes=i),
                actor="alex",
                party="internal",
                action="exception.approve",
                subject=f"EXC-{i}",
                tenant="main",
                before={"state": "proposed"},
                after={"state": "approved"},
            )


def _problems(store: Store) -> list[str]:
    with store.session() as s:
        return [p.problem for p in verify_chain(list(audit.entries(s)))]


def test_intact_chain_verifies(store: Store) -> None:
    _fill(store)
    assert _problems(store) == []


def test_edit_is_detected(store: Store) -> None:
    _fill(store)
    with store.session() as s:
        s.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    assert any("edited" in p for p in _problems(store))


def test_delete_is_detected(store: Store) -> None:
    _fill(store)
    with store.session() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    assert any("deleted or reordered" in p for p in _problems(store))


def test_reorder_is_detected(store: Store) -> None:
    _fill(store)
    with store.session() as s:
        s.execute(text("UPDATE audit_log SET seq = 100 WHERE seq = 2"))
        s.execute(text("UPDATE audit_log SET seq = 2 WHERE seq = 4"))
        s.execute(text("UPDATE audit_log SET seq = 4 WHERE seq = 100"))
    assert _problems(store)


def test_rollback_leaves_no_entry(store: Store) -> None:
    try:
        with store.session() as s:
            audit.append(s, at=T0, actor="a", party="internal", action="x", subject="y")
            raise RuntimeError("decision failed")
    except RuntimeError:
        pass
    with store.session() as s:
        assert list(audit.entries(s)) == []
