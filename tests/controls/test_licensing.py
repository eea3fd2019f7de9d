"""Licences by service plan, every cloud: the GCC case was not_applicable before."""

from __future__ import annotations

from typing import Any

from tests.controls.builder import E5_SKU, pairs, run, secure_tenant

from cosec.collect.licences import detect_licences
from cosec.controls.base import Status
from cosec.controls.email import safe_attachments, safe_links
from cosec.controls.identity import admins_no_mailbox
from cosec.model.resources import Licence

# Microsoft 365 G5 GCC: the plans Microsoft's licensing reference lists for it (subset).
G5_GCC_PLANS = (
    ("AAD_PREMIUM", "41781fb2-bc02-4b7c-bd55-b576c07bb09d"),
    ("AAD_PREMIUM_P2", "eec0eb4f-6444-4f95-aba0-50c24d67f998"),
    ("INTUNE_A_GOV", "d216f254-796f-4dab-bbfa-710686e646b9"),
    ("EXCHANGE_S_ENTERPRISE_GOV", "8c3069c0-ccdb-44be-ab77-986203a67df2"),
    ("ATP_ENTERPRISE_GOV", "493ff600-6a2b-4db6-ad37-a7d4eb214516"),
    ("THREAT_INTELLIGENCE_GOV", "900018f1-0cdb-4ecb-94d4-90281760fdc6"),
)


def _plans(plans: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
    return [
        {"servicePlanName": n, "servicePlanId": i, "provisioningStatus": "Success"}
        for n, i in plans
    ]


def _gcc_tenant() -> Any:
    t = secure_tenant()
    sku = t.find("subscribedSkus", skuId=E5_SKU)
    sku["skuPartNumber"] = "M365_G5_GCC"
    sku["servicePlans"] = _plans(G5_GCC_PLANS)
    return t


def test_gcc_g5_has_defender_for_office() -> None:
    for module in (safe_links, safe_attachments):
        f = run(module, _gcc_tenant())
        assert f.status is Status.PASS, f.summary


def test_gcc_plans_detected_by_collector() -> None:
    sku = {"capabilityStatus": "Enabled", "servicePlans": _plans(G5_GCC_PLANS)}
    assert detect_licences([sku]) == {
        Licence.ENTRA_P1,
        Licence.ENTRA_P2,
        Licence.INTUNE,
        Licence.EXCHANGE,
        Licence.DEFENDER_O365,
    }


def test_plan_recognised_by_id_when_renamed() -> None:
    sku = {
        "capabilityStatus": "Enabled",
        "servicePlans": [
            {
                "servicePlanName": "MDO_RENAMED",
                "servicePlanId": "493FF600-6A2B-4DB6-AD37-A7D4EB214516",
            }
        ],
    }
    assert detect_licences([sku]) == {Licence.DEFENDER_O365}


def test_exchange_foundation_is_not_a_mailbox() -> None:
    """EMS and Entra SKUs carry EXCHANGE_S_FOUNDATION: an admin with one has no mailbox."""
    t = secure_tenant()
    admin_sku = next(s for s in t.raw["subscribedSkus"] if s["skuId"] != E5_SKU)
    admin_sku["servicePlans"].append({"servicePlanName": "EXCHANGE_S_FOUNDATION"})
    f = run(admins_no_mailbox, t)
    assert f.status is Status.PASS
    assert all(ok for _, ok in pairs(f))
    assert detect_licences([{"capabilityStatus": "Enabled", **admin_sku}]) == {
        Licence.ENTRA_P1,
        Licence.ENTRA_P2,
    }
