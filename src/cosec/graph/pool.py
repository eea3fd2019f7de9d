"""Pooled async HTTPS connections shared by tenant clients (one pool per trusted CA)."""

from __future__ import annotations

import asyncio
import ssl
from types import TracebackType

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=15.0)


class HttpPool:
    """httpx clients keyed by CA bundle; close once, when every tenant is done.

    `gate` admits at most `max_connections` requests at a time: callers wait on it (O(1))
    rather than in httpcore's pool queue, whose request-to-connection assignment is
    quadratic when thousands of requests are queued (hundreds of tenants at once).
    """

    def __init__(
        self,
        *,
        max_connections: int = 64,
        http2: bool = False,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        self._http2 = http2
        self._timeout = timeout
        self._transport = transport  # tests inject httpx.MockTransport here
        self._clients: dict[str | None, httpx.AsyncClient] = {}
        self.gate = asyncio.Semaphore(max_connections)

    def client(self, ca_bundle: str | None) -> httpx.AsyncClient:
        found = self._clients.get(ca_bundle)
        if found is None:
            found = httpx.AsyncClient(
                verify=ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True,
                http2=self._http2,
                limits=self._limits,
                timeout=self._timeout,
                transport=self._transport,
                follow_redirects=False,
            )
            self._clients[ca_bundle] = found
        return found

    async def aclose(self) -> None:
        for c in self._clients.values():
            await c.aclose()
        self._clients.clear()

    async def __aenter__(self) -> HttpPool:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
