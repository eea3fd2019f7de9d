"""Inbox rule changes, derived by comparing the messageRules of consecutive snapshots.

Graph has no change feed for inbox rules, so a rule created and deleted between two
snapshots is not seen; collecting more often narrows that gap. The first snapshot of a
tenant is the baseline and yields no events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from cosec.model.snapshot import JsonObject
from cosec.store.events import NewEvent

Rules = Mapping[str, list[JsonObject]]


def _by_id(rules: list[JsonObject]) -> dict[str, JsonObject]:
    return {str(r.get("id")): r for r in rules if r.get("id") is not None}


def rule_changes(before: Rules, after: Rules, observed: datetime) -> list[NewEvent]:
    """added / removed / changed events for every rule that differs, per mailbox user."""
    events: list[NewEvent] = []
    stamp = observed.isoformat()
    for user in sorted(set(before) | set(after)):
        old, new = _by_id(list(before.get(user, []))), _by_id(list(after.get(user, [])))
        for rule_id in sorted(set(old) | set(new)):
            was, now = old.get(rule_id), new.get(rule_id)
            if was == now:
                continue
            change = "added" if was is None else "removed" if now is None else "changed"
            raw: JsonObject = {
                "id": f"{user}:{rule_id}:{change}:{stamp}",
                "observedDateTime": stamp,
                "change": change,
                "userId": user,
                "ruleId": rule_id,
                "rule": now if now is not None else was,
                "previous": was if change == "changed" else None,
            }
            events.append(NewEvent(raw["id"], observed, raw))
    return events
