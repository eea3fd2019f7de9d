"""Microsoft's documented limits, per limit class, on a controllable clock; and the
429 answers over HTTP (Retry-After present or absent as documented, inside $batch)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.simulator.client import client, token
from tests.simulator.fake_tenant import FakeTenant

from cosec.simulator.cloud import DEFENDER
from cosec.simulator.server import SimulatorHandle
from cosec.simulator.throttle import LimitClass, Throttler

L = LimitClass
EXAMPLE_429 = Path(__file__).resolve().parents[1] / "data/graph/examples/error-throttled-429.json"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def admitted(t: Throttler, n: int, limit: L, app: str = "app", tenant: str = "t", **kw: Any) -> int:
    """How many of n back-to-back requests get through."""
    return sum(t.admit(t.charges(limit, app, tenant, **kw)).allowed for _ in range(n))


def test_reports_allow_5_per_10_seconds_per_app_and_tenant() -> None:
    clock = FakeClock()
    t = Throttler(clock=clock)
    assert admitted(t, 6, L.REPORTS) == 5
    refused = t.admit(t.charges(L.REPORTS, "app", "t"))
    assert refused.retry_after == 10
    assert admitted(t, 5, L.REPORTS, tenant="other") == 5
    assert admitted(t, 5, L.REPORTS, app="other-app") == 5
    clock.now += 4
    assert refused.retry_after is not None
    assert t.admit(t.charges(L.REPORTS, "app", "t")).retry_after == 6
    clock.now += 6
    assert admitted(t, 6, L.REPORTS) == 5


def test_reports_allow_122_per_10_seconds_per_app_across_tenants() -> None:
    t = Throttler(clock=FakeClock())
    total = sum(admitted(t, 5, L.REPORTS, tenant=f"t{i}") for i in range(30))
    assert total == 122


def test_conditional_access_is_1_per_second_per_tenant_for_all_apps_without_retry_after() -> None:
    clock = FakeClock()
    t = Throttler(clock=clock)
    assert t.admit(t.charges(L.CONDITIONAL_ACCESS, "a", "t")).allowed
    second_app = t.admit(t.charges(L.CONDITIONAL_ACCESS, "b", "t"))
    assert not second_app.allowed
    assert second_app.retry_after is None
    clock.now += 1
    assert t.admit(t.charges(L.CONDITIONAL_ACCESS, "b", "t")).allowed


@pytest.mark.parametrize(
    ("users", "units", "expected"),
    [(40, 2, 1750), (40, 1, 3500), (300, 2, 2500), (1000, 2, 4000), (1000, 3, 2666)],
)
def test_directory_resource_units_by_tenant_size(users: int, units: int, expected: int) -> None:
    t = Throttler(clock=FakeClock())
    n = admitted(t, expected + 5, L.DIRECTORY, tenant_users=users, resource_units=units)
    assert n == expected


@pytest.mark.parametrize(
    ("limit", "expected"),
    [(L.SECURITY, 150), (L.INTUNE, 2000), (L.DEFENDER, 100)],
)
def test_per_app_per_tenant_request_limits(limit: L, expected: int) -> None:
    t = Throttler(clock=FakeClock())
    assert admitted(t, expected + 10, limit) == expected


def test_defender_also_caps_1500_per_hour() -> None:
    clock = FakeClock()
    t = Throttler(clock=clock)
    total = 0
    for _ in range(20):
        total += admitted(t, 100, L.DEFENDER)
        clock.now += 60
    assert total == 1500


def test_global_limit_applies_across_tenants_and_classes() -> None:
    t = Throttler(clock=FakeClock(), limit_scale=0.001)  # 130,000 → 130
    total = sum(admitted(t, 10, L.EXCHANGE, tenant=f"t{i}") for i in range(20))
    assert total == 130


def test_scaling_and_switching_off() -> None:
    clock = FakeClock()
    t = Throttler(clock=clock, window_scale=0.01)
    assert admitted(t, 6, L.REPORTS) == 5
    assert t.admit(t.charges(L.REPORTS, "app", "t")).retry_after == 0.1
    clock.now += 0.1
    assert admitted(t, 1, L.REPORTS) == 1
    assert admitted(Throttler(clock=clock, limit_scale=2), 20, L.REPORTS) == 10
    assert admitted(Throttler(clock=clock, enabled=False), 500, L.REPORTS) == 500
    tiny = Throttler(clock=clock, limit_scale=1e-6)  # 3,500 RU → one 2-RU request
    assert admitted(tiny, 3, L.DIRECTORY, tenant_users=10, resource_units=2) == 1


def test_usage_above_80_percent_is_reported() -> None:
    t = Throttler(clock=FakeClock())
    usages = [t.admit(t.charges(L.REPORTS, "app", "t")).usage_percent for _ in range(5)]
    assert usages == [20, 40, 60, 80, 100]


# --- over HTTP ------------------------------------------------------------------------


@pytest.fixture
def sim(sim_cloud: Any) -> SimulatorHandle:
    handle: SimulatorHandle = sim_cloud([FakeTenant(name="fake")])
    handle.state.throttler = Throttler(clock=FakeClock())  # a frozen clock: no draining
    return handle


def test_sign_ins_get_429_with_retry_after_and_the_documented_body(sim: SimulatorHandle) -> None:
    c = client(sim, token(sim, "fake"))
    answers = [c.get(f"{sim.graph}/auditLogs/signIns") for _ in range(6)]
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    assert "x-ms-throttle-limit-percentage" not in answers[3].headers
    assert answers[4].headers["x-ms-throttle-limit-percentage"] == "1.00"
    assert answers[5].headers["Retry-After"] == "10"
    documented = json.loads(EXAMPLE_429.read_text())
    body = answers[5].json()
    assert body["error"]["code"] == documented["error"]["code"]
    assert set(body["error"]["innerError"]) == set(documented["error"]["innerError"])


def test_directory_reads_report_their_resource_units(sim: SimulatorHandle) -> None:
    c = client(sim, token(sim, "fake"))
    assert c.get(f"{sim.graph}/users").headers["x-ms-resource-unit"] == "2"
    assert c.get(f"{sim.graph}/users?$select=id").headers["x-ms-resource-unit"] == "1"
    assert c.get(f"{sim.graph}/groups").headers["x-ms-resource-unit"] == "1"


def test_conditional_access_429_has_no_retry_after(sim: SimulatorHandle) -> None:
    c = client(sim, token(sim, "fake"))
    assert c.get(f"{sim.graph}/identity/conditionalAccess/policies").status_code == 200
    r = c.get(f"{sim.graph}/identity/conditionalAccess/namedLocations")
    assert r.status_code == 429
    assert "Retry-After" not in r.headers


def test_each_batch_request_is_throttled_on_its_own(sim: SimulatorHandle) -> None:
    c = client(sim, token(sim, "fake"))
    body = {
        "requests": [
            {"id": str(i), "method": "GET", "url": "/auditLogs/signIns?$top=1"} for i in range(7)
        ]
        + [{"id": "users", "method": "GET", "url": "/users?$select=id"}]
    }
    r = c.post(f"{sim.graph}/$batch", json=body)
    assert r.status_code == 200
    statuses = {x["id"]: x for x in r.json()["responses"]}
    assert [statuses[str(i)]["status"] for i in range(7)] == [200] * 5 + [429] * 2
    assert statuses["5"]["headers"]["Retry-After"] == "10"
    assert statuses["5"]["body"]["error"]["code"] == "TooManyRequests"
    assert statuses["users"]["status"] == 200


def test_defender_101st_call_in_a_minute_is_429(sim: SimulatorHandle) -> None:
    c = client(sim, token(sim, "fake", resource=DEFENDER))
    codes = [c.get(f"{sim.defender}/api/machines").status_code for _ in range(101)]
    assert codes.count(200) == 100
    assert codes[-1] == 429
