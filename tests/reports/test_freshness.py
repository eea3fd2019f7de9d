"""Freshness of a review's data, read from the stored snapshots and assessment runs."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.controls.builder import secure_tenant

from cosec.metrics.periods import parse_period
from cosec.reports.freshness import freshness
from cosec.store.engine import Store
from cosec.store.snapshots import save_snapshot


def _collect(store: Store, at: datetime) -> None:
    snap = secure_tenant(at).snapshot()
    with store.session() as s:
        save_snapshot(s, snap, started_at=at, finished_at=at)


def test_a_quarter_with_a_month_missing_and_in_progress_is_a_draft(store: Store) -> None:
    _collect(store, datetime(2026, 7, 15, tzinfo=UTC))
    _collect(store, datetime(2026, 9, 10, tzinfo=UTC))
    now = datetime(2026, 9, 20, tzinfo=UTC)
    with store.session() as s:
        q3 = freshness(s, "main", parse_period("2026-Q3"), now)
        july = freshness(s, "main", parse_period("2026-07"), now)
        october = freshness(s, "main", parse_period("2026-10"), now)
    assert q3.months_without_data == ("2026-08",)
    assert q3.partial and q3.data_until == now
    assert q3.snapshot_at == datetime(2026, 9, 10, tzinfo=UTC)
    assert q3.draft and q3.assessed_at is None  # never assessed
    assert any("2026-08" in w for w in q3.warnings())
    assert not july.partial and july.months_without_data == ()
    assert october.months_without_data == ()  # not started yet: nothing is missing
    assert october.partial
