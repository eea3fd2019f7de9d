"""Every managed domain's password policy is set to never expire."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.identity_settings import NEVER_EXPIRES, password_validity_days
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = []
    for raw in view.snapshot.items("domains"):
        if raw.get("authenticationType") == "Federated" or raw.get("isVerified") is False:
            continue  # federated domains take their password policy from the IdP
        days = password_validity_days(raw)
        name = str(raw.get("id") or "")
        obs.append(
            observe(
                "domains",
                name,
                name,
                "passwordValidityPeriodInDays",
                days,
                f"{NEVER_EXPIRES} (never expire)",
                days == NEVER_EXPIRES,
            )
        )
    bad = sum(not o.ok for o in obs)
    return Result(tuple(obs), f"{bad} of {len(obs)} managed domains make passwords expire")


CONTROL = Control(
    id="IDN-031v1",
    title="User passwords do not expire",
    rationale=(
        "Forced rotation produces predictable passwords; with MFA and breach detection, NIST "
        "and Microsoft advise against it."
    ),
    severity=Severity.LOW,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-01",),
    cis=("1.3.1",),
    scuba=("MS.AAD.6.1v1",),
    requires=("domains",),
    remediation=Remediation(
        portal=(
            "Microsoft 365 admin center > Settings > Org settings > Security & privacy > "
            "Password expiration policy: never expire"
        ),
        command=(
            "PATCH https://graph.microsoft.com/v1.0/domains/<domain> "
            "{passwordValidityPeriodInDays: 2147483647}"
        ),
    ),
    check=check,
)
