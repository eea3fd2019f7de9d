"""The default sharing policy is disabled, so users cannot share calendars externally."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = [
        observe(
            "sharingPolicies", p.name, p.name, "Enabled", p.enabled, "false", p.enabled is False
        )
        for p in view.sharing_policies
        if p.is_default
    ]
    bad = sum(not o.ok for o in obs)
    return Result(
        tuple(obs), "external calendar sharing is on" if bad else "external calendar sharing is off"
    )


CONTROL = Control(
    id="EML-016v1",
    title="External calendar sharing is not available",
    rationale=(
        "Each user's ad-hoc external calendar share is an unmanaged data flow nobody reviews."
    ),
    severity=Severity.LOW,
    area=ControlArea.EMAIL,
    csf=("PR.DS-02",),
    cis=("1.3.3",),
    scuba=(),
    requires=("sharingPolicies",),
    remediation=Remediation(
        portal=(
            "Microsoft 365 admin center > Settings > Org settings > Calendar: clear 'Let your "
            "users share their calendars'"
        ),
        command="Set-SharingPolicy -Identity 'Default Sharing Policy' -Enabled $false",
    ),
    check=check,
)
