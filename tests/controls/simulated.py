"""Snapshots straight from the simulator's tenant data (no HTTP), for control tests and
the assessment benchmark.

The collector reads the same data over HTTPS (tested in tests/collect); here the raw
sections are taken from the `TenantData` methods so a 10,000-user tenant is cheap to build.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cosec.collect.registry import FETCHES, Strategy
from cosec.model.resources import RESOURCES, Licence, Service
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.simulator.contract import GRAPH_SINGLETONS, TenantData
from cosec.simulator.history import day_end

FEATURE = {
    Licence.ENTRA_P1: "entra_p1",
    Licence.ENTRA_P2: "entra_p2",
    Licence.INTUNE: "intune",
    Licence.EXCHANGE: "exchange",
    Licence.DEFENDER_O365: "mdo_p1",
    Licence.DEFENDER_ENDPOINT: "mde",
}
SIM_KEY = {
    "roleEligibilitySchedules": "roleEligibilityScheduleInstances",
    "roleAssignmentSchedules": "roleAssignmentScheduleInstances",
}
PARENTS = {"groupMembers": "groups", "messageRules": "users"}
# resource key → the cmdlet the collector calls for it
CMDLETS = {k: f.path for k, f in FETCHES.items() if f.strategy is Strategy.CMDLET}


def snapshot_of(tenant: TenantData, day: date | None = None) -> Snapshot:
    day = day or tenant.last_day
    raw: dict[str, list[dict[str, Any]]] = {}
    per: dict[str, dict[str, list[dict[str, Any]]]] = {}
    outcomes: dict[str, ResourceOutcome] = {}
    for key, spec in RESOURCES.items():
        if spec.licence is not None and not tenant.licensed(FEATURE[spec.licence]):
            outcomes[key] = ResourceOutcome(
                key, Outcome.NOT_ASSESSED, "licence missing", licence=spec.licence.value
            )
            continue
        if spec.service is Service.EXCHANGE:
            raw[key] = list(tenant.exchange(CMDLETS[key], {}, day))
        elif key == "mdeMachines":
            raw[key] = list(tenant.mde_machines(day))
        elif key == "mdeVulnerabilities":
            per[key] = {
                m["id"]: list(tenant.mde_vulnerabilities(m["id"], day) or [])
                for m in raw["mdeMachines"]
            }
        elif key in PARENTS:
            per[key] = {
                p["id"]: list(tenant.children(key, p["id"], day) or []) for p in raw[PARENTS[key]]
            }
        elif key in GRAPH_SINGLETONS:
            raw[key] = [tenant.singleton(key, day)]
        else:
            raw[key] = [dict(item) for item in tenant.collection(SIM_KEY.get(key, key), day)]
        if key == "deviceCompliancePolicies":
            for policy in raw[key]:
                got = tenant.children("compliancePolicyAssignments", policy["id"], day)
                policy["assignments"] = list(got or [])
        count = len(raw.get(key, [])) or sum(len(v) for v in per.get(key, {}).values())
        outcomes[key] = ResourceOutcome(key, Outcome.OK, item_count=count)
    return Snapshot(
        tenant=tenant.name,
        taken_at=day_end(day),
        outcomes=outcomes,
        raw=raw,
        raw_per_parent=per,
    )
