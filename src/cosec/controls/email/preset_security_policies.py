"""A Standard or Strict preset security policy applies to the organisation's mail.

Presets are Microsoft's maintained settings for anti-spam, anti-malware and anti-phishing
(the EOP part, Get-EOPProtectionPolicyRule) and for Safe Links, Safe Attachments and
impersonation (the Defender for Office 365 part, Get-ATPProtectionPolicyRule). A rule
applies when it is enabled and names recipients (users, groups or domains).
"""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Observation, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.exchange_settings import PresetRule
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def _part(resource: str, rules: list[PresetRule], what: str) -> list[Observation]:
    applied = [r for r in rules if r.applies]
    if applied:
        return [
            observe(resource, r.name, r.name, "State/recipients", list(r.recipients), what, True)
            for r in applied
        ]
    return [
        observe(resource, "(none)", what, "applied presets", 0, "Standard or Strict applied", False)
    ]


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = _part("eopProtectionPolicyRules", view.eop_preset_rules, "EOP protection preset")
    if view.available("atpProtectionPolicyRules"):
        obs += _part(
            "atpProtectionPolicyRules", view.atp_preset_rules, "Defender for Office 365 preset"
        )
    missing = [o.expected for o in obs if not o.ok]
    summary = (
        "a Standard or Strict preset applies"
        if not missing
        else f"no Standard or Strict preset applies ({', '.join(missing)})"
    )
    return Result(tuple(obs), summary)


CONTROL = Control(
    id="EML-024v1",
    title="A Standard or Strict preset security policy is applied",
    rationale=(
        "Presets follow Microsoft's recommended settings as threats change; hand-tuned "
        "policies drift and are rarely revisited."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("PR.PS-01",),
    scuba=("MS.DEFENDER.1.1v1",),
    requires=("eopProtectionPolicyRules",),
    optional=("atpProtectionPolicyRules",),
    remediation=Remediation(
        portal=(
            "Defender portal > Email & collaboration > Policies & rules > Threat policies > "
            "Preset security policies > Standard protection: apply to all recipients"
        ),
        command=(
            "Enable-EOPProtectionPolicyRule -Identity 'Standard Preset Security Policy'; "
            "Enable-ATPProtectionPolicyRule -Identity 'Standard Preset Security Policy'"
        ),
    ),
    check=check,
    decided_by="The Defender for Office 365 part is assessed when the tenant has that "
    "licence (its rules can be read); without it only the EOP part is required.",
)
