"""User consent to applications Microsoft flags as risky is not allowed."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.identity_settings import top_level_flag
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    raw = view.snapshot.items("authorizationPolicy")
    allowed = top_level_flag(raw[0], "allowUserConsentForRiskyApps") if raw else None
    obs = observe(
        "authorizationPolicy",
        "authorizationPolicy",
        "Authorization policy",
        "allowUserConsentForRiskyApps",
        allowed,
        "false or unset",
        allowed is not True,
    )
    return Result(
        (obs,), "risky-app consent is blocked" if obs.ok else "users may consent to risky apps"
    )


CONTROL = Control(
    id="IDN-030v1",
    title="Users cannot consent to apps Microsoft flags as risky",
    rationale="Risk-flagged apps are where consent phishing campaigns show up first.",
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=(),
    scuba=(),
    requires=("authorizationPolicy",),
    remediation=Remediation(
        portal="Microsoft Graph only (no portal switch): authorizationPolicy",
        command=(
            "PATCH https://graph.microsoft.com/v1.0/policies/authorizationPolicy "
            "{allowUserConsentForRiskyApps: false}"
        ),
    ),
    check=check,
)
