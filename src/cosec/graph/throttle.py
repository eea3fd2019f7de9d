"""Throttle-aware scheduling that mirrors Microsoft's documented service limits.

Every request first takes a slot in each window that applies to it: the service's
bucket for (tenant, app), an app-wide bucket across tenants where Microsoft documents one
(identity & access reports), and the global per-app limit. A window admits at most
`limit` requests whose *responses* arrived within the last `period` seconds; a request
still in flight holds its slot. Stamping at response time means the next request can
only reach Microsoft a full period after the previous one did, whatever the latency, so
cosec stays within a sliding-window limit instead of finding it by 429s.

Windows adapt live: a 429 pauses its window for Retry-After, or — when Microsoft sends
none (Conditional Access, risk APIs) — for a back-off derived from the documented rate,
doubling while 429s repeat. ``x-ms-throttle-limit-percentage`` at or above 100 % pauses
the window for one request interval.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from enum import StrEnum

from cosec.model.resources import Service


class Bucket(StrEnum):
    DIRECTORY = "directory"  # resource units per app per tenant, by tenant size
    REPORTS = "reports"  # identity & access reports: sign-ins, audits, registration details
    IDENTITY_PROTECTION = "identity_protection"  # CA, named locations, risky users, detections
    SECURITY = "security"  # /security: alerts, incidents, secure score, attack simulation
    INTUNE = "intune"  # deviceManagement
    MAIL = "mail"  # mailbox data: limited per mailbox, not per tenant
    EXCHANGE = "exchange"  # Exchange admin API: no documented figure, adaptive only
    DEFENDER = "defender"  # Defender for Endpoint API


@dataclass(frozen=True)
class Limit:
    limit: int
    period: float


# Microsoft's documented limits per app per tenant (FACTS.md); None = adaptive only.
PER_TENANT: dict[Bucket, tuple[Limit, ...]] = {
    Bucket.DIRECTORY: (Limit(3500, 10.0),),
    Bucket.REPORTS: (Limit(5, 10.0),),
    Bucket.IDENTITY_PROTECTION: (Limit(1, 1.0),),
    Bucket.SECURITY: (Limit(150, 60.0),),
    Bucket.INTUNE: (Limit(2000, 20.0),),
    Bucket.MAIL: (),
    Bucket.EXCHANGE: (),
    Bucket.DEFENDER: (Limit(100, 60.0), Limit(1500, 3600.0)),
}
# Limits per app summed over all tenants.
PER_APP: dict[Bucket, tuple[Limit, ...]] = {Bucket.REPORTS: (Limit(122, 10.0),)}
GLOBAL_PER_APP = Limit(130_000, 10.0)
# Window for services without a documented figure: never limits, but 429s pause it.
ADAPTIVE = Limit(1_000_000, 1.0)
# Limits shared by every app of a tenant (Microsoft counts them per tenant only).
TENANT_WIDE = {Bucket.IDENTITY_PROTECTION}


def directory_limit(user_count: int) -> Limit:
    """Directory resource units per 10 s by tenant size (a request with $select = 1 RU)."""
    if user_count < 50:
        return Limit(3500, 10.0)
    if user_count <= 500:
        return Limit(5000, 10.0)
    return Limit(8000, 10.0)


_REPORT_PREFIXES = ("auditLogs/", "reports/")
_IDP_PREFIXES = ("identity/conditionalAccess/", "identityProtection/")


def classify(service: Service, path: str, select: str = "") -> tuple[Bucket, ...]:
    """The buckets a request to `path` (relative to the service base) draws from."""
    if service is Service.EXCHANGE:
        return (Bucket.EXCHANGE,)
    if service is Service.DEFENDER:
        return (Bucket.DEFENDER,)
    p = path.lstrip("/")
    if p.startswith(_REPORT_PREFIXES):
        return (Bucket.REPORTS,)
    if p.startswith(_IDP_PREFIXES):
        return (Bucket.IDENTITY_PROTECTION,)
    if p.startswith("security/"):
        return (Bucket.SECURITY,)
    if p.startswith("deviceManagement/"):
        return (Bucket.INTUNE,)
    if p.startswith(("users/", "me/")) and "/mailFolders" in p:
        return (Bucket.MAIL,)
    if p.startswith("users") and "signInActivity" in select:
        return (Bucket.DIRECTORY, Bucket.REPORTS)
    return (Bucket.DIRECTORY,)


class Window:
    """At most `limit` completed requests per sliding `period`; in-flight ones count."""

    def __init__(self, limit: Limit, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit.limit
        self.period = limit.period
        self._clock = clock
        self._done: deque[float] = deque()
        self._in_flight = 0
        self._paused_until = 0.0
        self._strikes = 0  # consecutive 429s without Retry-After
        self._lock = asyncio.Lock()
        self._changed = asyncio.Event()

    def _prune(self, now: float) -> None:
        cutoff = now - self.period
        while self._done and self._done[0] <= cutoff:
            self._done.popleft()

    def _wait_for(self, n: int, now: float) -> float:
        """Seconds until `n` slots are free (0 = now); inf while in-flight ones block."""
        if now < self._paused_until:
            return self._paused_until - now
        self._prune(now)
        n = min(n, self.limit)
        over = len(self._done) + self._in_flight + n - self.limit
        if over <= 0:
            return 0.0
        if over > len(self._done):
            return math.inf
        return self._done[over - 1] + self.period - now

    async def acquire(self, n: int = 1) -> int:
        """Take `n` slots (at most `limit`); returns how many were taken."""
        n = min(n, self.limit)
        async with self._lock:  # first come, first served
            while True:
                wait = self._wait_for(n, self._clock())
                if wait <= 0:
                    self._in_flight += n
                    return n
                self._changed.clear()
                if math.isinf(wait):
                    await self._changed.wait()
                else:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), timeout=wait)

    def release(self, n: int) -> None:
        now = self._clock()
        self._in_flight -= n
        self._done.extend([now] * n)
        self._changed.set()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._changed.set()

    def throttled(self, retry_after: float | None) -> float:
        """Record a 429; returns how long the window now pauses."""
        if retry_after is not None:
            self._strikes = 0
            delay = retry_after
        else:
            self._strikes += 1
            interval = self.period / self.limit
            delay = interval * (2 ** min(self._strikes, 6)) * random.uniform(1.0, 1.25)
        self.pause(delay)
        return delay

    def succeeded(self) -> None:
        self._strikes = 0

    def near_limit(self, percentage: float) -> None:
        if percentage >= 1.0:
            self.pause(self.period / self.limit)


@dataclass
class Scheduler:
    """Shared by every tenant client of a process so cross-tenant limits hold."""

    # Scales for a simulator run with faster limits (capacity × limit_scale, period ×
    # window_scale); Microsoft's own figures at 1.0.
    limit_scale: float = 1.0
    window_scale: float = 1.0
    _windows: dict[tuple[str, ...], Window] = field(default_factory=dict)

    def _window(self, key: tuple[str, ...], limit: Limit) -> Window:
        found = self._windows.get(key)
        if found is None:
            found = self._windows[key] = Window(self._scaled(limit))
        return found

    def _scaled(self, limit: Limit) -> Limit:
        return Limit(
            max(1, round(limit.limit * self.limit_scale)), limit.period * self.window_scale
        )

    def set_tenant_size(self, tenant: str, app: str, user_count: int) -> None:
        """Directory limits grow with the tenant; call once the user count is known."""
        key = ("tenant", tenant, app, Bucket.DIRECTORY.value, "0")
        self._windows[key] = Window(self._scaled(directory_limit(user_count)))

    def _tenant_windows(self, tenant: str, app: str, buckets: tuple[Bucket, ...]) -> list[Window]:
        found: list[Window] = []
        for b in buckets:
            owner = "*" if b in TENANT_WIDE else app
            limits = PER_TENANT[b]
            if not limits:  # no documented figure: a window that only adapts to 429s
                found.append(self._window(("tenant", tenant, owner, b.value, "adaptive"), ADAPTIVE))
            for i, lim in enumerate(limits):
                found.append(self._window(("tenant", tenant, owner, b.value, str(i)), lim))
        return found

    def windows(self, tenant: str, app: str, bucket: Bucket) -> list[Window]:
        found = self._tenant_windows(tenant, app, (bucket,))
        for i, lim in enumerate(PER_APP.get(bucket, ())):
            found.append(self._window(("app", app, bucket.value, str(i)), lim))
        found.append(self._window(("app", app, "global"), GLOBAL_PER_APP))
        return found

    def throttled(
        self, tenant: str, app: str, buckets: tuple[Bucket, ...], retry_after: float | None
    ) -> float:
        """Pause the tenant's windows after a 429; returns the pause in seconds."""
        return max(w.throttled(retry_after) for w in self._tenant_windows(tenant, app, buckets))

    def succeeded(
        self, tenant: str, app: str, buckets: tuple[Bucket, ...], percentage: float | None
    ) -> None:
        for w in self._tenant_windows(tenant, app, buckets):
            w.succeeded()
            if percentage is not None:
                w.near_limit(percentage)

    @asynccontextmanager
    async def slot(
        self, tenant: str, app: str, buckets: tuple[Bucket, ...], n: int = 1
    ) -> AsyncIterator[list[Window]]:
        """Hold `n` slots in every window of `buckets` for the duration of one request."""
        windows = [w for b in buckets for w in self.windows(tenant, app, b)]
        taken: list[tuple[Window, int]] = []
        try:
            for w in windows:
                taken.append((w, await w.acquire(n)))
            yield windows
        finally:
            for w, k in taken:
                w.release(k)
