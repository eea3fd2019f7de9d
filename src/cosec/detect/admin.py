"""Administrative changes: privileged role assignments and Conditional Access weakening."""

from __future__ import annotations

import json
from typing import Any

from cosec.config import Severity
from cosec.detect.rules import DetectionInput, Evidence, Hit, HitBuilder, Rule
from cosec.model.events import AuditTarget, DirectoryAudit, norm
from cosec.model.governance import ControlArea

# Directory roles whose holders can take over the tenant or its data (Microsoft's
# "privileged" flag covers these and a few more niche ones).
PRIVILEGED_ROLES = frozenset(
    {
        "global administrator",
        "privileged role administrator",
        "privileged authentication administrator",
        "security administrator",
        "exchange administrator",
        "sharepoint administrator",
        "user administrator",
        "conditional access administrator",
        "application administrator",
        "cloud application administrator",
        "authentication administrator",
        "helpdesk administrator",
        "intune administrator",
        "billing administrator",
        "hybrid identity administrator",
        "partner tier2 support",
    }
)

ROLE_ADD_ACTIVITIES = frozenset({"add member to role", "add member to role outside of pim"})


def _unquote(value: str | None) -> str:
    """Audit values are JSON-encoded ('"Global Administrator"'); fall back to the text."""
    if value is None:
        return ""
    try:
        decoded = json.loads(value)
    except ValueError:
        return value.strip('"')
    return decoded if isinstance(decoded, str) else value


def _role_name(audit: DirectoryAudit) -> str:
    for target in audit.targets:
        for name in ("Role.DisplayName", "Role.TemplateId"):
            value = target.new_value(name)
            if value:
                return _unquote(value)
    for target in audit.targets:
        if norm(target.type) == "role" and target.display_name:
            return target.display_name
    return ""


def _role_id(audit: DirectoryAudit) -> str | None:
    for target in audit.targets:
        value = target.new_value("Role.TemplateId")
        if value:
            return _unquote(value)
        if norm(target.type) == "role" and target.id:
            return target.id
    return None


def _assignee(audit: DirectoryAudit) -> AuditTarget | None:
    for target in audit.targets:
        if norm(target.type) in ("user", "serviceprincipal", "group"):
            return target
    return audit.targets[0] if audit.targets else None


def _role_assignment(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(ROLE_ASSIGNMENT)
    for a in data.events.directory_audits:
        if norm(a.activity) not in ROLE_ADD_ACTIVITIES or not a.succeeded:
            continue
        if norm(a.logged_by_service) == "pim" or a.activity_at is None:
            continue  # PIM activations and assignments are governed by PIM itself
        role = _role_name(a)
        if norm(role) not in PRIVILEGED_ROLES:
            continue
        target = _assignee(a)
        assignee_id = target.id if target else None
        assignee = data.upn(assignee_id, target.user_principal_name if target else None)
        # a change record may name the assignee (id or UPN) or the role (id or name)
        keys = (assignee_id, assignee, _role_id(a), role)
        if any(c.covers(k, a.activity_at) for c in data.approved_changes for k in keys):
            continue
        hits.add(
            (assignee, role),
            subject=assignee,
            at=a.activity_at,
            evidence=Evidence(
                "directoryAudits",
                a.id,
                a.activity_at,
                f"{a.initiator} assigned {role} to {assignee} outside PIM and any approved change",
            ),
            details={"user": assignee, "role": role, "initiated_by": a.initiator},
        )
    return hits.hits()


ROLE_ASSIGNMENT = Rule(
    id="DET-ROLE-001v1",
    title="Privileged role assigned outside PIM and outside an approved change",
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("DE.CM-03", "DE.CM-06"),
    streams=("directoryAudits",),
    evaluate=_role_assignment,
    description=(
        "A privileged directory role was assigned directly (not through PIM) and no "
        "approved change in the change register covers the assignee at that time."
    ),
)

CA_ACTIVITIES = frozenset(
    {"update conditional access policy", "delete conditional access policy", "update policy"}
)


def _policy_json(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    if isinstance(decoded, str):  # double-encoded
        try:
            decoded = json.loads(decoded)
        except ValueError:
            return None
    return decoded if isinstance(decoded, dict) else None


def _controls(policy: dict[str, Any]) -> set[str]:
    grant = policy.get("grantControls")
    if not isinstance(grant, dict):
        return set()
    controls = grant.get("builtInControls")
    out = {norm(c) for c in controls if isinstance(c, str)} if isinstance(controls, list) else set()
    if isinstance(grant.get("authenticationStrength"), dict):
        out.add("authenticationstrength")
    return out


def weakening(old: dict[str, Any] | None, new: dict[str, Any] | None) -> str | None:
    """How a policy change weakens protection, or None. Pure, so it is tested directly."""
    if old is None or new is None:
        return None
    old_state, new_state = norm(str(old.get("state", ""))), norm(str(new.get("state", "")))
    if old_state == "enabled" and new_state and new_state != "enabled":
        return f"state {old.get('state')} → {new.get('state')}"
    lost = _controls(old) - _controls(new)
    if lost & {"mfa", "authenticationstrength", "block", "compliantdevice"}:
        return f"grant controls removed: {', '.join(sorted(lost))}"
    return None


def _policy_values(target: AuditTarget) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    for prop in target.modified:
        old, new = _policy_json(prop.old_value), _policy_json(prop.new_value)
        if old is not None or new is not None:
            return old, new
    return None, None


def _state_values(target: AuditTarget) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A bare `state` property (old/new values) as one-key policies."""
    for prop in target.modified:
        if norm(prop.name) in ("state", "policy.state"):
            return {"state": _unquote(prop.old_value)}, {"state": _unquote(prop.new_value)}
    return None, None


def _ca_weakened(data: DetectionInput) -> list[Hit]:
    hits = HitBuilder(CA_WEAKENED)
    for a in data.events.directory_audits:
        activity = norm(a.activity)
        if activity not in CA_ACTIVITIES or not a.succeeded or a.activity_at is None:
            continue
        if activity == "update policy" and norm(a.category) != "policy":
            continue
        for target in a.targets:
            old, new = _policy_values(target)
            if old is None and new is None:
                old, new = _state_values(target)
            if activity.startswith("delete"):
                reason: str | None = "deleted"
            else:
                reason = weakening(old, new)
            if reason is None:
                continue
            policy = target.display_name or (new or old or {}).get("displayName") or "?"
            policy_id = target.id or str(policy)
            if any(c.covers(policy_id, a.activity_at) for c in data.approved_changes):
                continue
            hits.add(
                (policy_id,),
                subject=policy_id,
                at=a.activity_at,
                evidence=Evidence(
                    "directoryAudits",
                    a.id,
                    a.activity_at,
                    f"{a.initiator}: policy {policy!r} {reason}",
                ),
                details={"policy": str(policy), "change": reason, "initiated_by": a.initiator},
            )
    return hits.hits()


CA_WEAKENED = Rule(
    id="DET-CA-001v1",
    title="Conditional Access policy disabled, deleted or weakened",
    severity=Severity.HIGH,
    area=ControlArea.IDENTITY,
    csf=("DE.CM-03", "DE.CM-09"),
    streams=("directoryAudits",),
    evaluate=_ca_weakened,
    description=(
        "A Conditional Access policy was deleted, switched from enabled to disabled or "
        "report-only, or lost its MFA/block/compliant-device grant, outside an approved change."
    ),
)

RULES = (ROLE_ASSIGNMENT, CA_WEAKENED)
