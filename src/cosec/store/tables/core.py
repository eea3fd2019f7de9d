"""Tenants and their credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cosec.store.base import Base, JsonType, UtcDateTime


class TenantRow(Base):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    # Service base URLs and CA bundle; empty means Microsoft's global cloud.
    endpoints: Mapped[dict[str, str]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    credentials: Mapped[list[CredentialRow]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", lazy="selectin"
    )


class CredentialRow(Base):
    """An app registration's credential. The secret material is Fernet ciphertext only."""

    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("tenant_pk", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_pk: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(16))  # read | response
    client_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # secret | certificate
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    thumbprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    tenant: Mapped[TenantRow] = relationship(back_populates="credentials")
