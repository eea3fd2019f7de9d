"""Graph response actions (the response app's): revoke sessions, disable an account,
confirm or dismiss user risk, delete an inbox rule, remove a directory role assignment."""

from __future__ import annotations

from collections.abc import Callable

from cosec.simulator.api.common import ApiError, Caller
from cosec.simulator.api.graph_base import (
    Call,
    Charger,
    Result,
    context,
    denied,
    licence_error,
    not_found,
    user_id,
)
from cosec.simulator.throttle import LimitClass


class ResponseActions:
    def __init__(self, charge: Charger) -> None:
        self._charge = charge

    def routes(self) -> list[tuple[str, str, Callable[..., Result]]]:
        return [
            ("POST", "users/{id}/revokeSignInSessions", self._revoke_sessions),
            ("PATCH", "users/{id}", self._patch_user),
            (
                "POST",
                "identityProtection/riskyUsers/confirmCompromised",
                self._confirm_compromised,
            ),
            ("POST", "identityProtection/riskyUsers/dismiss", self._dismiss_risk),
            ("DELETE", "users/{id}/mailFolders/inbox/messageRules/{child}", self._delete_rule),
            ("DELETE", "roleManagement/directory/roleAssignments/{id}", self._delete_assignment),
        ]

    def _write_check(self, caller: Caller, *roles: str) -> None:
        if not caller.has_any(*roles):
            raise denied()

    def _revoke_sessions(self, caller: Caller, call: Call, id: str) -> Result:
        self._write_check(
            caller, "User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"
        )
        headers = self._charge(LimitClass.DIRECTORY, caller)
        try:
            body = caller.tenant.data.revoke_sessions(user_id(caller, id))
        except KeyError as exc:
            raise not_found(id) from exc
        out = {"@odata.context": context(call, "Edm.Boolean")}
        out.update(body)
        return Result(200, out, headers)

    def _patch_user(self, caller: Caller, call: Call, id: str) -> Result:
        self._write_check(
            caller,
            "User.ReadWrite.All",
            "User.EnableDisableAccount.All",
            "Directory.ReadWrite.All",
        )
        body = call.body if isinstance(call.body, dict) else None
        if (
            body is None
            or set(body) != {"accountEnabled"}
            or not isinstance(body["accountEnabled"], bool)
        ):
            raise ApiError(
                400,
                "Request_BadRequest",
                "The simulator updates only accountEnabled (a boolean) on users.",
            )
        headers = self._charge(LimitClass.DIRECTORY, caller)
        try:
            caller.tenant.data.set_account_enabled(user_id(caller, id), body["accountEnabled"])
        except KeyError as exc:
            raise not_found(id) from exc
        return Result(204, None, headers)

    def _risky_action(self, caller: Caller, call: Call, confirm: bool) -> Result:
        self._write_check(caller, "IdentityRiskyUser.ReadWrite.All")
        if not caller.tenant.data.licensed("entra_p2"):
            raise licence_error("entra_p2")
        ids = call.body.get("userIds") if isinstance(call.body, dict) else None
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise ApiError(400, "BadRequest", "userIds must be a non-empty list of user ids.")
        headers = self._charge(LimitClass.CONDITIONAL_ACCESS, caller)
        try:
            if confirm:
                caller.tenant.data.confirm_compromised(ids)
            else:
                caller.tenant.data.dismiss_risk(ids)
        except KeyError as exc:
            raise not_found(str(exc.args[0]) if exc.args else "userIds") from exc
        return Result(204, None, headers)

    def _confirm_compromised(self, caller: Caller, call: Call) -> Result:
        return self._risky_action(caller, call, confirm=True)

    def _dismiss_risk(self, caller: Caller, call: Call) -> Result:
        return self._risky_action(caller, call, confirm=False)

    def _delete_rule(self, caller: Caller, call: Call, id: str, child: str) -> Result:
        self._write_check(caller, "MailboxSettings.ReadWrite")
        if not caller.tenant.data.licensed("exchange"):
            raise licence_error("exchange")
        headers = self._charge(LimitClass.EXCHANGE, caller)
        try:
            caller.tenant.data.delete_message_rule(user_id(caller, id), child)
        except KeyError as exc:
            raise ApiError(
                404, "ErrorItemNotFound", "The specified object was not found in the store."
            ) from exc
        return Result(204, None, headers)

    def _delete_assignment(self, caller: Caller, call: Call, id: str) -> Result:
        self._write_check(
            caller, "RoleManagement.ReadWrite.Directory", "RoleManagement.ReadWrite.All"
        )
        headers = self._charge(LimitClass.DIRECTORY, caller)
        try:
            caller.tenant.data.delete_role_assignment(id)
        except KeyError as exc:
            raise not_found(id) from exc
        return Result(204, None, headers)
