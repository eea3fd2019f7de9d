"""Microsoft Defender for Endpoint API: machines, their vulnerabilities, isolation and
machine actions (`https://api.securitycenter.microsoft.com/api/...`)."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cosec.simulator.api.common import (
    ApiError,
    Caller,
    FaultMiddleware,
    RequestIdMiddleware,
    SimState,
    Throttled,
    admit,
    authenticate,
    json_response,
    origin,
    pause,
    render_error,
    simulated_day,
    throttle_headers,
)
from cosec.simulator.api.odata import QueryError, decode_token, encode_token, parse_filter
from cosec.simulator.cloud import DEFENDER
from cosec.simulator.throttle import LimitClass

MAX_TOP = 10_000
EXPORT_PAGE = 50_000  # SoftwareVulnerabilitiesByMachine's default and maximum page sizes
EXPORT_PAGE_MAX = 200_000
_AUDIENCES = (DEFENDER, DEFENDER + "/", "https://api.security.microsoft.com")
_MACHINE_FILTERABLE = frozenset(
    {
        "id",
        "computerDnsName",
        "lastSeen",
        "lastIpAddress",
        "healthStatus",
        "osPlatform",
        "onboardingStatus",
        "riskScore",
        "exposureLevel",
        "rbacGroupId",
        "aadDeviceId",
        "deviceValue",
        "version",
    }
)


def defender_app(state: SimState) -> Starlette:
    def caller_for(request: Request, *roles: str) -> Caller:
        caller = authenticate(request, state.cloud, _AUDIENCES)
        if not caller.has_any(*roles):
            raise ApiError(403, "Forbidden", "The application does not have the required role.")
        if not caller.tenant.data.licensed("mde"):
            raise ApiError(
                403,
                "Forbidden",
                "The tenant is not provisioned for Microsoft Defender for Endpoint.",
            )
        return caller

    def charge(caller: Caller) -> dict[str, str]:
        charges = state.throttler.charges(
            LimitClass.DEFENDER, caller.app.client_id, caller.tenant.data.tenant_id
        )
        return throttle_headers(admit(state, charges))

    async def reply(
        request: Request, body: Any, headers: dict[str, str], status: int = 200
    ) -> Response:
        items = len(body.get("value", [])) if isinstance(body, dict) else 1
        await pause(state, "defender", items)
        return json_response(state, "defender", request.url.path, body, status, headers)

    async def machines(request: Request) -> Response:
        try:
            caller = caller_for(request, "Machine.Read.All", "Machine.ReadWrite.All")
            day = simulated_day(request, caller.tenant)
            token = request.query_params.get("$skiptoken")
            state_ = decode_token(token) if token else {}
            flt_text = state_.get("f", request.query_params.get("$filter"))
            top_raw = state_.get("t", request.query_params.get("$top"))
            offset = int(state_.get("o", 0))
            try:
                top = int(top_raw) if top_raw is not None else MAX_TOP
            except ValueError as exc:
                raise ApiError(400, "InvalidRequestBody", f"Invalid $top '{top_raw}'.") from exc
            if not 1 <= top <= MAX_TOP:
                raise ApiError(400, "InvalidRequestBody", f"$top must be between 1 and {MAX_TOP}.")
            rows = list(caller.tenant.data.mde_machines(day))
            if flt_text:
                flt = parse_filter(flt_text)
                bad = flt.properties - _MACHINE_FILTERABLE
                if bad:
                    raise ApiError(
                        400,
                        "InvalidRequestBody",
                        f"Filtering on {sorted(bad)[0]} is not supported.",
                    )
                rows = [r for r in rows if flt.matches(r)]
            headers = charge(caller)
            base = origin(request)
            body: dict[str, Any] = {
                "@odata.context": f"{base}/api/$metadata#Machines",
                "value": rows[offset : offset + top],
            }
            if offset + top < len(rows):
                next_token = encode_token({"f": flt_text, "t": top, "o": offset + top})
                body["@odata.nextLink"] = f"{base}/api/machines?$skiptoken={next_token}"
        except QueryError as exc:
            return render_error(ApiError(400, "InvalidRequestBody", str(exc)))
        except (ApiError, Throttled) as exc:
            return render_error(exc)
        return await reply(request, body, headers)

    async def vulnerabilities(request: Request) -> Response:
        try:
            caller = caller_for(request, "Vulnerability.Read.All")
            day = simulated_day(request, caller.tenant)
            headers = charge(caller)
            rows = caller.tenant.data.mde_vulnerabilities(request.path_params["id"], day)
            if rows is None:
                raise ApiError(404, "ResourceNotFound", "Machine was not found.")
            base = origin(request)
            body = {
                "@odata.context": f"{base}/api/$metadata#Collection(Vulnerability)",
                "value": list(rows),
            }
        except (ApiError, Throttled) as exc:
            return render_error(exc)
        return await reply(request, body, headers)

    async def vulnerability_export(request: Request) -> Response:
        """GET /api/machines/SoftwareVulnerabilitiesByMachine: one row per device and CVE.

        Paged by `pageSize` (default 50,000, at most 200,000) with @odata.nextLink, as
        Microsoft documents; rows are built from each onboarded machine's open CVEs.
        """
        try:
            caller = caller_for(request, "Vulnerability.Read.All")
            day = simulated_day(request, caller.tenant)
            token = request.query_params.get("$skiptoken")
            saved = decode_token(token) if token else {}
            raw_size = saved.get("p", request.query_params.get("pageSize", EXPORT_PAGE))
            offset = int(saved.get("o", 0))
            try:
                size = int(raw_size)
            except ValueError as exc:
                raise ApiError(
                    400, "InvalidRequestBody", f"Invalid pageSize '{raw_size}'."
                ) from exc
            if not 1 <= size <= EXPORT_PAGE_MAX:
                raise ApiError(
                    400, "InvalidRequestBody", f"pageSize must be between 1 and {EXPORT_PAGE_MAX}."
                )
            headers = charge(caller)
            rows = _export_rows(caller.tenant.data, day)
            base = origin(request)
            body: dict[str, Any] = {
                "@odata.context": f"{base}/api/$metadata#Collection("
                "microsoft.windowsDefenderATP.api.AssetVulnerability)",
                "value": rows[offset : offset + size],
            }
            if offset + size < len(rows):
                next_token = encode_token({"p": size, "o": offset + size})
                body["@odata.nextLink"] = (
                    f"{base}/api/machines/SoftwareVulnerabilitiesByMachine"
                    f"?pageSize={size}&$skiptoken={next_token}"
                )
        except (ApiError, Throttled) as exc:
            return render_error(exc)
        return await reply(request, body, headers)

    async def isolate(request: Request) -> Response:
        action = request.path_params["action"]
        if action not in ("isolate", "unisolate"):
            return render_error(ApiError(404, "ResourceNotFound", f"No action '{action}'."))
        try:
            caller = caller_for(request, "Machine.Isolate")
            try:
                payload = await request.json()
                comment = str(payload["Comment"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ApiError(400, "InvalidRequestBody", "Comment is required.") from exc
            headers = charge(caller)
            try:
                result = caller.tenant.data.machine_action(
                    request.path_params["id"], action, comment
                )
            except KeyError as exc:
                raise ApiError(404, "ResourceNotFound", "Machine was not found.") from exc
            base = origin(request)
            body = {"@odata.context": f"{base}/api/$metadata#MachineActions/$entity", **result}
        except (ApiError, Throttled) as exc:
            return render_error(exc)
        return await reply(request, body, headers, status=201)

    async def machine_action(request: Request) -> Response:
        try:
            caller = caller_for(
                request, "Machine.Read.All", "Machine.ReadWrite.All", "Machine.Isolate"
            )
            headers = charge(caller)
            wanted = request.path_params["id"]
            found = next(
                (a for a in caller.tenant.data.machine_actions() if a.get("id") == wanted), None
            )
            if found is None:
                raise ApiError(404, "ResourceNotFound", "Machine action was not found.")
            base = origin(request)
            body = {"@odata.context": f"{base}/api/$metadata#MachineActions/$entity", **found}
        except (ApiError, Throttled) as exc:
            return render_error(exc)
        return await reply(request, body, headers)

    app = Starlette(
        routes=[
            Route("/machines", machines),
            Route("/machines/SoftwareVulnerabilitiesByMachine", vulnerability_export),
            Route("/machines/{id}/vulnerabilities", vulnerabilities),
            Route("/machines/{id}/{action:str}", isolate, methods=["POST"]),
            Route("/machineactions/{id}", machine_action),
        ]
    )
    app.add_middleware(FaultMiddleware, faults=state.faults)
    app.add_middleware(RequestIdMiddleware)
    return app


def _export_rows(data: Any, day: Any) -> list[dict[str, Any]]:
    """The export's rows (documented property names) for every onboarded machine."""
    rows: list[dict[str, Any]] = []
    end = f"{day.isoformat()} 23:00:00"
    for machine in data.mde_machines(day):
        for v in data.mde_vulnerabilities(machine["id"], day) or ():
            first = str(v.get("firstSeen") or v.get("publishedOn") or "")
            rows.append(
                {
                    "id": f"{machine['id']}_{v['id']}",
                    "deviceId": machine["id"],
                    "deviceName": machine.get("computerDnsName"),
                    "osPlatform": machine.get("osPlatform"),
                    "osVersion": machine.get("osVersion"),
                    "cveId": v["id"],
                    "vulnerabilitySeverityLevel": v.get("severity"),
                    "cvssScore": str(v.get("cvssV3")),
                    "exploitabilityLevel": (
                        "ExploitIsPublic" if v.get("publicExploit") else "NoExploit"
                    ),
                    "firstSeenTimestamp": first[:19].replace("T", " "),
                    "lastSeenTimestamp": end,
                    "securityUpdateAvailable": True,
                    "diskPaths": [],
                    "registryPaths": [],
                }
            )
    return rows
