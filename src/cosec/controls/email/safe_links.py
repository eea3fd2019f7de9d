"""Safe Links rewrites and checks URLs in email at click time (Defender for Office 365)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    policies = view.safe_links_policies
    if not policies:
        return Result(
            (
                observe(
                    "safeLinksPolicies",
                    "(none)",
                    "Safe Links policies",
                    "count",
                    0,
                    "1 or more",
                    False,
                ),
            ),
            "no Safe Links policy",
        )
    obs = []
    for p in policies:
        ref = ObjectRef("safeLinksPolicies", p.name, p.name)
        obs.append(Observation(ref, "EnableSafeLinksForEmail", p.email, "true", p.email is True))
        obs.append(
            Observation(ref, "TrackClicks", p.track_clicks, "true", p.track_clicks is not False)
        )
        obs.append(
            Observation(
                ref,
                "AllowClickThrough",
                p.allow_click_through,
                "false",
                p.allow_click_through is not True,
            )
        )
    good = {o.object for o in obs} - {o.object for o in obs if not o.ok}
    if good:  # one complete policy is enough; report the others as context
        obs = [
            o if o.object in good else Observation(o.object, o.path, o.observed, o.expected, True)
            for o in obs
        ]
    return Result(
        tuple(obs),
        "Safe Links protects email" if good else "no Safe Links policy protects email fully",
    )


CONTROL = Control(
    id="EML-008v1",
    title="Safe Links protects email",
    rationale="Phishing links turn malicious after delivery; click-time checking catches them.",
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("DE.CM-09", "PR.PS-01"),
    cis=("2.1.1",),
    requires=("safeLinksPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Safe Links > Create: apply to all recipients, URL "
            "scanning on, do not let users click through"
        ),
        command=(
            "New-SafeLinksPolicy -Name 'All users' -EnableSafeLinksForEmail $true -TrackClicks "
            "$true -AllowClickThrough $false; New-SafeLinksRule -SafeLinksPolicy 'All users' "
            "-RecipientDomainIs <domains>"
        ),
    ),
    check=check,
)
