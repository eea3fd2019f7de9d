"""Objects with a history: every object is a list of timed versions.

An object's state as of a moment is its last version at or before it (None = it did not
exist: not yet created, or deleted). Most objects have one or two versions, so reading a
whole collection as of any day is one bisect per object; generating a long history costs
memory only for what actually changes.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cosec.simulator.seeding import day_end

Json = dict[str, Any]
Refresh = Callable[[str, Json, date], Json]


@dataclass
class Record:
    """One object's versions, sorted by time; a version of None means 'absent from then'."""

    times: list[datetime] = field(default_factory=list)
    states: list[Json | None] = field(default_factory=list)

    def at(self, moment: datetime) -> Json | None:
        """The state in force strictly before `moment`."""
        i = bisect.bisect_left(self.times, moment)
        return self.states[i - 1] if i else None

    def latest(self) -> Json | None:
        return self.states[-1] if self.states else None

    def put(self, moment: datetime, state: Json | None) -> None:
        i = bisect.bisect_right(self.times, moment)
        self.times.insert(i, moment)
        self.states.insert(i, state)

    def patch(self, moment: datetime, patch: Json) -> Json:
        """Apply `patch` from `moment` on; later versions inherit it for every key they
        had not changed themselves. Raises KeyError if the object is absent then."""
        before = self.at_or_before(moment)
        if before is None:
            raise KeyError("object does not exist at that time")
        new = {**before, **patch}
        i = bisect.bisect_right(self.times, moment)
        for j in range(i, len(self.states)):
            later = self.states[j]
            if later is None:
                break
            self.states[j] = {
                **later,
                **{k: v for k, v in patch.items() if later.get(k) == before.get(k)},
            }
        self.times.insert(i, moment)
        self.states.insert(i, new)
        return new

    def at_or_before(self, moment: datetime) -> Json | None:
        i = bisect.bisect_right(self.times, moment)
        return self.states[i - 1] if i else None


class Collection:
    """Objects of one kind by id, readable as of any day.

    `refresh` recomputes day-dependent fields (last sign-in, last sync) when an object is
    read, from parameters the generator keeps beside the collection.
    """

    def __init__(self, refresh: Refresh | None = None) -> None:
        self.records: dict[str, Record] = {}
        self.refresh = refresh

    def add(self, object_id: str, since: datetime, state: Json) -> None:
        self.records.setdefault(object_id, Record()).put(since, state)

    def remove(self, object_id: str, moment: datetime) -> None:
        """Delete the object from `moment` on (any later versions are dropped)."""
        record = self.records[object_id]
        keep = bisect.bisect_right(record.times, moment)
        del record.times[keep:], record.states[keep:]
        record.put(moment, None)

    def patch(self, object_id: str, moment: datetime, patch: Json) -> Json:
        return self.records[object_id].patch(moment, patch)

    def get(self, object_id: str, day: date) -> Json | None:
        record = self.records.get(object_id)
        if record is None:
            return None
        state = record.at(day_end(day))
        if state is not None and self.refresh is not None:
            state = self.refresh(object_id, state, day)
        return state

    def as_of(self, day: date) -> list[Json]:
        end = day_end(day)
        out: list[Json] = []
        for object_id, record in self.records.items():
            state = record.at(end)
            if state is not None:
                out.append(self.refresh(object_id, state, day) if self.refresh else state)
        return out

    def ids_as_of(self, day: date) -> Iterator[str]:
        end = day_end(day)
        for object_id, record in self.records.items():
            if record.at(end) is not None:
                yield object_id
