"""Response actions: what each needs as a target and which API calls it makes.

Pure: the plan is what a dry run prints and what the executor follows; the executor
(`cosec.incidents.executor`) performs the calls and reads state before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from cosec.config import ResponseAction
from cosec.errors import ConfigError

A = ResponseAction

# Which target fields each action requires.
NEEDS: dict[ResponseAction, tuple[str, ...]] = {
    A.DISABLE_ACCOUNT: ("user",),
    A.REVOKE_SESSIONS: ("user",),
    A.CONFIRM_COMPROMISED: ("user",),
    A.REMOVE_INBOX_RULE: ("user", "rule"),
    A.REMOVE_FORWARDING: ("user",),
    A.REMOVE_ROLE_ASSIGNMENT: ("assignment",),
    A.ISOLATE_DEVICE: ("device",),
    A.RELEASE_DEVICE: ("device",),
}


@dataclass(frozen=True)
class ActionTarget:
    user: str | None = None  # UPN or object id
    rule: str | None = None  # inbox rule id
    device: str | None = None  # Defender for Endpoint machine id
    assignment: str | None = None  # directory role assignment id

    def label(self) -> str:
        return " ".join(f"{k}:{v}" for k, v in self.as_dict().items())

    def as_dict(self) -> dict[str, str]:
        """The fields that are set (how a stored request is matched)."""
        fields = {
            "user": self.user,
            "rule": self.rule,
            "device": self.device,
            "assignment": self.assignment,
        }
        return {k: v for k, v in fields.items() if v}


def validate(action: ResponseAction, target: ActionTarget) -> None:
    missing = [f for f in NEEDS[action] if not getattr(target, f)]
    if missing:
        flags = " ".join(f"--{m} …" for m in missing)
        raise ConfigError(f"{action.value} needs {', '.join(missing)}", hint=f"Pass {flags}.")


def plan(action: ResponseAction, target: ActionTarget) -> list[str]:
    """The API calls the action makes, in order (read before, change, read after)."""
    validate(action, target)
    u, r, d, g = target.user, target.rule, target.device, target.assignment
    assignment = f"/v1.0/roleManagement/directory/roleAssignments/{g}"
    user_get = f"GET /v1.0/users/{u}"
    rule_path = f"/v1.0/users/{{id of {u}}}/mailFolders/inbox/messageRules"
    steps = {
        A.REVOKE_SESSIONS: [user_get, f"POST /v1.0/users/{u}/revokeSignInSessions", user_get],
        A.DISABLE_ACCOUNT: [user_get, f"PATCH /v1.0/users/{u} accountEnabled=false", user_get],
        A.CONFIRM_COMPROMISED: [
            f"GET /v1.0/identityProtection/riskyUsers/{{id of {u}}}",
            "POST /v1.0/identityProtection/riskyUsers/confirmCompromised",
            f"GET /v1.0/identityProtection/riskyUsers/{{id of {u}}}",
        ],
        A.REMOVE_INBOX_RULE: [
            user_get,
            f"GET {rule_path}",
            f"DELETE {rule_path}/{r}",
            f"GET {rule_path}",
        ],
        A.REMOVE_FORWARDING: [
            f"Exchange Get-Mailbox {u}",
            f"Exchange Set-Mailbox -Identity {u} -ForwardingSmtpAddress $null",
            f"Exchange Get-Mailbox {u}",
        ],
        A.REMOVE_ROLE_ASSIGNMENT: [
            f"GET {assignment}",
            f"DELETE {assignment}",
            f"GET {assignment} (expects 404: removed)",
        ],
        A.ISOLATE_DEVICE: [
            f"GET /api/machines/{d}",
            f"POST /api/machines/{d}/isolate",
            f"GET /api/machines/{d}",
        ],
        A.RELEASE_DEVICE: [
            f"GET /api/machines/{d}",
            f"POST /api/machines/{d}/unisolate",
            f"GET /api/machines/{d}",
        ],
    }
    return steps[action]
