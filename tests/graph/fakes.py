"""Test doubles for the graph client: a fixed token source and a mock Microsoft."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from cosec.graph.client import RetryPolicy, TenantClient
from cosec.graph.endpoints import Endpoints
from cosec.graph.throttle import Scheduler

TENANT_ID = "11111111-2222-3333-4444-555555555555"


class StaticTokens:
    def __init__(self) -> None:
        self.invalidated: list[str] = []
        self.issued = 0

    @property
    def client_id(self) -> str:
        return "app-1"

    async def token(self, scope: str) -> str:
        self.issued += 1
        return f"token-{self.issued}"

    def invalidate(self, scope: str) -> None:
        self.invalidated.append(scope)

    def close(self) -> None:
        return None


Handler = Callable[[httpx.Request], httpx.Response]


def make_client(
    handler: Handler, *, headers: dict[str, str] | None = None, attempts: int = 4
) -> tuple[TenantClient, StaticTokens]:
    tokens = StaticTokens()
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = TenantClient(
        tenant="main",
        tenant_id=TENANT_ID,
        endpoints=Endpoints.for_tenant(TENANT_ID, {}),
        tokens=tokens,
        http=http,
        scheduler=Scheduler(),
        headers=headers,
        retry=RetryPolicy(attempts=attempts, throttled=3, base_delay=0.0, max_delay=0.0),
    )
    return client, tokens


def page(items: list[dict[str, Any]], next_link: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"value": items}
    if next_link:
        body["@odata.nextLink"] = next_link
    return httpx.Response(200, json=body)


def error(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps({"error": {"code": code, "message": message}}), headers=headers
    )
