"""Service plans that turn on the licensed features cosec's data depends on, all clouds.

Names and ids are those of Microsoft's published reference "Product names and service
plan identifiers for licensing" (commercial, GCC, GCC High and DoD share the plan names
listed here; the government plans carry a `_GOV` name and their own id). A plan is
recognised by its id first and its name second, so a renamed plan still counts. The
G3/G5 and E3/E5 suites need no entry of their own: their SKUs list these plans.

`EXCHANGE_S_FOUNDATION` (and its `_GOV` twin) is deliberately absent: it ships in
non-mail SKUs (EMS, Entra ID P2) to host their Exchange-side features and gives no
mailbox.
"""

from __future__ import annotations

from cosec.model.resources import Licence

L = Licence

# servicePlanId → (servicePlanName, features it turns on)
SERVICE_PLANS: dict[str, tuple[str, tuple[Licence, ...]]] = {
    "41781fb2-bc02-4b7c-bd55-b576c07bb09d": ("AAD_PREMIUM", (L.ENTRA_P1,)),
    "eec0eb4f-6444-4f95-aba0-50c24d67f998": ("AAD_PREMIUM_P2", (L.ENTRA_P2, L.ENTRA_P1)),
    "c1ec4a95-1f05-45b3-a911-aa3fa01094f5": ("INTUNE_A", (L.INTUNE,)),
    "d216f254-796f-4dab-bbfa-710686e646b9": ("INTUNE_A_GOV", (L.INTUNE,)),
    "da24caf9-af8e-485c-b7c8-e73336da2693": ("INTUNE_EDU", (L.INTUNE,)),
    "efb87545-963c-4e0d-99df-69c6916d9eb0": ("EXCHANGE_S_ENTERPRISE", (L.EXCHANGE,)),
    "8c3069c0-ccdb-44be-ab77-986203a67df2": ("EXCHANGE_S_ENTERPRISE_GOV", (L.EXCHANGE,)),
    "9aaf7827-d63c-4b61-89c3-182f06f82e5c": ("EXCHANGE_S_STANDARD", (L.EXCHANGE,)),
    "f20fedf3-f3c3-43c3-8267-2bfdd51c0939": ("ATP_ENTERPRISE", (L.DEFENDER_O365,)),
    "493ff600-6a2b-4db6-ad37-a7d4eb214516": ("ATP_ENTERPRISE_GOV", (L.DEFENDER_O365,)),
    "8e0c0a52-6a6c-4d40-8370-dd62790dcd70": ("THREAT_INTELLIGENCE", (L.DEFENDER_O365,)),
    "900018f1-0cdb-4ecb-94d4-90281760fdc6": ("THREAT_INTELLIGENCE_GOV", (L.DEFENDER_O365,)),
    "871d91ec-ec1a-452b-a83f-bd76c7d770ef": ("WINDEFATP", (L.DEFENDER_ENDPOINT,)),
    "bfc1bbd9-981b-4f71-9b82-17c35fd0e2a4": ("MDE_SMB", (L.DEFENDER_ENDPOINT,)),
}
_BY_NAME: dict[str, tuple[Licence, ...]] = dict(SERVICE_PLANS.values())
# Exchange mailbox plans not listed one by one (kiosk, deskless, education variants).
_MAILBOX_PREFIX = "EXCHANGE_S_"
_NOT_A_MAILBOX = frozenset({"EXCHANGE_S_FOUNDATION", "EXCHANGE_S_FOUNDATION_GOV"})
# Defender for Office 365 Plan 2 (attack simulation, Threat Explorer), every cloud.
MDO_PLAN2 = frozenset({"THREAT_INTELLIGENCE", "THREAT_INTELLIGENCE_GOV"})
MDO_PLAN2_IDS = frozenset(i for i, (name, _) in SERVICE_PLANS.items() if name in MDO_PLAN2)


def plan_features(name: str, plan_id: str = "") -> tuple[Licence, ...]:
    """Features one service plan turns on (by id, else by name); () when none."""
    known = SERVICE_PLANS.get(plan_id.lower())
    if known is not None:
        return known[1]
    found = _BY_NAME.get(name)
    if found is not None:
        return found
    if name.startswith(_MAILBOX_PREFIX) and name not in _NOT_A_MAILBOX:
        return (L.EXCHANGE,)
    return ()


def plan_name(name: str, plan_id: str = "") -> str:
    """The reference name of a plan (its id decides), else the name as given."""
    known = SERVICE_PLANS.get(plan_id.lower())
    return known[0] if known is not None else name
