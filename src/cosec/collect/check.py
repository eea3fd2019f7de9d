"""`cosec tenant check`: what the read app may do and what the tenant is licensed for."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from cosec.collect.licences import detect_licences
from cosec.collect.registry import FETCHES
from cosec.credentials import Credential, TenantInfo
from cosec.errors import CosecError
from cosec.graph.client import open_tenant_client
from cosec.graph.errors import Label
from cosec.model.resources import (
    RESOURCES,
    STREAMS,
    Licence,
    ResourceSpec,
    Service,
    StreamSpec,
)


@dataclass(frozen=True)
class Requirement:
    permission: str
    service: Service
    keys: tuple[str, ...]  # resources and streams that need it
    granted: bool | None  # None when the service's token could not be obtained


@dataclass
class TenantCheck:
    tenant: str
    requirements: list[Requirement] = field(default_factory=list)
    licences: set[Licence] | None = None
    errors: dict[str, str] = field(default_factory=dict)  # service or "licences" → reason

    @property
    def missing(self) -> list[Requirement]:
        return [r for r in self.requirements if r.granted is False]


def required_permissions() -> dict[tuple[Service, str], list[str]]:
    needed: dict[tuple[Service, str], list[str]] = {}
    specs: list[ResourceSpec | StreamSpec] = [*RESOURCES.values(), *STREAMS.values()]
    for spec in specs:
        needed.setdefault((spec.service, spec.permission), []).append(spec.key)
    return needed


async def check_tenant(info: TenantInfo, credential: Credential) -> TenantCheck:
    result = TenantCheck(info.name)
    client = open_tenant_client(info, credential)
    try:
        granted: dict[Service, set[str] | None] = {}
        for service in Service:
            try:
                granted[service] = set(await client.granted_roles(service))
            except CosecError as exc:
                granted[service] = None
                result.errors[service.value] = str(exc)
        for (service, permission), keys in sorted(required_permissions().items()):
            roles = granted[service]
            result.requirements.append(
                Requirement(
                    permission,
                    service,
                    tuple(keys),
                    None if roles is None else permission in roles,
                )
            )
        skus = FETCHES["subscribedSkus"]
        try:
            items = await client.list_all(
                Service.GRAPH,
                skus.path,
                params=skus.query(),
                label=Label("subscribedSkus", skus.spec.permission),
            )
            result.licences = detect_licences(items)
        except CosecError as exc:
            result.errors["licences"] = str(exc)
    finally:
        await client.aclose()
    return result


def run_check(info: TenantInfo, credential: Credential) -> TenantCheck:
    return asyncio.run(check_tenant(info, credential))
