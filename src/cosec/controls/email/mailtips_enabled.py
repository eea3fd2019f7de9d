"""MailTips are on, including the external-recipient tip."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.exchange_settings import organization_flag
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    raw = view.snapshot.items("organizationConfig")
    org = raw[0] if raw else {}
    name = str(org.get("Identity") or "organization")
    obs = tuple(
        observe(
            "organizationConfig",
            name,
            name,
            key,
            organization_flag(org, key),
            "true",
            organization_flag(org, key) is True,
        )
        for key in (
            "MailTipsAllTipsEnabled",
            "MailTipsExternalRecipientsTipsEnabled",
            "MailTipsGroupMetricsEnabled",
        )
    )
    bad = [o.path for o in obs if not o.ok]
    return Result(obs, f"MailTips off: {', '.join(bad)}" if bad else "MailTips are on")


CONTROL = Control(
    id="EML-027v1",
    title="MailTips warn users before they send",
    rationale=(
        "A warning that a recipient is external stops many misdirected and socially engineered "
        "sends."
    ),
    severity=Severity.LOW,
    area=ControlArea.EMAIL,
    csf=("PR.AT-01",),
    cis=("6.5.2",),
    scuba=(),
    requires=("organizationConfig",),
    remediation=Remediation(
        portal="Exchange Online PowerShell (no portal switch)",
        command=(
            "Set-OrganizationConfig -MailTipsAllTipsEnabled $true "
            "-MailTipsExternalRecipientsTipsEnabled $true -MailTipsGroupMetricsEnabled $true "
            "-MailTipsLargeAudienceThreshold 25"
        ),
    ),
    check=check,
)
