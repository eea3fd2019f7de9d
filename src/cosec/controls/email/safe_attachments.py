"""Safe Attachments detonates attachments before delivery (Defender for Office 365)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

BLOCKING = ("Block", "DynamicDelivery")


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    policies = view.safe_attachment_policies
    if not policies:
        return Result(
            (
                observe(
                    "safeAttachmentPolicies",
                    "(none)",
                    "Safe Attachments policies",
                    "count",
                    0,
                    "1 or more",
                    False,
                ),
            ),
            "no Safe Attachments policy",
        )
    obs = []
    for p in policies:
        ok = p.enabled is True and p.action in BLOCKING
        obs.append(
            Observation(
                ObjectRef("safeAttachmentPolicies", p.name, p.name),
                "Enable/Action",
                f"{p.enabled}/{p.action}",
                "True/Block or DynamicDelivery",
                ok,
            )
        )
    if any(o.ok for o in obs):
        obs = [Observation(o.object, o.path, o.observed, o.expected, True) for o in obs]
    return Result(
        tuple(obs),
        "attachments detonated before delivery"
        if obs[0].ok
        else "no blocking Safe Attachments policy",
    )


CONTROL = Control(
    id="EML-009v1",
    title="Safe Attachments blocks malicious attachments",
    rationale="New malware passes signature scanning; detonation in a sandbox does not care.",
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("DE.CM-09",),
    cis=("2.1.4",),
    requires=("safeAttachmentPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Safe Attachments > Create: all recipients, Action: Block"
        ),
        command=(
            "New-SafeAttachmentPolicy -Name 'All users' -Enable $true -Action Block; "
            "New-SafeAttachmentRule -SafeAttachmentPolicy 'All users' -RecipientDomainIs <domains>"
        ),
    ),
    check=check,
)
