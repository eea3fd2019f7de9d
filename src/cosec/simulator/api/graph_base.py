"""What the Graph v1.0 handlers share: the call and result records, Graph's error
answers, the permission and licence check, and the simulated day of a call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cosec.simulator.api.common import ApiError, Caller, day_from_header
from cosec.simulator.api.graph_specs import EndpointSpec
from cosec.simulator.throttle import LimitClass

USER_DEFAULT_PROPERTIES = (
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
)


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # relative to /v1.0, without leading slash
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: Any
    base: str  # e.g. https://localhost:8443/v1.0


@dataclass
class Result:
    status: int
    body: Any = None  # JSON value, str (text/plain) or None (no content)
    headers: dict[str, str] = field(default_factory=dict)
    items: int = 0


def licence_error(feature: str) -> ApiError:
    if feature == "entra_p1":
        return ApiError(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
        )
    if feature == "entra_p2":
        return ApiError(403, "Forbidden", "Your tenant is not licensed for this feature.")
    if feature == "intune":
        return ApiError(400, "BadRequest", "Request not applicable to target tenant.")
    if feature == "exchange":
        return ApiError(
            404,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        )
    return ApiError(
        403, "Forbidden", "The tenant does not have a valid license for this operation."
    )


def denied() -> ApiError:
    return ApiError(
        403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
    )


def not_found(resource: str) -> ApiError:
    return ApiError(
        404,
        "Request_ResourceNotFound",
        f"Resource '{resource}' does not exist or one of its queried reference-property "
        "objects are not present.",
    )


def unsupported(message: str) -> ApiError:
    return ApiError(400, "Request_UnsupportedQuery", message)


# Charges the throttler for one request of a limit class; returns the headers to send.
Charger = Callable[[LimitClass, Caller], dict[str, str]]


def authorise(spec: EndpointSpec, caller: Caller) -> None:
    if not caller.has_any(*spec.roles):
        raise denied()
    if spec.feature is not None and not caller.tenant.data.licensed(spec.feature):
        raise licence_error(spec.feature)


def day_of(caller: Caller, call: Call) -> dt.date:
    return day_from_header(call.headers.get("x-cosec-simulator-day"), caller.tenant.data)


def context(call: Call, path: str) -> str:
    return f"{call.base}/$metadata#{path}"


def user_id(caller: Caller, id_or_upn: str) -> str:
    wanted = id_or_upn.lower()
    for u in caller.tenant.data.collection("users", caller.tenant.data.last_day):
        if str(u.get("userPrincipalName", "")).lower() == wanted:
            return str(u["id"])
    return id_or_upn
