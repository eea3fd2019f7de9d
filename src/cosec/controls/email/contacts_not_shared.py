"""No enabled sharing policy shares contacts with every external domain."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = []
    for p in view.sharing_policies:
        shared = "ContactsSharing" in p.rights_for("*")
        ok = p.enabled is False or not shared
        obs.append(
            observe(
                "sharingPolicies",
                p.name,
                p.name,
                "Domains[*]",
                sorted(p.rights_for("*")),
                "no ContactsSharing for '*'",
                ok,
            )
        )
    bad = sum(not o.ok for o in obs)
    return Result(
        tuple(obs), f"{bad} of {len(obs)} sharing policies share contacts with all domains"
    )


CONTROL = Control(
    id="EML-014v1",
    title="Contacts are not shared with all external domains",
    rationale=(
        "Shared contact folders give an outsider the organisation's address book for targeted "
        "phishing."
    ),
    severity=Severity.LOW,
    area=ControlArea.EMAIL,
    csf=("PR.DS-02",),
    cis=(),
    scuba=("MS.EXO.6.1v1",),
    requires=("sharingPolicies",),
    remediation=Remediation(
        portal=(
            "Exchange admin center > Organization > Sharing > Individual sharing: remove '*' "
            "contact sharing"
        ),
        command=(
            "Set-SharingPolicy -Identity 'Default Sharing Policy' -Domains "
            "@{Remove='*:ContactsSharing'}"
        ),
    ),
    check=check,
)
