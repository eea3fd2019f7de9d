"""Sign-ins of break-glass accounts raise an alert (attested: no API shows alert rules)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, not_assessed, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

CONTROL_ID = "IDN-010v1"


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    if not ctx.break_glass_accounts:
        return not_assessed("no break-glass accounts declared in cosec.yaml")
    attested = ctx.attestations.get(CONTROL_ID)
    if attested is None:
        return not_assessed(
            "alert rules live in Azure Monitor / Sentinel / Defender custom detections, which "
            "Graph cannot read; record an attestation after testing the alert"
        )
    age = ctx.now - attested
    fresh = age <= ctx.attestation_valid_for
    obs = observe(
        "attestations",
        CONTROL_ID,
        "Break-glass sign-in alert test",
        "attested_at",
        attested.isoformat(),
        f"within {ctx.attestation_valid_for.days} days",
        fresh,
    )
    return Result((obs,), f"alert last tested {age.days} days ago")


CONTROL = Control(
    id=CONTROL_ID,
    title="Break-glass sign-ins are monitored",
    rationale="Emergency accounts bypass Conditional Access; any use must reach a human at once.",
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("DE.CM-03",),
    cis=("2.2.1",),
    requires=(),
    remediation=Remediation(
        portal=(
            "Defender portal > Hunting > Custom detection rules: SigninLogs where "
            "UserPrincipalName in (break-glass) → alert; test it, then record the test"
        ),
        command=(
            "cosec assess attest IDN-010v1 --note '<what was tested>' (after signing in once "
            "with each break-glass account and seeing the alert)"
        ),
    ),
    check=check,
    decided_by="Graph exposes no alert rules, so the control relies on a dated attestation "
    "that someone signed in with the account and saw the alert; older than the attestation "
    "validity (92 days) fails, none recorded is not_assessed.",
)
