"""Microsoft Graph v1.0 over the simulated tenants.

One service object answers a `Call` (method, path, query, headers, body) for a `Caller`
(tenant and app from the bearer token); the HTTP route and `$batch` both go through it,
so each request inside a batch is authorised, validated and throttled on its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from cosec.simulator.api.common import (
    ApiError,
    Caller,
    FaultMiddleware,
    RequestIdMiddleware,
    SimState,
    Throttled,
    admit,
    authenticate,
    graph_error_body,
    json_response,
    origin,
    pause,
    render_error,
    throttle_headers,
    throttled_body,
)
from cosec.simulator.api.graph_actions import ResponseActions
from cosec.simulator.api.graph_base import (
    USER_DEFAULT_PROPERTIES,
    Call,
    Result,
    authorise,
    context,
    day_of,
    denied,
    licence_error,
    not_found,
    unsupported,
)
from cosec.simulator.api.graph_delta import UserDelta
from cosec.simulator.api.graph_specs import SPECS, EndpointSpec
from cosec.simulator.api.odata import (
    Filter,
    QueryError,
    decode_token,
    encode_token,
    parse_datetime,
    parse_filter,
    parse_list,
    parse_orderby,
    select,
)
from cosec.simulator.api.selectable import check_select, fill_selected
from cosec.simulator.cloud import GRAPH
from cosec.simulator.contract import Json
from cosec.simulator.throttle import Charge, LimitClass

_HIDDEN_UNLESS_SELECTED = ("signInActivity",)
_MAX_BATCH = 20


@dataclass(frozen=True)
class _Query:
    select: list[str] | None
    filter: str | None
    top: int | None
    orderby: str | None
    expand: list[str] | None
    count: bool
    offset: int = 0
    day: str | None = None  # ISO day the paging started on
    cursor_day: str | None = None  # streams: day of the next event

    def token(self, **changes: Any) -> str:
        state = {
            "s": self.select,
            "f": self.filter,
            "t": self.top,
            "ob": self.orderby,
            "e": self.expand,
            "c": self.count,
            "o": self.offset,
            "d": self.day,
            "cd": self.cursor_day,
        }
        state.update(changes)
        return encode_token(state)

    @classmethod
    def from_token(cls, token: str) -> _Query:
        s = decode_token(token)
        try:
            return cls(
                select=s.get("s"),
                filter=s.get("f"),
                top=s.get("t"),
                orderby=s.get("ob"),
                expand=s.get("e"),
                count=bool(s.get("c")),
                offset=int(s.get("o", 0)),
                day=s.get("d"),
                cursor_day=s.get("cd"),
            )
        except (TypeError, ValueError) as exc:
            raise QueryError("Invalid skip token.", code="Request_BadRequest") from exc

    @classmethod
    def from_call(cls, call: Call) -> _Query:
        token = call.query.get("$skiptoken") or call.query.get("$skipToken")
        if token:
            return cls.from_token(token)
        top_raw = call.query.get("$top")
        top: int | None = None
        if top_raw is not None:
            try:
                top = int(top_raw)
            except ValueError as exc:
                raise QueryError(f"Invalid page size specified: '{top_raw}'.") from exc
        return cls(
            select=parse_list(call.query.get("$select")),
            filter=call.query.get("$filter"),
            top=top,
            orderby=call.query.get("$orderby"),
            expand=parse_list(call.query.get("$expand")),
            count=call.query.get("$count", "").lower() == "true",
        )


class GraphService:
    def __init__(self, state: SimState) -> None:
        self.state = state
        self._delta = UserDelta(self._charge)
        self._actions = ResponseActions(self._charge)
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Result]]] = []
        self._build_routes()

    # --- routing --------------------------------------------------------------------

    def _add(self, method: str, template: str, handler: Callable[..., Result]) -> None:
        pattern = re.escape(template).replace(re.escape("{id}"), "(?P<id>[^/]+)")
        pattern = pattern.replace(re.escape("{child}"), "(?P<child>[^/]+)")
        self._routes.append((method, re.compile(f"^{pattern}$", re.IGNORECASE), handler))

    def _build_routes(self) -> None:
        self._add("GET", "users/delta", self._delta.users_delta)
        self._add("GET", "users/$count", self._users_count)
        for method, template, handler in self._actions.routes():
            self._add(method, template, handler)
        for spec in SPECS.values():
            if spec.kind == "children":
                self._add("GET", spec.path, self._bind(self._children, spec))
            elif spec.kind == "singleton":
                self._add("GET", spec.path, self._bind(self._singleton, spec))
            else:
                self._add("GET", spec.path, self._bind(self._list, spec))
                if spec.kind == "collection":
                    self._add("GET", spec.path + "/{id}", self._bind(self._item, spec))
                else:
                    self._add("GET", spec.path + "/{id}", self._bind(self._event, spec))

    @staticmethod
    def _bind(handler: Callable[..., Result], spec: EndpointSpec) -> Callable[..., Result]:
        def bound(caller: Caller, call: Call, **params: str) -> Result:
            return handler(spec, caller, call, **params)

        return bound

    def handle(self, caller: Caller, call: Call) -> Result:
        """Answer one call; errors become Graph-shaped results, never exceptions."""
        path = call.path.strip("/")
        try:
            for method, pattern, handler in self._routes:
                m = pattern.match(path)
                if m and method == call.method.upper():
                    return handler(caller, call, **m.groupdict())
            if any(p.match(path) for _, p, _ in self._routes):
                raise ApiError(
                    405,
                    "Request_BadRequest",
                    "Specified HTTP method is not allowed for the request target.",
                )
            raise ApiError(
                400,
                "BadRequest",
                f"Resource not found for the segment '{path.split('/')[0]}'.",
            )
        except QueryError as exc:
            return Result(400, graph_error_body(exc.code, str(exc)))
        except Throttled as exc:
            return Result(429, throttled_body(), exc.headers)
        except ApiError as exc:
            return Result(exc.status, graph_error_body(exc.code, exc.message), exc.headers)

    # --- shared checks --------------------------------------------------------------

    def _charge(
        self,
        limit: LimitClass,
        caller: Caller,
        units: float = 1.0,
        extra: Sequence[LimitClass] = (),
    ) -> dict[str, str]:
        t = self.state.throttler
        tenant_id = caller.tenant.data.tenant_id
        charges: list[Charge] = t.charges(
            limit,
            caller.app.client_id,
            tenant_id,
            tenant_users=caller.tenant.user_count if limit is LimitClass.DIRECTORY else 0,
            resource_units=units,
        )
        for other in extra:
            charges.extend(c for c in t.charges(other, caller.app.client_id, tenant_id)[1:])
        headers = throttle_headers(admit(self.state, charges))
        if limit is LimitClass.DIRECTORY:
            headers["x-ms-resource-unit"] = str(int(units))
        return headers

    # --- lists ----------------------------------------------------------------------

    def _validate(self, spec: EndpointSpec, q: _Query) -> Filter | None:
        type_name = spec.key
        flt: Filter | None = None
        check_select(spec.key, q.select)
        if q.filter:
            flt = parse_filter(q.filter)
            for prop in sorted(flt.properties):
                if prop not in spec.filterable:
                    raise unsupported(
                        "Unsupported or invalid query filter clause specified for property "
                        f"'{prop}' of resource '{type_name}'."
                    )
        for prop, _ in parse_orderby(q.orderby):
            if prop not in spec.orderable and prop != spec.time_field:
                raise unsupported(f"Unsupported sort property '{prop}' for '{type_name}'.")
        for prop in q.expand or []:
            if prop not in spec.expandable:
                raise ApiError(
                    400,
                    "BadRequest",
                    f"Could not find a property named '{prop}' on type '{type_name}'.",
                )
        if q.top is not None:
            maximum = self._max_top(spec, q)
            if q.top < 1 or (maximum is not None and q.top > maximum):
                bound = maximum if maximum is not None else "unbounded"
                raise ApiError(
                    400,
                    "Request_UnsupportedQuery" if spec.directory else "BadRequest",
                    f"Invalid page size specified: '{q.top}'. Must be between 1 and {bound} "
                    "inclusive.",
                )
        return flt

    @staticmethod
    def _max_top(spec: EndpointSpec, q: _Query) -> int | None:
        if spec.key == "users" and q.select and "signInActivity" in q.select:
            return 500
        return spec.max_top if spec.max_top is not None else 999

    def _users_extra(self, spec: EndpointSpec, caller: Caller, q: _Query) -> list[LimitClass]:
        """signInActivity needs AuditLog.Read.All and P1, and counts as a report read."""
        if spec.key != "users" or not q.select or "signInActivity" not in q.select:
            return []
        if not caller.has_any("AuditLog.Read.All"):
            raise denied()
        if not caller.tenant.data.licensed("entra_p1"):
            raise licence_error("entra_p1")
        return [LimitClass.REPORTS]

    def _units(self, spec: EndpointSpec, q: _Query) -> float:
        units = float(spec.ru_cost)
        if q.select:
            units -= 1
        if q.expand:
            units += 1
        return max(units, 1.0)

    def _shape(self, spec: EndpointSpec, item: Json, q: _Query) -> Json:
        if q.select is not None:
            return fill_selected(spec.key, select(item, q.select), q.select)
        if spec.key == "users":
            return select(item, USER_DEFAULT_PROPERTIES)
        return {k: v for k, v in item.items() if k not in _HIDDEN_UNLESS_SELECTED}

    def _list(self, spec: EndpointSpec, caller: Caller, call: Call) -> Result:
        authorise(spec, caller)
        q = _Query.from_call(call)
        extra = self._users_extra(spec, caller, q)
        flt = self._validate(spec, q)
        if q.count and spec.directory and call.headers.get("consistencylevel") != "eventual":
            raise ApiError(400, "Request_BadRequest", "$count is not currently supported.")
        headers = self._charge(spec.limit, caller, self._units(spec, q), extra)
        day = dt.date.fromisoformat(q.day) if q.day else day_of(caller, call)
        if spec.kind == "stream":
            return self._stream_page(spec, caller, call, q, flt, day, headers)
        items = list(caller.tenant.data.collection(spec.key, day))
        if flt is not None:
            items = [i for i in items if flt.matches(i)]
        for prop, desc in reversed(parse_orderby(q.orderby)):
            items.sort(key=functools.partial(_item_key, prop), reverse=desc)
        page_size = q.top or spec.default_top or len(items) or 1
        page = items[q.offset : q.offset + page_size]
        page = [self._expand(spec, caller, i, q, day) for i in page]
        body: Json = {"@odata.context": context(call, spec.path)}
        if q.count:
            body["@odata.count"] = len(items)
        body["value"] = [self._shape(spec, i, q) for i in page]
        if q.offset + page_size < len(items):
            token = q.token(o=q.offset + page_size, d=day.isoformat())
            body["@odata.nextLink"] = f"{call.base}/{spec.path}?$skiptoken={token}"
        return Result(200, body, headers, len(page))

    def _stream_page(
        self,
        spec: EndpointSpec,
        caller: Caller,
        call: Call,
        q: _Query,
        flt: Filter | None,
        as_of: dt.date,
        headers: dict[str, str],
    ) -> Result:
        """Newest first, day by day; the skiptoken holds (day, offset) so paging is stable
        over the lazily generated per-day event lists."""
        for prop, desc in parse_orderby(q.orderby):
            if prop != spec.time_field or not desc:
                raise unsupported(f"Only '{spec.time_field} desc' ordering is supported.")
        assert spec.time_field is not None
        data = caller.tenant.data
        low, high = flt.window(spec.time_field) if flt else (None, None)
        first = max(data.first_day, low.astimezone(dt.UTC).date()) if low else data.first_day
        last = min(as_of, high.astimezone(dt.UTC).date()) if high else as_of
        day = dt.date.fromisoformat(q.cursor_day) if q.cursor_day else last
        offset = q.offset
        page_size = q.top or spec.default_top or 1000
        page: list[Json] = []
        next_cursor: tuple[dt.date, int] | None = None
        while day >= first:
            events = self._day_events(spec, caller, day, flt)
            take = events[offset : offset + page_size - len(page)]
            page.extend(take)
            offset += len(take)
            if len(page) >= page_size:
                if offset < len(events):
                    next_cursor = (day, offset)
                elif day > first:
                    next_cursor = (day - dt.timedelta(days=1), 0)
                break
            day -= dt.timedelta(days=1)
            offset = 0
        if next_cursor is not None and not self._any_left(spec, caller, flt, next_cursor, first):
            next_cursor = None
        page = [self._expand(spec, caller, i, q, as_of) for i in page]
        body: Json = {"@odata.context": context(call, spec.path)}
        if q.count:
            body["@odata.count"] = sum(
                len(self._day_events(spec, caller, first + dt.timedelta(days=n), flt))
                for n in range((last - first).days + 1)
            )
        body["value"] = [self._shape(spec, i, q) for i in page]
        if next_cursor is not None:
            token = q.token(o=next_cursor[1], cd=next_cursor[0].isoformat(), d=as_of.isoformat())
            body["@odata.nextLink"] = f"{call.base}/{spec.path}?$skiptoken={token}"
        return Result(200, body, headers, len(page))

    def _day_events(
        self, spec: EndpointSpec, caller: Caller, day: dt.date, flt: Filter | None
    ) -> list[Json]:
        events = caller.tenant.data.events_on(spec.key, day)
        if flt is None:
            return list(events)
        return [e for e in events if flt.matches(e)]

    def _any_left(
        self,
        spec: EndpointSpec,
        caller: Caller,
        flt: Filter | None,
        cursor: tuple[dt.date, int],
        first: dt.date,
    ) -> bool:
        day, offset = cursor
        while day >= first:
            if len(self._day_events(spec, caller, day, flt)) > offset:
                return True
            day -= dt.timedelta(days=1)
            offset = 0
        return False

    def _expand(
        self, spec: EndpointSpec, caller: Caller, item: Json, q: _Query, day: dt.date
    ) -> Json:
        if not q.expand:
            return item
        data = caller.tenant.data
        out = dict(item)
        for prop in q.expand:
            if prop == "principal":
                pid = item.get("principalId")
                out["principal"] = _find_directory_object(
                    data.collection("users", day), "user", pid
                ) or _find_directory_object(data.collection("groups", day), "group", pid)
            elif prop == "roleDefinition":
                rid = item.get("roleDefinitionId")
                out["roleDefinition"] = next(
                    (r for r in data.collection("roleDefinitions", day) if r.get("id") == rid), None
                )
            elif prop == "alerts":
                incident_id = item.get("id")
                alerts: list[Json] = []
                d = data.first_day
                while d <= day:
                    alerts.extend(
                        a for a in data.events_on("alerts", d) if a.get("incidentId") == incident_id
                    )
                    d += dt.timedelta(days=1)
                out["alerts"] = alerts
        return out

    def _item(self, spec: EndpointSpec, caller: Caller, call: Call, id: str) -> Result:
        authorise(spec, caller)
        q = _Query.from_call(call)
        extra = self._users_extra(spec, caller, q)
        self._validate(spec, q)
        headers = self._charge(spec.limit, caller, self._units(spec, q), extra)
        day = day_of(caller, call)
        wanted = id.lower()
        for item in caller.tenant.data.collection(spec.key, day):
            if str(item.get("id", "")).lower() == wanted or (
                spec.key == "users" and str(item.get("userPrincipalName", "")).lower() == wanted
            ):
                body = {"@odata.context": context(call, f"{spec.path}/$entity")}
                body.update(self._shape(spec, self._expand(spec, caller, item, q, day), q))
                return Result(200, body, headers, 1)
        raise not_found(id)

    def _event(self, spec: EndpointSpec, caller: Caller, call: Call, id: str) -> Result:
        authorise(spec, caller)
        headers = self._charge(spec.limit, caller)
        data = caller.tenant.data
        day = day_of(caller, call)
        d = day
        while d >= data.first_day:
            for e in data.events_on(spec.key, d):
                if e.get("id") == id:
                    body = {"@odata.context": context(call, f"{spec.path}/$entity")}
                    body.update(e)
                    return Result(200, body, headers, 1)
            d -= dt.timedelta(days=1)
        raise not_found(id)

    def _singleton(self, spec: EndpointSpec, caller: Caller, call: Call) -> Result:
        authorise(spec, caller)
        q = _Query.from_call(call)
        headers = self._charge(spec.limit, caller)
        day = day_of(caller, call)
        body = {"@odata.context": context(call, f"{spec.path}/$entity")}
        check_select(spec.key, q.select)
        found = select(dict(caller.tenant.data.singleton(spec.key, day)), q.select)
        body.update(fill_selected(spec.key, found, q.select))
        return Result(200, body, headers, 1)

    def _children(self, spec: EndpointSpec, caller: Caller, call: Call, id: str) -> Result:
        authorise(spec, caller)
        q = _Query.from_call(call)
        flt = self._validate(spec, q)
        headers = self._charge(spec.limit, caller, self._units(spec, q))
        day = dt.date.fromisoformat(q.day) if q.day else day_of(caller, call)
        items = caller.tenant.data.children(spec.key, id, day)
        if items is None:
            raise not_found(id)
        rows = [i for i in items if flt is None or flt.matches(i)]
        page_size = q.top or spec.default_top or len(rows) or 1
        page = rows[q.offset : q.offset + page_size]
        path = spec.path.replace("{id}", id)
        body: Json = {"@odata.context": context(call, path)}
        body["value"] = [fill_selected(spec.key, select(i, q.select), q.select) for i in page]
        if q.offset + page_size < len(rows):
            token = q.token(o=q.offset + page_size, d=day.isoformat())
            body["@odata.nextLink"] = f"{call.base}/{quote(path)}?$skiptoken={token}"
        return Result(200, body, headers, len(page))

    def _users_count(self, caller: Caller, call: Call) -> Result:
        spec = SPECS["users"]
        authorise(spec, caller)
        if call.headers.get("consistencylevel") != "eventual":
            raise ApiError(400, "Request_BadRequest", "$count is not currently supported.")
        headers = self._charge(spec.limit, caller)
        flt = self._validate(spec, _Query.from_call(call))
        users = caller.tenant.data.collection("users", day_of(caller, call))
        n = sum(1 for u in users if flt is None or flt.matches(u))
        return Result(200, str(n), headers, 1)

    # --- $batch ---------------------------------------------------------------------

    def batch(
        self, caller: Caller, body: Any, base: str, outer: Mapping[str, str] | None = None
    ) -> Result:
        """`outer`: headers of the batch request inherited by each inner request (the
        simulated day), unless the inner request sets its own."""
        requests = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(requests, list) or not requests:
            raise ApiError(400, "BadRequest", "Invalid batch payload format.")
        if len(requests) > _MAX_BATCH:
            raise ApiError(
                400,
                "BadRequest",
                f"The number of batch requests exceeds the maximum of {_MAX_BATCH}.",
            )
        ids = [str(r.get("id", "")) if isinstance(r, dict) else "" for r in requests]
        if "" in ids or len(set(ids)) != len(ids):
            raise ApiError(400, "BadRequest", "Every batch request needs a unique id.")
        statuses: dict[str, int] = {}
        responses: list[Json] = []
        for req in requests:
            rid = str(req["id"])
            deps = req.get("dependsOn") or []
            if any(d not in ids for d in deps):
                raise ApiError(400, "BadRequest", f"Request {rid} depends on an unknown id.")
            if any(statuses.get(d, 424) >= 400 for d in deps):
                statuses[rid] = 424
                responses.append(
                    {
                        "id": rid,
                        "status": 424,
                        "body": graph_error_body("FailedDependency", "Failed dependency."),
                    }
                )
                continue
            split = urlsplit(str(req.get("url", "")))
            call = Call(
                method=str(req.get("method", "GET")).upper(),
                path=split.path.lstrip("/"),
                query=dict(parse_qsl(split.query, keep_blank_values=True)),
                headers={
                    **{k: v for k, v in (outer or {}).items() if k == "x-cosec-simulator-day"},
                    **{str(k).lower(): str(v) for k, v in (req.get("headers") or {}).items()},
                },
                body=req.get("body"),
                base=base,
            )
            result = self.handle(caller, call)
            statuses[rid] = result.status
            entry: Json = {"id": rid, "status": result.status}
            headers = dict(result.headers)
            if result.body is not None:
                headers.setdefault("Content-Type", "application/json")
                entry["body"] = result.body
            if headers:
                entry["headers"] = headers
            responses.append(entry)
        return Result(200, {"responses": responses}, {}, len(responses))


def _find_directory_object(items: Sequence[Json], kind: str, oid: Any) -> Json | None:
    for item in items:
        if item.get("id") == oid:
            return {"@odata.type": f"#microsoft.graph.{kind}", **item}
    return None


def _item_key(prop: str, item: Json) -> tuple[int, Any]:
    return _sort_key(item.get(prop))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (1, "")
    if isinstance(value, str):
        try:
            return (0, parse_datetime(value).timestamp())
        except ValueError:
            return (0, value.lower())
    return (0, value)


def graph_app(state: SimState) -> Starlette:
    """The ASGI app mounted at /v1.0."""
    service = GraphService(state)

    async def endpoint(request: Request) -> Response:
        base = origin(request) + "/v1.0"
        try:
            caller = authenticate(
                request, state.cloud, (GRAPH, "00000003-0000-0000-c000-000000000000")
            )
            body: Any = None
            if request.method in ("POST", "PATCH"):
                raw = await request.body()
                if raw:
                    try:
                        body = await request.json()
                    except ValueError as exc:
                        raise ApiError(400, "BadRequest", "Invalid JSON in request body.") from exc
            path = request.path_params["path"]
            if path.strip("/") == "$batch" and request.method == "POST":
                outer = {k.lower(): v for k, v in request.headers.items()}
                result = service.batch(caller, body, base, outer)
            else:
                call = Call(
                    method=request.method,
                    path=path,
                    query=dict(request.query_params),
                    headers={k.lower(): v for k, v in request.headers.items()},
                    body=body,
                    base=base,
                )
                result = service.handle(caller, call)
        except ApiError as exc:
            return render_error(exc)
        await pause(state, "graph", result.items)
        if result.body is None:
            return Response(status_code=result.status, headers=result.headers)
        if isinstance(result.body, str):
            return PlainTextResponse(result.body, status_code=result.status, headers=result.headers)
        return json_response(
            state, "graph", request.path_params["path"], result.body, result.status, result.headers
        )

    app = Starlette(
        routes=[Route("/{path:path}", endpoint, methods=["GET", "POST", "PATCH", "DELETE"])]
    )
    app.add_middleware(FaultMiddleware, faults=state.faults)
    app.add_middleware(RequestIdMiddleware)
    return app
