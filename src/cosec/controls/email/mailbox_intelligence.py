"""Mailbox intelligence learns each user's contacts and acts on impersonation."""

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
    obs = []
    for p in policies:
        obs.append(
            antiphish_obs(
                p,
                "EnableMailboxIntelligence",
                p.mailbox_intelligence,
                "true",
                p.mailbox_intelligence is True,
            )
        )
        obs.append(
            antiphish_obs(
                p,
                "EnableMailboxIntelligenceProtection",
                p.mailbox_intelligence_protection,
                "true",
                p.mailbox_intelligence_protection is True,
            )
        )
    return Result(
        tuple(obs),
        f"{len({o.object for o in obs if not o.ok})} policies without mailbox intelligence "
        "protection",
    )


CONTROL = Control(
    id="EML-003v1",
    title="Mailbox intelligence protection is on",
    rationale=(
        "Knowing who normally writes to whom catches impersonators that pass every other test."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("DE.CM-09",),
    requires=("antiPhishPolicies", "antiPhishRules"),
    optional=PRESET_RULES,
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-phishing > policy > Impersonation: Enable mailbox "
            "intelligence + intelligence for impersonation protection"
        ),
        command=(
            "Set-AntiPhishPolicy -Identity <policy> -EnableMailboxIntelligence $true "
            "-EnableMailboxIntelligenceProtection $true"
        ),
    ),
    check=check,
)
