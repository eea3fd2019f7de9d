"""DKIM signing is enabled for every accepted domain."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    configs = {c.domain.lower(): c for c in view.dkim_configs}
    obs = []
    for domain in sorted(view.domains):
        if domain.endswith(".onmicrosoft.com") and domain not in configs:
            continue  # Microsoft signs the initial domain itself
        cfg = configs.get(domain)
        enabled = cfg.enabled if cfg else None
        obs.append(
            Observation(
                ObjectRef("dkimSigningConfigs", domain, domain),
                "Enabled",
                enabled,
                "true",
                enabled is True,
            )
        )
    return Result(tuple(obs), f"{sum(not o.ok for o in obs)} domains send unsigned mail")


CONTROL = Control(
    id="EML-011v1",
    title="DKIM is enabled for every domain",
    rationale=(
        "Unsigned mail from your domain cannot be told apart from spoofed mail by recipients."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("PR.DS-02",),
    cis=("2.1.9",),
    scuba=("MS.EXO.3.1v1",),
    requires=("dkimSigningConfigs", "domains"),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Email authentication settings > DKIM > (domain) > Enable"
        ),
        command=(
            "New-DkimSigningConfig -DomainName <domain> -Enabled $true  (publish the two CNAMEs "
            "first)"
        ),
    ),
    check=check,
)
