"""Small helpers shared by command modules."""

from __future__ import annotations

import importlib
import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from cosec.runtime import Runtime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cosec.config import Person
    from cosec.store import audit

console = Console(highlight=False)

_NAMED_CONTROLS = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# C0 controls, DEL and C1 controls: each becomes its escape sequence, written out.
_VISIBLE_CONTROLS = {
    code: _NAMED_CONTROLS.get(chr(code), f"\\x{code:02x}")
    for code in (*range(0x20), *range(0x7F, 0xA0))
}


def safe_text(value: object) -> str:
    """`value` as Rich markup that prints exactly as text.

    Tenant and configuration text (rule, object and people names, subjects, notes) is
    hostile: Rich would interpret `[/bold]` as markup (and raise on unbalanced tags), and
    the terminal would act on ESC/OSC sequences, BEL or a clear screen. Control
    characters (C0, DEL, C1) are therefore written out as escapes (ESC becomes the four
    characters `\\x1b`, a newline `\\n`) and the markup is escaped, so the result can be
    interpolated into a markup string or a table cell.
    """
    return escape(str(value).translate(_VISIBLE_CONTROLS))


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
