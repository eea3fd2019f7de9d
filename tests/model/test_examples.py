"""Every documented Microsoft example parses; placeholders and odd spellings are reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cosec.model import devices, directory, policies, security

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "graph" / "examples"

Parser = Callable[[dict[str, Any]], Any]

PARSERS: dict[str, Parser] = {
    "users-list.1.json": directory.parse_user,
    "users-list.2.json": directory.parse_user,
    "users-list.4.json": directory.parse_user,
    "users-list.5.json": directory.parse_user,
    "users-list.6.json": directory.parse_user,
    "users-list.7.json": directory.parse_user,
    "users-list.8.json": directory.parse_user,
    "users-list.9.json": directory.parse_user,
    "users-list.10.json": directory.parse_user,
    "users-list-signinactivity.json": directory.parse_user,
    "users-delta.1.json": directory.parse_user,
    "users-delta.2.json": directory.parse_user,
    "users-delta.3.json": directory.parse_user,
    "userregistrationdetails-list.json": directory.parse_registration,
    "subscribedskus-list.json": directory.parse_sku,
    "organization-list.json": directory.parse_organization,
    "domains-list.json": directory.parse_domain,
    "securescorecontrolprofiles-list.json": security.parse_control_profile,
    "roledefinitions-list.1.json": directory.parse_role_definition,
    "roledefinitions-list.2.json": directory.parse_role_definition,
    "roleassignments-list.1.json": directory.parse_role_assignment,
    "roleassignments-list.2.json": directory.parse_role_assignment,
    "roleassignments-list.3.json": directory.parse_role_assignment,
    "roleeligibilityscheduleinstances-list.json": directory.parse_role_assignment,
    "conditionalaccess-policies-list.json": policies.parse_ca_policy,
    "conditionalaccess-policy-get.json": policies.parse_ca_policy,
    "namedlocations-list.1.json": policies.parse_named_location,
    "namedlocations-list.2.json": policies.parse_named_location,
    "namedlocations-list.3.json": policies.parse_named_location,
    "namedlocations-list.4.json": policies.parse_named_location,
    "authenticationmethodspolicy-get.json": policies.parse_auth_methods_policy,
    "identitysecuritydefaultsenforcementpolicy-get.json": policies.parse_security_defaults,
    "authorizationpolicy-get.json": policies.parse_authorization_policy,
    "manageddevices-list.json": devices.parse_managed_device,
    "mde-machines-list.json": devices.parse_mde_machine,
    "mde-machine-vulnerabilities-list.json": lambda raw: devices.parse_vulnerability(raw, "m1"),
    "riskyusers-list.json": security.parse_risky_user,
    "securescores-list.json": security.parse_secure_score,
    "messagerules-list.json": lambda raw: security.parse_message_rule(raw, "u1"),
}


def _items(name: str) -> list[dict[str, Any]]:
    body = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    items = body.get("value", body)
    return items if isinstance(items, list) else [items]


def test_every_configuration_example_has_a_parser() -> None:
    """The examples of resources cosec assesses are all covered (events belong elsewhere)."""
    config_prefixes = (
        "users-",
        "userregistration",
        "subscribedskus",
        "role",
        "conditionalaccess",
        "namedlocations",
        "authenticationmethods",
        "identitysecurity",
        "authorizationpolicy",
        "manageddevices",
        "mde-machines",
        "mde-machine-vuln",
        "riskyusers",
        "securescores-",
        "securescorecontrolprofiles-",
        "organization-",
        "domains-",
        "messagerules",
    )
    found = {p.name for p in EXAMPLES.glob("*.json") if p.name.startswith(config_prefixes)}
    assert found == set(PARSERS)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_example_parses(name: str) -> None:
    records = [PARSERS[name](raw) for raw in _items(name)]
    assert records
    for record in records:
        assert isinstance(record.quirks, tuple)


def test_placeholders_are_kept_and_reported() -> None:
    [risky] = [security.parse_risky_user(r) for r in _items("riskyusers-list.json")[:1]]
    assert risky.risk_level == "String"  # raw value kept
    assert any(q.startswith("riskLevel:") for q in risky.quirks)
    assert any(q.startswith("isDeleted:") for q in risky.quirks)
    assert risky.last_updated is None

    [delta] = [directory.parse_user(r) for r in _items("users-delta.1.json")]
    assert delta.upn == "userPrincipalName-value"
    assert "userPrincipalName: placeholder value 'userPrincipalName-value'" in delta.quirks

    [domain] = [directory.parse_domain(r) for r in _items("domains-list.json")]
    assert domain.authentication_type == "authenticationType-value"
    assert any(q.startswith("authenticationType:") for q in domain.quirks)

    device = devices.parse_managed_device(_items("manageddevices-list.json")[0])
    assert device.compliance_state == "compliant"
    assert any(q.startswith("osVersion: placeholder") for q in device.quirks)


def test_documented_values_are_typed() -> None:
    policy = policies.parse_ca_policy(_items("conditionalaccess-policy-get.json")[0])
    assert policy.state == "disabled"
    assert "GuestsOrExternalUsers" in policy.exclude_users
    assert policy.include_roles[0] == "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"

    skus = [directory.parse_sku(r) for r in _items("subscribedskus-list.json")]
    assert all(not s.licences for s in skus)  # the doc's SKUs carry no security plans

    machine = devices.parse_mde_machine(_items("mde-machines-list.json")[0])
    assert machine.health_status == "Active"
    assert machine.onboarded

    auth = policies.parse_auth_methods_policy(_items("authenticationmethodspolicy-get.json")[0])
    assert auth.methods["fido2"].state == "disabled"
    assert auth.enabled("Sms")
    assert auth.methods["microsoftauthenticator"].state == "disabled"


def test_non_object_input_is_reported_not_raised() -> None:
    user = directory.parse_user("not an object")  # type: ignore[arg-type]
    assert user.id == ""
    assert user.quirks == ("(object): expected a JSON object, got str",)


def test_wrong_types_are_reported() -> None:
    user = directory.parse_user(
        {"id": "u1", "accountEnabled": "yes", "createdDateTime": 5, "userType": "member"}
    )
    assert user.enabled is None
    assert user.user_type == "Member"
    assert "accountEnabled: expected a boolean, got 'yes'" in user.quirks
    assert any(q.startswith("createdDateTime:") for q in user.quirks)
