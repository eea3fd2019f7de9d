"""Hash chain of the audit log (pure functions; the store persists entries).

Each entry's hash is SHA-256 over the previous hash and a canonical JSON of the entry's
fields, so editing, deleting or reordering any entry breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    party: str
    tenant: str | None
    action: str
    subject: str
    before: Any
    after: Any
    note: str
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: datetime,
    actor: str,
    party: str,
    tenant: str | None,
    action: str,
    subject: str,
    before: Any,
    after: Any,
    note: str,
) -> str:
    body = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "party": party,
        "tenant": tenant,
        "action": action,
        "subject": subject,
        "before": before,
        "after": after,
        "note": note,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def verify_chain(entries: Iterable[AuditEntry]) -> list[ChainProblem]:
    """Return every break in the chain (empty when intact). Entries in `seq` order."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    expected_seq = 1
    for e in entries:
        if e.seq != expected_seq:
            problems.append(
                ChainProblem(e.seq, f"expected entry {expected_seq}: entries deleted or reordered")
            )
        if e.prev_hash != prev:
            problems.append(ChainProblem(e.seq, "link to the previous entry is broken"))
        recomputed = entry_hash(
            e.prev_hash,
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            party=e.party,
            tenant=e.tenant,
            action=e.action,
            subject=e.subject,
            before=e.before,
            after=e.after,
            note=e.note,
        )
        if recomputed != e.hash:
            problems.append(ChainProblem(e.seq, "content does not match its hash: edited"))
        prev = e.hash
        expected_seq = e.seq + 1
    return problems
