"""The detection catalog and its evaluation over one input."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cosec.detect import admin, drift, endpoint, identity, mail
from cosec.detect.rules import DetectionInput, Hit, Rule

CATALOG: tuple[Rule, ...] = (
    *mail.RULES,
    *identity.RULES,
    *admin.RULES,
    *endpoint.RULES,
    *drift.RULES,
)


def rule(rule_id: str) -> Rule:
    """A rule by versioned or base id."""
    for r in CATALOG:
        if rule_id in (r.id, r.base_id):
            return r
    raise KeyError(f"no detection rule {rule_id!r}")


@dataclass(frozen=True)
class Evaluation:
    hits: tuple[Hit, ...]
    skipped: dict[str, str]  # rule id → what data was missing
    ran: tuple[str, ...]


def evaluate(data: DetectionInput, rules: Sequence[Rule] = CATALOG) -> Evaluation:
    """Run every rule whose data was collected; name the missing data of the others."""
    hits: list[Hit] = []
    skipped: dict[str, str] = {}
    ran: list[str] = []
    for r in rules:
        missing = r.missing(data)
        if missing:
            skipped[r.id] = "not collected: " + ", ".join(missing)
            continue
        ran.append(r.id)
        hits.extend(r.evaluate(data))
    return Evaluation(tuple(hits), skipped, tuple(ran))
