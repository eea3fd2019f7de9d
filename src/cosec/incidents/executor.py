"""Performs response actions through the graph client (I/O edge of `cosec.incidents`).

The caller decides (authority matrix, approvals) and passes a client built with the
tenant's *response* credential; this module only makes the calls that
`cosec.incidents.actions.plan` lists and reads the affected object's state before and
after, so the record shows what changed. It never decides whether an action is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from cosec.config import ResponseAction
from cosec.errors import GraphError, NotFoundError
from cosec.graph.errors import Label
from cosec.incidents.actions import ActionTarget, validate
from cosec.model.resources import Service

Json = dict[str, Any]
A = ResponseAction
_USER_FIELDS = "id,userPrincipalName,accountEnabled,signInSessionsValidFromDateTime"
_MAILBOX_FIELDS = (
    "Identity",
    "UserPrincipalName",
    "ForwardingSmtpAddress",
    "ForwardingAddress",
    "DeliverToMailboxAndForward",
)
_MACHINE_FIELDS = ("id", "computerDnsName", "healthStatus", "isolationState", "lastSeen")


class ResponseClient(Protocol):
    """The part of `cosec.graph.TenantClient` the executor uses."""

    async def get_json(
        self, service: Service, path: str, *, params: Any = None, label: Label | None = None
    ) -> Json: ...

    async def post_json(
        self, service: Service, path: str, body: Any, *, label: Label | None = None
    ) -> Json | None: ...

    async def patch_json(
        self, service: Service, path: str, body: Any, *, label: Label | None = None
    ) -> Json | None: ...

    async def delete(self, service: Service, path: str, *, label: Label | None = None) -> None: ...

    async def list_all(
        self, service: Service, path: str, *, params: Any = None, label: Label | None = None
    ) -> list[Json]: ...

    async def invoke_exchange(
        self, cmdlet: str, parameters: Any = None, *, label: Label | None = None
    ) -> list[Json]: ...


@dataclass(frozen=True)
class Outcome:
    before: Json
    after: Json
    result: Json | None = None  # what the change call returned, if anything


async def _user(client: ResponseClient, user: str) -> Json:
    got = await client.get_json(
        Service.GRAPH,
        f"users/{user}",
        params={"$select": _USER_FIELDS},
        label=Label("users", "User.Read.All"),
    )
    return {k: got.get(k) for k in _USER_FIELDS.split(",")}


async def _risky(client: ResponseClient, user_id: str) -> Json:
    got = await client.get_json(
        Service.GRAPH,
        f"identityProtection/riskyUsers/{user_id}",
        label=Label("riskyUsers", "IdentityRiskyUser.Read.All"),
    )
    return {k: got.get(k) for k in ("id", "userPrincipalName", "riskLevel", "riskState")}


async def _rules(client: ResponseClient, user: str) -> Json:
    rules = await client.list_all(
        Service.GRAPH,
        f"users/{user}/mailFolders/inbox/messageRules",
        label=Label("messageRules", "MailboxSettings.Read"),
    )
    return {"rules": [{"id": r.get("id"), "displayName": r.get("displayName")} for r in rules]}


async def _mailbox(client: ResponseClient, identity: str) -> Json:
    rows = await client.invoke_exchange("Get-Mailbox", {"Identity": identity})
    if not rows:
        raise NotFoundError(f"no mailbox {identity!r}")
    return {k: rows[0].get(k) for k in _MAILBOX_FIELDS if k in rows[0]}


async def _machine(client: ResponseClient, machine_id: str) -> Json:
    machines = await client.list_all(
        Service.DEFENDER, "api/machines", label=Label("mdeMachines", "Machine.Read.All")
    )
    for m in machines:
        if str(m.get("id")) == machine_id:
            return {k: m.get(k) for k in _MACHINE_FIELDS if k in m}
    raise NotFoundError(f"no Defender for Endpoint machine {machine_id!r}")


async def _assignment(client: ResponseClient, assignment_id: str) -> Json:
    try:
        got = await client.get_json(
            Service.GRAPH,
            f"roleManagement/directory/roleAssignments/{assignment_id}",
            label=Label("roleAssignments", "RoleManagement.Read.Directory"),
        )
    except GraphError as exc:
        if exc.status == 404:
            return {"id": assignment_id, "present": False}
        raise
    fields = ("id", "principalId", "roleDefinitionId", "directoryScopeId")
    return {"present": True} | {k: got.get(k) for k in fields}


async def execute(
    client: ResponseClient, action: ResponseAction, target: ActionTarget, *, comment: str
) -> Outcome:
    """Run one response action; read the affected state before and after."""
    validate(action, target)
    user, rule, device = target.user or "", target.rule or "", target.device or ""
    if action is A.REMOVE_ROLE_ASSIGNMENT:
        grant = target.assignment or ""
        before = await _assignment(client, grant)
        if not before["present"]:
            raise NotFoundError(f"no role assignment {grant!r} in the tenant")
        await client.delete(
            Service.GRAPH,
            f"roleManagement/directory/roleAssignments/{grant}",
            label=Label("roleAssignments", "RoleManagement.ReadWrite.Directory"),
        )
        return Outcome(before, await _assignment(client, grant))
    if action is A.REVOKE_SESSIONS:
        before = await _user(client, user)
        result = await client.post_json(
            Service.GRAPH,
            f"users/{user}/revokeSignInSessions",
            {},
            label=Label("revokeSignInSessions", "User.RevokeSessions.All"),
        )
        return Outcome(before, await _user(client, user), result)
    if action is A.DISABLE_ACCOUNT:
        before = await _user(client, user)
        await client.patch_json(
            Service.GRAPH,
            f"users/{user}",
            {"accountEnabled": False},
            label=Label("users", "User.EnableDisableAccount.All"),
        )
        return Outcome(before, await _user(client, user))
    if action is A.CONFIRM_COMPROMISED:
        user_id = str((await _user(client, user))["id"])
        before = await _risky(client, user_id)
        await client.post_json(
            Service.GRAPH,
            "identityProtection/riskyUsers/confirmCompromised",
            {"userIds": [user_id]},
            label=Label("riskyUsers", "IdentityRiskyUser.ReadWrite.All"),
        )
        return Outcome(before, await _risky(client, user_id))
    if action is A.REMOVE_INBOX_RULE:
        user_id = str((await _user(client, user))["id"])  # mailbox paths want the object id
        before = await _rules(client, user_id)
        await client.delete(
            Service.GRAPH,
            f"users/{user_id}/mailFolders/inbox/messageRules/{rule}",
            label=Label("messageRules", "MailboxSettings.ReadWrite"),
        )
        return Outcome(before, await _rules(client, user_id))
    if action is A.REMOVE_FORWARDING:
        before = await _mailbox(client, user)
        await client.invoke_exchange(
            "Set-Mailbox",
            {"Identity": user, "ForwardingSmtpAddress": None},
            label=Label("Set-Mailbox", "Exchange.ManageAsApp"),
        )
        return Outcome(before, await _mailbox(client, user))
    verb = "isolate" if action is A.ISOLATE_DEVICE else "unisolate"
    before = await _machine(client, device)
    body: Json = {"Comment": comment}
    if verb == "isolate":
        body["IsolationType"] = "Full"
    result = await client.post_json(
        Service.DEFENDER,
        f"api/machines/{device}/{verb}",
        body,
        label=Label("machineActions", "Machine.Isolate"),
    )
    return Outcome(before, await _machine(client, device), result)
