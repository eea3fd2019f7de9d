"""The authority matrix: may this person take this action at this severity?

Deny by default. Among the rules matching the person's roles and party, the action and
the severity: `forbidden` wins, then `allowed`, then `second_approver`. A second-approver
rule marked `emergency` lets the person currently on call act first; the approval is then
owed within the configured time (overdue approvals are flagged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cosec.config import Authority, AuthorityRule, Person, ResponseAction, Role, Severity
from cosec.errors import AuthorizationError


@dataclass(frozen=True)
class AuthorityDecision:
    authority: Authority
    emergency: bool  # may act now although a second approver is required
    reason: str

    @property
    def may_act_now(self) -> bool:
        return self.authority is Authority.ALLOWED or self.emergency


def _matches(rule: AuthorityRule, person: Person, action: ResponseAction, sev: Severity) -> bool:
    return (
        rule.role in person.roles
        and (rule.party is None or rule.party == person.party)
        and action in rule.actions
        and sev in rule.severities
    )


def decide(
    matrix: tuple[AuthorityRule, ...],
    person: Person,
    action: ResponseAction,
    severity: Severity,
    *,
    on_call: bool,
) -> AuthorityDecision:
    rules = [r for r in matrix if _matches(r, person, action, severity)]
    who = f"{person.id} ({person.party}: {', '.join(r.value for r in person.roles)})"
    what = f"{action.value} at {severity.value} severity"
    if not rules or any(r.decision is Authority.FORBIDDEN for r in rules):
        why = "forbidden by the authority matrix" if rules else "not granted by any matrix rule"
        return AuthorityDecision(Authority.FORBIDDEN, False, f"{who} may not {what}: {why}")
    if any(r.decision is Authority.ALLOWED for r in rules):
        return AuthorityDecision(Authority.ALLOWED, False, f"{who} may {what}")
    emergency = on_call and any(r.emergency for r in rules)
    if emergency:
        reason = f"{who} is on call and may {what} now; a second approver must confirm after"
    else:
        reason = f"{who} needs a second approver to {what}"
    return AuthorityDecision(Authority.SECOND_APPROVER, emergency, reason)


def approval_due(acted_at: datetime, within: timedelta) -> datetime:
    return acted_at + within


def is_overdue(due_at: datetime | None, approved_at: datetime | None, now: datetime) -> bool:
    return due_at is not None and approved_at is None and now > due_at


def check_declare(person: Person, roles: tuple[Role, ...]) -> None:
    """Only the roles named in `incident_response.declare_roles` may declare incidents."""
    if not person.has_role(*roles):
        need = ", ".join(r.value for r in roles)
        raise AuthorizationError(
            f"{person.id} ({person.party}) may not declare incidents (needs {need})"
        )


def check_approver(person: Person, roles: tuple[Role, ...], requested_by: str) -> None:
    """A second approver holds an approver role and is not the person who acted."""
    if person.id == requested_by:
        raise AuthorizationError(f"{person.id} requested this action and cannot also approve it")
    if not person.has_role(*roles):
        need = ", ".join(r.value for r in roles)
        raise AuthorizationError(f"{person.id} ({person.party}) may not approve (needs {need})")
