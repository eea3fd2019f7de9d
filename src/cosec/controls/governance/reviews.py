"""Shared by the review-cadence controls."""

from __future__ import annotations

from cosec.controls.base import Result, not_assessed, observe
from cosec.controls.context import AssessmentContext


def review_on_cadence(ctx: AssessmentContext, kind: str, label: str) -> Result:
    if ctx.governance is None:
        return not_assessed("governance facts were not available to the assessment")
    cadence = ctx.review_cadence[kind]
    last = ctx.governance.reviews_held.get(kind)
    ok = last is not None and ctx.now - last <= cadence
    obs = observe(
        "reviews",
        kind,
        label,
        "last_held",
        last.isoformat() if last else None,
        f"within {cadence.days} days",
        ok,
    )
    return Result(
        (obs,),
        f"{label} last held {(ctx.now - last).days} days ago" if last else f"no {label} held",
    )
