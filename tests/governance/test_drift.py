from __future__ import annotations

from datetime import UTC, datetime

from tests.governance.snapshots import audit_event, ca_policy

from cosec.governance.drift import (
    PropertyChange,
    attribute,
    diff_resource,
    digest,
    index,
    normalise,
    object_id,
)

CA = "conditionalAccessPolicies"


def test_volatile_fields_and_odata_annotations_are_ignored() -> None:
    a = ca_policy("p1", modified="2026-10-01T00:00:00Z")
    b = ca_policy("p1", modified="2026-11-05T10:00:00Z")
    b["@odata.etag"] = "W/2"
    b["conditions"]["users"]["excludeUsers@odata.type"] = "#Collection(String)"
    assert digest(a) == digest(b)
    assert diff_resource(CA, index(CA, [a]), index(CA, [b])) == []
    assert "modifiedDateTime" not in normalise(a)


def test_list_order_does_not_matter_but_membership_does() -> None:
    a = ca_policy("p1", exclude_users=("u1", "u2"))
    b = ca_policy("p1", exclude_users=("u2", "u1"))
    assert diff_resource(CA, index(CA, [a]), index(CA, [b])) == []
    c = ca_policy("p1", exclude_users=("u1", "u2", "u3"))
    (diff,) = diff_resource(CA, index(CA, [a]), index(CA, [c]))
    assert diff.kind == "changed"
    assert diff.changes == (
        PropertyChange("conditions.users.excludeUsers", ["u1", "u2"], ["u1", "u2", "u3"]),
    )
    assert "excludeUsers" in diff.describe()


def test_added_removed_and_nested_property_changes() -> None:
    base = index(CA, [ca_policy("p1"), ca_policy("p2", name="Block legacy")])
    now = index(
        CA,
        [
            ca_policy("p1", state="enabledForReportingButNotEnforced", controls=("block",)),
            ca_policy("p3", name="New"),
        ],
    )
    diffs = {d.object_id: d for d in diff_resource(CA, base, now)}
    assert {k: d.kind for k, d in diffs.items()} == {
        "p1": "changed",
        "p2": "removed",
        "p3": "added",
    }
    assert [(c.path, c.old, c.new) for c in diffs["p1"].changes] == [
        ("grantControls.builtInControls", ["mfa"], ["block"]),
        ("state", "enabled", "enabledForReportingButNotEnforced"),
    ]
    assert diffs["p2"].current is None and diffs["p2"].display_name == "Block legacy"
    assert diffs["p3"].key == f"{CA}/p3"


def test_object_ids_for_graph_exchange_and_singletons() -> None:
    assert object_id(CA, {"id": "x"}) == "x"
    assert object_id("antiPhishPolicies", {"Identity": "Office365 AntiPhish Default"}) == (
        "Office365 AntiPhish Default"
    )
    assert object_id("securityDefaults", {"isEnabled": True}) == "securityDefaults"


def test_attribution_picks_latest_matching_event_in_window() -> None:
    events = [
        audit_event("p1", "2026-11-02T08:00:00Z", "old@contoso.com"),
        audit_event("p1", "2026-11-03T08:00:00Z", "eve@contoso.com"),
        audit_event("p2", "2026-11-03T09:00:00Z", "other@contoso.com"),
        audit_event("p1", "2026-11-09T08:00:00Z", "future@contoso.com"),
    ]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    end = datetime(2026, 11, 5, tzinfo=UTC)
    who = attribute("p1", events, start, end)
    assert who is not None
    assert (who.actor, who.at, who.activity) == (
        "eve@contoso.com",
        datetime(2026, 11, 3, 8, tzinfo=UTC),
        "Update policy",
    )
    assert attribute("p1", events, datetime(2026, 11, 3, 8, tzinfo=UTC), end) is None
    assert attribute("p9", events, start, end) is None
    app_event = audit_event("p1", "2026-11-04T00:00:00Z", "x")
    app_event["initiatedBy"] = {"user": None, "app": {"displayName": "Automation app"}}
    app_who = attribute("p1", [app_event], start, end)
    assert app_who is not None and app_who.actor == "Automation app"
    broken = audit_event("p1", "not a time", "x")
    assert attribute("p1", [broken], start, end) is None
