"""No inbound anti-spam policy lists allowed sender domains."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = [
        observe(
            "hostedContentFilterPolicies",
            p.name,
            p.name,
            "AllowedSenderDomains",
            list(p.allowed_sender_domains),
            "empty",
            not p.allowed_sender_domains,
        )
        for p in view.content_filter_policies
    ]
    bad = sum(not o.ok for o in obs)
    return Result(tuple(obs), f"{bad} anti-spam policies allow sender domains")


CONTROL = Control(
    id="EML-023v1",
    title="Inbound anti-spam policies allow no sender domains",
    rationale="An allowed domain skips spam filtering for anyone who can spoof or send from it.",
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("PR.PS-01",),
    cis=("2.1.14",),
    scuba=(),
    requires=("hostedContentFilterPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-spam > (inbound policy) > Allowed and blocked "
            "senders and domains"
        ),
        command="Set-HostedContentFilterPolicy -Identity Default -AllowedSenderDomains @{}",
    ),
    check=check,
)
