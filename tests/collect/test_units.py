"""The registry covers the vocabulary; licences from SKUs; inbox-rule change derivation."""

from __future__ import annotations

from datetime import UTC, datetime

from cosec.collect.licences import detect_licences
from cosec.collect.registry import FETCHES, STREAM_FETCHES, Strategy, check_complete
from cosec.collect.rule_changes import rule_changes
from cosec.collect.snapshot import with_parents
from cosec.model.resources import RESOURCES, STREAMS, Licence


def test_every_resource_and_stream_has_a_fetch_with_select() -> None:
    check_complete()
    assert set(FETCHES) == set(RESOURCES)
    assert set(STREAM_FETCHES) == set(STREAMS)
    for fetch in FETCHES.values():
        if fetch.spec.service.value == "graph":
            assert fetch.select, fetch.key
    assert FETCHES["users"].top == 500  # with signInActivity
    assert FETCHES["mdeMachines"].top == 10_000
    assert STREAM_FETCHES["signIns"].top == 1000
    assert FETCHES["messageRules"].strategy is Strategy.CHILDREN


def test_with_parents_adds_parents_and_the_licence_source_first() -> None:
    keys = with_parents(["messageRules"])
    assert keys.index("users") < keys.index("messageRules")
    assert "subscribedSkus" in keys


def test_licences_from_enabled_skus_only() -> None:
    skus = [
        {
            "capabilityStatus": "Enabled",
            "servicePlans": [
                {"servicePlanName": "AAD_PREMIUM_P2", "provisioningStatus": "Success"},
                {"servicePlanName": "EXCHANGE_S_STANDARD", "provisioningStatus": "Success"},
                {"servicePlanName": "INTUNE_A", "provisioningStatus": "Disabled"},
            ],
        },
        {
            "capabilityStatus": "Suspended",
            "servicePlans": [{"servicePlanName": "WINDEFATP", "provisioningStatus": "Success"}],
        },
        {
            "capabilityStatus": "Enabled",
            "servicePlans": [{"servicePlanName": "THREAT_INTELLIGENCE"}, "not-a-plan"],
        },
    ]
    assert detect_licences(skus) == {
        Licence.ENTRA_P1,
        Licence.ENTRA_P2,
        Licence.EXCHANGE,
        Licence.DEFENDER_O365,
    }
    assert detect_licences([]) == set()


def test_rule_changes_added_removed_changed() -> None:
    when = datetime(2026, 11, 2, tzinfo=UTC)
    before = {"u1": [{"id": "r1", "isEnabled": True}, {"id": "r2"}], "u2": [{"id": "r9"}]}
    after = {"u1": [{"id": "r1", "isEnabled": False}, {"id": "r3"}], "u2": [{"id": "r9"}]}
    events = rule_changes(before, after, when)
    got = {(e.raw["userId"], e.raw["ruleId"], e.raw["change"]) for e in events}
    assert got == {("u1", "r1", "changed"), ("u1", "r2", "removed"), ("u1", "r3", "added")}
    changed = next(e for e in events if e.raw["change"] == "changed")
    assert changed.raw["previous"] == {"id": "r1", "isEnabled": True}
    assert all(e.occurred_at == when for e in events)
    assert rule_changes(after, after, when) == []
