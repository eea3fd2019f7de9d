"""Small helpers shared by command modules."""

from __future__ import annotations

import importlib
import json
from typing import Any

import typer
from rich.console import Console

from cosec.runtime import Runtime

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


def runtime(ctx: typer.Context) -> Runtime:
    obj = ctx.find_root().obj
    assert isinstance(obj, Runtime)
    return obj


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
