"""Organisation, verified domains and subscribed SKUs."""

from __future__ import annotations

from datetime import datetime

from cosec.simulator.catalog import FEATURE_PLANS, SERVICE_PLANS, Sku
from cosec.simulator.history import Json
from cosec.simulator.seeding import iso


def organization_json(
    tenant_id: str, name: str, domains: list[str], created: datetime, hybrid: bool, country: str
) -> Json:
    return {
        "id": tenant_id,
        "displayName": name.capitalize(),
        "createdDateTime": iso(created),
        "countryLetterCode": country,
        "preferredLanguage": "en",
        "tenantType": "AAD",
        "onPremisesSyncEnabled": True if hybrid else None,
        "onPremisesLastSyncDateTime": iso(created) if hybrid else None,
        "businessPhones": [],
        "city": None,
        "street": None,
        "postalCode": None,
        "technicalNotificationMails": [f"it@{domains[0]}"],
        "securityComplianceNotificationMails": [],
        "marketingNotificationEmails": [],
        "verifiedDomains": [
            {
                "capabilities": "Email, OfficeCommunicationsOnlineService",
                "isDefault": i == 0,
                "isInitial": d.endswith(".onmicrosoft.com"),
                "name": d,
                "type": "Managed",
            }
            for i, d in enumerate(domains)
        ],
        "assignedPlans": [],
        "provisionedPlans": [],
    }


def domain_json(domain: str, default: bool) -> Json:
    initial = domain.endswith(".onmicrosoft.com")
    return {
        "id": domain,
        "authenticationType": "Managed",
        "availabilityStatus": None,
        "isAdminManaged": True,
        "isDefault": default,
        "isInitial": initial,
        "isRoot": True,
        "isVerified": True,
        "passwordNotificationWindowInDays": 14,
        "passwordValidityPeriodInDays": 2147483647,
        "supportedServices": ["Email", "OfficeCommunicationsOnlineService"],
        "state": None,
    }


def sku_json(tenant_id: str, account: str, sku: Sku, seats: int, consumed: int) -> Json:
    return {
        "id": f"{tenant_id}_{sku.sku_id}",
        "accountId": tenant_id,
        "accountName": account,
        "appliesTo": "User",
        "capabilityStatus": "Enabled",
        "consumedUnits": consumed,
        "skuId": sku.sku_id,
        "skuPartNumber": sku.part_number,
        "subscriptionIds": [],
        "prepaidUnits": {"enabled": seats, "suspended": 0, "warning": 0, "lockedOut": 0},
        "servicePlans": [
            {
                "servicePlanId": SERVICE_PLANS[plan],
                "servicePlanName": plan,
                "provisioningStatus": "Success",
                "appliesTo": "User",
            }
            for plan in sku.plans
        ],
    }


def features_of(skus: list[Json]) -> set[str]:
    """The contract features granted by a set of subscribedSku objects."""
    plans = {
        plan.get("servicePlanName")
        for sku in skus
        if sku.get("capabilityStatus", "Enabled") == "Enabled"
        for plan in sku.get("servicePlans", [])
    }
    return {feature for feature, names in FEATURE_PLANS.items() if plans.intersection(names)}
