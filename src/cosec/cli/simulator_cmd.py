"""`cosec simulator`: run the local fake Microsoft 365 cloud and list its scenarios."""

from __future__ import annotations

import json
import shlex
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.cli.common import console
from cosec.errors import ConfigError
from cosec.simulator.catalog import LICENCE_MIXES

if TYPE_CHECKING:
    from cosec.simulator.scenarios import ScenarioPlacement
    from cosec.simulator.server import SimulatorHandle, TenantCredentials

app = typer.Typer(help="The local simulated Microsoft 365 cloud (demos, tests, benchmarks).")

TENANT_NAMES = ("contoso", "fabrikam", "northwind", "tailspin", "woodgrove", "adatum")


def tenant_names(count: int) -> list[str]:
    return [TENANT_NAMES[i] if i < len(TENANT_NAMES) else f"tenant{i + 1}" for i in range(count)]


def parse_scenario(text: str) -> ScenarioPlacement:
    """NAME or NAME@YYYY-MM-DD."""
    from cosec.simulator.scenarios import SCENARIOS, ScenarioPlacement

    name, _, day = text.partition("@")
    if name not in SCENARIOS:
        raise ConfigError(f"unknown scenario {name!r}; known: {', '.join(sorted(SCENARIOS))}")
    try:
        return ScenarioPlacement(name, date.fromisoformat(day) if day else None)
    except ValueError as exc:
        raise ConfigError(f"scenario day must be YYYY-MM-DD, not {day!r}") from exc


def tenant_add_command(handle: SimulatorHandle, t: TenantCredentials) -> str:
    """The exact `cosec tenant add` line registering tenant `t` of this simulator."""
    var = f"COSEC_SIM_RESPONSE_SECRET_{t.name.upper()}"
    args = [
        "cosec",
        "tenant",
        "add",
        t.name,
        "--tenant-id",
        t.tenant_id,
        "--client-id",
        t.client_id,
        "--certificate",
        str(t.certificate),
        "--response-client-id",
        t.response_client_id,
        "--response-secret-env",
        var,
        "--login-url",
        handle.login,
        "--graph-url",
        handle.graph,
        "--exchange-url",
        handle.exchange,
        "--defender-url",
        handle.defender,
        "--ca-bundle",
        str(handle.ca),
    ]
    return f"export {var}={shlex.quote(t.response_client_secret)}\n{shlex.join(args)}"


@app.command("serve")
def serve(
    tenants: Annotated[int, typer.Option(min=1, max=50, help="How many tenants")] = 1,
    users: Annotated[int, typer.Option(min=10, max=50_000, help="Users per tenant")] = 250,
    days: Annotated[int, typer.Option(min=1, max=400, help="Days of history")] = 30,
    seed: Annotated[int, typer.Option(help="Seed of the generated data")] = 1,
    scenario: Annotated[
        list[str] | None, typer.Option(help="Scenario to plant: NAME or NAME@YYYY-MM-DD")
    ] = None,
    licence_mix: Annotated[
        str, typer.Option(help=f"One of: {', '.join(sorted(LICENCE_MIXES))}")
    ] = "business-premium",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free)")] = 8443,
    state_dir: Annotated[
        Path, typer.Option(help="Where the CA, server and app certificates are kept")
    ] = Path(".cosec-simulator"),
    latency: Annotated[str, typer.Option(help="realistic or none")] = "realistic",
    as_json: Annotated[
        bool, typer.Option("--json", help="First line: one JSON object with URLs and creds")
    ] = False,
) -> None:
    """Serve simulated tenants over HTTPS until interrupted (Ctrl-C)."""
    from cosec.simulator.server import SimulatorConfig, serve_forever  # uvicorn, starlette
    from cosec.simulator.tenant import build_tenant

    if licence_mix not in LICENCE_MIXES:
        raise ConfigError(
            f"unknown licence mix {licence_mix!r}; known: {', '.join(sorted(LICENCE_MIXES))}"
        )
    if latency not in ("realistic", "none"):
        raise ConfigError(f"--latency must be realistic or none, not {latency!r}")
    placements = [parse_scenario(s) for s in scenario or []]
    built = [
        build_tenant(
            name=name,
            seed=seed + i,
            users=users,
            days=days,
            scenarios=placements,
            licence_mix=licence_mix,
        )
        for i, name in enumerate(tenant_names(tenants))
    ]
    config = SimulatorConfig(
        tenants=built, state_dir=state_dir.resolve(), port=port, latency=latency, seed=seed
    )

    def ready(handle: SimulatorHandle) -> None:
        if as_json:
            typer.echo(json.dumps(handle.as_json()), nl=True)
            return
        lines = [
            f"[bold]cosec simulator[/] listening on {handle.base}",
            f"  login     {handle.login}",
            f"  graph     {handle.graph}",
            f"  exchange  {handle.exchange}",
            f"  defender  {handle.defender}",
            f"  CA        {handle.ca}",
            f"  control   {handle.base}/_simulator/  (Bearer {handle.control_token})",
        ]
        for t in handle.tenants:
            lines += [
                f"\n[bold]{t.name}[/]  tenant id {t.tenant_id}  ({t.primary_domain})",
                f"  read app      {t.client_id}  secret {t.client_secret}",
                f"  certificate   {t.certificate}",
                f"  response app  {t.response_client_id}  secret {t.response_client_secret}",
                tenant_add_command(handle, t),
            ]
        lines.append("\nCtrl-C to stop.")
        for line in lines:
            console.print(line, soft_wrap=True)

    serve_forever(config, ready)


@app.command("scenarios")
def scenarios() -> None:
    """List the scenarios `serve --scenario` can plant."""
    from cosec.simulator.scenarios import SCENARIOS

    table = Table("scenario", "what happens")
    for s in sorted(SCENARIOS.values(), key=lambda s: s.name):
        table.add_row(s.name, s.description)
    console.print(table)
