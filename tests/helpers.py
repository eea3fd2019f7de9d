"""Test helpers: invoking the CLI in-process exactly as a user would."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from cosec.cli import app


def run_cli(
    runner: CliRunner,
    args: list[str],
    env: Mapping[str, str],
    *,
    ok: bool = True,
    input: str | None = None,
) -> Result:
    """Run `cosec ARGS`; assert success unless ok=False. Errors keep their exception."""
    result = runner.invoke(app, args, env=dict(env), input=input, catch_exceptions=True)
    if ok and result.exit_code != 0:
        raise AssertionError(
            f"cosec {' '.join(args)} exited {result.exit_code}:\n{result.output}\n"
            f"{result.exception!r}"
        )
    return result


def error_of(result: Result) -> Any:
    return result.exception
