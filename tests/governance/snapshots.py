"""Snapshots built from raw JSON for governance tests."""

from __future__ import annotations

from datetime import datetime

from cosec.model.snapshot import JsonObject, Outcome, ResourceOutcome, Snapshot


def snapshot(
    taken_at: datetime,
    raw: dict[str, list[JsonObject]],
    *,
    tenant: str = "main",
    unreadable: tuple[str, ...] = (),
) -> Snapshot:
    outcomes = {k: ResourceOutcome(k, Outcome.OK, item_count=len(v)) for k, v in raw.items()}
    for key in unreadable:
        outcomes[key] = ResourceOutcome(
            key, Outcome.NOT_ASSESSED, "403", permission="Policy.Read.All"
        )
    return Snapshot(tenant=tenant, taken_at=taken_at, outcomes=outcomes, raw=raw)


def ca_policy(
    pid: str,
    *,
    name: str = "Require MFA",
    state: str = "enabled",
    exclude_users: tuple[str, ...] = (),
    exclude_groups: tuple[str, ...] = (),
    modified: str = "2026-10-01T00:00:00Z",
    controls: tuple[str, ...] = ("mfa",),
) -> JsonObject:
    return {
        "@odata.etag": "W/1",
        "id": pid,
        "displayName": name,
        "state": state,
        "createdDateTime": "2025-01-01T00:00:00Z",
        "modifiedDateTime": modified,
        "conditions": {
            "users": {
                "includeUsers": ["All"],
                "excludeUsers": list(exclude_users),
                "includeGroups": [],
                "excludeGroups": list(exclude_groups),
            },
            "applications": {"includeApplications": ["All"]},
        },
        "grantControls": {"operator": "OR", "builtInControls": list(controls)},
    }


def audit_event(target: str, at: str, upn: str, activity: str = "Update policy") -> JsonObject:
    return {
        "id": f"evt-{target}-{at}",
        "activityDateTime": at,
        "activityDisplayName": activity,
        "initiatedBy": {"user": {"userPrincipalName": upn, "id": "u-x"}, "app": None},
        "targetResources": [{"id": target, "displayName": "policy", "type": "Policy"}],
    }
