"""Every inbound anti-spam policy has spam and phishing ZAP on."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = []
    for p in view.content_filter_policies:
        obs.append(
            observe(
                "hostedContentFilterPolicies",
                p.name,
                p.name,
                "PhishZapEnabled",
                p.phish_zap,
                "true",
                p.phish_zap is True,
            )
        )
        obs.append(
            observe(
                "hostedContentFilterPolicies",
                p.name,
                p.name,
                "SpamZapEnabled",
                p.spam_zap,
                "true",
                p.spam_zap is True,
            )
        )
    bad = len({o.object for o in obs if not o.ok})
    return Result(tuple(obs), f"{bad} anti-spam policies without zero-hour auto purge")


CONTROL = Control(
    id="EML-019v1",
    title="Zero-hour auto purge removes delivered spam and phishing",
    rationale=(
        "Phishing campaigns are detected minutes after the first deliveries; ZAP removes the "
        "earlier ones."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("RS.MI-01",),
    cis=(),
    scuba=(),
    requires=("hostedContentFilterPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-spam > (inbound policy) > Actions > Zero-hour "
            "auto purge"
        ),
        command=(
            "Set-HostedContentFilterPolicy -Identity Default -SpamZapEnabled $true "
            "-PhishZapEnabled $true"
        ),
    ),
    check=check,
)
