"""Collecting many tenants at once, each isolated from the others' failures.

Per tenant: the snapshot resources and the event streams run concurrently (they draw
on different throttle buckets); the snapshot and the inbox-rule changes derived from it
are stored in one transaction at the end, the streams page by page as they go. All
tenants share one throttle scheduler (cross-tenant limits) and one connection pool.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from cosec.collect.progress import NoProgress, Progress
from cosec.collect.registry import STREAM_FETCHES
from cosec.collect.rule_changes import rule_changes
from cosec.collect.snapshot import ResourceSet, first_leaf, read_resources, with_parents
from cosec.collect.streams import StreamCollector, StreamOutcome
from cosec.credentials import Credential, TenantInfo
from cosec.errors import ConfigError, CosecError
from cosec.graph.client import ClientStats, TenantClient, open_tenant_client
from cosec.graph.pool import HttpPool
from cosec.graph.throttle import Scheduler
from cosec.model.resources import RESOURCES, STREAMS
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.runtime import Runtime
from cosec.store import tenants as tenant_repo
from cosec.store.engine import Store
from cosec.store.events import put_events, set_watermark
from cosec.store.snapshots import latest_snapshot, save_snapshot

SIMULATOR_DAY_HEADER = "X-Cosec-Simulator-Day"
MICROSOFT_SUFFIXES = (
    ".microsoft.com",
    ".microsoftonline.com",
    ".office365.com",
    ".office.com",
    ".microsoft.us",
    ".microsoftonline.us",
    ".office365.us",
    ".chinacloudapi.cn",
    ".partner.microsoftonline.cn",
)


@dataclass(frozen=True)
class CollectOptions:
    keys: frozenset[str] | None = None  # resource and stream keys; None = all of them
    since: datetime | None = None  # first window's start when a stream has no watermark
    as_of: date | None = None  # simulator only: collect the tenant as of this day
    overlap: timedelta = timedelta(hours=2)
    first_window: timedelta = timedelta(days=30)
    parallel_tenants: int = 64
    # Simulator only: the simulator's throttle window scale, so cosec paces to it.
    window_scale: float = 1.0

    def resources(self) -> list[str]:
        return [k for k in RESOURCES if self.keys is None or k in self.keys]

    def streams(self) -> list[str]:
        return [k for k in STREAMS if self.keys is None or k in self.keys]


@dataclass
class TenantResult:
    tenant: str
    error: str | None = None  # set when the tenant could not be collected at all
    snapshot_id: int | None = None
    taken_at: datetime | None = None
    outcomes: dict[str, ResourceOutcome] = field(default_factory=dict)
    streams: dict[str, StreamOutcome] = field(default_factory=dict)
    stats: ClientStats = field(default_factory=ClientStats)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def partial(self) -> bool:
        return any(o.status is not Outcome.OK for o in self.outcomes.values()) or any(
            s.outcome.status is not Outcome.OK for s in self.streams.values()
        )


def validate_keys(keys: Collection[str]) -> frozenset[str]:
    unknown = sorted(set(keys) - set(RESOURCES) - set(STREAMS))
    if unknown:
        raise ConfigError(
            f"unknown resource or stream: {', '.join(unknown)}",
            hint=f"Known: {', '.join([*RESOURCES, *STREAMS])}",
        )
    return frozenset(keys)


def is_simulator(info: TenantInfo) -> bool:
    """True when every service host is overridden and none is Microsoft's."""
    hosts = [info.endpoints.get(k) for k in ("login", "graph", "exchange", "defender")]
    if not all(hosts):
        return False
    names = [(urlsplit(h).hostname or "") for h in hosts if h]
    return not any(n == s.lstrip(".") or n.endswith(s) for n in names for s in MICROSOFT_SUFFIXES)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, dtime(23, 59, 59), UTC)


def collect_all(
    runtime: Runtime,
    tenants: Sequence[str] | None = None,
    options: CollectOptions | None = None,
    *,
    progress: Progress | None = None,
    scheduler: Scheduler | None = None,
) -> list[TenantResult]:
    """Collect every (or the named) tenant; one result per tenant, failures included."""
    options = options or CollectOptions()
    store = runtime.store
    with store.session() as s:
        infos = (
            [tenant_repo.get_tenant(s, n) for n in tenants]
            if tenants
            else tenant_repo.list_tenants(s)
        )
    if options.window_scale <= 0:
        raise ConfigError("the throttle window scale must be positive")
    if options.as_of is not None or options.window_scale != 1.0:
        refused = [i.name for i in infos if not is_simulator(i)]
        if refused:
            raise ConfigError(
                f"--as-of and --throttle-scale apply to the simulator only; "
                f"{', '.join(refused)} is not a simulator tenant"
            )
    creds: dict[str, Credential | CosecError] = {}
    for info in infos:
        try:
            with store.session() as s:
                creds[info.name] = tenant_repo.credential(s, runtime.secret_box, info.name)
        except CosecError as exc:
            creds[info.name] = exc
    return asyncio.run(
        _collect_many(
            store, infos, creds, options, runtime.now(), progress or NoProgress(), scheduler
        )
    )


async def _collect_many(
    store: Store,
    infos: Sequence[TenantInfo],
    creds: dict[str, Credential | CosecError],
    options: CollectOptions,
    now: datetime,
    progress: Progress,
    scheduler: Scheduler | None,
) -> list[TenantResult]:
    scheduler = scheduler or Scheduler(window_scale=options.window_scale)
    gate = asyncio.Semaphore(options.parallel_tenants)
    async with HttpPool() as pool:

        async def one(info: TenantInfo) -> TenantResult:
            async with gate:
                cred = creds[info.name]
                if isinstance(cred, CosecError):
                    progress.tenant_finished(info.name, False)
                    return TenantResult(info.name, error=str(cred))
                return await collect_tenant(
                    store, info, cred, options, now, progress, scheduler=scheduler, pool=pool
                )

        return list(await asyncio.gather(*(one(i) for i in infos)))


async def collect_tenant(
    store: Store,
    info: TenantInfo,
    credential: Credential,
    options: CollectOptions,
    now: datetime,
    progress: Progress,
    *,
    scheduler: Scheduler,
    pool: HttpPool,
) -> TenantResult:
    """One tenant: never raises for the tenant's own failures (they go in the result)."""
    started = time.monotonic()
    headers = {}
    taken_at = now
    if options.as_of is not None:
        headers[SIMULATOR_DAY_HEADER] = options.as_of.isoformat()
        taken_at = end_of_day(options.as_of)
    result = TenantResult(info.name, taken_at=taken_at)
    resources = options.resources()
    streams = options.streams()
    if "messageRuleChanges" in streams and "messageRules" not in resources:
        resources.append("messageRules")  # the changes are derived from it
    progress.tenant_started(info.name, len(with_parents(resources)) + len(streams))
    client = open_tenant_client(info, credential, scheduler=scheduler, pool=pool, headers=headers)
    try:
        await _collect(
            client, store, info, options, taken_at, now, resources, streams, result, progress
        )
    except CosecError as exc:
        result.error = str(exc)
    finally:
        await client.aclose()
        result.stats = client.stats
        result.seconds = time.monotonic() - started
    progress.tenant_finished(info.name, result.ok)
    return result


async def _collect(
    client: TenantClient,
    store: Store,
    info: TenantInfo,
    options: CollectOptions,
    taken_at: datetime,
    now: datetime,
    resources: list[str],
    streams: list[str],
    result: TenantResult,
    progress: Progress,
) -> None:
    first_start = options.since or (taken_at - options.first_window)
    collector = StreamCollector(
        client,
        store,
        first_start=first_start,
        end=taken_at,
        overlap=options.overlap,
        now=lambda: now,
    )
    got = ResourceSet()
    api_streams = [k for k in streams if not STREAM_FETCHES[k].derived]
    derive = "messageRuleChanges" in streams

    async def stream(key: str) -> None:
        await got.licences_known.wait()  # licences come with subscribedSkus
        done = await collector.collect(STREAM_FETCHES[key], got.licences)
        result.streams[key] = done
        progress.step_done(info.name, key, done.outcome.status.value)

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(read_resources(client, resources, progress, got))
            for key in api_streams:
                group.create_task(stream(key))
    except* CosecError as failures:
        raise first_leaf(failures) from None
    if not resources:
        return
    wanted = set(resources)
    result.outcomes = {k: o for k, o in got.outcomes.items() if k in wanted}
    snapshot = Snapshot(
        tenant=info.name,
        taken_at=taken_at,
        outcomes=result.outcomes,
        raw={k: v for k, v in got.raw.items() if k in wanted},
        raw_per_parent={k: v for k, v in got.per_parent.items() if k in wanted},
    )
    with store.session() as s:
        previous = latest_snapshot(s, info.name, at_or_before=taken_at) if derive else None
        result.snapshot_id = save_snapshot(
            s,
            snapshot,
            started_at=now,
            finished_at=now,
            as_of=options.as_of,
            stats={"requests": client.stats.requests, "throttled": client.stats.throttled},
        )
        if derive:
            derived = _derive_rule_changes(s, info.name, previous, snapshot, now)
            result.streams["messageRuleChanges"] = derived
            progress.step_done(info.name, "messageRuleChanges", derived.outcome.status.value)


def _derive_rule_changes(
    session: Session, tenant: str, previous: Snapshot | None, current: Snapshot, now: datetime
) -> StreamOutcome:
    key = "messageRuleChanges"
    if not current.available("messageRules"):
        reason = f"not derived: {current.outcome('messageRules').reason}"
        cur = current.outcome("messageRules")
        return StreamOutcome(
            ResourceOutcome(key, Outcome.NOT_ASSESSED, reason, cur.permission, cur.licence)
        )
    if previous is None or not previous.available("messageRules"):
        events = []  # the first readable snapshot is the baseline
    else:
        events = rule_changes(
            previous.children("messageRules"), current.children("messageRules"), current.taken_at
        )
    put_events(session, tenant, key, events)
    set_watermark(session, tenant, key, current.taken_at, now=now)
    return StreamOutcome(ResourceOutcome(key, Outcome.OK, item_count=len(events)), len(events))
