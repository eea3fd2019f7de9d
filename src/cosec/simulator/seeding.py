"""Deterministic randomness and time helpers shared by the tenant generators.

Every concern draws from its own `random.Random` derived from the tenant seed and a
label, so adding data to one concern never shifts the values of another, and two builds
with the same arguments produce byte-identical JSON.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, time, timedelta


def rng(seed: int, *labels: object) -> random.Random:
    """A generator seeded from the tenant seed and labels (stable across runs)."""
    digest = hashlib.sha256(repr((seed, *labels)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def guid(r: random.Random) -> str:
    """A version-4 UUID string from `r` (same value as uuid.UUID(int=…, version=4))."""
    n = r.getrandbits(128)
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    n = (n & ~(0xF000 << 64)) | (4 << 76)  # version 4
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def hex40(r: random.Random) -> str:
    """A Defender for Endpoint machine id (40 hex digits)."""
    return f"{r.getrandbits(160):040x}"


def at(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=UTC)


def day_end(day: date) -> datetime:
    """The first instant after `day`: state 'as of day' includes everything before it."""
    return at(day + timedelta(days=1))


def iso(moment: datetime) -> str:
    """Graph's timestamp format (UTC, whole seconds, 'Z')."""
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def random_moment(
    r: random.Random, day: date, first_hour: int = 0, last_hour: int = 23
) -> datetime:
    return at(day, r.randint(first_hour, last_hour), r.randint(0, 59), r.randint(0, 59))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5
