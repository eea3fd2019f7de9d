"""Every Graph endpoint the simulator serves answers with bodies that conform to the
Graph v1.0 CSDL schema, and with the same top-level shape as Microsoft's documented
examples for that endpoint."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.simulator.client import all_pages, client, get, token
from tests.simulator.graph_properties import OUT, render
from tests.simulator.schema import SESSION_AUDIT, Schema, load_schema

from cosec.collect.registry import FETCHES, STREAM_FETCHES
from cosec.simulator.api.graph_specs import SPECS
from cosec.simulator.contract import (
    EXCHANGE_CMDLETS,
    GRAPH_CHILDREN,
    GRAPH_COLLECTIONS,
    GRAPH_SINGLETONS,
    GRAPH_STREAMS,
)
from cosec.simulator.server import SimulatorHandle

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "graph" / "examples"

# Documented example → the Graph path it answers (from examples/INDEX.md).
EXAMPLE_PATHS = {
    "users-list.1.json": "users",
    "users-list-signinactivity.json": "users",
    "users-delta.1.json": "users/delta",
    "userregistrationdetails-list.json": "reports/authenticationMethods/userRegistrationDetails",
    "conditionalaccess-policies-list.json": "identity/conditionalAccess/policies",
    "namedlocations-list.1.json": "identity/conditionalAccess/namedLocations",
    "roleassignments-list.1.json": "roleManagement/directory/roleAssignments",
    "roledefinitions-list.1.json": "roleManagement/directory/roleDefinitions",
    "roleeligibilityscheduleinstances-list.json": (
        "roleManagement/directory/roleEligibilityScheduleInstances"
    ),
    "signins-list.1.json": "auditLogs/signIns",
    "signins-list.2.json": "auditLogs/signIns",
    "directoryaudits-list.1.json": "auditLogs/directoryAudits",
    "riskyusers-list.json": "identityProtection/riskyUsers",
    "riskdetections-list.json": "identityProtection/riskDetections",
    "security-alerts_v2-list.json": "security/alerts_v2",
    "security-incidents-list.1.json": "security/incidents",
    "securescores-list.json": "security/secureScores",
    "securescorecontrolprofiles-list.json": "security/secureScoreControlProfiles",
    "manageddevices-list.json": "deviceManagement/managedDevices",
    "subscribedskus-list.json": "subscribedSkus",
    "organization-list.json": "organization",
    "domains-list.json": "domains",
    "authorizationpolicy-get.json": "policies/authorizationPolicy",
    "identitysecuritydefaultsenforcementpolicy-get.json": (
        "policies/identitySecurityDefaultsEnforcementPolicy"
    ),
    "authenticationmethodspolicy-get.json": "policies/authenticationMethodsPolicy",
    "attacksimulation-simulations-list.json": "security/attackSimulation/simulations",
}


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema()


@pytest.fixture(scope="module")
def graph(simulator: SimulatorHandle) -> Iterator[httpx.Client]:
    with client(simulator, token(simulator, "contoso")) as c:
        yield c


def _first_id(graph: httpx.Client, sim: SimulatorHandle, path: str) -> str:
    items = get(graph, f"{sim.graph}/{path}?$top=5").json()["value"]
    assert items, f"the simulated tenant has no {path}"
    return str(items[0]["id"])


def _parents(graph: httpx.Client, sim: SimulatorHandle, key: str) -> list[str]:
    parent_path = {
        "groupMembers": "groups",
        "messageRules": "users",
        "simulationUsers": "security/attackSimulation/simulations",
        "compliancePolicyAssignments": "deviceManagement/deviceCompliancePolicies",
    }[key]
    return [str(i["id"]) for i in all_pages(graph, f"{sim.graph}/{parent_path}")][:40]


def _check(schema: Schema, body: Any, path: str) -> None:
    errors = schema.validate_response(body, path)
    assert not errors, f"{path}: {errors[:10]}"


@pytest.mark.parametrize("key", sorted(GRAPH_COLLECTIONS))
def test_collections_conform(
    schema: Schema, graph: httpx.Client, simulator: SimulatorHandle, key: str
) -> None:
    path = GRAPH_COLLECTIONS[key]
    url: str | None = f"{simulator.graph}/{path}"
    pages = 0
    while url and pages < 20:
        r = get(graph, url)
        assert r.status_code == 200, r.text
        _check(schema, r.json(), path)
        url = r.json().get("@odata.nextLink")
        pages += 1
    if key == "users":
        selected = get(
            graph,
            f"{simulator.graph}/users?$select=id,displayName,accountEnabled,userType,"
            "signInActivity,assignedLicenses,createdDateTime,department&$top=500",
        )
        _check(schema, selected.json(), path)
        item = get(graph, f"{simulator.graph}/users/{_first_id(graph, simulator, 'users')}")
        _check(schema, item.json(), "users/x")


@pytest.mark.parametrize("key", sorted(GRAPH_SINGLETONS))
def test_singletons_conform(
    schema: Schema, graph: httpx.Client, simulator: SimulatorHandle, key: str
) -> None:
    path = GRAPH_SINGLETONS[key]
    r = get(graph, f"{simulator.graph}/{path}")
    assert r.status_code == 200, r.text
    _check(schema, r.json(), path)


@pytest.mark.parametrize("key", sorted(GRAPH_CHILDREN))
def test_children_conform(
    schema: Schema, graph: httpx.Client, simulator: SimulatorHandle, key: str
) -> None:
    template = GRAPH_CHILDREN[key]
    seen = 0
    for parent in _parents(graph, simulator, key):
        path = template.replace("{id}", parent)
        r = get(graph, f"{simulator.graph}/{path}")
        if key == "messageRules" and r.status_code == 404:
            continue  # a user without a mailbox
        assert r.status_code == 200, r.text
        _check(schema, r.json(), path)
        seen += len(r.json()["value"])
    assert seen > 0, f"no {key} served for the first parents"


@pytest.mark.parametrize("key", sorted(GRAPH_STREAMS))
def test_streams_conform(
    schema: Schema, graph: httpx.Client, simulator: SimulatorHandle, key: str
) -> None:
    path, _ = GRAPH_STREAMS[key]
    url: str | None = f"{simulator.graph}/{path}"
    served = 0
    while url:
        r = get(graph, url)
        assert r.status_code == 200, r.text
        _check(schema, r.json(), path)
        served += len(r.json()["value"])
        url = r.json().get("@odata.nextLink")
    assert served > 0


def test_expanded_and_delta_bodies_conform(
    schema: Schema, graph: httpx.Client, simulator: SimulatorHandle
) -> None:
    path = "roleManagement/directory/roleAssignments"
    r = get(graph, f"{simulator.graph}/{path}?$expand=principal")
    _check(schema, r.json(), path)
    r = get(graph, f"{simulator.graph}/security/incidents?$expand=alerts")
    _check(schema, r.json(), "security/incidents")
    r = get(graph, f"{simulator.graph}/users/delta")
    _check(schema, {"value": r.json()["value"]}, "users")


def test_validator_rejects_what_graph_would_not_send(schema: Schema) -> None:
    assert schema.validate({"id": "x", "nonsense": 1}, "microsoft.graph.user")
    assert schema.validate({"accountEnabled": "yes"}, "microsoft.graph.user")
    assert schema.validate({"riskLevel": "extreme"}, "microsoft.graph.riskyUser")
    assert schema.validate({"createdDateTime": "yesterday"}, "microsoft.graph.signIn")
    assert schema.validate({"assignedLicenses": [{"skuId": "x"}]}, "microsoft.graph.user")
    assert schema.validate({"@odata.type": "#microsoft.graph.group"}, "microsoft.graph.user")
    assert schema.validate({"id": None}, "microsoft.graph.entity")
    assert not schema.validate(
        {"@odata.type": "#microsoft.graph.user", "id": "x", "accountEnabled": True},
        "microsoft.graph.directoryObject",
    )


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_documented_examples_load(name: str) -> None:
    body = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    assert isinstance(body, dict)


@pytest.mark.parametrize("name", sorted(EXAMPLE_PATHS))
def test_same_top_level_shape_as_the_documented_example(
    graph: httpx.Client, simulator: SimulatorHandle, name: str
) -> None:
    example = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    path = EXAMPLE_PATHS[name]
    query = "?$top=1" if "@odata.nextLink" in example else ""
    if name == "users-list-signinactivity.json":
        query = "?$select=displayName,userPrincipalName,signInActivity"
    # Delta pages are sized with Prefer: odata.maxpagesize, not $top.
    headers = {"Prefer": "odata.maxpagesize=1"} if path == "users/delta" else {}
    r = get(
        graph, f"{simulator.graph}/{path}{query if path != 'users/delta' else ''}", headers=headers
    )
    assert r.status_code == 200, r.text
    ours = r.json()
    assert ("value" in example) == ("value" in ours)
    if "value" in example:
        assert isinstance(ours["value"], list)
    if "@odata.nextLink" in example:
        assert "@odata.nextLink" in ours


def test_every_graph_body_served_by_the_session_simulator_conformed(
    graph: httpx.Client, simulator: SimulatorHandle
) -> None:
    """Runs after the tests above (and after every other test directory that used the
    session simulator), so it covers bodies served to the whole suite so far."""
    get(graph, f"{simulator.graph}/users?$select=id,signInActivity")
    assert SESSION_AUDIT.checked > 0
    assert not SESSION_AUDIT.violations, SESSION_AUDIT.violations[:20]


def test_select_property_data_is_generated_from_the_csdl(schema: Schema) -> None:
    """Regenerate with `python -m tests.simulator.graph_properties` when this fails."""
    assert OUT.read_text(encoding="utf-8") == render(schema)


def test_collector_selects_only_properties_graph_knows() -> None:
    """Graph refuses the whole request for one unknown $select property."""
    data = json.loads(OUT.read_text(encoding="utf-8"))
    by_path = {spec.path: key for key, spec in SPECS.items()}
    wrong = {
        f.key: [p for p in f.select if p not in data[by_path[f.path]]["properties"]]
        for f in [*FETCHES.values(), *STREAM_FETCHES.values()]
        if f.path in by_path and f.select
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_docs_count_the_paths_served() -> None:
    kinds = Counter(spec.kind for spec in SPECS.values())
    text = (Path(__file__).resolve().parents[2] / "docs" / "simulator.md").read_text()
    expected = (
        f"Paths covered: {len(SPECS)} Graph v1.0 paths ({kinds['collection']} collections, "
        f"{kinds['singleton']} singletons, {kinds['children']} per-parent\ncollections, "
        f"{kinds['stream']} event streams) and {len(EXCHANGE_CMDLETS)} Exchange cmdlets"
    )
    assert expected in text
