"""A tiny, hand-written TenantData for API tests that need exact control over the data.

The real generator (cosec.simulator.tenant) is exercised by the conformance tests; this
one keeps throttling, paging and fault tests independent of generated content.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from cosec.simulator.contract import FEATURES, Json


def _uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fake/{name}"))


@dataclass
class FakeTenant:
    name: str = "fake"
    users: int = 5
    events_per_day: int = 7
    days: int = 3
    last_day: dt.date = dt.date(2026, 11, 20)
    features: frozenset[str] = frozenset(FEATURES)
    tenant_id: str = ""
    primary_domain: str = ""
    first_day: dt.date = dt.date(2026, 11, 18)
    disabled: set[str] = field(default_factory=set)
    revoked: list[str] = field(default_factory=list)
    changes: list[Json] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tenant_id = self.tenant_id or _uid(f"tenant/{self.name}")
        self.primary_domain = self.primary_domain or f"{self.name}.onmicrosoft.com"
        self.first_day = self.last_day - dt.timedelta(days=self.days - 1)

    def licensed(self, feature: str) -> bool:
        return feature in self.features

    def user(self, n: int) -> Json:
        uid = _uid(f"{self.name}/user/{n}")
        return {
            "id": uid,
            "displayName": f"User {n:04d}",
            "givenName": "User",
            "surname": f"{n:04d}",
            "userPrincipalName": f"user{n}@{self.primary_domain}",
            "mail": f"user{n}@{self.primary_domain}",
            "businessPhones": [],
            "jobTitle": None,
            "mobilePhone": None,
            "officeLocation": None,
            "preferredLanguage": "en-GB",
            "accountEnabled": uid not in self.disabled,
            "userType": "Guest" if n % 5 == 4 else "Member",
            "createdDateTime": "2025-01-01T09:00:00Z",
            "signInActivity": {
                "lastSignInDateTime": "2026-11-19T08:00:00Z",
                "lastSignInRequestId": _uid(f"req/{n}"),
                "lastNonInteractiveSignInDateTime": None,
                "lastNonInteractiveSignInRequestId": None,
                "lastSuccessfulSignInDateTime": "2026-11-19T08:00:00Z",
                "lastSuccessfulSignInRequestId": _uid(f"req/{n}"),
            },
        }

    def collection(self, key: str, day: dt.date) -> Sequence[Json]:
        if key == "users":
            return [self.user(n) for n in range(self.users)]
        if key == "groups":
            return [
                {
                    "id": _uid("group/admins"),
                    "displayName": "Admins",
                    "securityEnabled": True,
                    "mailEnabled": False,
                    "groupTypes": [],
                }
            ]
        if key == "conditionalAccessPolicies":
            return [
                {
                    "id": _uid("ca/mfa"),
                    "displayName": "Require MFA",
                    "state": "enabled",
                    "createdDateTime": "2025-01-01T09:00:00Z",
                    "modifiedDateTime": None,
                }
            ]
        if key == "roleAssignments":
            return [
                {
                    "id": _uid("ra/0"),
                    "principalId": _uid(f"{self.name}/user/0"),
                    "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10",
                    "directoryScopeId": "/",
                }
            ]
        return []

    def singleton(self, key: str, day: dt.date) -> Json:
        return {"id": key, "displayName": key, "isEnabled": False}

    def children(self, key: str, parent_id: str, day: dt.date) -> Sequence[Json] | None:
        if key == "messageRules":
            if parent_id not in {u["id"] for u in self.collection("users", day)}:
                return None
            return [
                {
                    "id": f"rule-{parent_id[:8]}",
                    "displayName": "Move to RSS",
                    "sequence": 1,
                    "isEnabled": True,
                }
            ]
        return None

    def exchange(self, cmdlet: str, parameters: Json, day: dt.date) -> Sequence[Json]:
        if cmdlet == "Get-Mailbox":
            return [
                {
                    "UserPrincipalName": f"user{n}@{self.primary_domain}",
                    "ForwardingSmtpAddress": None,
                }
                for n in range(self.users)
            ]
        return [{"Name": "Default", "Enabled": True}]

    def mde_machines(self, day: dt.date) -> Sequence[Json]:
        return [
            {"id": f"{n:040x}", "computerDnsName": f"pc{n}", "healthStatus": "Active"}
            for n in range(self.users)
        ]

    def mde_vulnerabilities(self, machine_id: str, day: dt.date) -> Sequence[Json] | None:
        if machine_id not in {m["id"] for m in self.mde_machines(day)}:
            return None
        return [{"id": "CVE-2026-0001", "severity": "High"}]

    def events_on(self, stream: str, day: dt.date) -> Sequence[Json]:
        if day < self.first_day or day > self.last_day:
            return []
        time_field = {
            "signIns": "createdDateTime",
            "directoryAudits": "activityDateTime",
            "riskDetections": "detectedDateTime",
            "alerts": "createdDateTime",
            "incidents": "createdDateTime",
        }[stream]
        out = []
        for i in range(self.events_per_day):
            at = dt.datetime.combine(day, dt.time(23 - i, 0), dt.UTC)  # newest first
            out.append(
                {
                    "id": _uid(f"{stream}/{day}/{i}"),
                    time_field: at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "userPrincipalName": f"user{i % self.users}@{self.primary_domain}",
                }
            )
        return out

    def event_total(self, stream: str, first: dt.date, last: dt.date) -> int:
        return sum(
            len(self.events_on(stream, first + dt.timedelta(days=n)))
            for n in range((last - first).days + 1)
        )

    def revoke_sessions(self, user_id: str) -> Json:
        self._require_user(user_id)
        self.revoked.append(user_id)
        return {"value": True}

    def set_account_enabled(self, user_id: str, enabled: bool) -> None:
        self._require_user(user_id)
        if enabled:
            self.disabled.discard(user_id)
        else:
            self.disabled.add(user_id)

    def confirm_compromised(self, user_ids: Sequence[str]) -> None:
        for u in user_ids:
            self._require_user(u)

    def dismiss_risk(self, user_ids: Sequence[str]) -> None:
        for u in user_ids:
            self._require_user(u)

    def delete_message_rule(self, user_id: str, rule_id: str) -> None:
        if rule_id != f"rule-{user_id[:8]}":
            raise KeyError(rule_id)

    def set_mailbox_forwarding(self, identity: str, address: str | None) -> Json:
        return {"Identity": identity, "ForwardingSmtpAddress": address}

    def machine_action(self, machine_id: str, action: str, comment: str) -> Json:
        if machine_id not in {m["id"] for m in self.mde_machines(self.last_day)}:
            raise KeyError(machine_id)
        return {
            "id": _uid(f"action/{machine_id}/{action}"),
            "type": "Isolate" if action == "isolate" else "Unisolate",
            "machineId": machine_id,
            "requestorComment": comment,
            "status": "Pending",
        }

    def machine_actions(self) -> Sequence[Json]:
        return [self.machine_action(self.mde_machines(self.last_day)[0]["id"], "isolate", "x")]

    def change(self, kind: str, object_id: str, patch: Json, actor_upn: str) -> Json:
        record = {"kind": kind, "object_id": object_id, "patch": patch, "actor": actor_upn}
        self.changes.append(record)
        return record

    def _require_user(self, user_id: str) -> None:
        if user_id not in {u["id"] for u in self.collection("users", self.last_day)}:
            raise KeyError(user_id)
