"""Turning Microsoft's error responses into cosec's typed errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from cosec.errors import (
    CosecError,
    CredentialError,
    GraphError,
    LicenceMissingError,
    PermissionMissingError,
)


@dataclass(frozen=True)
class Label:
    """What a request reads, so an error can name the permission or licence it lacks."""

    resource: str
    permission: str | None = None
    licence: str | None = None


# Error codes and message fragments Microsoft uses when a feature is not licensed.
_LICENCE_CODES = {
    "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
    "Authentication_MSGraphPermissionMissing_NonPremium",
    "NonPremiumTenant",
}
_LICENCE_WORDS = ("licen", "premium", "not provisioned", "subscription")


def error_detail(body: Any) -> tuple[str, str]:
    """(code, message) from a Graph/Defender/Exchange error body, or empty strings."""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return str(err.get("code") or ""), str(err.get("message") or "")
        if isinstance(err, str):
            return err, str(body.get("error_description") or body.get("message") or "")
        return str(body.get("code") or ""), str(body.get("message") or "")
    return "", ""


def parse_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def map_error(status: int, body: Any, label: Label) -> CosecError:
    """The typed error for a final (non-retryable) error response."""
    code, message = error_detail(body)
    detail = f"{code}: {message}".strip(": ")[:300]
    if status == 401:
        return CredentialError(
            f"{label.resource}: Microsoft rejected the app's token ({detail or 'HTTP 401'}); "
            "admin consent may have been revoked or the app disabled"
        )
    if status == 403:
        text = f"{code} {message}".lower()
        if code in _LICENCE_CODES or any(w in text for w in _LICENCE_WORDS):
            return LicenceMissingError(label.resource, label.licence or "required", detail=detail)
        return PermissionMissingError(
            label.resource, label.permission or "(see detail)", detail=detail
        )
    return GraphError(
        f"{label.resource}: HTTP {status}{f' ({detail})' if detail else ''}",
        status=status,
        code=code or None,
    )


def retry_after(headers: httpx.Headers | dict[str, str]) -> float | None:
    """Seconds from a Retry-After header (Microsoft sends fractions such as 2.128)."""
    value = headers.get("retry-after") or headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def throttle_percentage(headers: httpx.Headers) -> float | None:
    value = headers.get("x-ms-throttle-limit-percentage")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
