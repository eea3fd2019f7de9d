"""Safe Links also protects links in Office apps and Teams, not only in email."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    policies = view.safe_links_policies
    if not policies:
        none = observe(
            "safeLinksPolicies", "(none)", "Safe Links policies", "count", 0, "1 or more", False
        )
        return Result((none,), "no Safe Links policy")
    obs = []
    for p in policies:
        ref = ObjectRef("safeLinksPolicies", p.name, p.name)
        obs.append(Observation(ref, "EnableSafeLinksForOffice", p.office, "true", p.office is True))
        obs.append(Observation(ref, "EnableSafeLinksForTeams", p.teams, "true", p.teams is True))
    good = {o.object for o in obs} - {o.object for o in obs if not o.ok}
    if good:  # one policy covering both is enough; the others are context
        obs = [o if o.object in good else o._replace(ok=True) for o in obs]
    return Result(
        tuple(obs),
        "Safe Links protects Office apps and Teams"
        if good
        else "no Safe Links policy protects both Office apps and Teams",
    )


CONTROL = Control(
    id="EML-025v1",
    title="Safe Links protects Office apps and Teams",
    rationale=(
        "Phishing arrives in shared documents and Teams chats as often as in mail; click-time "
        "checks must cover them too."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.EMAIL,
    csf=("PR.PS-05",),
    cis=("2.1.1",),
    requires=("safeLinksPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Safe Links > (policy) > URL & click protection: "
            "Teams and Office 365 apps on"
        ),
        command=(
            "Set-SafeLinksPolicy -Identity <policy> -EnableSafeLinksForTeams $true "
            "-EnableSafeLinksForOffice $true"
        ),
    ),
    check=check,
    decided_by="One policy with both switches on passes, as for EML-008; the built-in "
    "protection policy counts.",
)
