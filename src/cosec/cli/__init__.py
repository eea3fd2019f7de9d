"""The `cosec` command: the root app, global options, and error reporting.

Each command group lives in its own module here and is registered below. Commands are
thin: they build a `Runtime`, call into the product packages, and print.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer.exceptions import TyperException

from cosec.cli import (
    alerts_cmd,
    assess_cmd,
    audit_cmd,
    changes_cmd,
    collect_cmd,
    db_cmd,
    evidence_cmd,
    exceptions_cmd,
    incidents_cmd,
    jobs_cmd,
    metrics_cmd,
    raci_cmd,
    report_cmd,
    simulator_cmd,
    tenant_cmd,
    workspace_cmd,
)
from cosec.clock import clock_from_env
from cosec.config import settings_from_env
from cosec.errors import CosecError
from cosec.runtime import Runtime

app = typer.Typer(
    name="cosec",
    help="Co-managed security operations for Microsoft 365.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        from cosec import __version__

        typer.echo(f"cosec {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", help="Workspace dir (default: COSEC_WORKSPACE or .)"),
    ] = None,
    acting_as: Annotated[
        str | None, typer.Option("--as", help="Person acting (default: COSEC_ACTOR)")
    ] = None,
    log_format: Annotated[str | None, typer.Option("--log-format", help="console or json")] = None,
) -> None:
    from cosec.logging import configure_logging  # structlog: not needed for --help

    settings = settings_from_env(workspace_dir=workspace, actor=acting_as, log_format=log_format)
    configure_logging(settings.log_format)
    ctx.obj = Runtime(settings=settings, clock=clock_from_env(os.environ))
    ctx.call_on_close(ctx.obj.close)


workspace_cmd.register(app)
app.add_typer(db_cmd.app, name="db")
app.add_typer(tenant_cmd.app, name="tenant")
app.add_typer(audit_cmd.app, name="audit")
# -- command groups of later areas are registered below, one line each --
metrics_cmd.register(app)
app.add_typer(report_cmd.app, name="report")
app.add_typer(evidence_cmd.app, name="evidence")
app.add_typer(raci_cmd.app, name="raci")
app.add_typer(exceptions_cmd.app, name="exceptions")
app.add_typer(changes_cmd.app, name="changes")
changes_cmd.register(app)
app.add_typer(jobs_cmd.app, name="jobs")
collect_cmd.register(app)
app.add_typer(alerts_cmd.app, name="alerts")
alerts_cmd.register(app)
app.add_typer(incidents_cmd.app, name="incidents")
app.add_typer(simulator_cmd.app, name="simulator")
app.add_typer(assess_cmd.app, name="assess")
app.add_typer(assess_cmd.controls_app, name="controls")


def main() -> None:
    """Console entry point: one readable line for every cosec error, never a traceback,
    and the command's exit code reaching the shell (docs/cli.md lists them)."""
    sys.exit(run_cli())


def run_cli(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 1 problem found, 2 usage or configuration
    error, 130 interrupted. With standalone_mode off, Click returns a command's exit code
    instead of exiting, so it is returned here rather than dropped."""
    try:
        rc = app(args=args, standalone_mode=False)
    except CosecError as exc:
        Console(stderr=True).print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        Console(stderr=True).print("aborted", highlight=False)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except TyperException as exc:  # Click's usage errors (Typer vendors Click): code 2
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        return int(getattr(exc, "exit_code", 2))
    return rc if isinstance(rc, int) else 0
