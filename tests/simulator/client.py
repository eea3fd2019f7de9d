"""A minimal test client for the simulator: tokens by client secret, retries on 429."""

from __future__ import annotations

import ssl
import time
from typing import Any

import httpx

from cosec.simulator.cloud import GRAPH
from cosec.simulator.server import SimulatorHandle


def tls(sim: SimulatorHandle) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sim.ca))


def token(
    sim: SimulatorHandle, tenant: str, *, resource: str = GRAPH, response: bool = False
) -> str:
    creds = sim.tenant(tenant)
    r = httpx.post(
        f"{sim.login}/{creds.tenant_id}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds.response_client_id if response else creds.client_id,
            "client_secret": creds.response_client_secret if response else creds.client_secret,
            "scope": f"{resource}/.default",
        },
        verify=tls(sim),
    )
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def client(sim: SimulatorHandle, bearer: str) -> httpx.Client:
    return httpx.Client(verify=tls(sim), headers={"Authorization": f"Bearer {bearer}"}, timeout=30)


def get(c: httpx.Client, url: str, **kw: Any) -> httpx.Response:
    """GET, waiting out 429s (Retry-After, or 50 ms where Graph sends none)."""
    for _ in range(200):
        r = c.get(url, **kw)
        if r.status_code != 429:
            return r
        time.sleep(float(r.headers.get("Retry-After", "0.05")))
    raise AssertionError(f"still throttled: {url}")


def all_pages(c: httpx.Client, url: str, **kw: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        r = get(c, next_url, **kw)
        assert r.status_code == 200, r.text
        body = r.json()
        items.extend(body["value"])
        next_url = body.get("@odata.nextLink")
    return items
