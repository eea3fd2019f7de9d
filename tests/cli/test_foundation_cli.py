"""The foundation commands, driven the way a user drives them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.errors import AuthorizationError, ConfigError, WorkspaceError


def test_init_refuses_to_overwrite(
    cli: CliRunner, workspace: Path, cli_env: dict[str, str]
) -> None:
    before = (workspace / "cosec.yaml").read_text()
    result = run_cli(cli, ["init", str(workspace)], cli_env, ok=False)
    assert isinstance(result.exception, WorkspaceError)
    assert (workspace / "cosec.yaml").read_text() == before
    key = workspace / "data" / "secret.key"
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600


def test_tenant_lifecycle_is_audited(cli: CliRunner, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "APP_SECRET": "very-secret-value-42"}
    args = [
        "tenant",
        "add",
        "contoso",
        "--tenant-id",
        "t-1",
        "--client-id",
        "c-1",
        "--client-secret-env",
        "APP_SECRET",
    ]
    refused = run_cli(cli, args, env, ok=False)
    assert isinstance(refused.exception, AuthorizationError)
    run_cli(cli, ["--as", "alex", *args], env)
    listed = run_cli(cli, ["tenant", "list", "--json"], env)
    assert '"contoso"' in listed.output and "very-secret" not in listed.output
    partner = run_cli(cli, ["--as", "casey", "tenant", "remove", "contoso", "--yes"], env, ok=False)
    assert isinstance(partner.exception, AuthorizationError)
    run_cli(cli, ["--as", "alex", "tenant", "remove", "contoso", "--yes"], env)
    verified = run_cli(cli, ["audit", "verify"], env)
    assert "2 entries" in verified.output
    db = Path(cli_env["COSEC_WORKSPACE"]) / "data" / "cosec.db"
    assert b"very-secret-value-42" not in db.read_bytes()


def test_certificate_credential(cli: CliRunner, cli_env: dict[str, str], tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cosec")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ) + cert.public_bytes(serialization.Encoding.PEM)
    path = tmp_path / "app.pem"
    path.write_bytes(pem)
    run_cli(
        cli,
        [
            "--as",
            "alex",
            "tenant",
            "add",
            "fab",
            "--tenant-id",
            "t",
            "--client-id",
            "c",
            "--certificate",
            str(path),
        ],
        cli_env,
    )
    db = Path(cli_env["COSEC_WORKSPACE"]) / "data" / "cosec.db"
    assert b"PRIVATE KEY" not in db.read_bytes()
    bad = tmp_path / "bad.pem"
    bad.write_text("not a pem")
    result = run_cli(
        cli,
        [
            "--as",
            "alex",
            "tenant",
            "add",
            "bad",
            "--tenant-id",
            "t",
            "--client-id",
            "c",
            "--certificate",
            str(bad),
        ],
        cli_env,
        ok=False,
    )
    assert "unencrypted PEM" in str(result.exception)


def test_secret_env_must_be_set(cli: CliRunner, cli_env: dict[str, str]) -> None:
    result = run_cli(
        cli,
        [
            "--as",
            "alex",
            "tenant",
            "add",
            "x",
            "--tenant-id",
            "t",
            "--client-id",
            "c",
            "--client-secret-env",
            "UNSET_VAR_X",
        ],
        cli_env,
        ok=False,
    )
    assert "UNSET_VAR_X" in str(result.exception)


def test_unknown_actor(cli: CliRunner, cli_env: dict[str, str]) -> None:
    result = run_cli(cli, ["--as", "nobody", "tenant", "remove", "x", "--yes"], cli_env, ok=False)
    assert isinstance(result.exception, ConfigError)


def test_malformed_yaml_one_line_error_and_nothing_written(workspace: Path) -> None:
    cfg = workspace / "cosec.yaml"
    cfg.write_text(cfg.read_text().replace("roles: [executive]", "roles: [chief]"))
    db = workspace / "data" / "cosec.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COSEC_")}
    env["COSEC_WORKSPACE"] = str(workspace)
    proc = subprocess.run(
        [sys.executable, "-m", "cosec", "tenant", "list"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "cosec.yaml:" in lines[0] and "people[1].roles[0]" in lines[0]
    assert not db.exists()


@pytest.mark.parametrize("cmd", [["db", "upgrade"], ["db", "status"], ["config", "validate"]])
def test_simple_commands(cli: CliRunner, cli_env: dict[str, str], cmd: list[str]) -> None:
    run_cli(cli, cmd, cli_env)


def test_help_lists_commands(cli: CliRunner, cli_env: dict[str, str]) -> None:
    out = run_cli(cli, ["--help"], cli_env).output
    for name in ("init", "tenant", "audit", "db", "config"):
        assert name in out
