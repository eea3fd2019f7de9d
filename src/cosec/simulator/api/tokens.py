"""Compact JWS (RS256 / PS256) signing and verification, just what the simulator needs.

Access tokens are RS256 like Entra ID's; client assertions arrive as RS256 (x5t, SHA-1
thumbprint) or PS256 (x5t#S256, SHA-256 thumbprint) depending on the msal version.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey


class TokenError(ValueError):
    """A JWT that cannot be parsed or whose signature does not verify."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise TokenError("bad base64url") from exc


def sign(claims: dict[str, Any], key: RSAPrivateKey, kid: str) -> str:
    header = {"typ": "JWT", "alg": "RS256", "kid": kid, "x5t": kid}
    head = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{b64url(signature)}"


def unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) without checking the signature."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("not a compact JWS")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
    except ValueError as exc:
        raise TokenError("JWT segments are not JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise TokenError("JWT segments are not objects")
    return header, claims


def verify(token: str, key: RSAPublicKey) -> dict[str, Any]:
    """The claims of `token` if its RS256/PS256 signature verifies with `key`."""
    header, claims = unverified(token)
    head, body, sig = token.split(".")
    message = f"{head}.{body}".encode()
    alg = header.get("alg")
    pad: padding.AsymmetricPadding
    if alg == "RS256":
        pad = padding.PKCS1v15()
    elif alg == "PS256":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
    else:
        raise TokenError(f"unsupported alg {alg!r}")
    try:
        key.verify(b64url_decode(sig), message, pad, hashes.SHA256())
    except InvalidSignature as exc:
        raise TokenError("signature does not verify") from exc
    return claims


def jwk(key: RSAPublicKey, kid: str) -> dict[str, Any]:
    numbers = key.public_numbers()

    def as_b64(n: int) -> str:
        return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))

    return {
        "kty": "RSA",
        "use": "sig",
        "kid": kid,
        "x5t": kid,
        "n": as_b64(numbers.n),
        "e": as_b64(numbers.e),
    }
