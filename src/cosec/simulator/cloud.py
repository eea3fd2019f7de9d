"""The simulated cloud: tenants and the app registrations consented in each.

Each tenant gets two apps, as cosec's least-privilege design asks of a real customer:
a read-only app (client secret AND a certificate) granted the read permissions cosec
uses, and a separate response app for containment actions. Knobs let tests break an app
the way real tenants break: a permission removed, consent revoked, a secret expired, the
app disabled.

The permission names are Microsoft's (copied from the documentation, not imported from
the product: the simulator imitates Microsoft and stands alone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.x509.oid import NameOID

from cosec.simulator.contract import TenantData

GRAPH = "https://graph.microsoft.com"
EXCHANGE = "https://outlook.office365.com"
DEFENDER = "https://api.securitycenter.microsoft.com"
RESOURCES = (GRAPH, EXCHANGE, DEFENDER)

READ_PERMISSIONS: tuple[str, ...] = (
    "Organization.Read.All",
    "Domain.Read.All",
    "User.Read.All",
    "GroupMember.Read.All",
    "RoleManagement.Read.Directory",
    "AuditLog.Read.All",
    "Policy.Read.All",
    "Policy.Read.DeviceConfiguration",
    "SharePointTenantSettings.Read.All",
    "IdentityRiskyUser.Read.All",
    "IdentityRiskEvent.Read.All",
    "DeviceManagementManagedDevices.Read.All",
    "DeviceManagementConfiguration.Read.All",
    "SecurityEvents.Read.All",
    "SecurityAlert.Read.All",
    "SecurityIncident.Read.All",
    "AttackSimulation.Read.All",
    "MailboxSettings.Read",
    "Exchange.ManageAsApp",
    "Machine.Read.All",
    "Vulnerability.Read.All",
)

RESPONSE_PERMISSIONS: tuple[str, ...] = (
    "User.ReadWrite.All",
    "User.RevokeSessions.All",
    "IdentityRiskyUser.ReadWrite.All",
    "MailboxSettings.ReadWrite",
    "RoleManagement.ReadWrite.Directory",
    "Machine.Isolate",
    "Exchange.ManageAsApp",
)

# Which API a permission belongs to (its roles appear only in tokens for that audience).
_EXCHANGE_PERMISSIONS = frozenset({"Exchange.ManageAsApp"})
_DEFENDER_PERMISSIONS = frozenset(
    {"Machine.Read.All", "Machine.ReadWrite.All", "Machine.Isolate", "Vulnerability.Read.All"}
)


def resource_of(permission: str) -> str:
    if permission in _EXCHANGE_PERMISSIONS:
        return EXCHANGE
    if permission in _DEFENDER_PERMISSIONS:
        return DEFENDER
    return GRAPH


@dataclass
class AppRegistration:
    """One app registration with its service principal's consent state in one tenant."""

    client_id: str
    display_name: str
    tenant_id: str
    secret: str
    certificate_pem: str  # private key + certificate, as azure-identity reads it
    public_key: RSAPublicKey
    sha1_thumbprint: bytes
    sha256_thumbprint: bytes
    permissions: set[str]
    secret_expires: dt.datetime
    # Entra directory roles of the service principal (Exchange's RBAC keys on them).
    directory_roles: set[str] = field(default_factory=set)
    consented: bool = True
    enabled: bool = True

    def roles_for(self, resource: str) -> list[str]:
        return sorted(p for p in self.permissions if resource_of(p) == resource)


@dataclass
class TenantEntry:
    data: TenantData
    read_app: AppRegistration
    response_app: AppRegistration

    @property
    def apps(self) -> tuple[AppRegistration, AppRegistration]:
        return (self.read_app, self.response_app)

    _user_count: int | None = None

    @property
    def user_count(self) -> int:
        """Tenant size for the directory limit (counted once: the size class is stable)."""
        if self._user_count is None:
            self._user_count = len(self.data.collection("users", self.data.last_day))
        return self._user_count


@dataclass
class SimCloud:
    """Tenants by id and by name, their apps, and the key that signs access tokens."""

    token_lifetime: dt.timedelta = dt.timedelta(hours=1)
    _tenants: dict[str, TenantEntry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    signing_key: RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    key_id: str = field(default_factory=lambda: secrets.token_hex(8))

    def add_tenant(self, data: TenantData) -> TenantEntry:
        with self._lock:
            if data.tenant_id in self._tenants or self.find(data.name) is not None:
                raise ValueError(f"tenant {data.name!r} ({data.tenant_id}) already added")
            entry = TenantEntry(
                data=data,
                read_app=_new_app(
                    data.tenant_id, "cosec reader", READ_PERMISSIONS, {"Global Reader"}
                ),
                response_app=_new_app(
                    data.tenant_id,
                    "cosec responder",
                    RESPONSE_PERMISSIONS,
                    {"Exchange Administrator"},
                ),
            )
            self._tenants[data.tenant_id] = entry
            return entry

    def tenants(self) -> Sequence[TenantEntry]:
        return list(self._tenants.values())

    def find(self, tenant: str) -> TenantEntry | None:
        """By tenant id, name or primary domain (the authority path segment)."""
        key = tenant.lower()
        hit = self._tenants.get(key)
        if hit is not None:
            return hit
        for entry in self._tenants.values():
            if key in (entry.data.name.lower(), entry.data.primary_domain.lower()):
                return entry
        return None

    def get(self, tenant: str) -> TenantEntry:
        entry = self.find(tenant)
        if entry is None:
            raise KeyError(f"no simulated tenant {tenant!r}")
        return entry

    def app(self, tenant: str, client_id: str) -> AppRegistration | None:
        entry = self.find(tenant)
        if entry is None:
            return None
        return next((a for a in entry.apps if a.client_id == client_id), None)

    # --- knobs for failure-path tests -------------------------------------------------

    def remove_permission(self, tenant: str, client_id: str, permission: str) -> None:
        self._app(tenant, client_id).permissions.discard(permission)

    def grant_permission(self, tenant: str, client_id: str, permission: str) -> None:
        self._app(tenant, client_id).permissions.add(permission)

    def revoke_consent(self, tenant: str, client_id: str) -> None:
        self._app(tenant, client_id).consented = False

    def disable_app(self, tenant: str, client_id: str) -> None:
        self._app(tenant, client_id).enabled = False

    def expire_secret(self, tenant: str, client_id: str) -> None:
        self._app(tenant, client_id).secret_expires = dt.datetime.now(dt.UTC) - dt.timedelta(
            seconds=1
        )

    def _app(self, tenant: str, client_id: str) -> AppRegistration:
        app = self.app(tenant, client_id)
        if app is None:
            raise KeyError(f"no app {client_id} in tenant {tenant!r}")
        return app


def _new_app(
    tenant_id: str, name: str, permissions: Sequence[str], roles: set[str]
) -> AppRegistration:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + cert.public_bytes(serialization.Encoding.PEM)
    return AppRegistration(
        client_id=str(uuid.uuid4()),
        display_name=name,
        tenant_id=tenant_id,
        secret=secrets.token_urlsafe(30),
        certificate_pem=pem.decode(),
        public_key=key.public_key(),
        sha1_thumbprint=hashlib.sha1(der).digest(),
        sha256_thumbprint=hashlib.sha256(der).digest(),
        permissions=set(permissions),
        secret_expires=now + dt.timedelta(days=730),
        directory_roles=roles,
    )
