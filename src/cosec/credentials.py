"""Tenant identity and app credentials as plain values.

Shared by the store (which persists them encrypted) and the graph client (which uses them
to obtain tokens), so neither has to import the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class Secret:
    """A secret value that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__


@dataclass(frozen=True)
class Credential:
    """A decrypted credential, held in memory only for the duration of a job."""

    client_id: str
    kind: str
    material: Secret  # the client secret, or the PEM (private key + certificate)
    thumbprint: str | None = None


@dataclass(frozen=True)
class TenantInfo:
    name: str
    tenant_id: str
    display_name: str | None
    endpoints: dict[str, str]
    created_at: datetime
    credentials: dict[str, tuple[str, str]] = field(default_factory=dict)  # purpose: (client, kind)
