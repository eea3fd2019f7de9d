"""Run the simulated cloud under uvicorn with TLS: in a background thread (tests, demo)
or in the foreground (`cosec simulator serve`)."""

from __future__ import annotations

import datetime as dt
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from cosec.simulator.api.app import build_app
from cosec.simulator.api.common import SimState
from cosec.simulator.ca import ensure_tls
from cosec.simulator.cloud import SimCloud
from cosec.simulator.contract import TenantData
from cosec.simulator.faults import FaultInjector, FaultSettings, LatencyModel
from cosec.simulator.throttle import Throttler


@dataclass(frozen=True)
class SimulatorConfig:
    tenants: Sequence[TenantData]
    state_dir: Path
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port
    latency: str = "none"  # realistic | none
    seed: int = 0
    throttling: bool = True
    limit_scale: float = 1.0
    window_scale: float = 1.0
    faults: FaultSettings = field(default_factory=FaultSettings)
    token_lifetime: dt.timedelta = dt.timedelta(hours=1)


@dataclass(frozen=True)
class TenantCredentials:
    name: str
    tenant_id: str
    primary_domain: str
    client_id: str
    client_secret: str
    certificate: Path  # PEM: private key + certificate of the read app
    response_client_id: str
    response_client_secret: str


@dataclass
class SimulatorHandle:
    base: str
    login: str
    graph: str
    exchange: str
    defender: str
    ca: Path
    control_token: str
    tenants: list[TenantCredentials]
    cloud: SimCloud
    state: SimState

    def tenant(self, name: str) -> TenantCredentials:
        for t in self.tenants:
            if name in (t.name, t.tenant_id):
                return t
        raise KeyError(f"no simulated tenant {name!r}")

    def as_json(self) -> dict[str, Any]:
        return {
            "graph": self.graph,
            "login": self.login,
            "exchange": self.exchange,
            "defender": self.defender,
            "ca": str(self.ca),
            "control_token": self.control_token,
            "tenants": [
                {
                    "name": t.name,
                    "tenant_id": t.tenant_id,
                    "primary_domain": t.primary_domain,
                    "client_id": t.client_id,
                    "client_secret": t.client_secret,
                    "certificate": str(t.certificate),
                    "response_client_id": t.response_client_id,
                    "response_client_secret": t.response_client_secret,
                }
                for t in self.tenants
            ],
        }


def _prepare(config: SimulatorConfig) -> tuple[SimState, list[TenantCredentials]]:
    cloud = SimCloud(token_lifetime=config.token_lifetime)
    creds: list[TenantCredentials] = []
    config.state_dir.mkdir(parents=True, exist_ok=True)
    for data in config.tenants:
        entry = cloud.add_tenant(data)
        cert = config.state_dir / f"{data.name}-reader.pem"
        cert.touch(mode=0o600, exist_ok=True)
        cert.chmod(0o600)
        cert.write_text(entry.read_app.certificate_pem)
        creds.append(
            TenantCredentials(
                name=data.name,
                tenant_id=data.tenant_id,
                primary_domain=data.primary_domain,
                client_id=entry.read_app.client_id,
                client_secret=entry.read_app.secret,
                certificate=cert,
                response_client_id=entry.response_app.client_id,
                response_client_secret=entry.response_app.secret,
            )
        )
    state = SimState(
        cloud=cloud,
        throttler=Throttler(
            enabled=config.throttling,
            limit_scale=config.limit_scale,
            window_scale=config.window_scale,
        ),
        faults=FaultInjector(config.faults),
        latency=LatencyModel(config.latency, seed=config.seed),
    )
    return state, creds


def _server(config: SimulatorConfig, state: SimState, foreground: bool) -> uvicorn.Server:
    tls = ensure_tls(config.state_dir)
    return uvicorn.Server(
        uvicorn.Config(
            build_app(state),
            ssl_certfile=str(tls.server_cert),
            ssl_keyfile=str(tls.server_key),
            log_level="warning" if foreground else "critical",
            access_log=False,
            lifespan="off",
            # Tests leave keep-alive connections open; do not wait long for them.
            timeout_graceful_shutdown=5 if foreground else 0,
        )
    )


def _bind(config: SimulatorConfig) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    sock.listen(512)
    return sock


def _handle(
    config: SimulatorConfig, state: SimState, creds: list[TenantCredentials], port: int
) -> SimulatorHandle:
    base = f"https://localhost:{port}"
    return SimulatorHandle(
        base=base,
        login=base,
        graph=f"{base}/v1.0",
        exchange=f"{base}/adminapi/beta",
        defender=base,
        ca=config.state_dir / "ca.pem",
        control_token=state.control_token,
        tenants=creds,
        cloud=state.cloud,
        state=state,
    )


@contextmanager
def running_simulator(config: SimulatorConfig) -> Iterator[SimulatorHandle]:
    """Serve in a background thread until the block exits."""
    state, creds = _prepare(config)
    server = _server(config, state, foreground=False)
    sock = _bind(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="cosec-simulator", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the simulator did not start")
        time.sleep(0.01)
    try:
        yield _handle(config, state, creds, sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve_forever(config: SimulatorConfig, on_ready: Callable[[SimulatorHandle], None]) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM; `on_ready` runs once listening."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with running_simulator(config) as handle:
            on_ready(handle)
            try:
                stop.wait()
            except KeyboardInterrupt:
                return
    finally:
        signal.signal(signal.SIGTERM, previous)
