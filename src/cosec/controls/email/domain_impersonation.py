"""Impersonation of the organisation's own domains is detected."""

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
            p,
            "EnableOrganizationDomainsProtection",
            p.organization_domains_protection,
            "true",
            p.organization_domains_protection is True,
        )
        for p in policies
    ]
    return Result(
        tuple(obs), f"{sum(not o.ok for o in obs)} policies without domain impersonation protection"
    )


CONTROL = Control(
    id="EML-002v1",
    title="Domain impersonation protection is on",
    rationale="Look-alike domains (contos0.com) carry most business email compromise.",
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("DE.CM-09",),
    scuba=("MS.SECURITYSUITE.2.2v1", "MS.DEFENDER.2.2v1"),
    requires=("antiPhishPolicies", "antiPhishRules"),
    optional=PRESET_RULES,
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-phishing > policy > Impersonation: Include domains "
            "I own"
        ),
        command="Set-AntiPhishPolicy -Identity <policy> -EnableOrganizationDomainsProtection $true",
    ),
    check=check,
)
