from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cosec.metrics.definitions import definition
from cosec.metrics.values import MetricValue, make_value
from cosec.store.audit import entries
from cosec.store.engine import Store
from cosec.store.metrics import (
    last_reviews_held,
    metric_values,
    record_review,
    reviews,
    save_metric_values,
)

NOW = datetime(2026, 11, 2, tzinfo=UTC)


def _value(period: str, value: float | None) -> MetricValue:
    return make_value(
        definition("edr_coverage"),
        period,
        targets={},
        owners={},
        value=value,
        numerator=None if value is None else 9,
        denominator=None if value is None else 10,
        reason="mdeMachines not read" if value is None else "",
        breakdown={"not_onboarded": ["pc9"]},
    )


def test_metric_values_round_trip_and_recomputation_replaces(store: Store) -> None:
    with store.session() as s:
        save_metric_values(
            s, "main", [_value("2026-09", None), _value("2026-10", 80.0)], computed_at=NOW
        )
    with store.session() as s:
        save_metric_values(s, "main", [_value("2026-10", 90.0)], computed_at=NOW)
    with store.session() as s:
        got = metric_values(s, "main", ["2026-09", "2026-10"])
        assert metric_values(s, "other", ["2026-10"]) == []
        assert metric_values(s, "main", ["2026-10"], keys=["secure_score"]) == []
    assert [(v.period, v.value) for v in got] == [("2026-09", None), ("2026-10", 90.0)]
    assert got[0].reason == "mdeMachines not read"
    assert got[1].breakdown == {"not_onboarded": ["pc9"]}


def test_reviews_are_recorded_and_the_last_held_is_reported(store: Store) -> None:
    with store.session() as s:
        assert last_reviews_held(s, "main") == {
            "monthly_operational": None,
            "quarterly_executive": None,
        }
        record_review(
            s,
            tenant="main",
            kind="monthly",
            period="2026-09",
            held_at=datetime(2026, 10, 5, tzinfo=UTC),
            recorded_by="alex",
            party="internal",
            recorded_at=NOW,
        )
        record_review(
            s,
            tenant="main",
            kind="monthly",
            period="2026-10",
            held_at=NOW,
            recorded_by="alex",
            party="internal",
            recorded_at=NOW,
            attendees=["alex", "jordan"],
        )
        record_review(
            s,
            tenant="main",
            kind="monthly",
            period="2026-10",
            held_at=NOW,
            recorded_by="sam",
            party="internal",
            recorded_at=NOW,
        )
    with store.session() as s:
        held = last_reviews_held(s, "main")
        listed = reviews(s, "main")
        audited = [(e.action, e.actor, e.subject) for e in entries(s, action_prefix="review.")]
    assert held == {"monthly_operational": NOW, "quarterly_executive": None}
    assert [(r.period, r.recorded_by) for r in listed] == [("2026-09", "alex"), ("2026-10", "sam")]
    assert audited == [
        ("review.held", "alex", "monthly:2026-09"),
        ("review.held", "alex", "monthly:2026-10"),
        ("review.held", "sam", "monthly:2026-10"),
    ]


def test_unknown_review_kind_is_rejected(store: Store) -> None:
    with store.session() as s, pytest.raises(ValueError, match="monthly, quarterly"):
        record_review(
            s,
            tenant="main",
            kind="weekly",
            period="2026-W41",
            held_at=NOW,
            recorded_by="alex",
            party="internal",
            recorded_at=NOW,
        )
