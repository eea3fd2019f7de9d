"""The executor makes exactly the planned calls and reads state before and after."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cosec.config import ResponseAction
from cosec.errors import ConfigError, NotFoundError
from cosec.graph.errors import Label
from cosec.incidents.actions import ActionTarget
from cosec.incidents.executor import Outcome, execute
from cosec.model.resources import Service

A = ResponseAction


class FakeClient:
    """Records calls; holds one user, one mailbox, one machine."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.user = {"id": "u1", "userPrincipalName": "amy@contoso.com", "accountEnabled": True,
                     "signInSessionsValidFromDateTime": "2026-01-01T00:00:00Z"}  # fmt: skip
        self.rules = [{"id": "r1", "displayName": "fwd"}, {"id": "r2", "displayName": "ok"}]
        self.mailbox = {"Identity": "amy", "ForwardingSmtpAddress": "smtp:a@evil.example"}
        self.machine = {"id": "m1", "healthStatus": "Active", "isolationState": "NotIsolated"}
        self.risk = {"id": "u1", "riskLevel": "high", "riskState": "atRisk"}

    async def get_json(
        self, service: Service, path: str, *, params: Any = None, label: Label | None = None
    ) -> dict[str, Any]:
        self.calls.append(("GET", path))
        if path.startswith("identityProtection/riskyUsers/"):
            return dict(self.risk)
        if path in ("users/amy@contoso.com", "users/u1"):
            return dict(self.user)
        raise NotFoundError(path)

    async def post_json(
        self, service: Service, path: str, body: Any, *, label: Label | None = None
    ) -> dict[str, Any] | None:
        self.calls.append(("POST", path))
        if path.endswith("revokeSignInSessions"):
            self.user["signInSessionsValidFromDateTime"] = "2026-11-20T12:00:00Z"
            return {"value": True}
        if path.endswith("confirmCompromised"):
            assert body == {"userIds": ["u1"]}
            self.risk["riskState"] = "confirmedCompromised"
            return None
        if path.endswith("/isolate"):
            assert body["Comment"] == "INC-1" and body["IsolationType"] == "Full"
            self.machine["isolationState"] = "Isolated"
            return {"id": "action-1", "type": "Isolate", "status": "Pending"}
        if path.endswith("/unisolate"):
            self.machine["isolationState"] = "NotIsolated"
            return {"id": "action-2", "type": "Unisolate"}
        raise AssertionError(path)

    async def patch_json(
        self, service: Service, path: str, body: Any, *, label: Label | None = None
    ) -> dict[str, Any] | None:
        self.calls.append(("PATCH", path))
        self.user.update(body)
        return None

    async def delete(self, service: Service, path: str, *, label: Label | None = None) -> None:
        self.calls.append(("DELETE", path))
        self.rules = [r for r in self.rules if not path.endswith("/" + r["id"])]

    async def list_all(
        self, service: Service, path: str, *, params: Any = None, label: Label | None = None
    ) -> list[dict[str, Any]]:
        self.calls.append(("LIST", path))
        if path == "api/machines":
            return [dict(self.machine)]
        return [dict(r) for r in self.rules]

    async def invoke_exchange(
        self, cmdlet: str, parameters: Any = None, *, label: Label | None = None
    ) -> list[dict[str, Any]]:
        self.calls.append((cmdlet, str(parameters.get("Identity"))))
        if parameters.get("Identity") != "amy@contoso.com":
            return []
        if cmdlet == "Set-Mailbox":
            assert parameters == {"Identity": "amy@contoso.com", "ForwardingSmtpAddress": None}
            self.mailbox["ForwardingSmtpAddress"] = None
            return []
        return [dict(self.mailbox)]


def run(client: FakeClient, action: A, target: ActionTarget) -> Outcome:
    return asyncio.run(execute(client, action, target, comment="INC-1"))


AMY = ActionTarget(user="amy@contoso.com")


def test_revoke_sessions_reads_before_and_after() -> None:
    c = FakeClient()
    out = run(c, A.REVOKE_SESSIONS, AMY)
    assert (
        out.before["signInSessionsValidFromDateTime"] < out.after["signInSessionsValidFromDateTime"]
    )
    assert c.calls == [
        ("GET", "users/amy@contoso.com"),
        ("POST", "users/amy@contoso.com/revokeSignInSessions"),
        ("GET", "users/amy@contoso.com"),
    ]


def test_disable_and_confirm_compromised() -> None:
    c = FakeClient()
    assert run(c, A.DISABLE_ACCOUNT, AMY).after["accountEnabled"] is False
    out = run(c, A.CONFIRM_COMPROMISED, AMY)
    assert (out.before["riskState"], out.after["riskState"]) == ("atRisk", "confirmedCompromised")


def test_remove_inbox_rule_by_object_id() -> None:
    c = FakeClient()
    out = run(c, A.REMOVE_INBOX_RULE, ActionTarget(user="amy@contoso.com", rule="r1"))
    assert [r["id"] for r in out.before["rules"]] == ["r1", "r2"]
    assert [r["id"] for r in out.after["rules"]] == ["r2"]
    assert ("DELETE", "users/u1/mailFolders/inbox/messageRules/r1") in c.calls


def test_remove_forwarding_and_unknown_mailbox() -> None:
    c = FakeClient()
    out = run(c, A.REMOVE_FORWARDING, AMY)
    assert out.before["ForwardingSmtpAddress"] and out.after["ForwardingSmtpAddress"] is None
    with pytest.raises(NotFoundError, match="no mailbox"):
        run(c, A.REMOVE_FORWARDING, ActionTarget(user="ghost@contoso.com"))


def test_isolate_release_and_unknown_machine() -> None:
    c = FakeClient()
    out = run(c, A.ISOLATE_DEVICE, ActionTarget(device="m1"))
    assert out.after["isolationState"] == "Isolated" and out.result == {
        "id": "action-1", "type": "Isolate", "status": "Pending",
    }  # fmt: skip
    assert run(c, A.RELEASE_DEVICE, ActionTarget(device="m1")).after["isolationState"] == (
        "NotIsolated"
    )
    with pytest.raises(NotFoundError, match="no Defender for Endpoint machine"):
        run(c, A.ISOLATE_DEVICE, ActionTarget(device="nope"))


def test_missing_target_fails_before_any_call() -> None:
    c = FakeClient()
    with pytest.raises(ConfigError, match="isolate_device needs device"):
        run(c, A.ISOLATE_DEVICE, AMY)
    assert c.calls == []
