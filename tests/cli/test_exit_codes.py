"""Exit codes reach the shell: the installed console script, run as a subprocess.

CliRunner tests call the Typer app directly and never see what `main()` hands to the
shell; these run `python -m cosec` (the same `cosec.cli:main` as the console script) so
cron, CI and monitoring get 0 ok, 1 problem found, 2 usage or configuration error.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

import cosec
from cosec.config import settings_from_env
from cosec.reports.pack import build_pack
from cosec.store import audit
from cosec.store.engine import open_store
from cosec.store.evidence import load_or_create_signing_key

SRC = Path(cosec.__file__).resolve().parents[1]
T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def _cosec(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("COSEC_") and k not in {"COLUMNS", "PYTHONPATH"}
    }
    env.update(
        COSEC_WORKSPACE=str(workspace),
        PYTHONPATH=str(SRC),
        COSEC_NOW="2026-11-02T09:00:00Z",
    )
    return subprocess.run(
        [sys.executable, "-m", "cosec", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _audit_entries(workspace: Path, n: int = 4) -> str:
    url = settings_from_env(workspace_dir=workspace).effective_database_url()
    store = open_store(url)
    for i in range(n):
        with store.session() as s:
            audit.append(
                s,
                at=T0 + timedelta(minutes=i),
                actor="alex",
                party="internal",
                action="exception.approve",
                subject=f"EXC-{i}",
                tenant="main",
                before={"state": "proposed"},
                after={"state": "approved"},
            )
    store.dispose()
    return url


def test_version_exits_zero_and_names_the_version(workspace: Path) -> None:
    done = _cosec(workspace, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"cosec {cosec.__version__}"


def test_unknown_option_is_a_usage_error(workspace: Path) -> None:
    done = _cosec(workspace, "assess", "--no-such-option")
    assert done.returncode == 2
    assert "No such option" in done.stderr


def test_invalid_configuration_exits_two_with_one_line(workspace: Path) -> None:
    (workspace / "cosec.yaml").write_text("tenants: [unclosed\n")
    done = _cosec(workspace, "config", "validate")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "cosec.yaml" in done.stderr


def test_an_unknown_object_exits_two(workspace: Path) -> None:
    done = _cosec(workspace, "controls", "show", "NOPE-999")
    assert done.returncode == 2, (done.stdout, done.stderr)


def test_audit_verify_exits_one_on_an_edited_log_and_zero_when_intact(
    workspace: Path,
) -> None:
    url = _audit_entries(workspace)
    intact = _cosec(workspace, "audit", "verify")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    store = open_store(url)
    with store.session() as s:
        s.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    store.dispose()
    edited = _cosec(workspace, "audit", "verify")
    assert edited.returncode == 1, edited.stdout + edited.stderr


def _tampered_copy(pack: Path, out: Path) -> Path:
    with zipfile.ZipFile(pack) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            zout.writestr(item, b"[]" if item == "metrics.json" else data)
    return out


def test_evidence_verify_exits_one_on_an_edited_pack(workspace: Path, tmp_path: Path) -> None:
    key = load_or_create_signing_key(workspace / "data")
    pack = build_pack(
        tmp_path / "pack.zip",
        {"metrics.json": b'[{"key": "mfa"}]'},
        key=key,
        tenant="main",
        period="2026-10",
        generated_at=T0,
    )
    ok = _cosec(workspace, "evidence", "verify", str(pack))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _cosec(workspace, "evidence", "verify", str(_tampered_copy(pack, tmp_path / "t.zip")))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "metrics.json" in bad.stdout
