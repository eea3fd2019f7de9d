"""Encryption of credentials at rest (Fernet).

The key comes from `COSEC_SECRET_KEY` or from `data/secret.key` in the workspace, created
with mode 0600 on first use. Plaintext secrets exist only in memory, in `Secret` objects
whose repr never shows the value.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from cosec.credentials import Secret
from cosec.errors import CredentialError

KEY_FILE = "secret.key"


class SecretBox:
    def __init__(self, key: bytes) -> None:
        try:
            self._fernet = Fernet(key)
        except ValueError:
            raise CredentialError(
                "the secret key is not a valid Fernet key",
                hint="COSEC_SECRET_KEY must be 32 url-safe base64-encoded bytes "
                "(make one with `cosec init`, or remove it to use data/secret.key).",
            ) from None

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, token: bytes) -> Secret:
        try:
            return Secret(self._fernet.decrypt(token).decode())
        except InvalidToken:
            raise CredentialError(
                "a stored credential cannot be decrypted with this workspace's key",
                hint="Use the same COSEC_SECRET_KEY or data/secret.key the credential "
                "was stored with, or add the tenant's credential again.",
            ) from None


def load_or_create_key(data_dir: Path, env_key: str | None) -> bytes:
    if env_key:
        return env_key.encode()
    path = data_dir / KEY_FILE
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key
