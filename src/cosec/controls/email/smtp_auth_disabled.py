"""SMTP client authentication (basic auth over SMTP) is off organisation-wide."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    cfg = view.transport_config
    ok = cfg.smtp_client_auth_disabled is True
    obs = observe(
        "transportConfig",
        cfg.name,
        cfg.name,
        "SmtpClientAuthenticationDisabled",
        cfg.smtp_client_auth_disabled,
        "true",
        ok,
    )
    return Result(
        (obs,), "SMTP AUTH is disabled" if ok else "SMTP AUTH is enabled for the organisation"
    )


CONTROL = Control(
    id="EML-012v1",
    title="SMTP AUTH is disabled for the organisation",
    rationale=(
        "SMTP AUTH accepts a password alone: it bypasses MFA and is a favourite of "
        "password-spray tools."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("PR.AA-03",),
    cis=("6.5.4",),
    scuba=("MS.EXO.5.1v1",),
    requires=("transportConfig",),
    remediation=Remediation(
        portal=(
            "Microsoft 365 admin center > Settings > Org settings > Modern authentication: "
            "clear 'Authenticated SMTP'"
        ),
        command="Set-TransportConfig -SmtpClientAuthenticationDisabled $true",
    ),
    check=check,
)
