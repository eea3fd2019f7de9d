"""The login endpoint: OpenID discovery, signing keys and the client-credentials token
endpoint, answering like Entra ID (v2.0 endpoint, v1 access tokens, AADSTS errors).

What msal and azure-identity need from a local authority is in FACTS.md: discovery at
`/{tenant}/v2.0/.well-known/openid-configuration` and a form-encoded token POST.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cosec.simulator.api.common import SimState
from cosec.simulator.api.tokens import TokenError, b64url_decode, jwk, sign, unverified, verify
from cosec.simulator.cloud import DEFENDER, EXCHANGE, GRAPH, AppRegistration

_AUDIENCES = {
    GRAPH: GRAPH,
    "https://graph.microsoft.com/": GRAPH,
    EXCHANGE: EXCHANGE,
    "https://outlook.office365.com/": EXCHANGE,
    DEFENDER: DEFENDER,
    "https://api.securitycenter.microsoft.com/": DEFENDER,
    "https://api.security.microsoft.com": DEFENDER,
}
_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def routes(state: SimState) -> list[Route]:
    async def openid_configuration(request: Request) -> Response:
        tenant = request.path_params["tenant"]
        entry = state.cloud.find(tenant)
        if entry is None:
            return _aad_error(400, "invalid_tenant", 90002, _no_tenant(tenant))
        base = _base(request)
        tid = entry.data.tenant_id
        return JSONResponse(
            {
                "token_endpoint": f"{base}/{tenant}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "jwks_uri": f"{base}/{tenant}/discovery/v2.0/keys",
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"{base}/{tid}/v2.0",
                "request_uri_parameter_supported": False,
                "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/devicecode",
                "end_session_endpoint": f"{base}/{tenant}/oauth2/v2.0/logout",
                "tenant_region_scope": "EU",
                "cloud_instance_name": "localhost",
            }
        )

    async def keys(request: Request) -> Response:
        key = jwk(state.cloud.signing_key.public_key(), state.cloud.key_id)
        return JSONResponse({"keys": [key]})

    async def token(request: Request) -> Response:
        tenant = request.path_params["tenant"]
        form = await request.form()
        fields = {k: str(v) for k, v in form.items()}
        entry = state.cloud.find(tenant)
        if entry is None:
            return _aad_error(400, "invalid_request", 90002, _no_tenant(tenant))
        if fields.get("grant_type") != "client_credentials":
            return _aad_error(
                400,
                "unsupported_grant_type",
                70003,
                f"The app requested an unsupported grant type '{fields.get('grant_type', '')}'.",
            )
        client_id = fields.get("client_id", "")
        app = state.cloud.app(entry.data.tenant_id, client_id)
        if app is None:
            return _aad_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory "
                f"'{entry.data.name}'. This can happen if the application has not been "
                "installed by the administrator of the tenant or consented to by any user in "
                "the tenant. You may have sent your authentication request to the wrong "
                "tenant.",
            )
        failure = _authenticate_client(app, fields, str(request.url))
        if failure is not None:
            return failure
        if not app.enabled:
            return _aad_error(
                400,
                "unauthorized_client",
                7000112,
                f"Application '{app.client_id}'({app.display_name}) is disabled.",
            )
        if not app.consented:
            return _aad_error(
                400,
                "invalid_grant",
                65001,
                "The user or administrator has not consented to use the application with ID "
                f"'{app.client_id}' named '{app.display_name}'. Send an interactive "
                "authorization request for this user and resource.",
            )
        scope = fields.get("scope", "").strip()
        if not scope.endswith("/.default"):
            return _aad_error(
                400,
                "invalid_scope",
                1002012,
                f"The provided value for scope {scope} is not valid. Client credential flows "
                "must have a scope value with /.default suffixed to the resource identifier "
                "(application ID URI).",
            )
        resource = _AUDIENCES.get(scope[: -len("/.default")])
        if resource is None:
            return _aad_error(
                400,
                "invalid_resource",
                500011,
                f"The resource principal named {scope[: -len('/.default')]} was not found in "
                f"the tenant named {entry.data.name}. This can happen if the application has "
                "not been installed by the administrator of the tenant or consented to by any "
                "user in the tenant. You might have sent your authentication request to the "
                "wrong tenant.",
            )
        now = int(time.time())
        lifetime = int(state.cloud.token_lifetime.total_seconds())
        claims = {
            "aud": resource,
            "iss": f"https://sts.windows.net/{entry.data.tenant_id}/",
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "appid": app.client_id,
            "appidacr": "1" if "client_secret" in fields else "2",
            "idtyp": "app",
            "oid": str(uuid.uuid5(uuid.UUID(app.client_id), "service-principal")),
            "sub": str(uuid.uuid5(uuid.UUID(app.client_id), "service-principal")),
            "tid": entry.data.tenant_id,
            "roles": app.roles_for(resource),
            "ver": "1.0",
        }
        access = sign(claims, state.cloud.signing_key, state.cloud.key_id)
        return JSONResponse(
            {
                "token_type": "Bearer",
                "expires_in": lifetime,
                "ext_expires_in": lifetime,
                "access_token": access,
            }
        )

    return [
        Route("/{tenant}/v2.0/.well-known/openid-configuration", openid_configuration),
        Route("/{tenant}/discovery/v2.0/keys", keys),
        Route("/{tenant}/oauth2/v2.0/token", token, methods=["POST"]),
    ]


def _authenticate_client(app: AppRegistration, fields: dict[str, str], url: str) -> Response | None:
    secret = fields.get("client_secret")
    assertion = fields.get("client_assertion")
    if secret is not None:
        if not hmac.compare_digest(secret.encode(), app.secret.encode()):
            return _aad_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request "
                "is the client secret value, not the client secret ID, for a secret added to "
                f"app '{app.client_id}'.",
            )
        if app.secret_expires <= dt.datetime.now(dt.UTC):
            return _aad_error(
                401,
                "invalid_client",
                7000222,
                f"The provided client secret keys for app '{app.client_id}' are expired. "
                "Visit the Azure portal to create new keys for your app: "
                "https://aka.ms/NewClientSecret, or consider using certificate credentials "
                "for added security: https://aka.ms/certCreds.",
            )
        return None
    if assertion is not None and fields.get("client_assertion_type") == _ASSERTION_TYPE:
        return _check_assertion(app, assertion, url)
    return _aad_error(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or "
        "'client_secret'.",
    )


def _check_assertion(app: AppRegistration, assertion: str, url: str) -> Response | None:
    try:
        header, _ = unverified(assertion)
        thumbs = {
            b64url_decode(str(header["x5t"])) if "x5t" in header else None,
            b64url_decode(str(header["x5t#S256"])) if "x5t#S256" in header else None,
        }
    except (TokenError, KeyError):
        return _bad_assertion("Client assertion failed signature validation.")
    if app.sha1_thumbprint not in thumbs and app.sha256_thumbprint not in thumbs:
        return _bad_assertion(
            f"Client assertion failed signature validation. Key was not found. "
            f"Application '{app.client_id}'."
        )
    try:
        claims = verify(assertion, app.public_key)
    except TokenError:
        return _bad_assertion("Client assertion contains an invalid signature.")
    if claims.get("iss") != app.client_id or claims.get("sub") != app.client_id:
        return _bad_assertion("The client assertion's iss and sub must be the client id.")
    if claims.get("aud") != url.split("?")[0]:
        return _bad_assertion(f"The audience of the client assertion must be {url}.")
    if float(claims.get("exp", 0)) <= time.time():
        return _aad_error(
            401, "invalid_client", 700024, "Client assertion is not within its valid time range."
        )
    return None


def _bad_assertion(message: str) -> Response:
    return _aad_error(401, "invalid_client", 700027, message)


def _no_tenant(tenant: str) -> str:
    return (
        f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and "
        "are signing into the correct cloud. Check with your subscription administrator, this "
        "may happen if there are no active subscriptions for the tenant."
    )


def _aad_error(status: int, error: str, code: int, message: str) -> Response:
    trace = str(uuid.uuid4())
    correlation = str(uuid.uuid4())
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    return JSONResponse(
        {
            "error": error,
            "error_description": f"AADSTS{code}: {message} Trace ID: {trace} "
            f"Correlation ID: {correlation} Timestamp: {stamp}",
            "error_codes": [code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"https://login.microsoftonline.com/error?code={code}",
        },
        status_code=status,
    )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")
