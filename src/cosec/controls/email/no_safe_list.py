"""No connection filter policy turns on Microsoft's third-party safe list."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = [
        observe(
            "connectionFilterPolicies",
            p.name,
            p.name,
            "EnableSafeList",
            p.safe_list,
            "false",
            p.safe_list is False,
        )
        for p in view.connection_filter_policies
    ]
    bad = sum(not o.ok for o in obs)
    return Result(tuple(obs), f"{bad} connection filter policies turn the safe list on")


CONTROL = Control(
    id="EML-022v1",
    title="The connection filter safe list is off",
    rationale=(
        "The safe list skips filtering for senders Microsoft did not vet for this organisation."
    ),
    severity=Severity.LOW,
    area=ControlArea.EMAIL,
    csf=("PR.PS-01",),
    cis=("2.1.13",),
    scuba=("MS.EXO.12.2v1",),
    requires=("connectionFilterPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-spam > Connection filter policy (Default) > "
            "clear 'Turn on safe list'"
        ),
        command="Set-HostedConnectionFilterPolicy -Identity Default -EnableSafeList $false",
    ),
    check=check,
)
