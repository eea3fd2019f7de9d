"""No enabled sharing policy shares calendar details (beyond free/busy) with every domain."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    detail = {"CalendarSharingFreeBusyDetail", "CalendarSharingFreeBusyReviewer"}
    obs = []
    for p in view.sharing_policies:
        rights = p.rights_for("*")
        ok = p.enabled is False or not (rights & detail)
        obs.append(
            observe(
                "sharingPolicies",
                p.name,
                p.name,
                "Domains[*]",
                sorted(rights),
                "free/busy only (CalendarSharingFreeBusySimple) for '*'",
                ok,
            )
        )
    bad = sum(not o.ok for o in obs)
    return Result(
        tuple(obs), f"{bad} of {len(obs)} sharing policies share calendar details with all domains"
    )


CONTROL = Control(
    id="EML-015v1",
    title="Calendar details are not shared with all external domains",
    rationale="Meeting subjects and locations tell an attacker who to impersonate, and when.",
    severity=Severity.LOW,
    area=ControlArea.EMAIL,
    csf=("PR.DS-02",),
    cis=(),
    scuba=("MS.EXO.6.2v1",),
    requires=("sharingPolicies",),
    remediation=Remediation(
        portal=(
            "Exchange admin center > Organization > Sharing > Individual sharing: '*' "
            "free/busy time only"
        ),
        command=(
            "Set-SharingPolicy -Identity 'Default Sharing Policy' -Domains "
            "'*:CalendarSharingFreeBusySimple'"
        ),
    ),
    check=check,
)
