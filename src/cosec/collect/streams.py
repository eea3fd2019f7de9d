"""Event streams: incremental windows from a watermark, stored page by page.

A window runs from the watermark minus an overlap (late events: sign-ins can arrive
hours late) to the collection's end time. Pages are stored as they arrive; the
watermark moves to the window's end in the same transaction as the last page, so a
crash before then re-reads the window next time and the unique key drops duplicates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cosec.collect import outcomes
from cosec.collect.registry import SIMULATION_USERS, StreamFetch
from cosec.errors import CosecError, CredentialError
from cosec.graph.client import TenantClient
from cosec.graph.errors import Label
from cosec.model.resources import Licence
from cosec.model.snapshot import JsonObject, Outcome, ResourceOutcome
from cosec.store.engine import Store
from cosec.store.events import NewEvent, put_events, set_watermark, watermark


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class StreamOutcome:
    outcome: ResourceOutcome
    fetched: int = 0
    window: Window | None = None


def odata_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def event_id(item: JsonObject) -> str:
    """The record's id, or a content hash for records without one."""
    found = item.get("id")
    if isinstance(found, str | int) and str(found):
        return str(found)
    text = json.dumps(item, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _label(fetch: StreamFetch) -> Label:
    spec = fetch.spec
    return Label(spec.key, spec.permission, spec.licence.value if spec.licence else None)


def _to_event(fetch: StreamFetch, item: JsonObject, fallback: datetime) -> NewEvent:
    if fetch.versioned:
        created = parse_time(item.get("createdDateTime")) or fallback
        version = parse_time(item.get(fetch.filter_field)) or created
        return NewEvent(event_id(item), created, item, version)
    when = parse_time(item.get(fetch.filter_field)) or fallback
    return NewEvent(event_id(item), when, item)


class StreamCollector:
    """Collects the API streams of one tenant into the store."""

    def __init__(
        self,
        client: TenantClient,
        store: Store,
        *,
        first_start: datetime,
        end: datetime,
        overlap: timedelta,
        now: Callable[[], datetime],
    ) -> None:
        self.client = client
        self.store = store
        self.first_start = first_start
        self.end = end
        self.overlap = overlap
        self.now = now

    def window(self, stream: str) -> Window:
        with self.store.session() as s:
            mark = watermark(s, self.client.tenant, stream)
        start = self.first_start if mark is None else min(mark - self.overlap, self.end)
        return Window(start, self.end)

    async def collect(self, fetch: StreamFetch, licences: set[Licence] | None) -> StreamOutcome:
        key = fetch.key
        licence = fetch.spec.licence
        if licence is not None and licences is not None and licence not in licences:
            return StreamOutcome(outcomes.unlicensed(key, licence))
        window = self.window(key)
        try:
            if key == "attackSimulationResults":
                fetched = await self._simulations(fetch, window)
            else:
                fetched = await self._windowed(fetch, window)
        except CredentialError:
            raise
        except CosecError as exc:
            return StreamOutcome(outcomes.failed(key, exc, licence), window=window)
        return StreamOutcome(ResourceOutcome(key, Outcome.OK, item_count=fetched), fetched, window)

    async def _windowed(self, fetch: StreamFetch, window: Window) -> int:
        f = fetch.filter_field
        params = {
            "$filter": f"{f} ge {odata_time(window.start)} and {f} le {odata_time(window.end)}"
        }
        if fetch.select:
            params["$select"] = ",".join(fetch.select)
        if fetch.top is not None:
            params["$top"] = str(fetch.top)
        path: str | None = fetch.path
        query: dict[str, str] | None = params
        buckets = self.client.buckets_for(fetch.spec.service, fetch.path, params)
        fetched = 0
        while path is not None:
            items, path = await self.client.page(
                fetch.spec.service, path, query, _label(fetch), buckets=buckets
            )
            query = None
            fetched += len(items)
            self._store(
                fetch.key,
                [_to_event(fetch, i, window.end) for i in items],
                window.end if path is None else None,
            )
        return fetched

    def _store(self, stream: str, events: list[NewEvent], complete: datetime | None) -> None:
        """One page in one transaction; with the last page, the watermark moves too."""
        with self.store.session() as s:
            put_events(s, self.client.tenant, stream, events)
            if complete is not None:
                set_watermark(s, self.client.tenant, stream, complete, now=self.now())

    async def _simulations(self, fetch: StreamFetch, window: Window) -> int:
        """Per-user results of every simulation still running or finished in the window."""
        params = {"$select": ",".join(fetch.select)} if fetch.select else None
        label = _label(fetch)
        sims: list[JsonObject] = []
        async for page in self.client.pages(
            fetch.spec.service, fetch.path, params=params, label=label
        ):
            sims.extend(page)
        recent = {
            str(s["id"]): s
            for s in sims
            if s.get("id")
            and ((parse_time(s.get("completionDateTime")) or window.end) >= window.start)
        }
        paths = {sid: SIMULATION_USERS.format(id=sid) for sid in recent}
        got = await self.client.children(paths, label=label)
        events: list[NewEvent] = []
        for sid, rows in got.items():
            sim = recent[sid]
            launched = parse_time(sim.get("launchDateTime")) or window.end
            for row in rows or []:
                events.append(_simulation_event(sim, row, launched))
        self._store(fetch.key, events, window.end)
        return len(events)


def _simulation_event(sim: JsonObject, row: JsonObject, launched: datetime) -> NewEvent:
    """One user's result in one simulation; raw keeps both records unchanged."""
    user = row.get("simulationUser") or {}
    who = user.get("userId") or user.get("email") or event_id(row)
    times = [
        parse_time(e.get("eventDateTime"))
        for e in row.get("simulationEvents") or []
        if isinstance(e, dict)
    ]
    times += [
        parse_time(row.get("compromisedDateTime")),
        parse_time(row.get("reportedPhishDateTime")),
    ]
    latest = max((t for t in times if t is not None), default=launched)
    raw = {"simulation": sim, "result": row}
    return NewEvent(f"{sim['id']}:{who}", launched, raw, latest)
