"""Refused decisions: separation-of-duties and policy violations, audited like any other.

A decision function raises `Refused` when the acting person may not take the decision or
the decision breaks policy; the store's `decide` helper records the refusal in the audit
log (and, for exception intake, in the register) before the error reaches the user.
"""

from __future__ import annotations

from cosec.config import Person, Role
from cosec.errors import CosecError


class Refused(CosecError):
    """A decision refused on policy grounds. `kind` names the rule that refused it."""

    hint = "See `docs/operating-model.md` for who may decide what."

    def __init__(self, kind: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind


def require(person: Person, role: Role, *, party: str | None = None, action: str) -> None:
    """Refuse unless `person` holds `role` (and belongs to `party`, when given)."""
    if not person.has_role(role):
        raise Refused(
            "role",
            f"{person.id} ({person.party}) may not {action}: the role {role.value} is required",
        )
    if party is not None and person.party != party:
        raise Refused(
            "party",
            f"{person.id} may not {action}: only the {party} party may, "
            f"and {person.id} is {person.party}",
        )
