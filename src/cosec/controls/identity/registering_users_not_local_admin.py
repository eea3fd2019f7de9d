"""The user who joins a device to Entra ID is not made a local administrator on it."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    kind = view.device_registration_policy.registering_users_local_admins
    obs = observe(
        "deviceRegistrationPolicy",
        "deviceRegistrationPolicy",
        "Device registration policy",
        "azureADJoin.localAdmins.registeringUsers",
        kind or None,
        "no (noDeviceRegistrationMembership)",
        kind == "no",
    )
    return Result(
        (obs,),
        "joining users are not local admins" if obs.ok else "joining users become local admins",
    )


CONTROL = Control(
    id="IDN-033v1",
    title="Users who join a device do not become its local administrators",
    rationale=(
        "Local admin rights let malware and users disable the protections the device's "
        "compliance relies on."
    ),
    severity=Severity.LOW,
    area=ControlArea.IDENTITY,
    csf=("PR.AA-05",),
    cis=(),
    scuba=(),
    requires=("deviceRegistrationPolicy",),
    remediation=Remediation(
        portal=(
            "Entra admin center > Devices > Device settings > Registering user is added as "
            "local administrator: None"
        ),
        command=(
            "PUT https://graph.microsoft.com/beta/policies/deviceRegistrationPolicy "
            "{azureADJoin: {localAdmins: {registeringUsers: {@odata.type: "
            "'#microsoft.graph.noDeviceRegistrationMembership'}}}}"
        ),
    ),
    check=check,
)
