"""Every platform in use has an assigned Intune compliance policy."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result, observe
from cosec.controls.context import AssessmentContext
from cosec.controls.endpoint.common import platform
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

POLICY_PLATFORM = {"windows": "Windows", "macos": "macOS", "ios": "iOS", "android": "Android"}


def _policy_platform(odata: str) -> str:
    lowered = odata.lower()
    for prefix, name in POLICY_PLATFORM.items():
        if lowered.startswith(prefix):
            return name
    return odata


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    assigned: set[str] = set()
    obs: list[Observation] = []
    for p in view.compliance_policies:
        ok = bool(p.assignment_targets)
        if ok:
            assigned.add(_policy_platform(p.platform))
        obs.append(
            Observation(
                ObjectRef("deviceCompliancePolicies", p.id, p.display_name),
                "assignments",
                list(p.assignment_targets),
                "assigned to a group or all users/devices",
                ok,
            )
        )
    in_use = sorted({platform(d) for d in view.managed_devices})
    for name in in_use:
        if name not in assigned:
            obs.append(
                observe(
                    "managedDevices",
                    f"platform:{name}",
                    f"{name} devices",
                    "compliancePolicy",
                    None,
                    "an assigned compliance policy",
                    False,
                )
            )
    return Result(tuple(obs), f"platforms in use: {', '.join(in_use) or 'none'}")


CONTROL = Control(
    id="END-002v1",
    title="Compliance policies are assigned for every platform",
    rationale="A device is only judged compliant against a policy that applies to it.",
    severity=Severity.MEDIUM,
    area=ControlArea.ENDPOINT,
    csf=("PR.PS-01",),
    requires=("deviceCompliancePolicies", "managedDevices"),
    remediation=Remediation(
        portal=(
            "Intune admin center > Devices > Compliance > Create policy (per platform) > "
            "Assignments: All users"
        ),
        command=(
            "POST https://graph.microsoft.com/v1.0/deviceManagement/deviceCompliancePolicies/{id}/"
            'assign {"assignments":[{"target":{"@odata.type":'
            '"#microsoft.graph.allLicensedUsersAssignmentTarget"}}]}'
        ),
    ),
    check=check,
)
