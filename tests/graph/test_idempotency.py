"""Non-idempotent calls are re-sent only when Microsoft cannot have processed them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tests.graph.fakes import TENANT_ID, error, make_client, page

from cosec.errors import OutcomeUnknownError, TenantUnreachableError
from cosec.graph import Label
from cosec.model.resources import Service

ISOLATE = Label("machineActions", "Machine.Isolate")
Step = Callable[[httpx.Request], httpx.Response]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def scripted(*steps: Step) -> tuple[Step, list[httpx.Request]]:
    """A handler answering each request with the next step; the last one repeats."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return steps[min(len(seen), len(steps)) - 1](request)

    return handler, seen


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


def unavailable(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503)


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def read_timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("no answer", request=request)


def throttled_with_retry_after(request: httpx.Request) -> httpx.Response:
    return error(429, "TooManyRequests", "slow down", **{"Retry-After": "0"})


def throttled_without_retry_after(request: httpx.Request) -> httpx.Response:
    return error(429, "TooManyRequests", "slow down")


def isolate(handler: Step) -> Any:
    client, _ = make_client(handler)
    return run(client.post_json(Service.DEFENDER, "api/machines/m1/isolate", {}, label=ISOLATE))


@pytest.mark.parametrize("failure", [unavailable, read_timeout, throttled_without_retry_after])
def test_a_post_that_may_have_been_processed_is_sent_once(failure: Step) -> None:
    handler, seen = scripted(failure, ok)
    with pytest.raises(OutcomeUnknownError, match="machineActions") as exc:
        isolate(handler)
    assert len(seen) == 1
    assert isinstance(exc.value, TenantUnreachableError)  # callers' existing handling holds
    assert "state" in exc.value.hint


@pytest.mark.parametrize("failure", [refused, throttled_with_retry_after])
def test_a_post_microsoft_cannot_have_processed_is_sent_again(failure: Step) -> None:
    handler, seen = scripted(failure, ok)
    assert isolate(handler) == {"ok": True}
    assert len(seen) == 2


def test_a_post_answered_with_a_malformed_body_is_not_resent() -> None:
    handler, seen = scripted(lambda r: httpx.Response(200, content=b'{"id": "x'), ok)
    with pytest.raises(OutcomeUnknownError):
        isolate(handler)
    assert len(seen) == 1


def test_patch_and_delete_are_not_resent_after_a_5xx() -> None:
    handler, seen = scripted(unavailable)
    client, _ = make_client(handler)
    with pytest.raises(OutcomeUnknownError):
        run(client.patch_json(Service.GRAPH, "users/u1", {"accountEnabled": False}))
    with pytest.raises(OutcomeUnknownError):
        run(client.delete(Service.GRAPH, "users/u1/mailFolders/inbox/messageRules/r1"))
    assert [r.method for r in seen] == ["PATCH", "DELETE"]


def test_a_get_is_still_retried_after_a_5xx_and_a_read_timeout() -> None:
    handler, seen = scripted(unavailable, read_timeout, lambda r: page([{"id": "1"}]))
    client, _ = make_client(handler)
    assert run(client.list_all(Service.GRAPH, "users")) == [{"id": "1"}]
    assert len(seen) == 3


def test_a_batch_of_reads_is_retried_after_a_5xx() -> None:
    inner = {"responses": [{"id": "0", "status": 200, "body": {"value": [{"id": "r"}]}}]}
    handler, seen = scripted(unavailable, lambda r: httpx.Response(200, json=inner))
    client, _ = make_client(handler)
    got = run(client.children({"u1": "users/u1/mailFolders/inbox/messageRules"}))
    assert got == {"u1": [{"id": "r"}]}
    assert [r.method for r in seen] == ["POST", "POST"]


def test_exchange_reads_are_retried_but_changes_are_not() -> None:
    handler, seen = scripted(unavailable, lambda r: page([{"Name": "a"}]))
    client, _ = make_client(handler)
    assert run(client.invoke_exchange("Get-Mailbox", {"Identity": "a"})) == [{"Name": "a"}]
    assert len(seen) == 2

    handler, seen = scripted(unavailable, lambda r: page([]))
    client, _ = make_client(handler)
    with pytest.raises(OutcomeUnknownError, match="Set-Mailbox"):
        run(
            client.invoke_exchange(
                "Set-Mailbox",
                {"Identity": "a", "ForwardingSmtpAddress": None},
                label=Label("Set-Mailbox", "Exchange.ManageAsApp"),
            )
        )
    assert len(seen) == 1
    assert seen[0].url.path == f"/adminapi/beta/{TENANT_ID}/InvokeCommand"
