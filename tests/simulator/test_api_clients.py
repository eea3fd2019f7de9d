"""Unmodified Microsoft client libraries work against the simulator: azure-identity and
msal obtain tokens (client secret and certificate), and msgraph-sdk pages users and
sign-ins. The recipes are the ones in FACTS.md."""

from __future__ import annotations

import asyncio
import hashlib
import re
from typing import Any

import httpx
import msal
import pytest
import requests
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import CertificateCredential, ClientSecretCredential
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from tests.simulator.client import client, get, tls
from tests.simulator.fake_tenant import FakeTenant

from cosec.simulator.cloud import GRAPH
from cosec.simulator.server import SimulatorHandle

SCOPE = f"{GRAPH}/.default"


def _works(sim: SimulatorHandle, access_token: str) -> None:
    r = get(client(sim, access_token), f"{sim.graph}/organization")
    assert r.status_code == 200, r.text


def test_azure_identity_client_secret(simulator: SimulatorHandle) -> None:
    creds = simulator.tenant("contoso")
    credential = ClientSecretCredential(
        creds.tenant_id,
        creds.client_id,
        creds.client_secret,
        authority=simulator.login,
        disable_instance_discovery=True,
        connection_verify=str(simulator.ca),
    )
    _works(simulator, credential.get_token(SCOPE).token)


def test_azure_identity_certificate(simulator: SimulatorHandle) -> None:
    creds = simulator.tenant("contoso")
    credential = CertificateCredential(
        creds.tenant_id,
        creds.client_id,
        certificate_path=str(creds.certificate),
        authority=simulator.login,
        disable_instance_discovery=True,
        connection_verify=str(simulator.ca),
    )
    _works(simulator, credential.get_token(SCOPE).token)


def test_azure_identity_reports_a_wrong_secret(simulator: SimulatorHandle) -> None:
    creds = simulator.tenant("contoso")
    credential = ClientSecretCredential(
        creds.tenant_id,
        creds.client_id,
        "not-the-secret",
        authority=simulator.login,
        disable_instance_discovery=True,
        connection_verify=str(simulator.ca),
    )
    with pytest.raises(ClientAuthenticationError, match="AADSTS7000215"):
        credential.get_token(SCOPE)


def _msal_app(sim: SimulatorHandle, credential: Any) -> msal.ConfidentialClientApplication:
    creds = sim.tenant("contoso")
    session = requests.Session()
    # requests lets REQUESTS_CA_BUNDLE override session.verify unless trust_env is off.
    session.trust_env = False
    session.verify = str(sim.ca)
    return msal.ConfidentialClientApplication(
        creds.client_id,
        client_credential=credential,
        authority=f"{sim.login}/{creds.tenant_id}",
        instance_discovery=False,
        http_client=session,
    )


def _key_and_cert(pem: str) -> tuple[str, str]:
    key = re.search(r"-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----", pem, re.S)
    cert = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", pem, re.S)
    assert key is not None and cert is not None
    return key.group(0), cert.group(0)


def test_msal_secret_and_both_certificate_signatures(simulator: SimulatorHandle) -> None:
    creds = simulator.tenant("contoso")
    app = _msal_app(simulator, creds.client_secret)
    result = app.acquire_token_for_client(scopes=[SCOPE])
    assert "access_token" in result, result
    _works(simulator, result["access_token"])

    key, cert = _key_and_cert(creds.certificate.read_text())
    # With the certificate msal signs PS256 (x5t#S256) ...
    ps256 = _msal_app(simulator, {"private_key": key, "public_certificate": cert})
    assert "access_token" in ps256.acquire_token_for_client(scopes=[SCOPE])
    # ... and with only a SHA-1 thumbprint RS256 (x5t).
    der = x509.load_pem_x509_certificate(cert.encode()).public_bytes(serialization.Encoding.DER)
    rs256 = _msal_app(simulator, {"private_key": key, "thumbprint": hashlib.sha1(der).hexdigest()})
    assert "access_token" in rs256.acquire_token_for_client(scopes=[SCOPE])


def test_msal_refuses_a_certificate_the_app_does_not_have(simulator: SimulatorHandle) -> None:
    other = simulator.cloud.get("contoso").response_app.certificate_pem
    key, cert = _key_and_cert(other)
    app = _msal_app(simulator, {"private_key": key, "public_certificate": cert})
    result = app.acquire_token_for_client(scopes=[SCOPE])
    assert result.get("error") == "invalid_client"
    assert 700027 in result["error_codes"]


def _graph_client(sim: SimulatorHandle, tenant: str) -> Any:
    from azure.identity.aio import ClientSecretCredential as AsyncSecretCredential
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph_core import GraphClientFactory

    creds = sim.tenant(tenant)
    credential = AsyncSecretCredential(
        creds.tenant_id,
        creds.client_id,
        creds.client_secret,
        authority=sim.login,
        disable_instance_discovery=True,
        connection_verify=str(sim.ca),
    )
    auth = AzureIdentityAuthenticationProvider(
        credential, scopes=[SCOPE], allowed_hosts=["localhost"]
    )
    http = GraphClientFactory.create_with_default_middleware(
        client=httpx.AsyncClient(verify=tls(sim))
    )
    adapter = GraphRequestAdapter(auth, http)
    adapter.base_url = sim.graph
    return GraphServiceClient(request_adapter=adapter), credential


def test_msgraph_sdk_pages_users_and_sign_ins(sim_cloud: Any) -> None:
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph.generated.audit_logs.sign_ins.sign_ins_request_builder import (
        SignInsRequestBuilder,
    )
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder

    sim = sim_cloud([FakeTenant(name="sdk", users=230, events_per_day=9)], throttling=False)

    async def run() -> tuple[list[str], list[str]]:
        graph, credential = _graph_client(sim, "sdk")
        users_cfg = RequestConfiguration(
            query_parameters=UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
                top=100, select=["id", "displayName", "accountEnabled"]
            )
        )
        page = await graph.users.get(request_configuration=users_cfg)
        users = [u.id for u in page.value]
        while page.odata_next_link:
            page = await graph.users.with_url(page.odata_next_link).get()
            users.extend(u.id for u in page.value)
        sign_cfg = RequestConfiguration(
            query_parameters=SignInsRequestBuilder.SignInsRequestBuilderGetQueryParameters(top=10)
        )
        page = await graph.audit_logs.sign_ins.get(request_configuration=sign_cfg)
        sign_ins = [s.id for s in page.value]
        while page.odata_next_link:
            page = await graph.audit_logs.sign_ins.with_url(page.odata_next_link).get()
            sign_ins.extend(s.id for s in page.value)
        await credential.close()
        return users, sign_ins

    users, sign_ins = asyncio.run(run())
    assert len(users) == len(set(users)) == 230
    assert len(sign_ins) == len(set(sign_ins)) == 27  # 3 days × 9
