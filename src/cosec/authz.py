"""The one authorisation policy: `allowed(actor, action, scope)`, deny by default.

The permission matrix is data (`MATRIX`: action → the roles that may take it and the
scope it applies to), so the edges hold no role list, the matrix test can enumerate
every action × role, and docs/authorisation.md is generated from it
(`python -m cosec.authz [PATH]`). Response actions are further decided per action and
severity by the workspace's authority matrix (`cosec.incidents.authority`); this policy
only decides who may work an incident at all.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

from cosec.config import Person, Role

Authn = Literal["asserted", "session", "token", "system"]


class Action(StrEnum):
    """Every decision a service records, named as its audit entries are."""

    TENANT_MANAGE = "tenant.manage"
    ASSESS_ATTEST = "assess.attest"
    ALERT_TRIAGE = "alert.triage"
    INCIDENT_WORK = "incident.work"
    EVIDENCE_RECORD = "evidence.record"
    REVIEW_RECORD = "review.record"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    why: str


def _rule(why: str, *roles: Role) -> Rule:
    return Rule(frozenset(roles), why)


MATRIX: dict[Action, Rule] = {
    Action.TENANT_MANAGE: _rule(
        "register or remove a tenant and its credentials",
        Role.IT_LEAD,
        Role.ENGINEER,
    ),
    Action.ASSESS_ATTEST: _rule(
        "attest a manual control",
        Role.IT_LEAD,
        Role.ENGINEER,
        Role.ANALYST,
        Role.AUDITOR,
    ),
    Action.ALERT_TRIAGE: _rule(
        "triage, assign, snooze, pause, resume or resolve an alert",
        Role.ANALYST,
        Role.ON_CALL,
        Role.INCIDENT_MANAGER,
        Role.RESPONDER,
        Role.IT_LEAD,
    ),
    Action.INCIDENT_WORK: _rule(
        "check off containment items and move an incident's status",
        Role.INCIDENT_MANAGER,
        Role.RESPONDER,
        Role.ON_CALL,
        Role.IT_LEAD,
    ),
    Action.EVIDENCE_RECORD: _rule(
        "record restore tests (one or imported from CSV)",
        Role.IT_LEAD,
        Role.ENGINEER,
        Role.ANALYST,
        Role.RESPONDER,
    ),
    Action.REVIEW_RECORD: _rule(
        "record that a monthly or quarterly review was held",
        Role.IT_LEAD,
        Role.EXECUTIVE,
        Role.INCIDENT_MANAGER,
        Role.RISK_OWNER,
    ),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which organisation, and how that was established."""

    person: str
    party: str
    roles: frozenset[Role]
    organisation: str
    authn: Authn

    @classmethod
    def from_person(cls, person: Person, organisation: str, authn: Authn) -> Actor:
        return cls(person.id, person.party, frozenset(person.roles), organisation, authn)


@dataclass(frozen=True)
class Scope:
    """What the decision is about: an organisation, and one of its tenants or none."""

    organisation: str
    tenant: str | None = None


def allowed(actor: Actor, action: Action, scope: Scope) -> bool:
    """True only when a matrix rule grants `action` to one of the actor's roles in `scope`.

    Deny by default: an action without a rule, or in another organisation's scope, is
    refused. (Role bindings per tenant arrive with stored organisations; until then a
    role holds for every tenant of the actor's organisation.)
    """
    rule = MATRIX.get(action)
    if rule is None or scope.organisation != actor.organisation:
        return False
    return bool(rule.roles & actor.roles)


def refusal(actor: Actor, action: Action) -> str:
    """Why `actor` may not take `action`, naming the roles that may."""
    rule = MATRIX.get(action)
    need = " or ".join(sorted(r.value for r in rule.roles)) if rule else "granted by no rule"
    return f"{actor.person} ({actor.party}) is not {need}: may not {action.value}"


def render() -> str:
    """docs/authorisation.md: the matrix as a table, one row per action."""
    roles = list(Role)
    lines = [
        "# Authorisation",
        "",
        "Generated from `cosec.authz.MATRIX` by `python -m cosec.authz`; a test checks",
        "that this file matches the code. Deny by default: a role not marked may not take",
        "the action, and no action is allowed outside the actor's own organisation.",
        "Response actions are further decided per action and severity by the authority",
        "matrix (docs/incident-response.md).",
        "",
        "| action | what | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action, rule in MATRIX.items():
        cells = " | ".join("yes" if r in rule.roles else "" for r in roles)
        lines.append(f"| `{action.value}` | {rule.why} | {cells} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path("docs/authorisation.md")
    path.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
