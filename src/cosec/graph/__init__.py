"""Async client for Microsoft Graph, the Exchange admin API and Defender for Endpoint.

Everything that talks to Microsoft (or to the simulator, which is reached the same way)
goes through `open_tenant_client`: tokens from azure-identity, pooled async HTTPS,
paging, `$batch`, a throttle-aware scheduler shared across tenants, retries and typed
errors. It knows HTTP and Microsoft's APIs, not the store.
"""

from cosec.graph.client import ClientStats, RetryPolicy, TenantClient, open_tenant_client
from cosec.graph.errors import Label
from cosec.graph.pool import HttpPool
from cosec.graph.throttle import Scheduler

__all__ = [
    "ClientStats",
    "HttpPool",
    "Label",
    "RetryPolicy",
    "Scheduler",
    "TenantClient",
    "open_tenant_client",
]
