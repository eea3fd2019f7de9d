"""`users/delta`: rounds of changes with server-side sync state."""

from __future__ import annotations

import json
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from cosec.simulator.api.common import ApiError, Caller
from cosec.simulator.api.graph_base import (
    USER_DEFAULT_PROPERTIES,
    Call,
    Charger,
    Result,
    authorise,
    context,
    day_of,
)
from cosec.simulator.api.graph_specs import SPECS
from cosec.simulator.api.odata import decode_token, encode_token, parse_list, select
from cosec.simulator.contract import Json

_MAX_DELTA_ROUNDS = 256


@dataclass
class DeltaRound:
    rows: list[Json]
    digests: dict[str, str]
    fields: list[str] | None


class UserDelta:
    def __init__(self, charge: Charger) -> None:
        self._charge = charge
        self._delta_rounds: OrderedDict[str, DeltaRound] = OrderedDict()

    def users_delta(self, caller: Caller, call: Call) -> Result:
        """Delta rounds: the first round lists every user; a delta link's round lists the
        users whose (selected) properties changed since, and removed ones as @removed.
        Round state lives server-side under an opaque id, like Graph's sync state."""
        spec = SPECS["users"]
        authorise(spec, caller)
        headers = self._charge(spec.limit, caller)
        skip = call.query.get("$skiptoken")
        delta = call.query.get("$deltatoken")
        if skip:
            round_id, offset = str(decode_token(skip).get("r")), int(decode_token(skip).get("o", 0))
            if round_id not in self._delta_rounds:
                raise ApiError(410, "SyncStateNotFound", "The sync state was not found.")
        else:
            previous = None
            fields = parse_list(call.query.get("$select"))
            if delta:
                old = self._delta_rounds.get(str(decode_token(delta).get("r")))
                if old is None:
                    raise ApiError(410, "SyncStateNotFound", "The sync state was not found.")
                previous, fields = old.digests, old.fields
            round_id, offset = self._new_delta_round(caller, call, fields, previous), 0
        current = self._delta_rounds[round_id]
        self._delta_rounds.move_to_end(round_id)
        size = max_page_size(call.headers.get("prefer"), default=100, maximum=999)
        page = current.rows[offset : offset + size]
        body: Json = {"@odata.context": context(call, "users"), "value": page}
        if offset + size < len(current.rows):
            token = encode_token({"r": round_id, "o": offset + size})
            body["@odata.nextLink"] = f"{call.base}/users/delta?$skiptoken={token}"
        else:
            token = encode_token({"r": round_id})
            body["@odata.deltaLink"] = f"{call.base}/users/delta?$deltatoken={token}"
        return Result(200, body, headers, len(page))

    def _new_delta_round(
        self,
        caller: Caller,
        call: Call,
        fields: list[str] | None,
        previous: dict[str, str] | None,
    ) -> str:
        shape = [*(fields or USER_DEFAULT_PROPERTIES), "id"]
        users = {
            str(u["id"]): select(u, shape)
            for u in caller.tenant.data.collection("users", day_of(caller, call))
        }
        digests = {uid: json.dumps(u, sort_keys=True, default=str) for uid, u in users.items()}
        if previous is None:
            rows = list(users.values())
        else:
            rows = [u for uid, u in users.items() if previous.get(uid) != digests[uid]]
            rows += [
                {"id": uid, "@removed": {"reason": "changed"}}
                for uid in previous
                if uid not in users
            ]
        round_id = secrets.token_hex(12)
        self._delta_rounds[round_id] = DeltaRound(rows=rows, digests=digests, fields=fields)
        while len(self._delta_rounds) > _MAX_DELTA_ROUNDS:
            self._delta_rounds.popitem(last=False)
        return round_id


def max_page_size(prefer: str | None, default: int, maximum: int) -> int:
    if prefer:
        m = re.search(r"odata\.maxpagesize=(\d+)", prefer)
        if m:
            return max(1, min(int(m.group(1)), maximum))
    return default
