"""Spoof intelligence is on in every anti-phishing policy in force."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.email.common import (
    PRESET_RULES,
    antiphish_obs,
    no_policy_in_force,
    policies_in_force,
)
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    policies = policies_in_force(view)
    if not policies:
        return no_policy_in_force()
    obs = [
        antiphish_obs(
            p, "EnableSpoofIntelligence", p.spoof_intelligence, "true", p.spoof_intelligence is True
        )
        for p in policies
    ]
    return Result(tuple(obs), f"{sum(not o.ok for o in obs)} policies without spoof intelligence")


CONTROL = Control(
    id="EML-004v1",
    title="Spoof intelligence is on",
    rationale="Spoofed senders that fail authentication should be junked, not delivered.",
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("DE.CM-09",),
    requires=("antiPhishPolicies", "antiPhishRules"),
    optional=PRESET_RULES,
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-phishing > policy > Spoof: Enable spoof intelligence"
        ),
        command="Set-AntiPhishPolicy -Identity <policy> -EnableSpoofIntelligence $true",
    ),
    check=check,
)
