"""Evidence with no Microsoft API: restore tests (recorded or imported from CSV), and the
workspace's Ed25519 key that signs evidence packs.

A CSV import is all-or-nothing: every row is validated first and any problem is reported
with its row number and column; only a clean file is written, in one transaction.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from cosec.clock import parse_instant
from cosec.config import parse_duration
from cosec.errors import ConfigError, CosecError, WorkspaceError
from cosec.model.governance import RestoreTest
from cosec.store import audit
from cosec.store.tables.metrics import RestoreTestRow

SIGNING_KEY_FILE = "signing-key.pem"
CSV_COLUMNS = ("tenant", "dataset", "tested_at", "result", "time_to_restore", "target", "notes")
REQUIRED_COLUMNS = ("tenant", "dataset", "tested_at", "result")
RESULTS = {"success": True, "failure": False}


@dataclass(frozen=True)
class RestoreTestInput:
    tenant: str
    dataset: str
    tested_at: datetime
    succeeded: bool
    time_to_restore: timedelta | None
    target: timedelta | None
    notes: str = ""


def parse_result(value: str) -> bool:
    try:
        return RESULTS[value.strip().lower()]
    except KeyError:
        raise ValueError(f"result must be success or failure, got {value!r}") from None


def _opt_duration(value: str) -> timedelta | None:
    return parse_duration(value) if value.strip() else None


def _row(row: dict[str, str]) -> tuple[RestoreTestInput | None, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    for col in REQUIRED_COLUMNS:
        if not (row.get(col) or "").strip():
            errors.append((col, "is empty"))
    if errors:
        return None, errors
    values: dict[str, object] = {}
    parsers = {
        "tested_at": lambda v: parse_instant(v.strip()),
        "result": parse_result,
        "time_to_restore": _opt_duration,
        "target": _opt_duration,
    }
    for col, parse in parsers.items():
        try:
            values[col] = parse(row.get(col) or "")
        except (ValueError, ConfigError) as exc:
            errors.append((col, str(exc)))
    if errors:
        return None, errors
    succeeded = values["result"]
    ttr = values["time_to_restore"]
    if succeeded and ttr is None:
        errors.append(("time_to_restore", "is required for a successful restore"))
        return None, errors
    assert isinstance(values["tested_at"], datetime) and isinstance(succeeded, bool)
    assert ttr is None or isinstance(ttr, timedelta)
    target = values["target"]
    assert target is None or isinstance(target, timedelta)
    return (
        RestoreTestInput(
            tenant=row["tenant"].strip(),
            dataset=row["dataset"].strip(),
            tested_at=values["tested_at"],
            succeeded=succeeded,
            time_to_restore=ttr,
            target=target,
            notes=(row.get("notes") or "").strip(),
        ),
        [],
    )


def parse_restore_csv(text: str, *, source: str, known_tenants: set[str]) -> list[RestoreTestInput]:
    """Validate a whole CSV; raise `ConfigError` listing each bad row and column."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    absent = [c for c in REQUIRED_COLUMNS if c not in header]
    if absent:
        raise ConfigError(
            f"missing column(s) {', '.join(absent)}; expected {', '.join(CSV_COLUMNS)}",
            path=source,
            line=1,
        )
    out: list[RestoreTestInput] = []
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        parsed, errors = _row({k: v or "" for k, v in row.items() if k is not None})
        if parsed is not None and parsed.tenant not in known_tenants:
            errors = [("tenant", f"unknown tenant {parsed.tenant!r}")]
        problems += [f"row {number}, column {col}: {msg}" for col, msg in errors]
        if parsed is not None and not errors:
            out.append(parsed)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ConfigError(
            "; ".join(problems[:5]) + more,
            path=source,
            hint="Nothing was imported; fix the rows and import the file again.",
        )
    if not out:
        raise ConfigError("the file has no rows", path=source)
    return out


def _seconds(delta: timedelta | None) -> int | None:
    return None if delta is None else int(delta.total_seconds())


def add_restore_tests(
    session: Session,
    tests: list[RestoreTestInput],
    *,
    recorded_by: str,
    party: str,
    recorded_at: datetime,
    source: str,
) -> int:
    """Add validated restore tests, each audited, in the caller's transaction."""
    for i, t in enumerate(tests):
        where = source if len(tests) == 1 else f"{source}:row {i + 2}"
        session.add(
            RestoreTestRow(
                tenant=t.tenant,
                dataset=t.dataset,
                tested_at=t.tested_at,
                succeeded=t.succeeded,
                time_to_restore_s=_seconds(t.time_to_restore),
                target_s=_seconds(t.target),
                recorded_by=recorded_by,
                recorded_at=recorded_at,
                source=where,
                notes=t.notes,
            )
        )
        audit.append(
            session,
            at=recorded_at,
            actor=recorded_by,
            party=party,
            action="evidence.restore_test",
            subject=t.dataset,
            tenant=t.tenant,
            after={
                "tested_at": t.tested_at.isoformat(),
                "succeeded": t.succeeded,
                "time_to_restore_s": _seconds(t.time_to_restore),
                "target_s": _seconds(t.target),
                "source": where,
            },
            note=t.notes,
        )
    session.flush()
    return len(tests)


def restore_tests(
    session: Session, tenant: str, start: datetime, end: datetime
) -> list[RestoreTest]:
    """Restore tests of `tenant` with start <= tested_at < end, oldest first."""
    rows = session.scalars(
        select(RestoreTestRow)
        .where(
            RestoreTestRow.tenant == tenant,
            RestoreTestRow.tested_at >= start,
            RestoreTestRow.tested_at < end,
        )
        .order_by(RestoreTestRow.tested_at, RestoreTestRow.id)
    )
    return [
        RestoreTest(
            tenant=r.tenant,
            dataset=r.dataset,
            tested_at=r.tested_at,
            succeeded=r.succeeded,
            time_to_restore=None
            if r.time_to_restore_s is None
            else timedelta(seconds=r.time_to_restore_s),
            target=None if r.target_s is None else timedelta(seconds=r.target_s),
            recorded_by=r.recorded_by,
            source=r.source,
            notes=r.notes,
        )
        for r in rows
    ]


def load_or_create_signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """The workspace's evidence-signing key, created with mode 0600 on first use."""
    path = data_dir / SIGNING_KEY_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first: use theirs
            else:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(pem)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise WorkspaceError(f"cannot read or create {path}: {exc.strerror}") from None
    except ValueError:
        raise CosecError(
            f"{path} is not a PEM private key",
            hint="Restore the original key file; packs signed with it cannot be re-signed.",
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CosecError(f"{path} is not an Ed25519 key")
    return key
