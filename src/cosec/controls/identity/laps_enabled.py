"""Entra ID manages the local administrator password of joined devices (Windows LAPS)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    laps = view.device_registration_policy.laps_enabled
    obs = observe(
        "deviceRegistrationPolicy",
        "deviceRegistrationPolicy",
        "Device registration policy",
        "localAdminPassword.isEnabled",
        laps,
        "true",
        laps is True,
    )
    return Result((obs,), "Windows LAPS is enabled" if obs.ok else "Windows LAPS is not enabled")


CONTROL = Control(
    id="IDN-034v1",
    title="Windows LAPS is enabled for Entra-joined devices",
    rationale="A shared local admin password lets one compromised device unlock every other one.",
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01",),
    cis=(),
    scuba=(),
    requires=("deviceRegistrationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Devices > Device settings > Enable Microsoft Entra Local "
            "Administrator Password Solution (LAPS): Yes"
        ),
        command=(
            "PUT https://graph.microsoft.com/beta/policies/deviceRegistrationPolicy "
            "{localAdminPassword: {isEnabled: true}}"
        ),
    ),
    check=check,
)
