"""Small helpers shared by command modules."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

from cosec.runtime import Runtime

console = Console(highlight=False)


def runtime(ctx: typer.Context) -> Runtime:
    obj = ctx.find_root().obj
    assert isinstance(obj, Runtime)
    return obj


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
