"""Latency model and fault injection for the data APIs (Graph, Exchange, Defender).

Latency: a lognormal delay per response whose median grows with the page size (Graph
~60 ms for a small page to ~250 ms for a full one; the Exchange admin API ~400 ms),
or none. Faults: per request, with rates, a 5xx answer, a connection dropped mid-body,
or a truncated (malformed) JSON page. Draws come from one seeded generator in request
order, so a run with the same seed and request sequence sees the same faults. Token
expiry mid-run is the cloud's `token_lifetime` knob.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass
from enum import StrEnum


class Fault(StrEnum):
    NONE = "none"
    SERVER_ERROR = "server_error"
    CONNECTION_RESET = "connection_reset"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class FaultSettings:
    seed: int = 0
    server_error_rate: float = 0.0
    reset_rate: float = 0.0
    malformed_rate: float = 0.0

    def __post_init__(self) -> None:
        rates = (self.server_error_rate, self.reset_rate, self.malformed_rate)
        if any(r < 0 or r > 1 for r in rates) or sum(rates) > 1:
            raise ValueError("fault rates must be within 0..1 and sum to at most 1")


class FaultInjector:
    def __init__(self, settings: FaultSettings | None = None) -> None:
        self.configure(settings or FaultSettings())

    def configure(self, settings: FaultSettings) -> None:
        self.settings = settings
        self._rng = random.Random(settings.seed)
        self._lock = threading.Lock()

    def draw(self) -> Fault:
        s = self.settings
        if s.server_error_rate == s.reset_rate == s.malformed_rate == 0:
            return Fault.NONE
        with self._lock:
            x = self._rng.random()
        if x < s.server_error_rate:
            return Fault.SERVER_ERROR
        x -= s.server_error_rate
        if x < s.reset_rate:
            return Fault.CONNECTION_RESET
        x -= s.reset_rate
        if x < s.malformed_rate:
            return Fault.MALFORMED
        return Fault.NONE

    def status(self) -> int:
        with self._lock:
            return self._rng.choice((500, 502, 503, 504))


class LatencyModel:
    """Seconds to wait before answering; `realistic` or `none`."""

    def __init__(self, mode: str = "realistic", seed: int = 0) -> None:
        if mode not in ("realistic", "none"):
            raise ValueError(f"latency must be 'realistic' or 'none', not {mode!r}")
        self.mode = mode
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def delay(self, service: str, items: int) -> float:
        if self.mode == "none":
            return 0.0
        # Graph: 60 ms for tiny pages, about 250 ms for a 1,000-item page.
        median = 0.4 if service == "exchange" else 0.06 + 0.19 * min(items, 1000) / 1000
        with self._lock:
            z = self._rng.gauss(0.0, 0.35)
        return median * math.exp(z)
