"""The whole simulated cloud as one ASGI app (one host, one port, one CA).

Paths mirror Microsoft's hosts: `/{tenant}/oauth2/...` (login.microsoftonline.com),
`/v1.0/...` (graph.microsoft.com; `/beta/...` answers a Graph error),
`/adminapi/beta/...` (outlook.office365.com), `/api/...` (api.securitycenter.microsoft.com),
plus the simulator's `/_simulator/...`.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount

from cosec.simulator.api import identity
from cosec.simulator.api.beta import beta_app
from cosec.simulator.api.common import SimState
from cosec.simulator.api.control import control_app
from cosec.simulator.api.defender import defender_app
from cosec.simulator.api.exchange import exchange_app
from cosec.simulator.api.graph import graph_app


def build_app(state: SimState) -> Starlette:
    return Starlette(
        routes=[
            Mount("/v1.0", app=graph_app(state)),
            Mount("/beta", app=beta_app()),
            Mount("/adminapi/beta", app=exchange_app(state)),
            Mount("/api", app=defender_app(state)),
            Mount("/_simulator", app=control_app(state)),
            *identity.routes(state),
        ]
    )
