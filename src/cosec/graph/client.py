"""The tenant client: one tenant, one app registration, three services.

`TenantClient.request` is the single path every call takes: token, scheduler slot,
HTTPS, then retry or a typed error. Paging, `$batch` and the Exchange cmdlet endpoint
are built on it.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from cosec.credentials import Credential, TenantInfo
from cosec.errors import (
    CredentialError,
    GraphError,
    OutcomeUnknownError,
    TenantUnreachableError,
    ThrottledError,
)
from cosec.graph.auth import Tokens, TokenSource, token_roles
from cosec.graph.endpoints import SCOPES, Endpoints
from cosec.graph.errors import (
    Label,
    map_error,
    parse_body,
    retry_after,
    throttle_percentage,
)
from cosec.graph.pool import HttpPool
from cosec.graph.throttle import Bucket, Scheduler, classify
from cosec.model.resources import Service

Json = dict[str, Any]
BATCH_SIZE = 20
DEFAULT_IN_FLIGHT = 100  # requests at once for a client without a shared pool
_RETRYABLE = {500, 502, 503, 504}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Failures raised before a request leaves the machine: Microsoft cannot have seen it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # 5xx, connection errors and malformed bodies
    throttled: int = 12  # 429s for one request before ThrottledError
    base_delay: float = 0.5
    max_delay: float = 30.0

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential back-off."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests sent (a $batch counts once)
    calls: int = 0  # API calls made (each request inside a $batch counts)
    throttled: int = 0  # 429 responses, batch items included
    retries: int = 0
    per_bucket: Counter[str] = field(default_factory=Counter)  # calls per throttle bucket


class _Retry(Exception):
    """A response or failure that the request loop retries after `delay` seconds.

    `unprocessed` is True only when Microsoft cannot have acted on the request (the
    connection was never established, or a 429 with Retry-After refused it): the only
    failures after which a non-idempotent request may be sent again.
    """

    def __init__(
        self,
        reason: str,
        delay: float | None = None,
        *,
        throttled: bool = False,
        unprocessed: bool = False,
    ):
        super().__init__(reason)
        self.delay = delay
        self.throttled = throttled
        self.unprocessed = unprocessed


class TenantClient:
    """Calls Microsoft's APIs for one tenant with one app registration."""

    def __init__(
        self,
        *,
        tenant: str,
        tenant_id: str,
        endpoints: Endpoints,
        tokens: Tokens,
        http: httpx.AsyncClient,
        scheduler: Scheduler,
        gate: asyncio.Semaphore | None = None,
        headers: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
        owned_pool: HttpPool | None = None,
    ) -> None:
        self.tenant = tenant
        self.tenant_id = tenant_id
        self.endpoints = endpoints
        self.scheduler = scheduler
        self.stats = ClientStats()
        self._tokens = tokens
        self._http = http
        self._gate = gate or asyncio.Semaphore(DEFAULT_IN_FLIGHT)
        self._headers = dict(headers or {})
        self._retry = retry or RetryPolicy()
        self._owned_pool = owned_pool

    @property
    def app(self) -> str:
        return self._tokens.client_id

    # -- the one request path ------------------------------------------------------------

    def _url(self, service: Service, path: str) -> tuple[str, str]:
        """(absolute URL, path relative to the service base) for a path or a nextLink."""
        base = self.endpoints.base(service)
        if path.startswith(("https://", "http://")):
            origin = urlsplit(base)
            target = urlsplit(path)
            if (target.scheme, target.netloc) != (origin.scheme, origin.netloc):
                raise GraphError(f"refusing to follow a link to another host: {target.netloc}")
            rel = path[len(base) :] if path.startswith(base) else target.path
            return path, rel.lstrip("/")
        return f"{base}/{path.lstrip('/')}", path.lstrip("/")

    def buckets_for(
        self, service: Service, path: str, params: Mapping[str, str] | None = None
    ) -> tuple[Bucket, ...]:
        """The throttle buckets a call to `path` with `params` draws from."""
        rel = self._url(service, path)[1]
        return classify(service, rel.split("?")[0], (params or {}).get("$select", "") + rel)

    async def request(
        self,
        method: str,
        service: Service,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        label: Label | None = None,
        buckets: tuple[Bucket, ...] | None = None,
        cost: int = 1,
        expect_json: bool = True,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one call, retrying throttling, 5xx, connection errors and broken bodies.

        A non-idempotent call (POST, PATCH, DELETE unless `idempotent=True`, as for a
        `$batch` of reads) is re-sent only when Microsoft cannot have processed it: the
        connection was not established, or a 429 carried Retry-After. Any other failure
        raises `OutcomeUnknownError` after one attempt.

        Returns the parsed JSON body (None for an empty one). Raises a typed
        `cosec.errors` error otherwise.
        """
        safe = method.upper() in _SAFE_METHODS if idempotent is None else idempotent
        label = label or Label(path.split("?")[0])
        url = self._url(service, path)[0]
        if buckets is None:
            buckets = self.buckets_for(service, path, params)
        scope = SCOPES[service]
        attempt = throttles = 0
        refreshed = False
        while True:
            try:
                return await self._once(
                    method, url, params, body, scope, label, buckets, cost, expect_json
                )
            except _Retry as again:
                if not (safe or again.unprocessed):
                    raise OutcomeUnknownError(
                        label.resource, detail=f"{method} {again}; not re-sent"
                    ) from None
                if again.throttled:
                    throttles += 1
                    if throttles > self._retry.throttled:
                        raise ThrottledError(label.resource, retry_after=again.delay) from None
                else:
                    attempt += 1
                    if attempt >= self._retry.attempts:
                        raise TenantUnreachableError(label.resource, detail=str(again)) from None
                self.stats.retries += 1
                delay = again.delay
                await asyncio.sleep(self._retry.backoff(attempt) if delay is None else delay)
            except CredentialError:
                if refreshed:
                    raise
                refreshed = True  # a token may have expired early: fetch a fresh one once
                self._tokens.invalidate(scope)

    async def _once(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        body: Any,
        scope: str,
        label: Label,
        buckets: tuple[Bucket, ...],
        cost: int,
        expect_json: bool,
    ) -> Any:
        token = await self._tokens.token(scope)
        headers = {"Authorization": f"Bearer {token}", **self._headers}
        async with self.scheduler.slot(self.tenant_id, self.app, buckets, cost):
            self.stats.requests += 1
            self.stats.calls += cost
            for b in buckets:
                self.stats.per_bucket[b.value] += cost
            try:
                async with self._gate:
                    response = await self._http.request(
                        method, url, params=params, json=body, headers=headers
                    )
            except httpx.TransportError as exc:
                reason = f"{type(exc).__name__}: {exc}"
                raise _Retry(reason, unprocessed=isinstance(exc, _NOT_SENT)) from None
        return self._handle(response, label, buckets, expect_json)

    def _handle(
        self, response: httpx.Response, label: Label, buckets: tuple[Bucket, ...], expect: bool
    ) -> Any:
        status = response.status_code
        if status == 429:
            self.stats.throttled += 1
            told = retry_after(response.headers)
            delay = self.scheduler.throttled(self.tenant_id, self.app, buckets, told)
            raise _Retry("throttled", delay, throttled=True, unprocessed=told is not None)
        if status in _RETRYABLE:
            raise _Retry(f"HTTP {status}", retry_after(response.headers))
        if status >= 400:
            raise map_error(status, parse_body(response), label)
        self.scheduler.succeeded(
            self.tenant_id, self.app, buckets, throttle_percentage(response.headers)
        )
        if not response.content or status == 204:
            return None
        if not expect:
            return response.content
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise _Retry("malformed JSON body") from None

    # -- verbs -----------------------------------------------------------------------------

    async def get_json(
        self,
        service: Service,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        label: Label | None = None,
    ) -> Json:
        got = await self.request("GET", service, path, params=params, label=label)
        return _object(got, label, path)

    async def post_json(
        self, service: Service, path: str, body: Any, *, label: Label | None = None
    ) -> Json | None:
        got = await self.request("POST", service, path, body=body, label=label)
        return None if got is None else _object(got, label, path)

    async def patch_json(
        self, service: Service, path: str, body: Any, *, label: Label | None = None
    ) -> Json | None:
        got = await self.request("PATCH", service, path, body=body, label=label)
        return None if got is None else _object(got, label, path)

    async def delete(self, service: Service, path: str, *, label: Label | None = None) -> None:
        await self.request("DELETE", service, path, label=label)

    # -- collections -------------------------------------------------------------------------

    async def pages(
        self,
        service: Service,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        label: Label | None = None,
    ) -> AsyncIterator[list[Json]]:
        """Each page's `value`, following @odata.nextLink until the collection ends."""
        buckets = self.buckets_for(service, path, params)
        next_path: str | None = path
        next_params = params
        while next_path is not None:
            page = await self.page(service, next_path, next_params, label, buckets=buckets)
            yield page[0]
            next_path, next_params = page[1], None

    async def page(
        self,
        service: Service,
        path: str,
        params: Mapping[str, str] | None,
        label: Label | None,
        *,
        method: str = "GET",
        body: Any = None,
        buckets: tuple[Bucket, ...] | None = None,
        idempotent: bool | None = None,
    ) -> tuple[list[Json], str | None]:
        """One collection page: (items, nextLink or None); a malformed page is re-read.

        Pass the first page's `buckets_for(...)` when following a nextLink: links are
        opaque, so the query that decided the throttle bucket may not be in them. A
        non-idempotent page request is not re-read.
        """
        safe = method.upper() in _SAFE_METHODS if idempotent is None else idempotent
        for attempt in range(self._retry.attempts if safe else 1):
            got = await self.request(
                method,
                service,
                path,
                params=params,
                body=body,
                label=label,
                buckets=buckets,
                idempotent=idempotent,
            )
            parsed = _collection(got)
            if parsed is not None:
                return parsed
            self.stats.retries += 1
            await asyncio.sleep(self._retry.backoff(attempt))
        name = label.resource if label else path
        if not safe:
            raise OutcomeUnknownError(name, detail=f"{method} answered with a malformed page")
        raise GraphError(f"{name}: the service returned malformed pages repeatedly")

    async def list_all(
        self,
        service: Service,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        label: Label | None = None,
    ) -> list[Json]:
        items: list[Json] = []
        async for page in self.pages(service, path, params=params, label=label):
            items.extend(page)
        return items

    async def children(
        self,
        paths: Mapping[str, str],
        *,
        params: Mapping[str, str] | None = None,
        label: Label | None = None,
    ) -> dict[str, list[Json] | None]:
        """Graph collections of many parents through `$batch` (20 per batch).

        `paths` maps a parent id to its collection path. Returns parent id → items, or
        None when the parent no longer exists (404). Items throttled inside a batch are
        retried in a later batch; pages beyond the first are followed one by one.
        """
        query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
        pending = {
            pid: f"/{p.lstrip('/')}{'?' + query if query else ''}" for pid, p in paths.items()
        }
        results: dict[str, list[Json] | None] = {}
        follow: dict[str, str] = {}
        throttles = 0
        while pending:
            ids = list(pending)[:BATCH_SIZE]
            delay, retry_ids = await self._batch(ids, pending, results, follow, label)
            for pid in ids:
                if pid not in retry_ids:
                    pending.pop(pid)
            if retry_ids:
                throttles += 1
                if throttles > self._retry.throttled:
                    name = label.resource if label else "batch"
                    raise ThrottledError(name, retry_after=delay)
                self.stats.retries += 1
                await asyncio.sleep(delay)
        for pid, link in follow.items():
            items = results[pid]
            assert items is not None
            async for page in self.pages(Service.GRAPH, link, label=label):
                items.extend(page)
        return results

    async def _batch(
        self,
        ids: Sequence[str],
        pending: Mapping[str, str],
        results: dict[str, list[Json] | None],
        follow: dict[str, str],
        label: Label | None,
    ) -> tuple[float, set[str]]:
        first = pending[ids[0]]
        buckets = classify(Service.GRAPH, first.lstrip("/").split("?")[0], first)
        body = {
            "requests": [
                {"id": str(i), "method": "GET", "url": pending[pid]} for i, pid in enumerate(ids)
            ]
        }
        got = await self.request(
            "POST",
            Service.GRAPH,
            "$batch",
            body=body,
            label=label,
            buckets=buckets,
            cost=len(ids),
            idempotent=True,  # a batch of GETs
        )
        responses = got.get("responses") if isinstance(got, dict) else None
        if not isinstance(responses, list):
            return self._retry.backoff(1), set(ids)
        retry: set[str] = set(ids)
        delay = 0.0
        for item in responses:
            try:
                pid = ids[int(item.get("id"))]
            except (TypeError, ValueError, IndexError):
                continue
            status = int(item.get("status", 0))
            inner = item.get("body")
            if status == 429:
                self.stats.throttled += 1
                ra = retry_after(
                    {k.lower(): str(v) for k, v in (item.get("headers") or {}).items()}
                )
                delay = max(delay, self.scheduler.throttled(self.tenant_id, self.app, buckets, ra))
                continue
            if status in _RETRYABLE:
                delay = max(delay, self._retry.backoff(1))
                continue
            retry.discard(pid)
            if status == 404:
                results[pid] = None
                continue
            if status >= 400:
                raise map_error(status, inner, label or Label("batch"))
            parsed = _collection(inner)
            if parsed is None:
                retry.add(pid)
                continue
            results[pid] = list(parsed[0])
            if parsed[1]:
                follow[pid] = parsed[1]
        return delay, retry

    # -- Exchange Online admin API -------------------------------------------------------------

    async def invoke_exchange(
        self,
        cmdlet: str,
        parameters: Mapping[str, Any] | None = None,
        *,
        label: Label | None = None,
    ) -> list[Json]:
        """Run an Exchange Online cmdlet through the admin API; returns every result row.

        Only `Get-*` cmdlets are re-sent after an ambiguous failure; `Set-*` and the
        like change the tenant, so they are not.
        """
        body = {"CmdletInput": {"CmdletName": cmdlet, "Parameters": dict(parameters or {})}}
        label = label or Label(cmdlet, "Exchange.ManageAsApp")
        rows: list[Json] = []
        path: str | None = "InvokeCommand"
        while path is not None:
            page, path = await self.page(
                Service.EXCHANGE,
                path,
                None,
                label,
                method="POST",
                body=body,
                idempotent=cmdlet.startswith("Get-"),
            )
            rows.extend(page)
        return rows

    # -- housekeeping -----------------------------------------------------------------------------

    async def granted_roles(self, service: Service = Service.GRAPH) -> list[str]:
        """The application permissions in the app's token for `service` (its roles claim)."""
        return token_roles(await self._tokens.token(SCOPES[service]))

    async def aclose(self) -> None:
        await asyncio.to_thread(self._tokens.close)
        if self._owned_pool is not None:
            await self._owned_pool.aclose()

    async def __aenter__(self) -> TenantClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _object(got: Any, label: Label | None, path: str) -> Json:
    if not isinstance(got, dict):
        raise GraphError(f"{label.resource if label else path}: expected a JSON object")
    return got


def _collection(got: Any) -> tuple[list[Json], str | None] | None:
    """(items, nextLink) of a collection page, or None when the page is malformed."""
    if not isinstance(got, dict):
        return None
    value = got.get("value")
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return None
    link = got.get("@odata.nextLink")
    return value, link if isinstance(link, str) and link else None


def open_tenant_client(
    info: TenantInfo,
    credential: Credential,
    *,
    scheduler: Scheduler | None = None,
    pool: HttpPool | None = None,
    headers: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
) -> TenantClient:
    """A client for `info` using `credential` (the read or the response app).

    Share one `scheduler` and one `pool` across tenants so cross-tenant limits and
    connection reuse hold; without them the client makes and owns its own.
    """
    endpoints = Endpoints.for_tenant(info.tenant_id, info.endpoints)
    owned = None
    if pool is None:
        pool = owned = HttpPool()
    return TenantClient(
        tenant=info.name,
        tenant_id=info.tenant_id,
        endpoints=endpoints,
        tokens=TokenSource(info.tenant_id, endpoints, credential),
        http=pool.client(endpoints.ca_bundle),
        scheduler=scheduler or Scheduler(),
        gate=pool.gate,
        headers=headers,
        retry=retry,
        owned_pool=owned,
    )
