"""Registering or joining a device to Entra ID requires MFA (device setting or CA user action)."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.controls.helpers import policy_obs
from cosec.model.derived.mfa import ca_policies
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    p = view.device_registration_policy
    setting = observe(
        "deviceRegistrationPolicy",
        "deviceRegistrationPolicy",
        "Device registration policy",
        "multiFactorAuthConfiguration",
        p.mfa_to_register,
        "required",
        p.mfa_to_register == "required",
    )
    action = "urn:user:registerdevice"
    policies = ca_policies(view) if view.available("conditionalAccessPolicies") else []
    by_ca = [
        c for c in policies if c.enabled and action in c.include_user_actions and c.requires_mfa
    ]
    obs = [setting] + [
        policy_obs(
            c,
            "conditions.applications.includeUserActions",
            action,
            "MFA for device registration",
            True,
        )
        for c in by_ca
    ]
    if by_ca and not setting.ok:
        obs[0] = setting._replace(
            ok=True, expected="required (or a CA policy requiring MFA for the user action)"
        )
    ok = all(o.ok for o in obs)
    return Result(
        tuple(obs),
        "device registration requires MFA" if ok else "devices can be registered without MFA",
    )


CONTROL = Control(
    id="IDN-032v1",
    title="Registering or joining a device requires MFA",
    rationale=(
        "A stolen password alone must not let an attacker enrol their own device as a trusted one."
    ),
    severity=Severity.MEDIUM,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-03",),
    cis=(),
    scuba=(),
    requires=("deviceRegistrationPolicy",),
    optional=("conditionalAccessPolicies",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Devices > Device settings > Require MFA to register or join "
            "devices: Yes (or a CA policy on the 'Register or join devices' user action)"
        ),
        command=(
            "PUT https://graph.microsoft.com/beta/policies/deviceRegistrationPolicy "
            "{multiFactorAuthConfiguration: 'required'}"
        ),
    ),
    check=check,
    decided_by=(
        "Passes when the device setting requires MFA or an enabled Conditional Access policy "
        "on the 'Register or join devices' user action requires it (Microsoft recommends the "
        "latter)."
    ),
)
