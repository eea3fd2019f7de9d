"""No connection filter policy allow-lists sender IP addresses."""

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
            "IPAllowList",
            list(p.ip_allow_list),
            "empty",
            not p.ip_allow_list,
        )
        for p in view.connection_filter_policies
    ]
    bad = sum(not o.ok for o in obs)
    return Result(tuple(obs), f"{bad} connection filter policies allow-list IP addresses")


CONTROL = Control(
    id="EML-021v1",
    title="The connection filter has no IP allow list",
    rationale=(
        "Mail from an allow-listed IP skips spam filtering; a compromised or shared relay then "
        "delivers anything."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("PR.PS-01",),
    cis=("2.1.12",),
    scuba=("MS.EXO.12.1v1",),
    requires=("connectionFilterPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-spam > Connection filter policy (Default) > "
            "remove every allowed IP"
        ),
        command="Set-HostedConnectionFilterPolicy -Identity Default -IPAllowList @{}",
    ),
    check=check,
)
