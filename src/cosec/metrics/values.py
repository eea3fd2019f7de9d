"""A computed metric value for one tenant and period, ready to store, print or chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cosec.config import MetricTarget
from cosec.metrics.definitions import MetricDefinition
from cosec.metrics.rag import Rag, rate
from cosec.model.governance import AreaOwners, ControlArea

Breakdown = dict[str, Any]


@dataclass(frozen=True)
class MetricValue:
    key: str
    title: str
    unit: str
    area: ControlArea
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    rag: Rag
    target: float | None
    owner: str  # "role (party)" from the responsibility map, or "unowned"
    reason: str = ""  # why there is no value
    breakdown: Breakdown = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return self.value is not None

    def display(self) -> str:
        """The value as a reader sees it: '96.5%', '3.2 hours', 'no data'."""
        if self.value is None:
            return "no data"
        if self.unit == "%":
            return f"{self.value:.1f}%"
        if self.unit == "count":
            return f"{self.value:.0f}"
        return f"{self.value:.1f} {self.unit}"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "area": self.area.value,
            "period": self.period,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rag": self.rag.value,
            "target": self.target,
            "owner": self.owner,
            "reason": self.reason,
            "breakdown": self.breakdown,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MetricValue:
        return cls(
            key=data["key"],
            title=data["title"],
            unit=data["unit"],
            area=ControlArea(data["area"]),
            period=data["period"],
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            rag=Rag(data["rag"]),
            target=data["target"],
            owner=data["owner"],
            reason=data.get("reason", ""),
            breakdown=dict(data.get("breakdown") or {}),
        )


def owner_label(owners: dict[ControlArea, AreaOwners], d: MetricDefinition) -> str:
    cell = owners.get(d.area)
    owner = cell.for_duty(d.duty) if cell else None
    return owner.label() if owner else "unowned"


def make_value(
    d: MetricDefinition,
    period: str,
    *,
    targets: dict[str, MetricTarget],
    owners: dict[ControlArea, AreaOwners],
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    reason: str = "",
    breakdown: Breakdown | None = None,
) -> MetricValue:
    target = targets.get(d.key)
    if value is None and not reason:
        raise ValueError(f"{d.key}: a metric without a value needs the reason")
    return MetricValue(
        key=d.key,
        title=d.title,
        unit=d.unit,
        area=d.area,
        period=period,
        value=None if value is None else round(value, 2),
        numerator=numerator,
        denominator=denominator,
        rag=rate(value, target),
        target=target.target if target else None,
        owner=owner_label(owners, d),
        reason=reason if value is None else "",
        breakdown=breakdown or {},
    )
