"""The application context the edges (CLI, web, jobs) build once and pass down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cosec.clock import Clock
from cosec.config import Person, Role, Settings, Workspace, load_workspace
from cosec.errors import AuthorizationError

if TYPE_CHECKING:
    from cosec.authz import Action
    from cosec.store.engine import Store
    from cosec.store.secrets import SecretBox

# The store (SQLAlchemy, Alembic) and the secret box (cryptography) are imported where
# first used: every CLI invocation builds a Runtime, and most never touch them.


@dataclass
class Runtime:
    settings: Settings
    clock: Clock

    @cached_property
    def workspace(self) -> Workspace:
        return load_workspace(self.settings)

    @cached_property
    def store(self) -> Store:
        from cosec.store.engine import open_store

        self.workspace  # noqa: B018  (a store belongs to a valid workspace)
        return open_store(self.settings.effective_database_url())

    @cached_property
    def secret_box(self) -> SecretBox:
        from cosec.store.secrets import SecretBox, load_or_create_key

        return SecretBox(load_or_create_key(self.settings.data_dir, self.settings.secret_key))

    def now(self) -> datetime:
        return self.clock.now()

    def actor(self, *roles: Role) -> Person:
        """The acting person (--as / COSEC_ACTOR), checked to hold one of `roles`."""
        if not self.settings.actor:
            raise AuthorizationError(
                "this command records a decision and needs to know who is acting"
            )
        person = self.workspace.person(self.settings.actor)
        if roles and not person.has_role(*roles):
            need = " or ".join(r.value for r in roles)
            raise AuthorizationError(f"{person.id} ({person.party}) is not {need}")
        return person

    def authorize(self, action: Action, tenant: str | None = None) -> Person:
        """The acting person (--as, so asserted), allowed by `cosec.authz` to take `action`."""
        from cosec.authz import Actor, Scope, allowed, refusal

        person = self.actor()
        org = self.workspace.organisation.name
        actor = Actor.from_person(person, org, "asserted")
        if not allowed(actor, action, Scope(org, tenant)):
            raise AuthorizationError(refusal(actor, action))
        return person

    def record(
        self,
        *,
        actor: Person,
        action: str,
        subject: str,
        tenant: str | None = None,
        before: Any = None,
        after: Any = None,
        note: str = "",
    ) -> None:
        """Append a decision to the audit log in its own transaction."""
        from cosec.store import audit

        with self.store.session() as session:
            audit.append(
                session,
                at=self.now(),
                actor=actor.id,
                party=actor.party,
                action=action,
                subject=subject,
                tenant=tenant,
                before=before,
                after=after,
                note=note,
            )

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.dispose()
