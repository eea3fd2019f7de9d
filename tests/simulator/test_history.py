"""As-of semantics: reads of a day see the tenant as it was at the end of that day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cosec.simulator.history import Collection, Record
from cosec.simulator.tenant import SimTenant, build_tenant

LAST = date(2026, 11, 20)
FIRST = date(2026, 10, 22)


@pytest.fixture(scope="module")
def tenant() -> SimTenant:
    return build_tenant(seed=21, users=500, days=30, last_day=LAST)


def moment(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_record_versions_and_patches_propagate_to_untouched_keys() -> None:
    record = Record()
    record.put(moment(FIRST, 9), {"a": 1, "b": 1})
    record.put(moment(FIRST + timedelta(days=5), 9), {"a": 1, "b": 2})
    record.patch(moment(FIRST + timedelta(days=2), 9), {"a": 7, "b": 9})
    assert record.at(moment(FIRST, 8)) is None
    assert record.at(moment(FIRST + timedelta(days=3), 0)) == {"a": 7, "b": 9}
    # the later version had changed b itself, so it keeps its own b but inherits a
    assert record.latest() == {"a": 7, "b": 2}
    with pytest.raises(KeyError):
        Record().patch(moment(FIRST, 9), {"a": 1})


def test_removal_is_final_and_reads_as_of_day_end() -> None:
    coll = Collection()
    coll.add("x", moment(FIRST, 9), {"id": "x"})
    coll.patch("x", moment(FIRST + timedelta(days=4), 9), {"v": 2})
    coll.remove("x", moment(FIRST + timedelta(days=2), 23))
    assert coll.get("x", FIRST) == {"id": "x"}
    assert coll.get("x", FIRST + timedelta(days=2)) is None
    assert coll.as_of(FIRST + timedelta(days=6)) == []
    assert coll.get("missing", FIRST) is None


def test_joiners_appear_from_their_day_and_leavers_change(tenant: SimTenant) -> None:
    first = {u["id"]: u for u in tenant.collection("users", FIRST)}
    last = {u["id"]: u for u in tenant.collection("users", LAST)}
    joiners = [u for uid, u in last.items() if uid not in first]
    assert joiners
    joiner = joiners[0]
    created = date.fromisoformat(joiner["createdDateTime"][:10])
    assert joiner["id"] not in {
        u["id"] for u in tenant.collection("users", created - timedelta(days=1))
    }
    assert joiner["id"] in {u["id"] for u in tenant.collection("users", created)}
    gone = [uid for uid in first if uid not in last]
    assert gone  # deleted leavers
    disabled_now = {uid for uid, u in last.items() if not u["accountEnabled"]}
    disabled_then = {uid for uid, u in first.items() if not u["accountEnabled"]}
    assert disabled_now - disabled_then  # leavers disabled during the window


def test_lifecycle_changes_are_in_the_directory_audit(tenant: SimTenant) -> None:
    audits = [
        a for d in range(30) for a in tenant.events_on("directoryAudits", FIRST + timedelta(days=d))
    ]
    activities = {a["activityDisplayName"] for a in audits}
    assert {
        "Add user",
        "Disable account",
        "User registered security info",
        "Delete security info",
    } <= activities
    assert "Update conditional access policy" in activities  # drift mid-window


def test_sign_in_activity_moves_with_the_day(tenant: SimTenant) -> None:
    day = date(2026, 11, 10)  # a Tuesday
    user = next(
        u
        for u in tenant.collection("users", day)
        if u["accountEnabled"]
        and u["signInActivity"]
        and u["signInActivity"]["lastSignInDateTime"].startswith("2026-11-10")
    )
    later = {u["id"]: u for u in tenant.collection("users", LAST)}[user["id"]]
    assert (
        later["signInActivity"]["lastSignInDateTime"] > user["signInActivity"]["lastSignInDateTime"]
    )
    sign_ins = [s for s in tenant.events_on("signIns", day) if s["userId"] == user["id"]]
    assert (
        max(s["createdDateTime"] for s in sign_ins) == user["signInActivity"]["lastSignInDateTime"]
    )


def test_devices_patch_and_vulnerabilities_close_over_time(tenant: SimTenant) -> None:
    early = {d["id"]: d["osVersion"] for d in tenant.collection("managedDevices", FIRST)}
    late = {d["id"]: d["osVersion"] for d in tenant.collection("managedDevices", LAST)}
    patched = [i for i in early if i in late and early[i] != late[i]]
    assert len(patched) > len(early) // 3

    def open_total(day: date) -> int:
        return sum(
            len(tenant.mde_vulnerabilities(m["id"], day) or []) for m in tenant.mde_machines(day)
        )

    assert open_total(LAST) < open_total(FIRST)


def test_secure_score_history_ends_at_the_day_read(tenant: SimTenant) -> None:
    day = date(2026, 11, 1)
    points = tenant.collection("secureScores", day)
    assert points[0]["createdDateTime"].startswith("2026-11-01")
    assert len({p["currentScore"] for p in points}) > 10  # the score moves


def test_reads_after_the_last_day_serve_the_last_day(tenant: SimTenant) -> None:
    later = LAST + timedelta(days=10)
    assert tenant.collection("groups", later) == tenant.collection("groups", LAST)
    assert tenant.events_on("alerts", later) == []
