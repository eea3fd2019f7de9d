"""Fault injection (5xx, dropped connections, truncated JSON, token expiry mid-run) and
the latency model, all deterministic from a seed."""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from typing import Any

import httpx
import pytest
from tests.simulator.client import client, tls, token
from tests.simulator.fake_tenant import FakeTenant

from cosec.simulator.faults import Fault, FaultInjector, FaultSettings, LatencyModel
from cosec.simulator.server import SimulatorHandle


def _sim(sim_cloud: Any, **faults: Any) -> SimulatorHandle:
    handle: SimulatorHandle = sim_cloud(
        [FakeTenant(name="fake")], throttling=False, faults=FaultSettings(**faults)
    )
    return handle


def test_server_errors_are_graph_shaped_5xx_and_leave_login_alone(sim_cloud: Any) -> None:
    sim = _sim(sim_cloud, server_error_rate=1.0)
    c = client(sim, token(sim, "fake"))  # the token endpoint is not faulted
    for _ in range(5):
        r = c.get(f"{sim.graph}/users")
        assert r.status_code in (500, 502, 503, 504)
        assert r.json()["error"]["code"] in ("serviceNotAvailable", "generalException")


def test_connection_resets_break_the_response_mid_body(sim_cloud: Any) -> None:
    sim = _sim(sim_cloud, reset_rate=1.0)
    c = client(sim, token(sim, "fake"))
    with pytest.raises(httpx.RemoteProtocolError):
        c.get(f"{sim.graph}/users")


def test_malformed_pages_are_truncated_json(sim_cloud: Any) -> None:
    sim = _sim(sim_cloud, malformed_rate=1.0)
    c = client(sim, token(sim, "fake"))
    r = c.get(f"{sim.graph}/users")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.text)


def test_the_same_seed_gives_the_same_faults(sim_cloud: Any) -> None:
    outcomes = []
    for _ in range(2):
        sim = _sim(sim_cloud, seed=42, server_error_rate=0.3, malformed_rate=0.3)
        c = client(sim, token(sim, "fake"))
        seen = []
        for _ in range(20):
            r = c.get(f"{sim.graph}/groups")
            try:
                r.json()
                seen.append(r.status_code)
            except json.JSONDecodeError:
                seen.append(-1)
        outcomes.append(seen)
    assert outcomes[0] == outcomes[1]
    assert {200, -1} <= set(outcomes[0])
    assert any(s >= 500 for s in outcomes[0])


def test_faults_can_be_switched_on_through_the_control_api(sim_cloud: Any) -> None:
    sim = _sim(sim_cloud)
    c = client(sim, token(sim, "fake"))
    assert c.get(f"{sim.graph}/groups").status_code == 200
    admin = httpx.Client(verify=tls(sim), headers={"Authorization": f"Bearer {sim.control_token}"})
    r = admin.post(f"{sim.base}/_simulator/faults", json={"server_error_rate": 1})
    assert r.status_code == 200
    assert c.get(f"{sim.graph}/groups").status_code >= 500
    r = admin.post(f"{sim.base}/_simulator/faults", json={"server_error_rate": 2})
    assert r.status_code == 400


def test_tokens_expire_mid_run(sim_cloud: Any) -> None:
    # 3 s, not 1: on a loaded machine the first request can take over a second to arrive
    sim = sim_cloud([FakeTenant(name="fake")], token_lifetime=dt.timedelta(seconds=3))
    c = client(sim, token(sim, "fake"))
    assert c.get(f"{sim.graph}/groups").status_code == 200
    time.sleep(3.2)
    r = c.get(f"{sim.graph}/groups")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "InvalidAuthenticationToken"


def test_invalid_fault_rates_are_refused() -> None:
    with pytest.raises(ValueError, match="fault rates"):
        FaultSettings(server_error_rate=0.7, reset_rate=0.7)
    with pytest.raises(ValueError, match="fault rates"):
        FaultSettings(malformed_rate=-0.1)


def test_injector_draws_in_proportion() -> None:
    injector = FaultInjector(FaultSettings(seed=1, server_error_rate=0.2, reset_rate=0.1))
    draws = [injector.draw() for _ in range(5000)]
    assert 0.17 < draws.count(Fault.SERVER_ERROR) / 5000 < 0.23
    assert 0.07 < draws.count(Fault.CONNECTION_RESET) / 5000 < 0.13
    assert Fault.MALFORMED not in draws


def test_latency_model() -> None:
    assert LatencyModel("none").delay("graph", 1000) == 0
    small = [LatencyModel("realistic", seed=s).delay("graph", 10) for s in range(300)]
    large = [LatencyModel("realistic", seed=s).delay("graph", 1000) for s in range(300)]
    exchange = [LatencyModel("realistic", seed=s).delay("exchange", 10) for s in range(300)]
    assert 0.05 < statistics.median(small) < 0.09
    assert 0.2 < statistics.median(large) < 0.3
    assert 0.3 < statistics.median(exchange) < 0.5
    assert LatencyModel("realistic", seed=3).delay("graph", 5) == LatencyModel(
        "realistic", seed=3
    ).delay("graph", 5)
    with pytest.raises(ValueError, match="latency"):
        LatencyModel("slow")
