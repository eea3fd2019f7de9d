"""Microsoft's documented throttling limits, as sliding windows per bucket.

Every request charges one or more buckets (e.g. a sign-in report read charges the
per-app-per-tenant report bucket, the per-app cross-tenant report bucket and the global
per-app bucket). A request is admitted only if every bucket has room; otherwise the
answer is 429, with Retry-After (seconds until enough of the window has drained) except
for the limit classes Microsoft documents as sending none.

Figures (requests or resource units per window):
- global: 130,000 per 10 s per app across tenants;
- directory: 3,500 / 5,000 / 8,000 RU per 10 s per app+tenant for < 50 / 50–500 / > 500
  users (GET users 2 RU, $select −1, $expand +1; other directory reads 1 RU);
- identity & access reports: 5 per 10 s per app+tenant and 122 per 10 s per app;
- Conditional Access, named locations, risky users, risk detections: 1 per second per
  tenant for all apps together, 429 without Retry-After;
- /security alerts, incidents, secure score: 150 per minute per app+tenant;
- Intune: 2,000 per 20 s per app+tenant;
- Defender for Endpoint: 100 per minute and 1,500 per hour per app+tenant.

`limit_scale` multiplies capacities and `window_scale` multiplies windows (and so the
Retry-After values) so tests can exercise the limits quickly; `enabled=False` admits all.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class LimitClass(StrEnum):
    DIRECTORY = "directory"
    REPORTS = "reports"
    CONDITIONAL_ACCESS = "conditional_access"
    SECURITY = "security"
    INTUNE = "intune"
    DEFENDER = "defender"
    EXCHANGE = "exchange"  # only the global per-app bucket applies


@dataclass(frozen=True)
class Limit:
    capacity: float
    window: float  # seconds
    retry_after: bool = True


GLOBAL = Limit(130_000, 10)
REPORTS_TENANT = Limit(5, 10)
REPORTS_APP = Limit(122, 10)
CONDITIONAL_ACCESS = Limit(1, 1, retry_after=False)
SECURITY = Limit(150, 60)
INTUNE = Limit(2_000, 20)
DEFENDER_MINUTE = Limit(100, 60)
DEFENDER_HOUR = Limit(1_500, 3_600)


def directory_limit(tenant_users: int) -> Limit:
    if tenant_users < 50:
        return Limit(3_500, 10)
    if tenant_users <= 500:
        return Limit(5_000, 10)
    return Limit(8_000, 10)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float | None = None  # seconds; None = no Retry-After header
    usage_percent: float = 0.0  # highest bucket fill after this request


@dataclass
class _Window:
    events: deque[tuple[float, float]] = field(default_factory=deque)
    used: float = 0.0

    def drain(self, now: float, window: float) -> None:
        while self.events and self.events[0][0] <= now - window:
            self.used -= self.events.popleft()[1]

    def wait_for(self, now: float, window: float, capacity: float, cost: float) -> float:
        freed = 0.0
        for t, c in self.events:
            freed += c
            if self.used - freed + cost <= capacity:
                return max(t + window - now, 0.0)
        return window


@dataclass(frozen=True)
class Charge:
    key: tuple[str, ...]
    limit: Limit
    cost: float = 1.0


class Throttler:
    def __init__(
        self,
        *,
        enabled: bool = True,
        limit_scale: float = 1.0,
        window_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.limit_scale = limit_scale
        self.window_scale = window_scale
        self._clock = clock
        self._windows: dict[tuple[str, ...], _Window] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def charges(
        self,
        limit_class: LimitClass,
        app_id: str,
        tenant_id: str,
        *,
        tenant_users: int = 0,
        resource_units: float = 1.0,
    ) -> list[Charge]:
        """The buckets one request of `limit_class` charges (always incl. the global one)."""
        out = [Charge(("global", app_id), GLOBAL)]
        if limit_class is LimitClass.DIRECTORY:
            out.append(
                Charge(
                    ("directory", app_id, tenant_id),
                    directory_limit(tenant_users),
                    resource_units,
                )
            )
        elif limit_class is LimitClass.REPORTS:
            out.append(Charge(("reports", app_id, tenant_id), REPORTS_TENANT))
            out.append(Charge(("reports", app_id), REPORTS_APP))
        elif limit_class is LimitClass.CONDITIONAL_ACCESS:
            out.append(Charge(("ca", tenant_id), CONDITIONAL_ACCESS))
        elif limit_class is LimitClass.SECURITY:
            out.append(Charge(("security", app_id, tenant_id), SECURITY))
        elif limit_class is LimitClass.INTUNE:
            out.append(Charge(("intune", app_id, tenant_id), INTUNE))
        elif limit_class is LimitClass.DEFENDER:
            out.append(Charge(("mde-minute", app_id, tenant_id), DEFENDER_MINUTE))
            out.append(Charge(("mde-hour", app_id, tenant_id), DEFENDER_HOUR))
        return out

    def admit(self, charges: Sequence[Charge]) -> Decision:
        """Charge every bucket or none; refuse if any bucket lacks room."""
        if not self.enabled:
            return Decision(True)
        with self._lock:
            now = self._clock()
            refusals: list[tuple[float, bool]] = []
            usage = 0.0
            for charge in charges:
                window = charge.limit.window * self.window_scale
                # However far scaled down, one request must still fit in an empty window.
                capacity = max(charge.limit.capacity * self.limit_scale, charge.cost, 1.0)
                state = self._windows.setdefault(charge.key, _Window())
                state.drain(now, window)
                if state.used + charge.cost > capacity:
                    wait = state.wait_for(now, window, capacity, charge.cost)
                    refusals.append((wait, charge.limit.retry_after))
                usage = max(usage, 100.0 * (state.used + charge.cost) / capacity)
            if refusals:
                if all(sends for _, sends in refusals):
                    wait = max(w for w, _ in refusals)
                    return Decision(False, retry_after=_round_up(wait), usage_percent=100.0)
                return Decision(False, retry_after=None, usage_percent=100.0)
            for charge in charges:
                state = self._windows[charge.key]
                state.events.append((now, charge.cost))
                state.used += charge.cost
            return Decision(True, usage_percent=usage)


def _round_up(seconds: float) -> float:
    """Whole seconds at Microsoft's scale; milliseconds when windows are scaled down."""
    seconds = round(seconds, 6)  # 10 × 0.01 must read 0.1, not 0.101
    if seconds >= 1:
        return float(math.ceil(seconds))
    return math.ceil(round(seconds * 1000, 6)) / 1000 or 0.001
