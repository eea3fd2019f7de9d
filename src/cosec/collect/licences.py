"""Which licensed features a tenant has, from its subscribedSkus service plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cosec.model.resources import Licence

# Service plan names Microsoft uses in subscribedSkus, and the feature each one grants.
_EXACT: dict[str, tuple[Licence, ...]] = {
    "AAD_PREMIUM": (Licence.ENTRA_P1,),
    "AAD_PREMIUM_P2": (Licence.ENTRA_P2, Licence.ENTRA_P1),
    "INTUNE_A": (Licence.INTUNE,),
    "ATP_ENTERPRISE": (Licence.DEFENDER_O365,),
    "THREAT_INTELLIGENCE": (Licence.DEFENDER_O365,),
    "WINDEFATP": (Licence.DEFENDER_ENDPOINT,),
    "MDE_SMB": (Licence.DEFENDER_ENDPOINT,),
}
_PREFIXES: dict[str, tuple[Licence, ...]] = {"EXCHANGE_S_": (Licence.EXCHANGE,)}
ACTIVE_SKU = {"Enabled"}
INACTIVE_PLAN = {"Disabled", "Suspended"}


def plan_licences(plan_name: str) -> tuple[Licence, ...]:
    found = _EXACT.get(plan_name)
    if found is not None:
        return found
    for prefix, licences in _PREFIXES.items():
        if plan_name.startswith(prefix):
            return licences
    return ()


def detect_licences(skus: Iterable[dict[str, Any]]) -> set[Licence]:
    """Features granted by SKUs whose capabilityStatus is Enabled."""
    found: set[Licence] = set()
    for sku in skus:
        if sku.get("capabilityStatus") not in ACTIVE_SKU:
            continue
        for plan in sku.get("servicePlans") or []:
            if not isinstance(plan, dict) or plan.get("provisioningStatus") in INACTIVE_PLAN:
                continue
            found.update(plan_licences(str(plan.get("servicePlanName", ""))))
    return found
