"""The Exchange Online admin API: `POST /adminapi/beta/{tenantId}/InvokeCommand`.

Cmdlet output comes back as `{"@odata.context", "value": [...]}` in PowerShell's
PascalCase shapes, paged with @odata.nextLink (POST the same body to it). Reading needs
the Exchange.ManageAsApp role plus a directory role (Global Reader suffices); Set-Mailbox
needs Exchange Administrator. Cmdlets of Defender for Office 365 do not exist in tenants
without it, as in real PowerShell sessions.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cosec.simulator.api.common import (
    ApiError,
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
from cosec.simulator.api.odata import decode_token, encode_token
from cosec.simulator.cloud import EXCHANGE
from cosec.simulator.contract import EXCHANGE_CMDLETS
from cosec.simulator.throttle import LimitClass

PAGE_SIZE = 1000
_MDO_CMDLETS = frozenset(
    {"Get-SafeLinksPolicy", "Get-SafeAttachmentPolicy", "Get-ATPProtectionPolicyRule"}
)
_READ_ROLES = frozenset({"Global Reader", "Exchange Administrator", "Global Administrator"})
_WRITE_ROLES = frozenset({"Exchange Administrator", "Global Administrator"})


def exchange_app(state: SimState) -> Starlette:
    async def invoke(request: Request) -> Response:
        try:
            caller = authenticate(request, state.cloud, (EXCHANGE, EXCHANGE + "/"))
            if request.path_params["tenant"].lower() not in (
                caller.tenant.data.tenant_id.lower(),
                caller.tenant.data.primary_domain.lower(),
            ):
                raise ApiError(401, "Unauthorized", "The token's tenant does not match the URL.")
            if "Exchange.ManageAsApp" not in caller.roles or not (
                caller.app.directory_roles & _READ_ROLES
            ):
                raise ApiError(
                    403, "Forbidden", "Access is denied. Check credentials and try again."
                )
            if not caller.tenant.data.licensed("exchange"):
                raise ApiError(403, "Forbidden", "The tenant has no Exchange Online licence.")
            day = simulated_day(request, caller.tenant)
            try:
                payload = await request.json()
                cmdlet_input = payload["CmdletInput"]
                name = str(cmdlet_input["CmdletName"])
                params: dict[str, Any] = dict(cmdlet_input.get("Parameters") or {})
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise ApiError(
                    400, "BadRequest", 'The request body must be {"CmdletInput": {...}}.'
                ) from exc
            unknown = name not in EXCHANGE_CMDLETS and name != "Set-Mailbox"
            if unknown or (name in _MDO_CMDLETS and not caller.tenant.data.licensed("mdo_p1")):
                raise ApiError(
                    400,
                    "BadRequest",
                    f"The term '{name}' is not recognized as the name of a cmdlet, function, "
                    "script file, or operable program.",
                )
            decision = admit(
                state,
                state.throttler.charges(
                    LimitClass.EXCHANGE, caller.app.client_id, caller.tenant.data.tenant_id
                ),
            )
            base = origin(request)
            tid = caller.tenant.data.tenant_id
            context = f"{base}/adminapi/beta/{tid}/$metadata#Collection(Exchange.GenericHashTable)"
            if name == "Set-Mailbox":
                rows = _set_mailbox(caller.app.directory_roles, caller.tenant.data, params)
            else:
                try:
                    rows = list(caller.tenant.data.exchange(name, params, day))
                except KeyError as exc:
                    raise ApiError(
                        404,
                        "NotFound",
                        f"The operation couldn't be performed because object {exc} couldn't "
                        "be found.",
                    ) from exc
            token = request.query_params.get("$skiptoken")
            offset = int(decode_token(token).get("o", 0)) if token else 0
            page = rows[offset : offset + PAGE_SIZE]
            body: dict[str, Any] = {"@odata.context": context, "value": page}
            if offset + PAGE_SIZE < len(rows):
                body["@odata.nextLink"] = (
                    f"{base}/adminapi/beta/{tid}/InvokeCommand?$skiptoken="
                    f"{encode_token({'o': offset + PAGE_SIZE})}"
                )
        except (ApiError, Throttled) as exc:
            return render_error(exc)
        await pause(state, "exchange", len(page))
        return json_response(state, "exchange", name, body, headers=throttle_headers(decision))

    app = Starlette(routes=[Route("/{tenant}/InvokeCommand", invoke, methods=["POST"])])
    app.add_middleware(FaultMiddleware, faults=state.faults)
    app.add_middleware(RequestIdMiddleware)
    return app


def _set_mailbox(roles: set[str], data: Any, params: dict[str, Any]) -> list[Any]:
    if not roles & _WRITE_ROLES:
        raise ApiError(
            403,
            "Forbidden",
            "The caller does not have the Exchange Administrator role needed for Set-Mailbox.",
        )
    if set(params) != {"Identity", "ForwardingSmtpAddress"}:
        raise ApiError(
            400,
            "BadRequest",
            "The simulator's Set-Mailbox takes exactly Identity and ForwardingSmtpAddress.",
        )
    address = params["ForwardingSmtpAddress"]
    try:
        data.set_mailbox_forwarding(str(params["Identity"]), address)
    except KeyError as exc:
        raise ApiError(
            404,
            "NotFound",
            f"The operation couldn't be performed because object '{params['Identity']}' "
            "couldn't be found.",
        ) from exc
    return []
