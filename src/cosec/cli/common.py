"""Small helpers shared by command modules."""

from __future__ import annotations

import importlib
import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from cosec.runtime import Runtime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cosec.config import Person
    from cosec.store import audit

console = Console(highlight=False)


class LazyModule:
    """Stand-in for module `name`, imported on first attribute access.

    Command modules bind the repositories (and other modules only their commands use)
    with it, the real module under `if TYPE_CHECKING:` for mypy, so that building the
    command tree — every `cosec` invocation, `--help` included — does not import
    SQLAlchemy, Alembic and the rest.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


if not TYPE_CHECKING:
    audit = LazyModule("cosec.store.audit")


def runtime(ctx: typer.Context) -> Runtime:
    obj = ctx.find_root().obj
    assert isinstance(obj, Runtime)
    return obj


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))


def record_audit(
    rt: Runtime,
    s: Session,
    actor: Person,
    action: str,
    *,
    subject: str,
    tenant: str | None,
    **kw: Any,
) -> None:
    """Append an audit entry for `actor`'s `action` on `subject`, stamped with the runtime clock."""
    audit.append(
        s,
        at=rt.now(),
        actor=actor.id,
        party=actor.party,
        action=action,
        subject=subject,
        tenant=tenant,
        **kw,
    )
