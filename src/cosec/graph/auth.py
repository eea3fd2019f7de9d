"""App-only tokens through azure-identity, one credential and token cache per audience.

azure-identity's synchronous credentials are called in a worker thread so the event
loop never blocks on the token endpoint; the token is then reused until five minutes
before it expires. No OAuth is written by hand here.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import dataclass
from typing import Any, Protocol

from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError
from azure.identity import CertificateCredential, ClientSecretCredential

from cosec.credentials import Credential
from cosec.errors import CredentialError, TenantUnreachableError
from cosec.graph.endpoints import Endpoints

REFRESH_MARGIN_S = 300.0

# Microsoft Entra error codes that mean the credential itself is wrong or unusable.
_AADSTS_REASONS = {
    "AADSTS7000215": "the client secret is wrong",
    "AADSTS7000222": "the client secret has expired",
    "AADSTS700027": "the certificate is not registered on the app or has expired",
    "AADSTS700016": "the app is not found in the tenant (wrong client id or consent removed)",
    "AADSTS90002": "the tenant id is not found",
    "AADSTS65001": "admin consent has not been granted or was revoked",
    "AADSTS7000112": "the app is disabled",
}


def credential_failure(detail: str) -> str:
    """A plain-language reason for a token failure, from the AADSTS code in `detail`."""
    for code, reason in _AADSTS_REASONS.items():
        if code in detail:
            return f"{reason} ({code})"
    first = detail.strip().splitlines()[0] if detail.strip() else "no detail"
    return f"the token request was refused: {first[:200]}"


@dataclass
class _Cached:
    token: str
    expires_on: float


class Tokens(Protocol):
    """What the client needs from a token source."""

    @property
    def client_id(self) -> str: ...

    async def token(self, scope: str) -> str: ...

    def invalidate(self, scope: str) -> None: ...

    def close(self) -> None: ...


class TokenSource:
    """Tokens for one tenant and one app registration, per audience (scope)."""

    def __init__(self, tenant_id: str, endpoints: Endpoints, credential: Credential) -> None:
        self._tenant_id = tenant_id
        self._endpoints = endpoints
        self._credential = credential
        self._clients: dict[str, Any] = {}
        self._cache: dict[str, _Cached] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def client_id(self) -> str:
        return self._credential.client_id

    def _azure_credential(self, scope: str) -> Any:
        found = self._clients.get(scope)
        if found is not None:
            return found
        options: dict[str, Any] = {}
        if self._endpoints.login:
            options["authority"] = self._endpoints.login
        if self._endpoints.custom:
            options["disable_instance_discovery"] = True
        if self._endpoints.ca_bundle:
            options["connection_verify"] = self._endpoints.ca_bundle
        cred = self._credential
        made: Any
        if cred.kind == "certificate":
            made = CertificateCredential(
                self._tenant_id,
                cred.client_id,
                certificate_data=cred.material.reveal().encode(),
                **options,
            )
        else:
            made = ClientSecretCredential(
                self._tenant_id, cred.client_id, cred.material.reveal(), **options
            )
        self._clients[scope] = made
        return made

    def _fetch(self, scope: str) -> _Cached:
        try:
            got = self._azure_credential(scope).get_token(scope)
        except ClientAuthenticationError as exc:
            raise CredentialError(
                f"cannot get a token for {scope}: {credential_failure(str(exc.message or exc))}"
            ) from None
        except ServiceRequestError as exc:
            raise TenantUnreachableError("token", detail=str(exc)[:200]) from None
        except ValueError as exc:  # malformed certificate material
            raise CredentialError(f"the stored credential cannot be used: {exc}") from None
        return _Cached(got.token, float(got.expires_on))

    async def token(self, scope: str) -> str:
        cached = self._cache.get(scope)
        if cached is not None and cached.expires_on - REFRESH_MARGIN_S > time.time():
            return cached.token
        lock = self._locks.setdefault(scope, asyncio.Lock())
        async with lock:
            cached = self._cache.get(scope)
            if cached is None or cached.expires_on - REFRESH_MARGIN_S <= time.time():
                cached = await asyncio.to_thread(self._fetch, scope)
                self._cache[scope] = cached
            return cached.token

    def invalidate(self, scope: str) -> None:
        """Forget a token the service rejected, so the next call fetches a fresh one."""
        self._cache.pop(scope, None)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


def token_roles(token: str) -> list[str]:
    """The application permissions (`roles` claim) in an access token, without verifying it.

    Only used to show an operator what was granted; authorisation is Microsoft's job.
    """
    parts = token.split(".")
    if len(parts) < 2:
        return []
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, json.JSONDecodeError):
        return []
    roles = claims.get("roles") if isinstance(claims, dict) else None
    return sorted(str(r) for r in roles) if isinstance(roles, list) else []
