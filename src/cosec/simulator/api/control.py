"""Simulator-only control API under /_simulator/ (not part of any Microsoft API).

`GET health` is open; everything else needs `Authorization: Bearer <control token>`
(a random token printed when the simulator starts): list tenants, apply an
administrative change now (the demo's "someone changed something unapproved"), break
an app registration (permission, consent, secret), and set fault injection for the rest
of the run.
"""

from __future__ import annotations

import hmac
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cosec.simulator.api.common import SimState
from cosec.simulator.faults import FaultSettings

_KNOBS = frozenset(
    {"remove_permission", "grant_permission", "revoke_consent", "disable", "expire_secret"}
)


def control_app(state: SimState) -> Starlette:
    def allowed(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        presented = header[7:] if header.lower().startswith("bearer ") else ""
        return hmac.compare_digest(presented.encode(), state.control_token.encode())

    def refused() -> Response:
        return JSONResponse({"error": "a valid control token is required"}, status_code=401)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "tenants": len(state.cloud.tenants())})

    async def tenants(request: Request) -> Response:
        if not allowed(request):
            return refused()
        return JSONResponse(
            [
                {
                    "name": t.data.name,
                    "tenant_id": t.data.tenant_id,
                    "primary_domain": t.data.primary_domain,
                    "first_day": t.data.first_day.isoformat(),
                    "last_day": t.data.last_day.isoformat(),
                }
                for t in state.cloud.tenants()
            ]
        )

    async def change(request: Request) -> Response:
        if not allowed(request):
            return refused()
        entry = state.cloud.find(request.path_params["name"])
        if entry is None:
            return JSONResponse({"error": "no such tenant"}, status_code=404)
        try:
            body: Any = await request.json()
            kind, object_id = str(body["kind"]), str(body["object_id"])
            patch, actor = body.get("patch") or {}, str(body["actor"])
            if not isinstance(patch, dict):
                raise TypeError("patch must be an object")
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse(
                {"error": f"body must be {{kind, object_id, patch, actor}}: {exc}"},
                status_code=400,
            )
        try:
            result = entry.data.change(kind, object_id, patch, actor)
        except KeyError as exc:
            return JSONResponse({"error": f"not found: {exc}"}, status_code=404)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(result)

    async def app_knobs(request: Request) -> Response:
        """Break an app the way real tenants break: {"remove_permission": name,
        "grant_permission": name, "revoke_consent": true, "disable": true,
        "expire_secret": true} (any subset)."""
        if not allowed(request):
            return refused()
        tenant, client_id = request.path_params["name"], request.path_params["client_id"]
        if state.cloud.app(tenant, client_id) is None:
            return JSONResponse({"error": "no such tenant or app"}, status_code=404)
        try:
            body: Any = await request.json()
            if not isinstance(body, dict) or not body or set(body) - _KNOBS:
                raise ValueError(f"body must set some of {sorted(_KNOBS)}")
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        cloud = state.cloud
        if "remove_permission" in body:
            cloud.remove_permission(tenant, client_id, str(body["remove_permission"]))
        if "grant_permission" in body:
            cloud.grant_permission(tenant, client_id, str(body["grant_permission"]))
        if body.get("revoke_consent"):
            cloud.revoke_consent(tenant, client_id)
        if body.get("disable"):
            cloud.disable_app(tenant, client_id)
        if body.get("expire_secret"):
            cloud.expire_secret(tenant, client_id)
        app = cloud.app(tenant, client_id)
        assert app is not None
        return JSONResponse(
            {
                "client_id": app.client_id,
                "permissions": sorted(app.permissions),
                "consented": app.consented,
                "enabled": app.enabled,
                "secret_expires": app.secret_expires.isoformat(),
            }
        )

    async def faults(request: Request) -> Response:
        if not allowed(request):
            return refused()
        try:
            body: Any = await request.json()
            settings = FaultSettings(
                seed=int(body.get("seed", 0)),
                server_error_rate=float(body.get("server_error_rate", 0)),
                reset_rate=float(body.get("reset_rate", 0)),
                malformed_rate=float(body.get("malformed_rate", 0)),
            )
        except (ValueError, TypeError, AttributeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        state.faults.configure(settings)
        return JSONResponse({"faults": settings.__dict__})

    return Starlette(
        routes=[
            Route("/health", health),
            Route("/tenants", tenants),
            Route("/tenants/{name}/changes", change, methods=["POST"]),
            Route("/tenants/{name}/apps/{client_id}", app_knobs, methods=["POST"]),
            Route("/faults", faults, methods=["POST"]),
        ]
    )
