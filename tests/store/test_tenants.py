from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import structlog
from cryptography.fernet import Fernet
from sqlalchemy import text

from cosec.errors import ConfigError, CredentialError, NotFoundError
from cosec.logging import configure_logging
from cosec.store import tenants as repo
from cosec.store.engine import Store
from cosec.store.secrets import SecretBox

NOW = datetime(2026, 11, 1, tzinfo=UTC)
PLAINTEXT = "s3cr3t-Value~with.chars_123"


def _add(store: Store, box: SecretBox) -> None:
    with store.session() as s:
        repo.add_tenant(
            s, name="contoso", tenant_id="tid", display_name="Contoso", endpoints={}, now=NOW
        )
        repo.set_credential(
            s,
            box,
            tenant="contoso",
            purpose="read",
            client_id="cid",
            kind="secret",
            material=PLAINTEXT,
            thumbprint=None,
            now=NOW,
        )


def test_credentials_round_trip_encrypted(store: Store) -> None:
    box = SecretBox(Fernet.generate_key())
    _add(store, box)
    with store.session() as s:
        cred = repo.credential(s, box, "contoso")
        assert cred.material.reveal() == PLAINTEXT
        assert PLAINTEXT not in repr(cred)
        dump = " ".join(str(row) for row in s.execute(text("SELECT * FROM credentials")).all())
    assert PLAINTEXT not in dump
    assert PLAINTEXT.encode().hex() not in dump


def test_secret_never_logged(store: Store) -> None:
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    box = SecretBox(Fernet.generate_key())
    _add(store, box)
    with store.session() as s:
        cred = repo.credential(s, box, "contoso")
    log = structlog.get_logger("t")
    log.info("loaded credential", credential=cred, client_secret=cred.material.reveal())
    log.info("material", value=cred.material)
    assert PLAINTEXT not in stream.getvalue()
    assert "redacted" in stream.getvalue()


def test_wrong_key_is_a_clear_error(store: Store) -> None:
    _add(store, SecretBox(Fernet.generate_key()))
    with store.session() as s, pytest.raises(CredentialError, match="cannot be decrypted"):
        repo.credential(s, SecretBox(Fernet.generate_key()), "contoso")


def test_duplicate_and_missing(store: Store) -> None:
    box = SecretBox(Fernet.generate_key())
    _add(store, box)
    with pytest.raises(ConfigError, match="already exists"), store.session() as s:
        repo.add_tenant(s, name="contoso", tenant_id="x", display_name=None, endpoints={}, now=NOW)
    with store.session() as s:
        assert [t.name for t in repo.list_tenants(s)] == ["contoso"]
        with pytest.raises(NotFoundError, match="no tenant named 'nope'"):
            repo.get_tenant(s, "nope")
        with pytest.raises(NotFoundError, match="no response credential"):
            repo.credential(s, box, "contoso", "response")
    with store.session() as s:
        repo.remove_tenant(s, "contoso")
    with store.session() as s:
        assert repo.list_tenants(s) == []
        assert s.execute(text("SELECT count(*) FROM credentials")).scalar() == 0


def test_invalid_key() -> None:
    with pytest.raises(CredentialError, match="not a valid Fernet key"):
        SecretBox(b"short")
