"""Exchange Online clients authenticate with OAuth 2.0 (modern authentication)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.exchange_settings import organization_flag
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    raw = view.snapshot.items("organizationConfig")
    value = organization_flag(raw[0], "OAuth2ClientProfileEnabled") if raw else None
    name = str(raw[0].get("Identity") or "organization") if raw else "organization"
    obs = observe(
        "organizationConfig", name, name, "OAuth2ClientProfileEnabled", value, "true", value is True
    )
    return Result(
        (obs,), "modern authentication is on" if obs.ok else "modern authentication is off"
    )


CONTROL = Control(
    id="EML-026v1",
    title="Modern authentication is on for Exchange Online",
    rationale=(
        "Without modern authentication Outlook falls back to basic authentication, where MFA "
        "and Conditional Access do not apply."
    ),
    severity=Severity.HIGH,
    area=ControlArea.EMAIL,
    csf=("PR.AA-03",),
    cis=("6.5.1",),
    scuba=(),
    requires=("organizationConfig",),
    remediation=Remediation(
        portal=(
            "Microsoft 365 admin center > Settings > Org settings > Modern authentication: "
            "Turn on modern authentication for Outlook"
        ),
        command="Set-OrganizationConfig -OAuth2ClientProfileEnabled $true",
    ),
    check=check,
)
