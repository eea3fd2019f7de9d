"""What every simulated API shares: state, Microsoft-shaped errors, bearer-token checks,
the simulated-day header, throttling answers and the fault middleware."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cosec.simulator.api.tokens import TokenError, verify
from cosec.simulator.cloud import AppRegistration, SimCloud, TenantEntry
from cosec.simulator.contract import TenantData
from cosec.simulator.faults import Fault, FaultInjector, LatencyModel
from cosec.simulator.throttle import Charge, Decision, Throttler

Json = dict[str, Any]
DAY_HEADER = "X-Cosec-Simulator-Day"
ResponseHook = Callable[[str, str, int, Any], None]


@dataclass
class SimState:
    cloud: SimCloud
    throttler: Throttler = field(default_factory=Throttler)
    faults: FaultInjector = field(default_factory=FaultInjector)
    latency: LatencyModel = field(default_factory=lambda: LatencyModel("none"))
    control_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    # Called with (service, path, status, body) for every JSON body a data API serves.
    on_response: ResponseHook | None = None


class ApiError(Exception):
    """Raised inside handlers; rendered in the API's own error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def origin(request: Request) -> str:
    """scheme://host:port of the request (mounted apps add their own prefix)."""
    return f"{request.url.scheme}://{request.url.netloc}"


def graph_error_body(code: str, message: str, request_id: str | None = None) -> Json:
    rid = request_id or str(uuid.uuid4())
    return {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "request-id": rid,
                "client-request-id": rid,
            },
        }
    }


def throttled_body() -> Json:
    """The 429 body Graph documents (innerError code/status as strings)."""
    rid = str(uuid.uuid4())
    return {
        "error": {
            "code": "TooManyRequests",
            "innerError": {
                "code": "429",
                "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "message": "Please retry after",
                "request-id": rid,
                "status": "429",
            },
            "message": "Please retry again later.",
        }
    }


@dataclass(frozen=True)
class Caller:
    tenant: TenantEntry
    app: AppRegistration
    roles: frozenset[str]

    def has_any(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)


def authenticate(request: Request, cloud: SimCloud, audiences: tuple[str, ...]) -> Caller:
    """The caller of a data API from its bearer token (Graph's 401 bodies otherwise)."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer ") or not header[7:].strip():
        raise ApiError(401, "InvalidAuthenticationToken", "Access token is empty.")
    try:
        claims = verify(header[7:].strip(), cloud.signing_key.public_key())
    except TokenError as exc:
        raise ApiError(
            401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed."
        ) from exc
    now = time.time()
    if float(claims.get("exp", 0)) <= now or float(claims.get("nbf", 0)) > now + 300:
        raise ApiError(
            401,
            "InvalidAuthenticationToken",
            "Lifetime validation failed, the token is expired.",
        )
    if claims.get("aud") not in audiences:
        raise ApiError(401, "InvalidAuthenticationToken", "Invalid audience.")
    tenant = cloud.find(str(claims.get("tid", "")))
    app = cloud.app(str(claims.get("tid", "")), str(claims.get("appid", "")))
    if tenant is None or app is None:
        raise ApiError(401, "InvalidAuthenticationToken", "Invalid tenant or application.")
    roles = claims.get("roles") or []
    return Caller(tenant=tenant, app=app, roles=frozenset(str(r) for r in roles))


def simulated_day(request: Request, tenant: TenantEntry) -> dt.date:
    return day_from_header(request.headers.get(DAY_HEADER), tenant.data)


def day_from_header(raw: str | None, data: TenantData) -> dt.date:
    """The simulated day to serve (X-Cosec-Simulator-Day; default the tenant's last day)."""
    if raw is None:
        return data.last_day
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ApiError(400, "BadRequest", f"{DAY_HEADER} must be YYYY-MM-DD.") from exc
    if not data.first_day <= day <= data.last_day:
        raise ApiError(
            400,
            "BadRequest",
            f"{DAY_HEADER} must be within {data.first_day} .. {data.last_day}.",
        )
    return day


def admit(state: SimState, charges: list[Charge]) -> Decision:
    decision = state.throttler.admit(charges)
    if not decision.allowed:
        headers = {}
        if decision.retry_after is not None:
            ra = decision.retry_after
            headers["Retry-After"] = str(int(ra)) if ra == int(ra) else f"{ra:.3f}"
        raise Throttled(headers)
    return decision


class Throttled(Exception):
    """A request refused by the throttler; `headers` holds Retry-After when sent."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("throttled")
        self.headers = headers


def throttle_headers(decision: Decision) -> dict[str, str]:
    """Graph sends x-ms-throttle-limit-percentage only above 0.8 of a limit, as the
    fraction used (0.8 to 1.8), not a percentage."""
    if decision.usage_percent > 80:
        return {"x-ms-throttle-limit-percentage": f"{decision.usage_percent / 100:.2f}"}
    return {}


async def pause(state: SimState, service: str, items: int) -> None:
    delay = state.latency.delay(service, items)
    if delay > 0:
        await asyncio.sleep(delay)


def json_response(
    state: SimState,
    service: str,
    path: str,
    body: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    if state.on_response is not None:
        state.on_response(service, path, status, body)
    return JSONResponse(body, status_code=status, headers=headers)


def render_error(exc: Exception) -> Response:
    """Graph-shaped error response for ApiError / throttling."""
    if isinstance(exc, Throttled):
        return JSONResponse(throttled_body(), status_code=429, headers=exc.headers)
    assert isinstance(exc, ApiError)
    return JSONResponse(
        graph_error_body(exc.code, exc.message), status_code=exc.status, headers=exc.headers
    )


class RequestIdMiddleware:
    """Graph's correlation headers: a fresh `request-id` on every answer and the caller's
    `client-request-id` echoed (or the request id when the caller sent none)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4()).encode()
        client_id = next(
            (v for k, v in scope.get("headers", []) if k.lower() == b"client-request-id"),
            request_id,
        )

        async def with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [
                    *message.get("headers", []),
                    (b"request-id", request_id),
                    (b"client-request-id", client_id),
                ]
            await send(message)

        await self.app(scope, receive, with_ids)


class FaultMiddleware:
    """Injects the drawn fault into a data API response (see cosec.simulator.faults)."""

    def __init__(self, app: ASGIApp, faults: FaultInjector) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fault = self.faults.draw()
        if fault is Fault.SERVER_ERROR:
            status = self.faults.status()
            body = json.dumps(
                graph_error_body("serviceNotAvailable", "The service is temporarily unavailable.")
                if status == 503
                else graph_error_body("generalException", "An internal server error occurred.")
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if fault is Fault.CONNECTION_RESET:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"4096"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b'{"value":[', "more_body": True})
            raise ConnectionResetError("simulated connection reset")
        if fault is Fault.MALFORMED:
            await self.app(scope, receive, _truncating(send))
            return
        await self.app(scope, receive, send)


def _truncating(send: Send) -> Send:
    """Wrap `send` so the JSON body is cut in half (with a matching Content-Length)."""
    start: list[Message] = []
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.append(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        cut = body[: max(len(body) // 2, 1)]
        head = dict(start[0])
        head["headers"] = [
            (k, v) for k, v in start[0].get("headers", []) if k.lower() != b"content-length"
        ] + [(b"content-length", str(len(cut)).encode())]
        await send(head)
        await send({"type": "http.response.body", "body": cut})

    return wrapped
