"""Benchmark 2: cosec's collector against Microsoft's msgraph-sdk reading the same Graph
resources from the same simulated 1,000-user tenant in the same run (realistic latency,
Microsoft's limits with windows scaled by WINDOW_SCALE for both; DAYS of events). Reports
wall and CPU time of each reader, measured in its own fresh process.

The SDK is used as its documentation shows (FACTS.md recipe): GraphServiceClient over a
GraphRequestAdapter with the default middleware (its retry handler honours Retry-After),
pages followed with `with_url(odata_next_link).get()`; the resources are read
concurrently, pages of one resource in sequence; a request on a connection the server
closed while idle is retried (the SDK does not). cosec does more work in its time: it
also stores everything (SQLite) and reads subscribedSkus for licence detection.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from bench import write_result
from bench.collect_support import (
    SimSpec,
    child_result,
    collect_in_child,
    make_workspace,
    simulator_process,
)
from cosec.collect.registry import FETCHES, STREAM_FETCHES

WINDOW_SCALE = 0.1
USERS = 1_000
DAYS = 7  # event window: the SDK needs minutes of CPU per week of a 1,000-user tenant
RESOURCE_KEYS = [
    "users",
    "groups",
    "managedDevices",
    "conditionalAccessPolicies",
    "roleAssignments",
]
STREAM_KEYS = ["signIns", "directoryAudits", "alerts", "incidents"]


def _queries(now: datetime) -> dict[str, str]:
    """The same path and query string cosec sends, per key."""
    urls: dict[str, str] = {}
    for key in RESOURCE_KEYS:
        fetch = FETCHES[key]
        urls[key] = f"{fetch.path}?{urlencode(fetch.query(), safe='$,')}"
    start, end = now - timedelta(days=DAYS), now
    for key in STREAM_KEYS:
        s = STREAM_FETCHES[key]
        f = s.filter_field
        q = {
            "$filter": f"{f} ge {start:%Y-%m-%dT%H:%M:%SZ} and {f} le {end:%Y-%m-%dT%H:%M:%SZ}",
            "$select": ",".join(s.select),
        }
        if s.top:
            q["$top"] = str(s.top)
        urls[key] = f"{s.path}?{urlencode(q, safe='$,')}"
    return urls


async def _sdk_read(handle: dict[str, Any]) -> dict[str, int]:
    import httpx
    from azure.identity.aio import ClientSecretCredential
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph_core import GraphClientFactory

    t = handle["tenants"][0]
    credential = ClientSecretCredential(
        t["tenant_id"],
        t["client_id"],
        t["client_secret"],
        authority=handle["login"],
        disable_instance_discovery=True,
        connection_verify=handle["ca"],
    )
    auth = AzureIdentityAuthenticationProvider(
        credential, scopes=["https://graph.microsoft.com/.default"], allowed_hosts=["localhost"]
    )
    http = GraphClientFactory.create_with_default_middleware(
        client=httpx.AsyncClient(verify=handle["ca"], timeout=120)
    )
    adapter = GraphRequestAdapter(auth, http)
    adapter.base_url = handle["graph"]
    client = GraphServiceClient(request_adapter=adapter)
    builders = {
        "users": client.users,
        "groups": client.groups,
        "managedDevices": client.device_management.managed_devices,
        "conditionalAccessPolicies": client.identity.conditional_access.policies,
        "roleAssignments": client.role_management.directory.role_assignments,
        "signIns": client.audit_logs.sign_ins,
        "directoryAudits": client.audit_logs.directory_audits,
        "alerts": client.security.alerts_v2,
        "incidents": client.security.incidents,
    }
    urls = _queries(datetime.now(UTC))

    async def get(builder: Any, url: str) -> Any:
        # The SDK's middleware does not retry a connection the server closed while idle
        # (uvicorn drops keep-alive connections after 5 s); retry that here, as an SDK
        # user would have to.
        for attempt in range(5):
            try:
                return await builder.with_url(url).get()
            except httpx.TransportError:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    async def read(key: str) -> tuple[str, int]:
        builder: Any = builders[key]
        page = await get(builder, f"{handle['graph']}/{urls[key]}")
        count = len(page.value or [])
        while page.odata_next_link:
            page = await get(builder, page.odata_next_link)
            count += len(page.value or [])
        return key, count

    counts = dict(await asyncio.gather(*(read(k) for k in builders)))
    await credential.close()
    return counts


def _sdk_child(handle: dict[str, Any], out: Any) -> None:
    import resource

    cpu0, wall0 = time.process_time(), time.monotonic()
    counts = asyncio.run(_sdk_read(handle))
    out.put(
        {
            "wall_s": time.monotonic() - wall0,
            "cpu_s": time.process_time() - cpu0,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "items": counts,
        }
    )


def sdk_in_child(handle: dict[str, Any]) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_sdk_child, args=(handle, out))
    proc.start()
    return child_result(proc, out, 3600)


def main() -> None:
    spec = SimSpec(
        tenants=[{"name": "sdk", "seed": 9, "users": USERS, "days": 30}],
        latency="realistic",
        window_scale=WINDOW_SCALE,
    )
    with simulator_process(spec) as handle:
        workspace = make_workspace(handle)
        sdk = sdk_in_child(handle)
        time.sleep(70 * WINDOW_SCALE)  # let every throttle window drain between readers
        cosec = collect_in_child(
            workspace, keys=RESOURCE_KEYS + STREAM_KEYS, scale=WINDOW_SCALE, days=DAYS
        )
    (tenant,) = cosec["tenants"]
    cosec_items = {**tenant["events"]}
    wall_ratio = cosec["wall_s"] / sdk["wall_s"]
    cpu_ratio = cosec["cpu_s"] / sdk["cpu_s"]
    print(
        f"cosec {cosec['wall_s']:.1f}s wall / {cosec['cpu_s']:.1f}s CPU; "
        f"msgraph-sdk {sdk['wall_s']:.1f}s wall / {sdk['cpu_s']:.1f}s CPU; "
        f"ratios wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f}"
    )
    write_result(
        "collect_vs_sdk",
        {
            "users": USERS,
            "event_days": DAYS,
            "window_scale": WINDOW_SCALE,
            "resources": RESOURCE_KEYS + STREAM_KEYS,
            "cosec": {
                "wall_s": round(cosec["wall_s"], 2),
                "cpu_s": round(cosec["cpu_s"], 2),
                "peak_rss_mib": round(cosec["peak_rss_mib"], 1),
                "requests": tenant["requests"],
                "throttled_429": tenant["throttled"],
                "events": cosec_items,
            },
            "msgraph_sdk": {
                "wall_s": round(sdk["wall_s"], 2),
                "cpu_s": round(sdk["cpu_s"], 2),
                "peak_rss_mib": round(sdk["peak_rss_mib"], 1),
                "items": sdk["items"],
            },
            "wall_ratio_cosec_to_sdk": round(wall_ratio, 3),
            "cpu_ratio_cosec_to_sdk": round(cpu_ratio, 3),
            "goal": "cpu ratio <= 0.333 and wall ratio <= 1.0",
            "goal_met": cpu_ratio <= 1 / 3 and wall_ratio <= 1.0,
        },
    )


if __name__ == "__main__":
    main()
