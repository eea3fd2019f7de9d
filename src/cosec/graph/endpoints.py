"""Base URLs of the three services for one tenant (Microsoft's global cloud by default).

A tenant's `endpoints` may override the hosts (the simulator, a sovereign cloud). An
override may be given as the bare origin (``https://host:port``) or with the API's path
already on it; both resolve to the same base.
"""

from __future__ import annotations

from dataclasses import dataclass

from cosec.model.resources import Service

LOGIN = "https://login.microsoftonline.com"
GRAPH = "https://graph.microsoft.com"
EXCHANGE = "https://outlook.office365.com"
DEFENDER = "https://api.securitycenter.microsoft.com"

SCOPES: dict[Service, str] = {
    Service.GRAPH: "https://graph.microsoft.com/.default",
    Service.EXCHANGE: "https://outlook.office365.com/.default",
    Service.DEFENDER: "https://api.securitycenter.microsoft.com/.default",
}


def _with_path(origin: str, path: str) -> str:
    origin = origin.rstrip("/")
    return origin if origin.endswith(path) else origin + path


@dataclass(frozen=True)
class Endpoints:
    login: str
    graph: str  # ends in /v1.0
    exchange: str  # ends in /adminapi/beta/<tenant id>
    defender: str  # ends in /api
    ca_bundle: str | None
    custom: bool  # True when any host is overridden (simulator or sovereign cloud)

    @classmethod
    def for_tenant(cls, tenant_id: str, overrides: dict[str, str]) -> Endpoints:
        return cls(
            login=overrides.get("login", LOGIN).rstrip("/"),
            graph=_with_path(overrides.get("graph", GRAPH), "/v1.0"),
            exchange=_with_path(overrides.get("exchange", EXCHANGE), "/adminapi/beta")
            + f"/{tenant_id}",
            defender=_with_path(overrides.get("defender", DEFENDER), "/api"),
            ca_bundle=overrides.get("ca_bundle") or None,
            custom=any(overrides.get(k) for k in ("login", "graph", "exchange", "defender")),
        )

    def base(self, service: Service) -> str:
        if service is Service.GRAPH:
            return self.graph
        if service is Service.EXCHANGE:
            return self.exchange
        return self.defender
