"""The errors cosec raises, each with a message a user can act on.

::

    CosecError
    ├── ConfigError                 cosec.yaml or a setting is invalid (file, line, field)
    ├── WorkspaceError              no workspace, or it cannot be created/read
    ├── StoreError                  the database cannot be reached or migrated
    ├── NotFoundError               a named tenant, exception, alert, … does not exist
    ├── AuthorizationError          the acting person lacks the role for a decision
    ├── CredentialError             secret/certificate missing, wrong or expired; consent revoked
    ├── GraphError                  a Microsoft API call failed
    │   ├── PermissionMissingError  403: the app lacks a permission (names it)
    │   ├── LicenceMissingError     the tenant lacks a licence for the feature (names it)
    │   ├── ThrottledError          429 beyond the retry budget
    │   └── TenantUnreachableError  network/5xx beyond the retry budget
    │       └── OutcomeUnknownError  a change request failed after it may have been applied
    └── PartialCollectionError      some resources could not be read (lists them)

Every error has ``hint``: one sentence on what to do next, and ``exit_code``: what the
``cosec`` command exits with when the error ends it — 2 when the command could not run as
given (usage, configuration, workspace, an unknown object), 1 when it ran and met a problem
(a refused decision, a store, credential or Microsoft API failure, a partial collection).
"""

from __future__ import annotations


class CosecError(Exception):
    """Base of every error cosec raises on purpose."""

    hint: str = ""
    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class ConfigError(CosecError):
    """The workspace file or a setting is invalid."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        where = path or ""
        if line is not None:
            where = f"{where}:{line}"
        prefix = f"{where}: " if where else ""
        located = f"{prefix}{field}: {message}" if field else f"{prefix}{message}"
        super().__init__(located, hint=hint)


class WorkspaceError(CosecError):
    exit_code = 2
    hint = "Run `cosec init DIR` or pass --workspace / set COSEC_WORKSPACE."


class StoreError(CosecError):
    hint = "Check COSEC_DATABASE_URL and that the database server is running."


class NotFoundError(CosecError):
    exit_code = 2


class AuthorizationError(CosecError):
    """The acting person may not take this decision."""

    hint = "Act as a person with the required role (--as PERSON or COSEC_ACTOR)."


class CredentialError(CosecError):
    hint = (
        "Check the tenant's client id and secret or certificate, and that admin consent "
        "is still granted (`cosec tenant check NAME`)."
    )


class GraphError(CosecError):
    """A Microsoft API call failed."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code


class PermissionMissingError(GraphError):
    def __init__(self, resource: str, permission: str, *, detail: str = "") -> None:
        self.resource = resource
        self.permission = permission
        msg = f"{resource}: the app registration lacks the permission {permission}"
        if detail:
            msg = f"{msg} ({detail})"
        super().__init__(
            msg,
            status=403,
            code="Authorization_RequestDenied",
            hint=f"Grant {permission} (application) to the app and give admin consent.",
        )


class LicenceMissingError(GraphError):
    def __init__(self, resource: str, licence: str, *, detail: str = "") -> None:
        self.resource = resource
        self.licence = licence
        msg = f"{resource}: the tenant has no {licence} licence"
        if detail:
            msg = f"{msg} ({detail})"
        super().__init__(
            msg, status=403, hint=f"This data exists only with {licence}; it is not applicable."
        )


class ThrottledError(GraphError):
    def __init__(self, resource: str, *, retry_after: float | None = None) -> None:
        self.resource = resource
        self.retry_after = retry_after
        super().__init__(
            f"{resource}: throttled by Microsoft beyond the retry budget",
            status=429,
            hint="Run the collection again later; cosec resumes from its watermark.",
        )


class TenantUnreachableError(GraphError):
    def __init__(self, resource: str, *, detail: str = "") -> None:
        self.resource = resource
        super().__init__(
            f"{resource}: the service could not be reached{f' ({detail})' if detail else ''}",
            hint="Check network access to Microsoft's endpoints and retry.",
        )


class OutcomeUnknownError(TenantUnreachableError):
    """A non-idempotent request failed after Microsoft may have processed it.

    cosec never re-sends such a request (an "isolate device" must not be sent twice),
    so the caller has to read the object's state to learn whether the change happened.
    """

    def __init__(self, resource: str, *, detail: str = "") -> None:
        super().__init__(resource, detail=detail)
        self.message = f"{resource}: the request failed after Microsoft may have processed it"
        self.message += f" ({detail})" if detail else ""
        self.args = (self.message,)
        self.hint = "Read the object's current state before acting again: it may have changed."


class PartialCollectionError(CosecError):
    def __init__(self, tenant: str, failed: dict[str, str]) -> None:
        self.tenant = tenant
        self.failed = failed
        listed = "; ".join(f"{k}: {v}" for k, v in sorted(failed.items()))
        super().__init__(
            f"collection of {tenant} is partial — {listed}",
            hint="Fix the named permissions or licences; results for them are not_assessed.",
        )
