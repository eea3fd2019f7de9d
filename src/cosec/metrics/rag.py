"""Red/amber/green against a target (`MetricTarget` from cosec.yaml)."""

from __future__ import annotations

from enum import StrEnum

from cosec.config import MetricTarget


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_TARGET = "no_target"  # a value, but cosec.yaml sets no target for it
    NO_DATA = "no_data"  # no value: the reason says why


def rate(value: float | None, target: MetricTarget | None) -> Rag:
    if value is None:
        return Rag.NO_DATA
    if target is None:
        return Rag.NO_TARGET
    if target.higher_is_better:
        if value >= target.target:
            return Rag.GREEN
        return Rag.AMBER if value >= target.amber else Rag.RED
    if value <= target.target:
        return Rag.GREEN
    return Rag.AMBER if value <= target.amber else Rag.RED
