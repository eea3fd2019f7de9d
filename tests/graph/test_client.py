"""The tenant client against a mocked Microsoft: paging, retries, batch, typed errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from tests.graph.fakes import TENANT_ID, error, make_client, page

from cosec.errors import (
    CredentialError,
    GraphError,
    LicenceMissingError,
    PermissionMissingError,
    TenantUnreachableError,
    ThrottledError,
)
from cosec.graph import Label
from cosec.model.resources import Service

GRAPH = "https://graph.microsoft.com/v1.0"
USERS = Label("users", "User.Read.All")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_pages_follow_next_link_with_select_and_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if "skiptoken" in str(request.url):
            return page([{"id": "2"}])
        return page([{"id": "1"}], f"{GRAPH}/users?$skiptoken=abc")

    client, _ = make_client(handler, headers={"X-Cosec-Simulator-Day": "2026-11-01"})
    items = run(client.list_all(Service.GRAPH, "users", params={"$select": "id"}, label=USERS))
    assert [i["id"] for i in items] == ["1", "2"]
    assert seen[0].url.params["$select"] == "id"
    assert all(r.headers["Authorization"].startswith("Bearer token-") for r in seen)
    assert all(r.headers["X-Cosec-Simulator-Day"] == "2026-11-01" for r in seen)
    assert client.stats.requests == 2


def test_next_link_to_another_host_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return page([{"id": "1"}], "https://evil.example/v1.0/users?page=2")

    client, _ = make_client(handler)
    with pytest.raises(GraphError, match="another host"):
        run(client.list_all(Service.GRAPH, "users", label=USERS))


def test_429_with_retry_after_is_retried_and_counted() -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return error(429, "TooManyRequests", "slow down", **{"Retry-After": "0.01"})
        return page([{"id": "1"}])

    client, _ = make_client(handler)
    assert run(client.list_all(Service.GRAPH, "users", label=USERS)) == [{"id": "1"}]
    assert client.stats.throttled == 1
    assert client.stats.retries == 1


def test_429_beyond_budget_is_throttled_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return error(429, "TooManyRequests", "slow down", **{"Retry-After": "0"})

    client, _ = make_client(handler)
    with pytest.raises(ThrottledError) as exc:
        run(client.get_json(Service.GRAPH, "organization", label=Label("organization")))
    assert exc.value.resource == "organization"


def test_5xx_then_success_and_connection_errors_exhaust_to_unreachable() -> None:
    answers = [httpx.Response(503), httpx.Response(502), page([{"id": "x"}])]

    def flaky(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    client, _ = make_client(flaky)
    assert run(client.list_all(Service.GRAPH, "domains")) == [{"id": "x"}]

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client, _ = make_client(down, attempts=3)
    with pytest.raises(TenantUnreachableError, match="domains"):
        run(client.list_all(Service.GRAPH, "domains", label=Label("domains")))


def test_403_names_the_missing_permission() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return error(403, "Authorization_RequestDenied", "Insufficient privileges")

    client, _ = make_client(handler)
    with pytest.raises(PermissionMissingError) as exc:
        run(client.list_all(Service.GRAPH, "users", label=USERS))
    assert exc.value.permission == "User.Read.All"
    assert "User.Read.All" in str(exc.value)


def test_403_for_an_unlicensed_feature_names_the_licence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return error(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
        )

    client, _ = make_client(handler)
    label = Label("signIns", "AuditLog.Read.All", "Microsoft Entra ID P1")
    with pytest.raises(LicenceMissingError) as exc:
        run(client.list_all(Service.GRAPH, "auditLogs/signIns", label=label))
    assert exc.value.licence == "Microsoft Entra ID P1"


def test_401_refreshes_the_token_once_then_reports_the_credential() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return error(401, "InvalidAuthenticationToken", "Access token validation failure")

    client, tokens = make_client(handler)
    with pytest.raises(CredentialError, match="consent"):
        run(client.get_json(Service.GRAPH, "organization"))
    assert tokens.invalidated == ["https://graph.microsoft.com/.default"]
    assert tokens.issued == 2


def test_truncated_page_is_retried_then_fails_clearly() -> None:
    answers = [httpx.Response(200, content=b'{"value": [{"id": "1"'), page([{"id": "1"}])]

    def once_truncated(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    client, _ = make_client(once_truncated)
    assert run(client.list_all(Service.GRAPH, "groups")) == [{"id": "1"}]

    def always_wrong(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"unexpected": True})

    client, _ = make_client(always_wrong, attempts=2)
    with pytest.raises(GraphError, match="malformed"):
        run(client.list_all(Service.GRAPH, "groups", label=Label("groups")))


def test_batch_splits_by_twenty_retries_inner_429_and_follows_inner_pages() -> None:
    batches: list[list[dict[str, Any]]] = []
    throttled_once: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("$batch"):
            reqs = json.loads(request.content)["requests"]
            batches.append(reqs)
            out = []
            for r in reqs:
                gid = r["url"].split("/")[2]
                if gid == "g3" and gid not in throttled_once:
                    throttled_once.add(gid)
                    out.append({"id": r["id"], "status": 429, "headers": {"Retry-After": "0"}})
                elif gid == "gone":
                    out.append({"id": r["id"], "status": 404, "body": {"error": {}}})
                elif gid == "g7":
                    body = {"value": [{"id": "m1"}], "@odata.nextLink": f"{GRAPH}/g7-page2"}
                    out.append({"id": r["id"], "status": 200, "body": body})
                else:
                    out.append({"id": r["id"], "status": 200, "body": {"value": [{"id": gid}]}})
            return httpx.Response(200, json={"responses": out})
        assert request.url.path.endswith("g7-page2")
        return page([{"id": "m2"}])

    client, _ = make_client(handler)
    parents = {f"g{i}": f"groups/g{i}/transitiveMembers" for i in range(24)}
    parents["gone"] = "groups/gone/transitiveMembers"
    got = run(client.children(parents, params={"$select": "id"}, label=Label("groupMembers")))
    assert [len(b) for b in batches] == [20, 6]  # throttled g3 rides in the next batch
    assert sum("/g3/" in r["url"] for b in batches for r in b) == 2
    assert got["g3"] == [{"id": "g3"}]
    assert got["gone"] is None
    assert got["g7"] == [{"id": "m1"}, {"id": "m2"}]
    assert batches[0][0]["url"] == "/groups/g0/transitiveMembers?$select=id"
    assert client.stats.calls >= 26
    assert client.stats.throttled == 1


def test_batch_inner_403_is_a_permission_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        reqs = json.loads(request.content)["requests"]
        out = [
            {"id": r["id"], "status": 403, "body": {"error": {"code": "ErrorAccessDenied"}}}
            for r in reqs
        ]
        return httpx.Response(200, json={"responses": out})

    client, _ = make_client(handler)
    label = Label("messageRules", "MailboxSettings.Read")
    with pytest.raises(PermissionMissingError, match=r"MailboxSettings\.Read"):
        run(client.children({"u1": "users/u1/mailFolders/inbox/messageRules"}, label=label))


def test_exchange_cmdlet_goes_to_invoke_command_and_pages() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            link = f"https://outlook.office365.com/adminapi/beta/{TENANT_ID}/InvokeCommand?p=2"
            return page([{"Name": "a"}], link)
        return page([{"Name": "b"}])

    client, _ = make_client(handler)
    rows = run(client.invoke_exchange("Get-Mailbox", {"ResultSize": "Unlimited"}))
    assert [r["Name"] for r in rows] == ["a", "b"]
    assert seen[0].method == "POST"
    assert seen[0].url.path == f"/adminapi/beta/{TENANT_ID}/InvokeCommand"
    body = json.loads(seen[0].content)
    assert body == {
        "CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {"ResultSize": "Unlimited"}}
    }


def test_verbs_post_patch_delete() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(200, json={"ok": True})

    client, _ = make_client(handler)
    assert run(client.post_json(Service.DEFENDER, "machines/m1/isolate", {"Comment": "x"})) == {
        "ok": True
    }
    assert run(client.patch_json(Service.GRAPH, "users/u1", {"accountEnabled": False})) == {
        "ok": True
    }
    run(client.delete(Service.GRAPH, "users/u1/mailFolders/inbox/messageRules/r1"))
    assert seen == [
        ("POST", "/api/machines/m1/isolate"),
        ("PATCH", "/v1.0/users/u1"),
        ("DELETE", "/v1.0/users/u1/mailFolders/inbox/messageRules/r1"),
    ]


def test_next_pages_keep_the_first_pages_throttle_buckets() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "skiptoken" in str(request.url):
            return page([{"id": "2"}])
        return page([{"id": "1"}], f"{GRAPH}/users?$skiptoken=opaque")

    client, _ = make_client(handler)
    params = {"$select": "id,signInActivity", "$top": "500"}
    run(client.list_all(Service.GRAPH, "users", params=params, label=USERS))
    assert client.stats.per_bucket == {"directory": 2, "reports": 2}
