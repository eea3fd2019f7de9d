"""The scheduler's windows: documented limits, in-flight accounting, 429 adaptation."""

from __future__ import annotations

import asyncio
import math

from cosec.graph.auth import credential_failure, token_roles
from cosec.graph.throttle import Bucket, Limit, Scheduler, Window, classify, directory_limit
from cosec.model.resources import Service


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_window_admits_limit_then_waits_a_full_period_from_completion() -> None:
    clock = FakeTime()
    w = Window(Limit(5, 10.0), clock=clock)

    async def take(n: int) -> None:
        for _ in range(n):
            await w.acquire()

    asyncio.run(take(5))
    assert math.isinf(w._wait_for(1, clock.now))  # all five still in flight
    for _ in range(5):
        clock.now += 0.5
        w.release(1)
    assert w._wait_for(1, clock.now) == 10.0 - 2.0  # oldest completed at t+0.5
    clock.now += 8.0
    assert w._wait_for(1, clock.now) == 0.0


def test_429_without_retry_after_backs_off_from_the_documented_rate_and_grows() -> None:
    clock = FakeTime()
    w = Window(Limit(1, 1.0), clock=clock)
    first = w.throttled(None)
    second = w.throttled(None)
    assert 2.0 <= first <= 2.5
    assert second > first
    assert w._wait_for(1, clock.now) >= second - 1e-9
    w.succeeded()
    assert 2.0 <= w.throttled(None) <= 2.5  # strikes reset after a success


def test_429_with_retry_after_pauses_exactly_that_long() -> None:
    clock = FakeTime()
    w = Window(Limit(150, 60.0), clock=clock)
    assert w.throttled(2.128) == 2.128
    assert w._wait_for(1, clock.now) == 2.128


def test_classify_maps_paths_to_microsofts_buckets() -> None:
    assert classify(Service.GRAPH, "auditLogs/signIns") == (Bucket.REPORTS,)
    assert classify(Service.GRAPH, "identity/conditionalAccess/policies") == (
        Bucket.IDENTITY_PROTECTION,
    )
    assert classify(Service.GRAPH, "security/alerts_v2") == (Bucket.SECURITY,)
    assert classify(Service.GRAPH, "deviceManagement/managedDevices") == (Bucket.INTUNE,)
    assert classify(Service.GRAPH, "users/u1/mailFolders/inbox/messageRules") == (Bucket.MAIL,)
    assert classify(Service.GRAPH, "users", "id,signInActivity") == (
        Bucket.DIRECTORY,
        Bucket.REPORTS,
    )
    assert classify(Service.GRAPH, "groups") == (Bucket.DIRECTORY,)
    assert classify(Service.DEFENDER, "machines") == (Bucket.DEFENDER,)
    assert classify(Service.EXCHANGE, "InvokeCommand") == (Bucket.EXCHANGE,)


def test_tenant_wide_and_cross_tenant_windows_are_shared() -> None:
    s = Scheduler()
    ca_a = s.windows("t1", "app-read", Bucket.IDENTITY_PROTECTION)[0]
    ca_b = s.windows("t1", "app-response", Bucket.IDENTITY_PROTECTION)[0]
    assert ca_a is ca_b  # 1 request/s per tenant for all apps together
    rep_t1 = s.windows("t1", "app", Bucket.REPORTS)
    rep_t2 = s.windows("t2", "app", Bucket.REPORTS)
    assert rep_t1[0] is not rep_t2[0]
    assert rep_t1[1] is rep_t2[1]  # 122 per 10 s across tenants
    assert (rep_t1[1].limit, rep_t1[1].period) == (122, 10.0)
    mde = s.windows("t1", "app", Bucket.DEFENDER)
    assert [(w.limit, w.period) for w in mde[:2]] == [(100, 60.0), (1500, 3600.0)]


def test_directory_limit_grows_with_tenant_size_and_scales() -> None:
    assert directory_limit(10).limit == 3500
    assert directory_limit(200).limit == 5000
    assert directory_limit(10_000).limit == 8000
    s = Scheduler(limit_scale=0.5, window_scale=0.1)
    s.set_tenant_size("t", "app", 10_000)
    w = s.windows("t", "app", Bucket.DIRECTORY)[0]
    assert (w.limit, w.period) == (4000, 1.0)


def test_token_roles_and_credential_failure_reasons() -> None:
    import base64
    import json

    payload = base64.urlsafe_b64encode(json.dumps({"roles": ["B", "A"]}).encode()).rstrip(b"=")
    assert token_roles(f"h.{payload.decode()}.s") == ["A", "B"]
    assert token_roles("not-a-jwt") == []
    assert "secret is wrong" in credential_failure("AADSTS7000215: Invalid client secret")
    assert "consent" in credential_failure("AADSTS65001: consent required")
