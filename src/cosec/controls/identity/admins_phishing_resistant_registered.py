"""Privileged users have a phishing-resistant method registered."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import PHISHING_RESISTANT_METHODS, user_obs
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = []
    for uid in sorted(view.privileged_users):
        reg = view.registrations.get(uid)
        methods = sorted(reg.methods) if reg else []
        ok = bool(PHISHING_RESISTANT_METHODS & set(methods))
        obs.append(
            user_obs(
                view,
                uid,
                "userRegistrationDetails.methodsRegistered",
                methods,
                "a FIDO2, passkey, Windows Hello or certificate method",
                ok,
            )
        )
    return Result(
        tuple(obs), f"{sum(not o.ok for o in obs)} admins without a phishing-resistant method"
    )


CONTROL = Control(
    id="IDN-023v1",
    title="Administrators have registered phishing-resistant methods",
    rationale=(
        "A phishing-resistant policy locks out admins who never registered a key; registration "
        "comes first."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    requires=("users", "userRegistrationDetails", "roleAssignments", "groupMembers"),
    optional=("roleDefinitions", "roleEligibilitySchedules"),
    remediation=Remediation(
        portal=(
            "My Security Info (mysignins.microsoft.com) > Add sign-in method > Security key or "
            "passkey"
        ),
        command=(
            "Issue a Temporary Access Pass: POST "
            "https://graph.microsoft.com/v1.0/users/{id}/authentication/temporaryAccessPassMethods"
        ),
    ),
    check=check,
)
