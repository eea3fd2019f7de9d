"""The native external-sender tag in Outlook is on."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    cfg = view.external_in_outlook
    ok = cfg.enabled is True
    obs = observe("externalInOutlook", cfg.name, cfg.name, "Enabled", cfg.enabled, "true", ok)
    return Result(
        (obs,), "external senders are tagged" if ok else "external senders are not tagged"
    )


CONTROL = Control(
    id="EML-013v1",
    title="Outlook tags mail from external senders",
    rationale=(
        "A visible 'External' tag is the cheapest defence against a spoofed colleague or executive."
    ),
    severity=Severity.LOW,
    area=ControlArea.EMAIL,
    csf=("PR.AT-01",),
    cis=("6.2.3",),
    scuba=(),
    requires=("externalInOutlook",),
    remediation=Remediation(
        portal="Exchange Online PowerShell (no portal switch)",
        command="Set-ExternalInOutlook -Enabled $true",
    ),
    check=check,
)
