"""Fixtures for collector tests: a workspace runtime with simulated tenants registered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cosec.clock import SystemClock
from cosec.config import settings_from_env
from cosec.runtime import Runtime
from cosec.simulator.server import SimulatorHandle
from cosec.store import tenants as repo

Register = Callable[..., None]


def endpoints(handle: SimulatorHandle) -> dict[str, str]:
    return {
        "login": handle.login,
        "graph": handle.graph,
        "exchange": handle.exchange,
        "defender": handle.defender,
        "ca_bundle": str(handle.ca),
    }


@pytest.fixture
def rt(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    for var in ("COSEC_DATABASE_URL", "COSEC_SECRET_KEY", "COSEC_NOW"):
        monkeypatch.delenv(var, raising=False)
    runtime = Runtime(settings=settings_from_env({}, workspace_dir=workspace), clock=SystemClock())
    yield runtime
    runtime.close()


def register_tenant(
    rt: Runtime,
    handle: SimulatorHandle,
    sim_name: str,
    *,
    as_name: str | None = None,
    secret: str | None = None,
    certificate: bool = False,
    custom_endpoints: dict[str, str] | None = None,
) -> None:
    """Register a simulated tenant the way `cosec tenant add` does."""
    creds = handle.tenant(sim_name)
    with rt.store.session() as s:
        repo.add_tenant(
            s,
            name=as_name or sim_name,
            tenant_id=creds.tenant_id,
            display_name=None,
            endpoints=custom_endpoints if custom_endpoints is not None else endpoints(handle),
            now=rt.now(),
        )
        repo.set_credential(
            s,
            rt.secret_box,
            tenant=as_name or sim_name,
            purpose="read",
            client_id=creds.client_id,
            kind="certificate" if certificate else "secret",
            material=creds.certificate.read_text()
            if certificate
            else (secret if secret is not None else creds.client_secret),
            thumbprint=None,
            now=rt.now(),
        )
