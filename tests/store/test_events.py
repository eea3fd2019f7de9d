"""Event storage: de-duplication, newest version wins, windows, monotonic watermarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from cosec.store.engine import Store
from cosec.store.events import (
    NewEvent,
    count_events,
    iter_events,
    put_events,
    set_watermark,
    watermark,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _signin(i: int) -> NewEvent:
    return NewEvent(f"s{i}", T0 + timedelta(hours=i), {"id": f"s{i}", "n": i})


def test_rereading_an_overlapping_window_adds_nothing(store: Store) -> None:
    with store.session() as s:
        put_events(s, "main", "signIns", [_signin(i) for i in range(5)])
    with store.session() as s:
        put_events(s, "main", "signIns", [_signin(i) for i in range(3, 8)])
        put_events(s, "other", "signIns", [_signin(0)])
    with store.session() as s:
        assert count_events(s, "main", "signIns") == 8
        got = list(iter_events(s, "main", "signIns", start=T0 + timedelta(hours=2)))
        window = count_events(
            s, "main", "signIns", start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=4)
        )
    assert [e.id for e in got] == ["s2", "s3", "s4", "s5", "s6", "s7"]
    assert got[0].occurred_at == T0 + timedelta(hours=2)
    assert got[0].raw == {"id": "s2", "n": 2}
    assert window == 2


def test_versioned_records_keep_the_newest_version(store: Store) -> None:
    def alert(status: str, hours: int) -> NewEvent:
        return NewEvent("a1", T0, {"id": "a1", "status": status}, T0 + timedelta(hours=hours))

    with store.session() as s:
        put_events(s, "main", "alerts", [alert("new", 1)])
    with store.session() as s:
        put_events(s, "main", "alerts", [alert("resolved", 5)])
    with store.session() as s:
        put_events(s, "main", "alerts", [alert("inProgress", 3)])  # older version, late read
    with store.session() as s:
        (only,) = list(iter_events(s, "main", "alerts"))
    assert only.raw["status"] == "resolved"


def test_watermark_only_moves_forward(store: Store) -> None:
    with store.session() as s:
        assert watermark(s, "main", "signIns") is None
        set_watermark(s, "main", "signIns", T0 + timedelta(days=2), now=T0)
    with store.session() as s:
        set_watermark(s, "main", "signIns", T0 + timedelta(days=1), now=T0)
    with store.session() as s:
        assert watermark(s, "main", "signIns") == T0 + timedelta(days=2)
        assert watermark(s, "main", "directoryAudits") is None


def test_a_failed_transaction_stores_neither_events_nor_watermark(store: Store) -> None:
    try:
        with store.session() as s:
            put_events(s, "main", "signIns", [_signin(1)])
            set_watermark(s, "main", "signIns", T0, now=T0)
            raise RuntimeError("killed mid-page")
    except RuntimeError:
        pass
    with store.session() as s:
        assert count_events(s, "main", "signIns") == 0
        assert watermark(s, "main", "signIns") is None


def test_a_page_is_written_in_one_insert_statement(store: Store) -> None:
    """A full page (1,000 sign-ins) is one multi-row INSERT, not one per row or chunk."""
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO COLLECTED_EVENTS"):
            statements.append(statement)

    page = [_signin(i) for i in range(1_000)]
    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        with store.session() as s:
            put_events(s, "main", "signIns", page)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    with store.session() as s:
        assert count_events(s, "main", "signIns") == 1_000
        last = list(iter_events(s, "main", "signIns", start=T0 + timedelta(hours=999)))
    assert len(statements) == 1
    assert [e.raw for e in last] == [{"id": "s999", "n": 999}]
