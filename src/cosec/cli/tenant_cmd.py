"""`cosec tenant add|list|remove`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cosec.authz import Action
from cosec.cli.common import LazyModule, console, print_json, runtime, safe_text
from cosec.errors import ConfigError, CredentialError

if TYPE_CHECKING:
    from cosec.store import tenants as repo
else:
    repo = LazyModule("cosec.store.tenants")

app = typer.Typer(help="Microsoft 365 tenants and their app credentials.", no_args_is_help=True)

ENDPOINT_KEYS = ("login", "graph", "exchange", "defender", "ca_bundle")


def read_certificate(path: Path) -> tuple[str, str]:
    """Read a PEM holding a private key and its certificate; return (pem, SHA-1 thumbprint)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise CredentialError(f"cannot read certificate {path}: {exc.strerror}") from None
    try:
        serialization.load_pem_private_key(pem, password=None)
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError:
        raise CredentialError(
            f"{path} must hold an unencrypted PEM private key and its certificate"
        ) from None
    return pem.decode(), cert.fingerprint(hashes.SHA1()).hex().upper()


def read_secret_env(var: str) -> str:
    value = os.environ.get(var)
    if not value:
        raise CredentialError(
            f"environment variable {var} is empty or unset",
            hint=f"export {var}=<client secret> first; secrets are never passed as arguments.",
        )
    return value


def _credential_material(
    secret_env: str | None, certificate: Path | None, label: str
) -> tuple[str, str, str | None]:
    if (secret_env is None) == (certificate is None):
        raise ConfigError(f"give exactly one of --{label}secret-env or --{label}certificate")
    if certificate is not None:
        pem, thumb = read_certificate(certificate)
        return "certificate", pem, thumb
    assert secret_env is not None
    return "secret", read_secret_env(secret_env), None


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Short name, e.g. contoso")],
    tenant_id: Annotated[str, typer.Option(help="Directory (tenant) id")],
    client_id: Annotated[str, typer.Option(help="Read-only app registration's client id")],
    client_secret_env: Annotated[
        str | None, typer.Option(help="Environment variable holding the client secret")
    ] = None,
    certificate: Annotated[
        Path | None, typer.Option(help="PEM with private key and certificate (recommended)")
    ] = None,
    response_client_id: Annotated[
        str | None, typer.Option(help="Optional separate app for response actions")
    ] = None,
    response_secret_env: Annotated[str | None, typer.Option()] = None,
    response_certificate: Annotated[Path | None, typer.Option()] = None,
    display_name: Annotated[str | None, typer.Option()] = None,
    login_url: Annotated[str | None, typer.Option(help="Authority host (simulator only)")] = None,
    graph_url: Annotated[str | None, typer.Option(help="Graph base URL (simulator only)")] = None,
    exchange_url: Annotated[str | None, typer.Option(help="Exchange admin API base URL")] = None,
    defender_url: Annotated[str | None, typer.Option(help="Defender for Endpoint API base")] = None,
    ca_bundle: Annotated[Path | None, typer.Option(help="CA bundle to trust (simulator)")] = None,
) -> None:
    """Register a tenant and store its credentials encrypted."""
    rt = runtime(ctx)
    actor = rt.authorize(Action.TENANT_MANAGE)
    kind, material, thumb = _credential_material(client_secret_env, certificate, "client-")
    response = None
    if response_client_id:
        response = _credential_material(response_secret_env, response_certificate, "response-")
    endpoints = {
        k: v
        for k, v in {
            "login": login_url,
            "graph": graph_url,
            "exchange": exchange_url,
            "defender": defender_url,
            "ca_bundle": str(ca_bundle.resolve()) if ca_bundle else None,
        }.items()
        if v
    }
    now = rt.now()
    with rt.store.session() as s:
        repo.add_tenant(
            s,
            name=name,
            tenant_id=tenant_id,
            display_name=display_name,
            endpoints=endpoints,
            now=now,
        )
        repo.set_credential(
            s,
            rt.secret_box,
            tenant=name,
            purpose="read",
            client_id=client_id,
            kind=kind,
            material=material,
            thumbprint=thumb,
            now=now,
        )
        if response is not None and response_client_id:
            rkind, rmaterial, rthumb = response
            repo.set_credential(
                s,
                rt.secret_box,
                tenant=name,
                purpose="response",
                client_id=response_client_id,
                kind=rkind,
                material=rmaterial,
                thumbprint=rthumb,
                now=now,
            )
    rt.record(
        actor=actor,
        action="tenant.add",
        subject=name,
        tenant=name,
        after={
            "tenant_id": tenant_id,
            "client_id": client_id,
            "credential": kind,
            "response_app": response_client_id,
            "endpoints": endpoints,
        },
    )
    console.print(f"Added tenant {safe_text(name)} ({kind} credential stored encrypted)")
    if kind == "secret":
        console.print("Tip: a certificate credential is recommended over a client secret.")


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List registered tenants (never their secrets)."""
    rt = runtime(ctx)
    with rt.store.session() as s:
        infos = repo.list_tenants(s)
    if as_json:
        print_json(
            [
                {
                    "name": t.name,
                    "tenant_id": t.tenant_id,
                    "display_name": t.display_name,
                    "endpoints": t.endpoints,
                    "credentials": {
                        p: {"client_id": c, "kind": k} for p, (c, k) in t.credentials.items()
                    },
                }
                for t in infos
            ]
        )
        return
    table = Table(title="Tenants")
    for col in ("name", "tenant id", "read app", "response app", "cloud"):
        table.add_column(col)
    for t in infos:
        read = t.credentials.get("read")
        resp = t.credentials.get("response")
        table.add_row(
            safe_text(t.name),
            safe_text(t.tenant_id),
            safe_text(f"{read[0]} ({read[1]})") if read else "—",
            safe_text(f"{resp[0]} ({resp[1]})") if resp else "—",
            safe_text(t.endpoints.get("graph", "Microsoft global")),
        )
    console.print(table)


@app.command("remove")
def remove(
    ctx: typer.Context,
    name: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Remove a tenant and its stored credentials."""
    rt = runtime(ctx)
    actor = rt.authorize(Action.TENANT_MANAGE)
    if not yes:
        typer.confirm(f"Remove tenant {name} and its credentials?", abort=True)
    with rt.store.session() as s:
        info = repo.remove_tenant(s, name)
    rt.record(
        actor=actor,
        action="tenant.remove",
        subject=name,
        tenant=name,
        before={"tenant_id": info.tenant_id},
    )
    console.print(f"Removed tenant {safe_text(name)}")


@app.command("check")
def check(
    ctx: typer.Context,
    name: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Show the read app's required vs granted permissions and the licences detected."""
    from cosec.collect.check import run_check  # the Graph client stack

    rt = runtime(ctx)
    with rt.store.session() as s:
        info = repo.get_tenant(s, name)
        cred = repo.credential(s, rt.secret_box, name, "read")
    result = run_check(info, cred)
    licences = sorted(lic.value for lic in result.licences or ())
    if as_json:
        print_json(
            {
                "tenant": name,
                "permissions": [
                    {
                        "permission": r.permission,
                        "service": r.service.value,
                        "granted": r.granted,
                        "needed_by": list(r.keys),
                    }
                    for r in result.requirements
                ],
                "licences": licences if result.licences is not None else None,
                "errors": result.errors,
            }
        )
    else:
        table = Table(title=f"Permissions of {safe_text(name)}'s read app")
        for col in ("permission", "service", "granted", "needed by"):
            table.add_column(col)
        for r in result.requirements:
            mark = {True: "[green]yes[/]", False: "[red]NO[/]", None: "[yellow]?[/]"}[r.granted]
            table.add_row(r.permission, r.service.value, mark, ", ".join(r.keys))
        console.print(table)
        shown = ", ".join(licences) if result.licences is not None else "unknown"
        console.print(f"Licences detected: {safe_text(shown) or 'none'}")
        for where, why in sorted(result.errors.items()):
            console.print(f"[red]{safe_text(where)}[/]: {safe_text(why)}")
    if result.missing or result.errors:
        raise typer.Exit(1)
