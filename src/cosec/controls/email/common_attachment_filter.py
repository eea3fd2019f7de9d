"""Every anti-malware policy blocks the common executable attachment types."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = [
        observe(
            "malwareFilterPolicies",
            p.name,
            p.name,
            "EnableFileFilter",
            p.file_filter,
            "true",
            p.file_filter is True,
        )
        for p in view.malware_filter_policies
    ]
    bad = sum(not o.ok for o in obs)
    return Result(
        tuple(obs), f"{bad} of {len(obs)} anti-malware policies do not filter attachment types"
    )


CONTROL = Control(
    id="EML-017v1",
    title="The common attachment types filter is on",
    rationale=(
        "Executables and scripts in attachments are the oldest malware delivery route and are "
        "rarely legitimate."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("PR.PS-05",),
    cis=("2.1.2",),
    scuba=(),
    requires=("malwareFilterPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-malware > (policy) > Enable the common "
            "attachments filter"
        ),
        command="Set-MalwareFilterPolicy -Identity Default -EnableFileFilter $true",
    ),
    check=check,
)
