"""Collection: the resource registry, snapshots, event streams and the multi-tenant runner.

`collect` joins `graph` (how to call Microsoft), `model` (what the keys mean) and `store`
(where results go). `collect_all` is the entry point the CLI, the jobs and the demo call.
"""

from cosec.collect.runner import CollectOptions, TenantResult, collect_all

__all__ = ["CollectOptions", "TenantResult", "collect_all"]
