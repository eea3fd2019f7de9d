"""The one authorisation policy: the full action × role × organisation matrix."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cosec.authz import MATRIX, Action, Actor, Scope, allowed, refusal, render
from cosec.config import Role

ROOT = Path(__file__).resolve().parents[1]
ROLES = {r.value for r in Role}

# Written out by hand (not derived from MATRIX), so a change to the policy must change
# this table too: every pair not listed here must be refused.
EXPECTED: dict[Action, set[Role]] = {
    Action.TENANT_MANAGE: {Role.IT_LEAD, Role.ENGINEER},
    Action.ASSESS_ATTEST: {Role.IT_LEAD, Role.ENGINEER, Role.ANALYST, Role.AUDITOR},
    Action.ALERT_TRIAGE: {
        Role.ANALYST,
        Role.ON_CALL,
        Role.INCIDENT_MANAGER,
        Role.RESPONDER,
        Role.IT_LEAD,
    },
    Action.INCIDENT_WORK: {Role.INCIDENT_MANAGER, Role.RESPONDER, Role.ON_CALL, Role.IT_LEAD},
    Action.EVIDENCE_RECORD: {Role.IT_LEAD, Role.ENGINEER, Role.ANALYST, Role.RESPONDER},
    Action.REVIEW_RECORD: {Role.IT_LEAD, Role.EXECUTIVE, Role.INCIDENT_MANAGER, Role.RISK_OWNER},
}


def _actor(role: Role, org: str = "contoso") -> Actor:
    return Actor("pat", "partner", frozenset({role}), org, "asserted")


def test_every_action_has_a_rule_and_an_expectation() -> None:
    assert set(MATRIX) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize("action", list(Action))
def test_matrix_has_no_unexpected_allow_or_deny(action: Action) -> None:
    for role in Role:
        for tenant in (None, "contoso-prod"):
            own = allowed(_actor(role), action, Scope("contoso", tenant))
            assert own is (role in EXPECTED[action]), (action, role, tenant)
            other = allowed(_actor(role), action, Scope("fabrikam", tenant))
            assert other is False, (action, role, "other organisation")


def test_an_actor_without_roles_is_refused_everything() -> None:
    nobody = Actor("pat", "partner", frozenset(), "contoso", "session")
    assert not any(allowed(nobody, a, Scope("contoso")) for a in Action)


def test_refusal_names_the_roles_that_may() -> None:
    text = refusal(_actor(Role.AUDITOR), Action.TENANT_MANAGE)
    assert text == "pat (partner) is not engineer or it_lead: may not tenant.manage"


def test_docs_are_generated_from_the_matrix() -> None:
    """Regenerate with `python -m cosec.authz` when this fails."""
    text = (ROOT / "docs" / "authorisation.md").read_text(encoding="utf-8")
    assert text == render()
    assert all(f"`{a.value}`" in text for a in Action)


def _role_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    # a dict key such as {"risk_owner": ...} names a field of a record, not a role
    keys = {id(k) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "Role" for a in node.names):
            found.append(f"{path.name}:{node.lineno} imports Role")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "actor"
            and node.args
        ):
            found.append(f"{path.name}:{node.lineno} checks roles itself")
        if isinstance(node, ast.Constant) and id(node) not in keys and node.value in ROLES:
            found.append(f"{path.name}:{node.lineno} names role {node.value!r}")
    return found


def test_cli_holds_no_role_list() -> None:
    """Who may do what is `cosec.authz`'s decision; the CLI only asks it."""
    found = [
        u for p in sorted((ROOT / "src" / "cosec" / "cli").glob("*.py")) for u in _role_uses(p)
    ]
    assert found == []
