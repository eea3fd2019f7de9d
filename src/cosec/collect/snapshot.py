"""Reading one tenant's configuration state: every selected resource, concurrently.

Resources start together; a per-parent resource (group members, inbox rules) waits only
for its parents' list. A resource that cannot be read gets an outcome saying why and
never stops the others. Unlicensed resources are skipped without calling them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from cosec.collect import outcomes
from cosec.collect.licences import detect_licences
from cosec.collect.progress import Progress
from cosec.collect.registry import (
    FETCHES,
    POLICY_ASSIGNMENTS,
    SIGN_IN_ACTIVITY,
    USERS_TOP,
    ResourceFetch,
    Strategy,
)
from cosec.errors import CosecError, CredentialError, PermissionMissingError
from cosec.graph.client import TenantClient
from cosec.graph.errors import Label
from cosec.model.resources import Licence, Service
from cosec.model.snapshot import JsonObject, Outcome, ResourceOutcome

LICENCE_SOURCE = "subscribedSkus"


@dataclass
class ResourceSet:
    """What was read: outcome per key, raw items, per-parent items, licences seen."""

    outcomes: dict[str, ResourceOutcome] = field(default_factory=dict)
    raw: dict[str, list[JsonObject]] = field(default_factory=dict)
    per_parent: dict[str, dict[str, list[JsonObject]]] = field(default_factory=dict)
    licences: set[Licence] | None = None  # None when subscribedSkus could not be read
    licences_known: asyncio.Event = field(default_factory=asyncio.Event)


def with_parents(keys: Collection[str]) -> list[str]:
    """`keys` plus the parent resources per-parent ones need, parents first."""
    wanted = set(keys)
    for key in keys:
        parent = FETCHES[key].spec.per
        if parent and FETCHES[key].strategy is Strategy.CHILDREN:
            wanted.add(parent)
    wanted.add(LICENCE_SOURCE)
    return [k for k in FETCHES if k in wanted]


def _label(fetch: ResourceFetch) -> Label:
    spec = fetch.spec
    return Label(spec.key, spec.permission, spec.licence.value if spec.licence else None)


def _service(fetch: ResourceFetch) -> Service:
    return fetch.spec.service


async def _list(
    client: TenantClient, fetch: ResourceFetch, query: Mapping[str, str]
) -> list[JsonObject]:
    items: list[JsonObject] = []
    path: str | None = fetch.path
    params: Mapping[str, str] | None = query
    buckets = client.buckets_for(_service(fetch), fetch.path, query)
    pages = 0
    while path is not None:
        page, path = await client.page(
            _service(fetch), path, params, _label(fetch), buckets=buckets
        )
        items.extend(page)
        params = None
        pages += 1
        if fetch.max_pages is not None and pages >= fetch.max_pages:
            break
    return items


def _parents(key: str, items: list[JsonObject]) -> list[str]:
    if key == "messageRules":  # only members with a mail address can have an inbox
        items = [u for u in items if u.get("mail") and u.get("userType") != "Guest"]
    return [str(i["id"]) for i in items if i.get("id")]


class _Reader:
    def __init__(self, client: TenantClient, result: ResourceSet, progress: Progress) -> None:
        self.client = client
        self.result = result
        self.progress = progress
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.notes: dict[str, str] = {}  # what an ok resource is missing, if anything

    async def read(self, fetch: ResourceFetch) -> None:
        key = fetch.key
        licences = self.result.licences
        licence = fetch.spec.licence
        if key != LICENCE_SOURCE:
            await self.tasks[LICENCE_SOURCE]
            licences = self.result.licences
        if licence is not None and licences is not None and licence not in licences:
            self._done(outcomes.unlicensed(key, licence))
            return
        parent = fetch.spec.per if fetch.strategy is Strategy.CHILDREN else None
        if parent is not None:
            await self.tasks[parent]
            if self.result.outcomes[parent].status is not Outcome.OK:
                reason = f"not read: its parent resource {parent} could not be read"
                self._done(ResourceOutcome(key, Outcome.NOT_ASSESSED, reason))
                return
        try:
            got = await self._fetch(fetch, licences)
        except CredentialError:
            raise
        except CosecError as exc:
            self._done(outcomes.failed(key, exc, licence))
            return
        if isinstance(got, dict):
            self.result.per_parent[key] = got
            count = sum(len(v) for v in got.values())
        else:
            self.result.raw[key] = got
            count = len(got)
            if key == LICENCE_SOURCE:
                self.result.licences = detect_licences(got)
            if key == "users":
                self.client.scheduler.set_tenant_size(self.client.tenant_id, self.client.app, count)
        self._done(ResourceOutcome(key, Outcome.OK, self.notes.get(key, ""), item_count=count))

    def _done(self, outcome: ResourceOutcome) -> None:
        self.result.outcomes[outcome.resource] = outcome
        if outcome.resource == LICENCE_SOURCE:
            self.result.licences_known.set()
        self.progress.step_done(self.client.tenant, outcome.resource, outcome.status.value)

    async def _fetch(
        self, fetch: ResourceFetch, licences: set[Licence] | None
    ) -> list[JsonObject] | dict[str, list[JsonObject]]:
        client = self.client
        if fetch.strategy is Strategy.SINGLETON:
            return [
                await client.get_json(
                    _service(fetch), fetch.path, params=fetch.query(), label=_label(fetch)
                )
            ]
        if fetch.strategy is Strategy.CMDLET:
            return await client.invoke_exchange(fetch.path, fetch.params, label=_label(fetch))
        if fetch.strategy is Strategy.CHILDREN:
            return await self._children(fetch)
        if fetch.strategy is Strategy.GROUPED:
            grouped: dict[str, list[JsonObject]] = {}
            assert fetch.group_by is not None
            for item in await _list(client, fetch, fetch.query()):
                grouped.setdefault(str(item.get(fetch.group_by)), []).append(item)
            return grouped
        if fetch.key == "users":
            return await self._users(fetch, licences)
        items = await _list(client, fetch, fetch.query())
        if fetch.key == "deviceCompliancePolicies":
            await self._assignments(fetch, items)
        return items

    async def _users(self, fetch: ResourceFetch, licences: set[Licence] | None) -> list[JsonObject]:
        """Users with signInActivity when the tenant and the app allow it, else without.

        signInActivity needs Entra ID P1 and AuditLog.Read.All; without either the users
        are still read, and the outcome's reason says the activity is missing.
        """
        plain = fetch.query(drop=(SIGN_IN_ACTIVITY,))
        plain["$top"] = str(USERS_TOP)
        if licences is not None and Licence.ENTRA_P1 not in licences:
            self.notes[fetch.key] = f"{SIGN_IN_ACTIVITY} not read: no Entra ID P1 licence"
            return await _list(self.client, fetch, plain)
        try:
            return await _list(self.client, fetch, fetch.query())
        except PermissionMissingError as exc:
            self.notes[fetch.key] = f"{SIGN_IN_ACTIVITY} not read: {exc.message}"
            return await _list(self.client, fetch, plain)

    async def _children(self, fetch: ResourceFetch) -> dict[str, list[JsonObject]]:
        parent = fetch.spec.per
        assert parent is not None
        parents = _parents(fetch.key, self.result.raw.get(parent, []))
        paths = {pid: fetch.path.format(id=pid) for pid in parents}
        query = fetch.query()
        got = await self.client.children(paths, params=query, label=_label(fetch))
        return {pid: items for pid, items in got.items() if items is not None}

    async def _assignments(self, fetch: ResourceFetch, policies: list[JsonObject]) -> None:
        """Attach each compliance policy's assignments, as `$expand=assignments` would."""
        paths = {str(p["id"]): POLICY_ASSIGNMENTS.format(id=p["id"]) for p in policies}
        got = await self.client.children(paths, label=_label(fetch))
        for policy in policies:
            policy["assignments"] = got.get(str(policy["id"])) or []


async def read_resources(
    client: TenantClient, keys: Collection[str], progress: Progress, result: ResourceSet
) -> None:
    """Read `keys` (and the parents they need) into `result`. Raises CredentialError only
    when the app cannot authenticate at all; every other failure is an outcome."""
    reader = _Reader(client, result, progress)
    try:
        async with asyncio.TaskGroup() as group:
            for key in with_parents(keys):
                reader.tasks[key] = group.create_task(reader.read(FETCHES[key]), name=key)
    except* CredentialError as failed:
        raise first_leaf(failed) from None


def first_leaf(group: BaseExceptionGroup[Any]) -> BaseException:
    """The first real exception inside (possibly nested) exception groups."""
    found: BaseException = group
    while isinstance(found, BaseExceptionGroup):
        found = found.exceptions[0]
    return found
