"""Users who need an app can ask for admin consent, and someone reviews the requests."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    p = view.admin_consent_policy
    obs = (
        observe(
            "adminConsentRequestPolicy",
            "policy",
            "Admin consent requests",
            "isEnabled",
            p.enabled,
            "true",
            p.enabled is True,
        ),
        observe(
            "adminConsentRequestPolicy",
            "policy",
            "Admin consent requests",
            "reviewers",
            p.reviewers,
            "1 or more",
            p.reviewers > 0,
        ),
    )
    ok = all(o.ok for o in obs)
    return Result(
        obs, "admin consent requests are reviewed" if ok else "no reviewed admin consent workflow"
    )


CONTROL = Control(
    id="IDN-028v1",
    title="An admin consent workflow is configured",
    rationale=(
        "Without a request workflow, blocked users look for workarounds and admins grant "
        "consent ad hoc, unreviewed."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=("5.1.5.2",),
    scuba=("MS.AAD.5.3v1",),
    requires=("adminConsentRequestPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Enterprise applications > Consent and permissions > Admin "
            "consent settings: Users can request admin consent, select reviewers"
        ),
        command=(
            "PUT https://graph.microsoft.com/v1.0/policies/adminConsentRequestPolicy "
            "{isEnabled: true, reviewers: [...]}"
        ),
    ),
    check=check,
)
