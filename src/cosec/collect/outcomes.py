"""Turning a failed read into the ResourceOutcome a snapshot records for it."""

from __future__ import annotations

from cosec.errors import (
    CosecError,
    GraphError,
    LicenceMissingError,
    PermissionMissingError,
    TenantUnreachableError,
    ThrottledError,
)
from cosec.model.resources import Licence
from cosec.model.snapshot import Outcome, ResourceOutcome


def unlicensed(key: str, licence: Licence) -> ResourceOutcome:
    return ResourceOutcome(
        key,
        Outcome.NOT_ASSESSED,
        f"the tenant has no {licence.value} licence (not read)",
        licence=licence.value,
    )


def failed(key: str, exc: CosecError, licence: Licence | None) -> ResourceOutcome:
    """not_assessed for a named permission, licence or unreachable/throttled service;
    error for anything else (a malformed answer, an unexpected status)."""
    if isinstance(exc, LicenceMissingError):
        named = licence.value if licence is not None else exc.licence
        return ResourceOutcome(key, Outcome.NOT_ASSESSED, exc.message, licence=named)
    if isinstance(exc, PermissionMissingError):
        return ResourceOutcome(key, Outcome.NOT_ASSESSED, exc.message, permission=exc.permission)
    if isinstance(exc, ThrottledError | TenantUnreachableError):
        return ResourceOutcome(key, Outcome.NOT_ASSESSED, exc.message)
    if isinstance(exc, GraphError):
        return ResourceOutcome(key, Outcome.ERROR, exc.message)
    return ResourceOutcome(key, Outcome.ERROR, str(exc))
