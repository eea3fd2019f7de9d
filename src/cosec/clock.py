"""Injectable time. Product code asks a `Clock` for "now", never `datetime.now()`.

`COSEC_NOW` (ISO 8601) pins the CLI's clock, which is how the demo replays past days and
how tests make exceptions expire without waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from cosec.errors import ConfigError


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that only moves when told to."""

    current: datetime = field(default_factory=lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


def parse_instant(value: str) -> datetime:
    """Parse an ISO date or datetime; naive values are taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"not an ISO 8601 date or time: {value!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def clock_from_env(env: Mapping[str, str]) -> Clock:
    pinned = env.get("COSEC_NOW")
    return FixedClock(parse_instant(pinned)) if pinned else SystemClock()
