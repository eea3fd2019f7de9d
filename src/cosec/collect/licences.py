"""Which licensed features a tenant has, from its subscribedSkus service plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cosec.model.licensing import plan_features
from cosec.model.resources import Licence

ACTIVE_SKU = {"Enabled"}
INACTIVE_PLAN = {"Disabled", "Suspended"}


def detect_licences(skus: Iterable[dict[str, Any]]) -> set[Licence]:
    """Features granted by SKUs whose capabilityStatus is Enabled (plans by id or name)."""
    found: set[Licence] = set()
    for sku in skus:
        if sku.get("capabilityStatus") not in ACTIVE_SKU:
            continue
        for plan in sku.get("servicePlans") or []:
            if not isinstance(plan, dict) or plan.get("provisioningStatus") in INACTIVE_PLAN:
                continue
            found.update(
                plan_features(
                    str(plan.get("servicePlanName", "")), str(plan.get("servicePlanId", ""))
                )
            )
    return found
