"""`cosec init` and `cosec config validate`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from cosec.cli.common import console, runtime
from cosec.config import DATA_DIR, WORKSPACE_FILE, parse_workspace
from cosec.errors import WorkspaceError


def workspace_template(organisation: str, partner: str, tenant: str) -> str:
    text = resources.files("cosec.templates").joinpath("cosec.yaml").read_text(encoding="utf-8")
    return (
        text.replace("{organisation}", organisation)
        .replace("{partner}", partner)
        .replace("{tenant}", tenant)
    )


def init_workspace(
    directory: Path, *, organisation: str, partner: str, tenant: str, env_key: str | None
) -> Path:
    """Write a commented cosec.yaml and the data directory; refuse to overwrite."""
    from cosec.store.secrets import load_or_create_key

    config = directory / WORKSPACE_FILE
    if config.exists():
        raise WorkspaceError(
            f"{config} already exists", hint="Edit it, or choose another directory."
        )
    text = workspace_template(organisation, partner, tenant)
    parse_workspace(text, source=str(config))  # the template itself must be valid
    directory.mkdir(parents=True, exist_ok=True)
    (directory / DATA_DIR).mkdir(exist_ok=True)
    config.write_text(text, encoding="utf-8")
    load_or_create_key(directory / DATA_DIR, env_key)
    return config


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(
        ctx: typer.Context,
        directory: Annotated[Path, typer.Argument(help="Where to create the workspace")] = Path(),
        organisation: Annotated[str, typer.Option(help="The business's name")] = "Example Ltd",
        partner: Annotated[str, typer.Option(help="The security partner's name")] = "Partner MSP",
        tenant: Annotated[str, typer.Option(help="Short name of the first tenant")] = "main",
    ) -> None:
        """Create a workspace: a commented cosec.yaml and a data directory."""
        rt = runtime(ctx)
        config = init_workspace(
            directory.resolve(),
            organisation=organisation,
            partner=partner,
            tenant=tenant,
            env_key=rt.settings.secret_key,
        )
        console.print(f"Created {config}")
        console.print(f"Created {config.parent / DATA_DIR}/ (database, secret key, evidence)")
        console.print("Next: edit the people in cosec.yaml, then `cosec tenant add`.")

    config_app = typer.Typer(help="Check the workspace file.", no_args_is_help=True)

    @config_app.command("validate")
    def validate(ctx: typer.Context) -> None:
        """Validate cosec.yaml and print a summary."""
        ws = runtime(ctx).workspace
        console.print(
            f"cosec.yaml is valid: {len(ws.people)} people, {len(ws.tenants)} tenants, "
            f"{len(ws.risk_tiers)} risk tiers"
        )

    app.add_typer(config_app, name="config")
