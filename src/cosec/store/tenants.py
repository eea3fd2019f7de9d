"""Tenants and their encrypted credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cosec.credentials import Credential, TenantInfo
from cosec.errors import ConfigError, NotFoundError
from cosec.store.secrets import SecretBox
from cosec.store.tables.core import CredentialRow, TenantRow

PURPOSES = ("read", "response")
KINDS = ("secret", "certificate")


def _info(row: TenantRow) -> TenantInfo:
    return TenantInfo(
        name=row.name,
        tenant_id=row.tenant_id,
        display_name=row.display_name,
        endpoints=dict(row.endpoints or {}),
        created_at=row.created_at,
        credentials={c.purpose: (c.client_id, c.kind) for c in row.credentials},
    )


def _row(session: Session, name: str) -> TenantRow:
    row = session.scalar(select(TenantRow).where(TenantRow.name == name))
    if row is None:
        known = ", ".join(session.scalars(select(TenantRow.name).order_by(TenantRow.name)))
        raise NotFoundError(
            f"no tenant named {name!r}",
            hint=f"Known tenants: {known or 'none'}; add one with `cosec tenant add`.",
        )
    return row


def add_tenant(
    session: Session,
    *,
    name: str,
    tenant_id: str,
    display_name: str | None,
    endpoints: dict[str, str],
    now: datetime,
) -> TenantInfo:
    row = TenantRow(
        name=name,
        tenant_id=tenant_id,
        display_name=display_name,
        endpoints=endpoints,
        created_at=now,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ConfigError(f"a tenant named {name!r} already exists") from None
    return _info(row)


def set_credential(
    session: Session,
    box: SecretBox,
    *,
    tenant: str,
    purpose: str,
    client_id: str,
    kind: str,
    material: str,
    thumbprint: str | None,
    now: datetime,
) -> None:
    if purpose not in PURPOSES or kind not in KINDS:
        raise ConfigError(f"credential purpose/kind must be {PURPOSES}/{KINDS}")
    row = _row(session, tenant)
    for existing in list(row.credentials):
        if existing.purpose == purpose:
            row.credentials.remove(existing)
    session.flush()
    row.credentials.append(
        CredentialRow(
            purpose=purpose,
            client_id=client_id,
            kind=kind,
            ciphertext=box.encrypt(material),
            thumbprint=thumbprint,
            created_at=now,
        )
    )
    session.flush()


def get_tenant(session: Session, name: str) -> TenantInfo:
    return _info(_row(session, name))


def list_tenants(session: Session) -> list[TenantInfo]:
    return [_info(r) for r in session.scalars(select(TenantRow).order_by(TenantRow.name))]


def remove_tenant(session: Session, name: str) -> TenantInfo:
    row = _row(session, name)
    info = _info(row)
    session.delete(row)
    session.flush()
    return info


def credential(session: Session, box: SecretBox, tenant: str, purpose: str = "read") -> Credential:
    row = _row(session, tenant)
    for c in row.credentials:
        if c.purpose == purpose:
            return Credential(c.client_id, c.kind, box.decrypt(c.ciphertext), c.thumbprint)
    raise NotFoundError(
        f"tenant {tenant!r} has no {purpose} credential",
        hint="Add it with `cosec tenant add`"
        + (" --response-client-id …" if purpose == "response" else "")
        + ".",
    )
