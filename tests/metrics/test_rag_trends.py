from __future__ import annotations

from importlib.resources import files

import pytest

from cosec.config import MetricTarget, parse_workspace
from cosec.metrics.definitions import definition
from cosec.metrics.rag import Rag, rate
from cosec.metrics.trends import Direction, trend
from cosec.metrics.values import MetricValue, make_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [(99.0, Rag.GREEN), (96.0, Rag.AMBER), (94.9, Rag.RED), (None, Rag.NO_DATA)],
)
def test_higher_is_better(value: float | None, expected: Rag) -> None:
    assert rate(value, MetricTarget(target=99, amber=95)) is expected


@pytest.mark.parametrize(("value", "expected"), [(2, Rag.GREEN), (5, Rag.AMBER), (9, Rag.RED)])
def test_lower_is_better(value: float, expected: Rag) -> None:
    assert rate(value, MetricTarget(target=2, amber=5, higher_is_better=False)) is expected


def test_no_target_is_not_a_colour() -> None:
    assert rate(50.0, None) is Rag.NO_TARGET


def _v(key: str, period: str, value: float | None) -> MetricValue:
    return make_value(
        definition(key),
        period,
        targets={},
        owners={},
        value=value,
        reason="" if value is not None else "no snapshot in the period",
    )


def test_trend_direction_respects_which_way_is_better() -> None:
    up = trend([_v("mfa_coverage_all", "2026-09", 90.0), _v("mfa_coverage_all", "2026-10", 95.0)])
    assert up.direction is Direction.IMPROVING
    assert up.change == 5.0
    assert "improved by 5.0 points" in up.sentence
    slower = trend(
        [_v("incident_mttr_hours", "2026-09", 10.0), _v("incident_mttr_hours", "2026-10", 20.0)]
    )
    assert slower.direction is Direction.WORSENING


def test_counts_have_no_decimals_and_volumes_no_better_or_worse() -> None:
    fewer = trend([_v("vulns_past_sla", "2026-09", 157.0), _v("vulns_past_sla", "2026-10", 143.0)])
    assert fewer.direction is Direction.IMPROVING
    assert "improved by 14:" in fewer.sentence
    more = trend([_v("exceptions_active", "2026-09", 1.0), _v("exceptions_active", "2026-10", 4.0)])
    assert more.direction is Direction.CHANGED
    assert "rose by 3:" in more.sentence
    assert "improved" not in more.sentence and "worsened" not in more.sentence


def test_trend_skips_periods_without_data_and_says_why_when_unknown() -> None:
    t = trend(
        [
            _v("edr_coverage", "2026-08", 80.0),
            _v("edr_coverage", "2026-09", None),
            _v("edr_coverage", "2026-10", 80.5),
        ]
    )
    assert t.direction is Direction.STEADY
    none = trend([_v("edr_coverage", "2026-09", 80.0), _v("edr_coverage", "2026-10", None)])
    assert none.direction is Direction.UNKNOWN
    assert "no snapshot in the period" in none.sentence


def test_a_value_without_data_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        make_value(definition("edr_coverage"), "2026-10", targets={}, owners={})


def test_tier_family_and_unknown_key() -> None:
    assert definition("mfa_coverage_finance").title == "MFA coverage (finance)"
    with pytest.raises(KeyError):
        definition("nonsense")


def test_every_target_in_the_workspace_template_names_a_metric() -> None:
    text = files("cosec").joinpath("templates/cosec.yaml").read_text()
    text = (
        text.replace("{organisation}", "Org")
        .replace("{partner}", "MSP")
        .replace("{tenant}", "main")
    )
    ws = parse_workspace(text)
    assert ws.metric_targets
    for key in ws.metric_targets:
        assert definition(key).key == key


def test_no_trend_between_periods_measuring_different_sources() -> None:
    """Q2 counted Defender's incidents, Q3 the incidents declared in cosec: not comparable."""
    d = definition("incident_mttr_hours")

    def value(period: str, hours: float, source: str) -> MetricValue:
        return make_value(
            d, period, targets={}, owners={}, value=hours, breakdown={"source": [source]}
        )

    t = trend([value("2026-Q2", 30.0, "Defender incidents"), value("2026-Q3", 12.0, "cosec")])
    assert t.direction is Direction.UNKNOWN and t.change is None
    assert "2026-Q2 measured Defender incidents, 2026-Q3 measured cosec" in t.sentence
    same = trend([value("2026-Q2", 30.0, "cosec"), value("2026-Q3", 12.0, "cosec")])
    assert same.direction is Direction.IMPROVING
