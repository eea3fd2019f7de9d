"""The simulated cloud over real HTTPS: tokens, routing, permissions, licences, paging,
query options, the simulated day, $batch, response actions, Exchange, Defender, control."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
import pytest
from tests.simulator.client import all_pages, client, tls, token
from tests.simulator.fake_tenant import FakeTenant

from cosec.simulator.cloud import DEFENDER, EXCHANGE, GRAPH
from cosec.simulator.server import SimulatorHandle

Start = Callable[..., SimulatorHandle]


@pytest.fixture
def sim(sim_cloud: Start) -> SimulatorHandle:
    return sim_cloud([FakeTenant(name="fake", users=250)], throttling=False)


@pytest.fixture
def graph(sim: SimulatorHandle) -> httpx.Client:
    return client(sim, token(sim, "fake"))


# --- identity ------------------------------------------------------------------------


def test_discovery_names_the_token_endpoint_and_keys(sim: SimulatorHandle) -> None:
    tid = sim.tenant("fake").tenant_id
    r = httpx.get(f"{sim.login}/{tid}/v2.0/.well-known/openid-configuration", verify=tls(sim))
    assert r.status_code == 200
    conf = r.json()
    assert conf["token_endpoint"] == f"{sim.login}/{tid}/oauth2/v2.0/token"
    keys = httpx.get(conf["jwks_uri"], verify=tls(sim)).json()["keys"]
    assert keys[0]["kty"] == "RSA"


def test_wrong_secret_is_aadsts7000215(sim: SimulatorHandle) -> None:
    creds = sim.tenant("fake")
    r = httpx.post(
        f"{sim.login}/{creds.tenant_id}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds.client_id,
            "client_secret": "wrong",
            "scope": f"{GRAPH}/.default",
        },
        verify=tls(sim),
    )
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert r.json()["error_codes"] == [7000215]
    assert r.json()["error_description"].startswith("AADSTS7000215:")


@pytest.mark.parametrize(
    ("knob", "status", "code"),
    [
        ("unknown", 400, 700016),
        ("revoke_consent", 400, 65001),
        ("disable_app", 400, 7000112),
        ("expire_secret", 401, 7000222),
    ],
)
def test_broken_apps_get_real_aadsts_errors(
    sim: SimulatorHandle, knob: str, status: int, code: int
) -> None:
    creds = sim.tenant("fake")
    client_id = creds.client_id
    if knob == "unknown":
        client_id = "00000000-0000-0000-0000-000000000001"
    else:
        getattr(sim.cloud, knob)("fake", creds.client_id)
    r = httpx.post(
        f"{sim.login}/fake/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": creds.client_secret,
            "scope": f"{GRAPH}/.default",
        },
        verify=tls(sim),
    )
    assert r.status_code == status
    assert r.json()["error_codes"] == [code]


def test_unknown_tenant_and_bad_scope_are_refused(sim: SimulatorHandle) -> None:
    creds = sim.tenant("fake")
    form = {
        "grant_type": "client_credentials",
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "scope": f"{GRAPH}/User.Read.All",
    }
    r = httpx.post(f"{sim.login}/nope/oauth2/v2.0/token", data=form, verify=tls(sim))
    assert r.json()["error_codes"] == [90002]
    r = httpx.post(f"{sim.login}/fake/oauth2/v2.0/token", data=form, verify=tls(sim))
    assert r.json()["error_codes"] == [1002012]


def test_missing_expired_and_foreign_tokens_get_401(sim: SimulatorHandle) -> None:
    r = httpx.get(f"{sim.graph}/users", verify=tls(sim))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "InvalidAuthenticationToken"
    exchange_token = token(sim, "fake", resource=EXCHANGE)
    r = client(sim, exchange_token).get(f"{sim.graph}/users")
    assert r.status_code == 401
    sim.cloud.token_lifetime = dt.timedelta(seconds=-1)
    r = client(sim, token(sim, "fake")).get(f"{sim.graph}/users")
    assert r.status_code == 401
    assert "expired" in r.json()["error"]["error" == "" or "message"]


# --- Graph reads -----------------------------------------------------------------------


def test_users_page_by_default_100_with_opaque_next_links(
    graph: httpx.Client, sim: SimulatorHandle
) -> None:
    r = graph.get(f"{sim.graph}/users")
    body = r.json()
    assert len(body["value"]) == 100
    assert body["@odata.context"].endswith("$metadata#users")
    assert "$skiptoken=" in body["@odata.nextLink"]
    # Only Graph's default user properties come back without $select.
    assert "accountEnabled" not in body["value"][0]
    assert "signInActivity" not in body["value"][0]
    users = all_pages(graph, f"{sim.graph}/users?$select=id,accountEnabled&$top=999")
    assert len(users) == 250
    assert set(users[0]) == {"id", "accountEnabled"}
    ids = [u["id"] for u in all_pages(graph, f"{sim.graph}/users?$select=id&$top=7")]
    assert len(ids) == len(set(ids)) == 250


def test_top_over_the_documented_maximum_is_400(graph: httpx.Client, sim: SimulatorHandle) -> None:
    r = graph.get(f"{sim.graph}/users?$top=1000")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "Request_UnsupportedQuery"
    r = graph.get(f"{sim.graph}/users?$top=501&$select=id,signInActivity")
    assert r.status_code == 400
    r = graph.get(f"{sim.graph}/users?$top=500&$select=id,signInActivity")
    assert r.status_code == 200
    assert "lastSignInDateTime" in r.json()["value"][0]["signInActivity"]
    r = graph.get(f"{sim.graph}/auditLogs/signIns?$top=1001")
    assert r.status_code == 400


def test_filter_on_documented_properties(graph: httpx.Client, sim: SimulatorHandle) -> None:
    guests = all_pages(
        graph, f"{sim.graph}/users?$filter=userType eq 'Guest'&$select=id,userType&$top=999"
    )
    assert len(guests) == 50
    assert {g["userType"] for g in guests} == {"Guest"}
    r = graph.get(f"{sim.graph}/users?$filter=accountEnabled eq false")
    assert r.json()["value"] == []
    r = graph.get(f"{sim.graph}/users?$filter=faxNumber eq '1'")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "Request_UnsupportedQuery"
    r = graph.get(f"{sim.graph}/users?$filter=userType eq")
    assert r.status_code == 400


def test_count_needs_consistency_level(graph: httpx.Client, sim: SimulatorHandle) -> None:
    assert graph.get(f"{sim.graph}/users?$count=true").status_code == 400
    r = graph.get(f"{sim.graph}/users?$count=true&$top=1", headers={"ConsistencyLevel": "eventual"})
    assert r.json()["@odata.count"] == 250
    r = graph.get(f"{sim.graph}/users/$count", headers={"ConsistencyLevel": "eventual"})
    assert r.text == "250"


def test_stream_paging_crosses_days_newest_first_and_windows(
    graph: httpx.Client, sim: SimulatorHandle
) -> None:
    events = all_pages(graph, f"{sim.graph}/auditLogs/directoryAudits?$top=5")
    assert len(events) == 21  # 3 days × 7
    stamps = [e["activityDateTime"] for e in events]
    assert stamps == sorted(stamps, reverse=True)
    assert len({e["id"] for e in events}) == 21
    window = all_pages(
        graph,
        f"{sim.graph}/auditLogs/directoryAudits?$top=4&$filter=activityDateTime ge "
        "2026-11-19T00:00:00Z and activityDateTime lt 2026-11-19T20:00:00Z",
    )
    assert [e["activityDateTime"] for e in window] == [
        "2026-11-19T19:00:00Z",
        "2026-11-19T18:00:00Z",
        "2026-11-19T17:00:00Z",
    ]


def test_simulated_day_header_serves_the_past(graph: httpx.Client, sim: SimulatorHandle) -> None:
    events = all_pages(
        graph,
        f"{sim.graph}/auditLogs/directoryAudits",
        headers={"X-Cosec-Simulator-Day": "2026-11-18"},
    )
    assert {e["activityDateTime"][:10] for e in events} == {"2026-11-18"}
    r = graph.get(f"{sim.graph}/users", headers={"X-Cosec-Simulator-Day": "2027-01-01"})
    assert r.status_code == 400


def test_missing_permission_is_authorization_request_denied(
    sim: SimulatorHandle,
) -> None:
    sim.cloud.remove_permission("fake", sim.tenant("fake").client_id, "User.Read.All")
    c = client(sim, token(sim, "fake"))
    r = c.get(f"{sim.graph}/users")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "Authorization_RequestDenied"
    assert r.json()["error"]["message"] == "Insufficient privileges to complete the operation."
    assert c.get(f"{sim.graph}/groups").status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("auditLogs/signIns", 403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant"),
        (
            "identity/conditionalAccess/policies",
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        ),
        ("identityProtection/riskyUsers", 403, "Forbidden"),
        ("deviceManagement/managedDevices", 400, "BadRequest"),
    ],
)
def test_unlicensed_features_answer_like_graph(
    sim_cloud: Start, path: str, status: int, code: str
) -> None:
    sim = sim_cloud([FakeTenant(name="free", features=frozenset({"exchange"}))])
    r = client(sim, token(sim, "free")).get(f"{sim.graph}/{path}")
    assert r.status_code == status
    assert r.json()["error"]["code"] == code


def test_unknown_path_and_missing_item(graph: httpx.Client, sim: SimulatorHandle) -> None:
    assert graph.get(f"{sim.graph}/nonsense").status_code == 400
    r = graph.get(f"{sim.graph}/users/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "Request_ResourceNotFound"


def test_beta_answers_a_graph_json_error(graph: httpx.Client, sim: SimulatorHandle) -> None:
    """It answered a plain-text 404 that SDKs report as a transport failure."""
    beta = sim.graph.replace("/v1.0", "/beta")
    r = graph.get(f"{beta}/policies/deviceRegistrationPolicy")
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    error = r.json()["error"]
    assert error["code"] == "BadRequest"
    assert "v1.0 only" in error["message"]
    assert r.headers["request-id"]


def test_select_of_an_unknown_property_is_graphs_400(
    graph: httpx.Client, sim: SimulatorHandle
) -> None:
    """Unknown $select properties were silently ignored, hiding wrong collector selects."""
    r = graph.get(f"{sim.graph}/users?$select=id,favouriteColour")
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "BadRequest",
        "message": "Could not find a property named 'favouriteColour' on type "
        "'microsoft.graph.user'.",
        "innerError": r.json()["error"]["innerError"],
    }
    r = graph.get(f"{sim.graph}/policies/authorizationPolicy?$select=id,nonsense")
    assert r.status_code == 400


def test_selected_properties_the_object_lacks_are_null(
    graph: httpx.Client, sim: SimulatorHandle
) -> None:
    r = graph.get(f"{sim.graph}/users?$select=id,employeeHireDate&$top=5")
    assert r.status_code == 200, r.text
    rows = r.json()["value"]
    assert rows and all(set(u) == {"id", "employeeHireDate"} for u in rows)
    assert all(u["employeeHireDate"] is None for u in rows)


def test_expand_principal_on_role_assignments(graph: httpx.Client, sim: SimulatorHandle) -> None:
    r = graph.get(f"{sim.graph}/roleManagement/directory/roleAssignments?$expand=principal")
    principal = r.json()["value"][0]["principal"]
    assert principal["@odata.type"] == "#microsoft.graph.user"
    r = graph.get(f"{sim.graph}/roleManagement/directory/roleAssignments?$expand=owner")
    assert r.status_code == 400


def test_users_delta_returns_a_delta_link_then_changes(sim: SimulatorHandle) -> None:
    graph = client(sim, token(sim, "fake"))
    users = []
    url: str | None = f"{sim.graph}/users/delta?$select=id,accountEnabled"
    delta_link = None
    while url:
        body = graph.get(url).json()
        users.extend(body["value"])
        url = body.get("@odata.nextLink")
        delta_link = body.get("@odata.deltaLink")
    assert len(users) == 250
    assert delta_link is not None
    responder = client(sim, token(sim, "fake", response=True))
    victim = users[3]["id"]
    assert (
        responder.patch(f"{sim.graph}/users/{victim}", json={"accountEnabled": False}).status_code
        == 204
    )
    changed = graph.get(delta_link).json()
    assert changed["value"] == [{"id": victim, "accountEnabled": False}]


# --- $batch -----------------------------------------------------------------------------


def test_batch_answers_each_request_and_honours_depends_on(
    graph: httpx.Client, sim: SimulatorHandle
) -> None:
    body = {
        "requests": [
            {"id": "1", "method": "GET", "url": "/users?$top=2&$select=id"},
            {"id": "2", "method": "GET", "url": "/nonsense"},
            {"id": "3", "method": "GET", "url": "/groups", "dependsOn": ["2"]},
            {"id": "4", "method": "GET", "url": "/groups", "dependsOn": ["1"]},
        ]
    }
    r = graph.post(f"{sim.graph}/$batch", json=body)
    assert r.status_code == 200
    by_id = {x["id"]: x for x in r.json()["responses"]}
    assert by_id["1"]["status"] == 200
    assert len(by_id["1"]["body"]["value"]) == 2
    assert by_id["2"]["status"] == 400
    assert by_id["3"]["status"] == 424
    assert by_id["4"]["status"] == 200


def test_batch_of_more_than_20_is_refused(graph: httpx.Client, sim: SimulatorHandle) -> None:
    body = {"requests": [{"id": str(i), "method": "GET", "url": "/groups"} for i in range(21)]}
    r = graph.post(f"{sim.graph}/$batch", json=body)
    assert r.status_code == 400


# --- response actions ---------------------------------------------------------------------


def test_response_actions_need_the_response_app(sim: SimulatorHandle) -> None:
    reader = client(sim, token(sim, "fake"))
    users = reader.get(f"{sim.graph}/users?$top=2&$select=id").json()["value"]
    uid = users[0]["id"]
    r = reader.post(f"{sim.graph}/users/{uid}/revokeSignInSessions")
    assert r.status_code == 403
    responder = client(sim, token(sim, "fake", response=True))
    r = responder.post(f"{sim.graph}/users/{uid}/revokeSignInSessions")
    assert r.status_code == 200
    assert r.json()["value"] is True
    r = responder.post(
        f"{sim.graph}/identityProtection/riskyUsers/confirmCompromised",
        json={"userIds": [uid]},
    )
    assert r.status_code == 204
    r = responder.post(f"{sim.graph}/identityProtection/riskyUsers/dismiss", json={})
    assert r.status_code == 400
    rule = f"rule-{uid[:8]}"
    path = f"{sim.graph}/users/{uid}/mailFolders/inbox/messageRules/{rule}"
    assert responder.delete(path).status_code == 204
    assert responder.delete(path + "x").status_code == 404
    r = responder.patch(f"{sim.graph}/users/{uid}", json={"displayName": "x"})
    assert r.status_code == 400


# --- Exchange and Defender ------------------------------------------------------------------


def test_exchange_invoke_command(sim: SimulatorHandle) -> None:
    creds = sim.tenant("fake")
    ex = client(sim, token(sim, "fake", resource=EXCHANGE))
    url = f"{sim.exchange}/{creds.tenant_id}/InvokeCommand"
    r = ex.post(url, json={"CmdletInput": {"CmdletName": "Get-Mailbox"}})
    assert r.status_code == 200
    assert len(r.json()["value"]) == 250
    r = ex.post(url, json={"CmdletInput": {"CmdletName": "Remove-Mailbox"}})
    assert r.status_code == 400
    forwarding = {
        "CmdletInput": {
            "CmdletName": "Set-Mailbox",
            "Parameters": {"Identity": "user1@fake.onmicrosoft.com", "ForwardingSmtpAddress": None},
        }
    }
    assert ex.post(url, json=forwarding).status_code == 403
    responder = client(sim, token(sim, "fake", resource=EXCHANGE, response=True))
    assert responder.post(url, json=forwarding).status_code == 200
    graph_token = client(sim, token(sim, "fake"))
    assert graph_token.post(url, json=forwarding).status_code == 401


def test_defender_machines_isolation_and_actions(sim: SimulatorHandle) -> None:
    reader = client(sim, token(sim, "fake", resource=DEFENDER))
    machines = all_pages(reader, f"{sim.defender}/api/machines?$top=100")
    assert len(machines) == 250
    assert reader.get(f"{sim.defender}/api/machines?$top=10001").status_code == 400
    mid = machines[0]["id"]
    vulns = reader.get(f"{sim.defender}/api/machines/{mid}/vulnerabilities")
    assert vulns.json()["value"][0]["id"] == "CVE-2026-0001"
    assert reader.get(f"{sim.defender}/api/machines/nope/vulnerabilities").status_code == 404
    body = {"Comment": "contain", "IsolationType": "Full"}
    assert reader.post(f"{sim.defender}/api/machines/{mid}/isolate", json=body).status_code == 403
    responder = client(sim, token(sim, "fake", resource=DEFENDER, response=True))
    r = responder.post(f"{sim.defender}/api/machines/{mid}/isolate", json=body)
    assert r.status_code == 201
    action = r.json()
    assert action["type"] == "Isolate"
    r = responder.get(f"{sim.defender}/api/machineactions/{action['id']}")
    assert r.status_code == 200


# --- control API ----------------------------------------------------------------------------


def test_control_api_needs_its_token_and_applies_changes(sim: SimulatorHandle) -> None:
    plain = httpx.Client(verify=tls(sim))
    assert plain.get(f"{sim.base}/_simulator/health").json()["status"] == "ok"
    assert plain.get(f"{sim.base}/_simulator/tenants").status_code == 401
    admin = client(sim, sim.control_token)
    assert admin.get(f"{sim.base}/_simulator/tenants").json()[0]["name"] == "fake"
    change = {
        "kind": "conditionalAccessPolicy",
        "object_id": "x",
        "patch": {"state": "disabled"},
        "actor": "mallory@fake.onmicrosoft.com",
    }
    r = admin.post(f"{sim.base}/_simulator/tenants/fake/changes", json=change)
    assert r.status_code == 200
    assert r.json()["actor"] == "mallory@fake.onmicrosoft.com"
    r = admin.post(f"{sim.base}/_simulator/tenants/fake/changes", json={"kind": "x"})
    assert r.status_code == 400


def test_exchange_pages_of_1000_and_mdo_cmdlets_need_the_licence(sim_cloud: Start) -> None:
    sim = sim_cloud(
        [FakeTenant(name="big", users=1200, features=frozenset({"exchange"}))],
        throttling=False,
    )
    ex = client(sim, token(sim, "big", resource=EXCHANGE))
    url = f"{sim.exchange}/{sim.tenant('big').tenant_id}/InvokeCommand"
    body = {"CmdletInput": {"CmdletName": "Get-Mailbox"}}
    first = ex.post(url, json=body).json()
    assert len(first["value"]) == 1000
    second = ex.post(first["@odata.nextLink"], json=body).json()
    assert len(second["value"]) == 200
    assert "@odata.nextLink" not in second
    r = ex.post(url, json={"CmdletInput": {"CmdletName": "Get-SafeLinksPolicy"}})
    assert r.status_code == 400
    assert "is not recognized as the name of a cmdlet" in r.json()["error"]["message"]


def test_defender_filter_and_unlicensed_tenant(sim_cloud: Start) -> None:
    sim = sim_cloud([FakeTenant(name="a"), FakeTenant(name="b", features=frozenset())])
    reader = client(sim, token(sim, "a", resource=DEFENDER))
    r = reader.get(f"{sim.defender}/api/machines?$filter=computerDnsName eq 'pc3'")
    assert [m["computerDnsName"] for m in r.json()["value"]] == ["pc3"]
    assert reader.get(f"{sim.defender}/api/machines?$filter=owner eq 'x'").status_code == 400
    unlicensed = client(sim, token(sim, "b", resource=DEFENDER))
    assert unlicensed.get(f"{sim.defender}/api/machines").status_code == 403


def test_batch_requests_inherit_the_simulated_day(
    graph: httpx.Client, sim: SimulatorHandle
) -> None:
    body = {"requests": [{"id": "1", "method": "GET", "url": "/auditLogs/directoryAudits"}]}
    r = graph.post(
        f"{sim.graph}/$batch", json=body, headers={"X-Cosec-Simulator-Day": "2026-11-18"}
    )
    events = r.json()["responses"][0]["body"]["value"]
    assert {e["activityDateTime"][:10] for e in events} == {"2026-11-18"}


def test_tenants_are_isolated_by_token(sim_cloud: Start) -> None:
    sim = sim_cloud([FakeTenant(name="a", users=3), FakeTenant(name="b", users=4)])
    a = client(sim, token(sim, "a")).get(f"{sim.graph}/users?$select=userPrincipalName")
    b = client(sim, token(sim, "b")).get(f"{sim.graph}/users?$select=userPrincipalName")
    assert {u["userPrincipalName"].split("@")[1] for u in a.json()["value"]} == {
        "a.onmicrosoft.com"
    }
    assert len(b.json()["value"]) == 4
    # A token of tenant a is not accepted for tenant b's Exchange endpoint.
    ex = client(sim, token(sim, "a", resource=EXCHANGE))
    url = f"{sim.exchange}/{sim.tenant('b').tenant_id}/InvokeCommand"
    assert ex.post(url, json={"CmdletInput": {"CmdletName": "Get-Mailbox"}}).status_code == 401


def test_control_api_breaks_apps_like_real_tenants_break(sim: SimulatorHandle) -> None:
    creds = sim.tenant("fake")
    admin = client(sim, sim.control_token)
    url = f"{sim.base}/_simulator/tenants/fake/apps/{creds.client_id}"
    r = admin.post(url, json={"remove_permission": "AuditLog.Read.All"})
    assert r.status_code == 200
    assert "AuditLog.Read.All" not in r.json()["permissions"]
    reader = client(sim, token(sim, "fake"))
    assert reader.get(f"{sim.graph}/auditLogs/directoryAudits").status_code == 403
    assert admin.post(url, json={"explode": True}).status_code == 400
    assert (
        admin.post(url.replace(creds.client_id, "nope"), json={"disable": True}).status_code == 404
    )
    assert client(sim, "wrong").post(url, json={"disable": True}).status_code == 401
    assert admin.post(url, json={"expire_secret": True}).json()["consented"] is True
    r = httpx.post(
        f"{sim.login}/fake/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "scope": f"{GRAPH}/.default",
        },
        verify=tls(sim),
    )
    assert r.json()["error_codes"] == [7000222]


def test_answers_carry_graph_correlation_headers(graph: httpx.Client, sim: SimulatorHandle) -> None:
    r = graph.get(f"{sim.graph}/groups", headers={"client-request-id": "abc-123"})
    assert r.headers["client-request-id"] == "abc-123"
    assert len(r.headers["request-id"]) == 36
    r = graph.get(f"{sim.graph}/nonsense")
    assert r.headers["client-request-id"] == r.headers["request-id"]


def test_defender_vulnerability_export_pages_by_page_size(sim: SimulatorHandle) -> None:
    reader = client(sim, token(sim, "fake", resource=DEFENDER))
    url = f"{sim.defender}/api/machines/SoftwareVulnerabilitiesByMachine"
    rows = all_pages(reader, f"{url}?pageSize=40")
    machines = all_pages(reader, f"{sim.defender}/api/machines?$top=1000")
    expected = {
        (m["id"], v["id"])
        for m in machines
        for v in reader.get(f"{sim.defender}/api/machines/{m['id']}/vulnerabilities").json()[
            "value"
        ]
    }
    assert {(r["deviceId"], r["cveId"]) for r in rows} == expected
    assert len(rows) == len(expected) > 40  # more than one page was followed
    row = rows[0]
    assert {"id", "deviceName", "vulnerabilitySeverityLevel", "firstSeenTimestamp"} <= set(row)
    assert isinstance(row["cvssScore"], str)  # documented as a string
    assert reader.get(f"{url}?pageSize=200001").status_code == 400
    assert reader.get(f"{url}?pageSize=many").status_code == 400
