"""Workspace file (`cosec.yaml`) and runtime settings.

The workspace is a directory holding `cosec.yaml` and a `data/` directory (SQLite
database, secret key, raw evidence). `load_workspace` validates the file with pydantic
and turns any problem into a `ConfigError` naming file, line and field. Nothing here is
a global: callers create `Settings` and `Workspace` through the factories and pass them on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from cosec.errors import ConfigError, WorkspaceError
from cosec.model.governance import ControlArea, Duty

WORKSPACE_FILE = "cosec.yaml"
DATA_DIR = "data"


class Party(StrEnum):
    INTERNAL = "internal"
    PARTNER = "partner"
    MICROSOFT = "microsoft"


class Role(StrEnum):
    """Roles a person can hold. Decisions check these (see `Workspace.require`)."""

    IT_LEAD = "it_lead"
    RISK_OWNER = "risk_owner"
    EXECUTIVE = "executive"
    ANALYST = "analyst"
    ON_CALL = "on_call"
    INCIDENT_MANAGER = "incident_manager"
    RESPONDER = "responder"
    CHANGE_APPROVER = "change_approver"
    ENGINEER = "engineer"
    AUDITOR = "auditor"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: object) -> timedelta:
    """Parse '90m', '4h', '3d', '2w' (or a number of seconds) into a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=float(value))
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)])
    raise ValueError(f"expected a duration such as '4h', '3d' or '90m', got {value!r}")


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Strict):
    name: str = Field(min_length=1)
    timezone: str = "UTC"
    business_hours: str = Field(default="08:00-18:00", pattern=r"^\d\d:\d\d-\d\d:\d\d$")


class Person(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    name: str = Field(min_length=1)
    email: str | None = None
    party: Literal["internal", "partner"]
    roles: tuple[Role, ...] = Field(min_length=1)

    def has_role(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)


class TenantSettings(_Strict):
    """Per-tenant settings that are not secrets (credentials live in the store)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    display_name: str | None = None
    break_glass_accounts: tuple[str, ...] = ()
    critical_datasets: tuple[str, ...] = ()


# Conditional Access built-in grant controls a risk tier may require (Graph's spelling).
GrantControl = Literal[
    "mfa",
    "compliantDevice",
    "domainJoinedDevice",
    "approvedApplication",
    "compliantApplication",
    "passwordChange",
]


class RiskTier(_Strict):
    """A named population that must meet stricter controls.

    Membership is the union of: holders of privileged directory roles (when
    `privileged_roles`), members of `groups` (ids or display names), users whose
    `department` is listed, and users listed by UPN or id. `requires` names the
    Conditional Access grant controls every sign-in of a member must satisfy (the
    tier's CA coverage metric counts members on whom all of them are enforced).
    """

    privileged_roles: bool = False
    groups: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    requires: tuple[GrantControl, ...] = Field(default=("mfa",), min_length=1)
    description: str = ""

    @model_validator(mode="after")
    def _has_a_rule(self) -> RiskTier:
        if not (self.privileged_roles or self.groups or self.departments or self.users):
            raise ValueError("a risk tier needs privileged_roles, groups, departments or users")
        return self


class SlaSettings(_Strict):
    alert_triage: dict[Severity, Duration] = Field(
        default_factory=lambda: {
            Severity.CRITICAL: timedelta(hours=1),
            Severity.HIGH: timedelta(hours=4),
            Severity.MEDIUM: timedelta(hours=24),
            Severity.LOW: timedelta(hours=72),
        }
    )
    vulnerability_remediation: dict[Severity, Duration] = Field(
        default_factory=lambda: {
            Severity.CRITICAL: timedelta(days=14),
            Severity.HIGH: timedelta(days=30),
            Severity.MEDIUM: timedelta(days=90),
            Severity.LOW: timedelta(days=180),
        }
    )


class ExceptionPolicy(_Strict):
    max_duration: dict[Severity, Duration] = Field(
        default_factory=lambda: {
            Severity.CRITICAL: timedelta(days=30),
            Severity.HIGH: timedelta(days=90),
            Severity.MEDIUM: timedelta(days=180),
            Severity.LOW: timedelta(days=365),
        }
    )
    reminders: tuple[Duration, ...] = (timedelta(days=30), timedelta(days=7), timedelta(days=1))
    max_renewals: int = Field(default=2, ge=0)


class MetricTarget(_Strict):
    """Target and red/amber/green thresholds for one metric.

    With `higher_is_better` (the default) a value ≥ target is green, ≥ amber is amber,
    below amber is red; otherwise the comparisons are reversed.
    """

    target: float
    amber: float
    higher_is_better: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> MetricTarget:
        ok = self.amber <= self.target if self.higher_is_better else self.amber >= self.target
        if not ok:
            raise ValueError("amber threshold must lie on the worse side of the target")
        return self


class ResponsibilityCell(_Strict):
    """Who holds one duty of one control area, as declared in a preset or an override.

    `party` may list several parties: such a cell is *ambiguous* (owned jointly, so by
    no one in particular) and is reported as a governance problem rather than refused.
    """

    party: Party | tuple[Party, ...]
    role: str = Field(min_length=1)
    person: str | None = None
    escalation: str | None = None
    evidence_source: str | None = None
    evidence_freshness: Duration | None = None


class CellOverride(_Strict):
    """A partial cell: the fields given replace those of the preset's cell."""

    party: Party | tuple[Party, ...] | None = None
    role: str | None = Field(default=None, min_length=1)
    person: str | None = None
    escalation: str | None = None
    evidence_source: str | None = None
    evidence_freshness: Duration | None = None


class ResponsibilityMapSettings(_Strict):
    """A preset of the responsibility map plus per-area, per-duty overrides.

    An override of `null` marks the cell unowned on purpose (it is then reported).
    """

    preset: Literal["co-managed", "fully-managed"] = "co-managed"
    overrides: dict[ControlArea, dict[Duty, CellOverride | None]] = Field(default_factory=dict)


class SmtpSettings(_Strict):
    """Optional e-mail delivery of the notification outbox (reminders)."""

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    sender: str = Field(min_length=3)
    starttls: bool = True
    username_env: str | None = None
    password_env: str | None = None


class NotificationSettings(_Strict):
    smtp: SmtpSettings | None = None


class ResponseAction(StrEnum):
    """Response actions cosec can take on a tenant (through the response credential)."""

    DISABLE_ACCOUNT = "disable_account"
    REVOKE_SESSIONS = "revoke_sessions"
    CONFIRM_COMPROMISED = "confirm_compromised"  # resets risk; forces MFA re-registration
    REMOVE_INBOX_RULE = "remove_inbox_rule"
    REMOVE_FORWARDING = "remove_forwarding"
    REMOVE_ROLE_ASSIGNMENT = "remove_role_assignment"
    ISOLATE_DEVICE = "isolate_device"
    RELEASE_DEVICE = "release_device"


class Authority(StrEnum):
    ALLOWED = "allowed"
    SECOND_APPROVER = "second_approver"
    FORBIDDEN = "forbidden"


_ALL_SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


class AuthorityRule(_Strict):
    """One cell group of the authority matrix: role (× party) × actions × severities.

    With `emergency`, a second-approver rule lets the person currently on call act first;
    the approval is then owed within `incident_response.emergency_approval_within`.
    """

    role: Role
    party: Literal["internal", "partner"] | None = None
    actions: tuple[ResponseAction, ...] = Field(min_length=1)
    severities: tuple[Severity, ...] = _ALL_SEVERITIES
    decision: Authority
    emergency: bool = False


class IncidentTypeSettings(_Strict):
    title: str = Field(min_length=1)
    criteria: tuple[str, ...] = Field(min_length=1, description="when to declare this type")
    detections: tuple[str, ...] = Field(
        default=(), description="detection rule ids whose alerts qualify (without version)"
    )
    severity: Severity
    playbook: tuple[str, ...] = Field(min_length=1)
    contained_when: tuple[str, ...] = Field(min_length=1, description="containment checklist")
    actions: tuple[ResponseAction, ...] = ()


class OnCallRoster(_Strict):
    """Who is on call, per party, in and outside `organisation.business_hours`.

    Empty lists fall back to the people holding the `on_call` role of that party.
    """

    business_hours: dict[Literal["internal", "partner"], tuple[str, ...]] = Field(
        default_factory=dict
    )
    after_hours: dict[Literal["internal", "partner"], tuple[str, ...]] = Field(default_factory=dict)


def _default_incident_types() -> dict[str, IncidentTypeSettings]:
    t = IncidentTypeSettings
    a = ResponseAction
    return {
        "mailbox-compromise": t(
            title="Suspected mailbox compromise",
            criteria=(
                "risky or unfamiliar sign-in followed by mailbox manipulation",
                "inbox rule or forwarding to an external address the user did not set up",
                "user reports phishing and their account shows risky activity",
            ),
            detections=(
                "DET-FWD-001",
                "DET-RULE-001",
                "DET-SIGNIN-001",
                "DET-RISK-001",
                "DET-MFA-001",
                "DET-PHISH-001",
            ),
            severity=Severity.HIGH,
            playbook=(
                "Revoke the user's sign-in sessions",
                "Remove malicious inbox rules and mailbox forwarding",
                "Confirm the user compromised (forces password reset and MFA re-registration)",
                "Review sign-ins and mail sent since the first suspicious event",
                "Inform leadership and, if mail left the organisation, the data protection lead",
            ),
            contained_when=(
                "sessions revoked",
                "forwarding and malicious inbox rules removed",
                "account secured (password reset or account disabled)",
            ),
            actions=(
                a.REVOKE_SESSIONS,
                a.REMOVE_INBOX_RULE,
                a.REMOVE_FORWARDING,
                a.CONFIRM_COMPROMISED,
                a.DISABLE_ACCOUNT,
            ),
        ),
        "admin-role-anomaly": t(
            title="Admin role assignment anomaly",
            criteria=("privileged role assigned outside an approved change or outside PIM",),
            detections=("DET-ROLE-001", "DET-CA-001"),
            severity=Severity.HIGH,
            playbook=(
                "Confirm with the IT lead whether the assignment was intended",
                "If not: remove the assignment, revoke the assignee's sessions",
                "Find who made the assignment and review their recent activity",
            ),
            contained_when=(
                "unapproved role assignment removed",
                "initiating account secured",
            ),
            actions=(a.REMOVE_ROLE_ASSIGNMENT, a.REVOKE_SESSIONS, a.DISABLE_ACCOUNT),
        ),
        "suspicious-forwarding": t(
            title="Suspicious forwarding rule",
            criteria=("mail forwarded to an external domain without a business reason",),
            detections=("DET-FWD-001", "DET-RULE-001"),
            severity=Severity.MEDIUM,
            playbook=(
                "Ask the mailbox owner whether they created the rule",
                "Remove the forwarding rule or mailbox forwarding",
                "Review what was forwarded and since when",
            ),
            contained_when=("forwarding removed",),
            actions=(a.REMOVE_INBOX_RULE, a.REMOVE_FORWARDING, a.REVOKE_SESSIONS),
        ),
        "endpoint-isolation": t(
            title="Endpoint isolation event",
            criteria=("a device was isolated, or malware was found on a device",),
            detections=("DET-EDR-001",),
            severity=Severity.HIGH,
            playbook=(
                "Isolate the device if not already isolated",
                "Collect an investigation package and review the device timeline",
                "Reimage or clean the device; release it once clean",
            ),
            contained_when=("device isolated", "malicious files quarantined"),
            actions=(a.ISOLATE_DEVICE, a.RELEASE_DEVICE, a.REVOKE_SESSIONS),
        ),
    }


def _default_authority() -> tuple[AuthorityRule, ...]:
    r = AuthorityRule
    a = ResponseAction
    s = Severity
    quick = (a.REVOKE_SESSIONS, a.REMOVE_INBOX_RULE, a.REMOVE_FORWARDING)
    disruptive = (
        a.DISABLE_ACCOUNT,
        a.CONFIRM_COMPROMISED,
        a.ISOLATE_DEVICE,
        a.REMOVE_ROLE_ASSIGNMENT,
    )
    return (
        r(role=Role.IT_LEAD, party="internal", actions=tuple(a), decision=Authority.ALLOWED),
        r(role=Role.RESPONDER, party="partner", actions=quick, decision=Authority.ALLOWED),
        r(
            role=Role.RESPONDER,
            party="partner",
            actions=disruptive,
            severities=(s.HIGH, s.CRITICAL),
            decision=Authority.SECOND_APPROVER,
            emergency=True,
        ),
        r(
            role=Role.RESPONDER,
            party="partner",
            actions=(*disruptive, a.RELEASE_DEVICE),
            decision=Authority.SECOND_APPROVER,
        ),
        r(role=Role.EXECUTIVE, actions=tuple(a), decision=Authority.FORBIDDEN),
    )


class IncidentResponseSettings(_Strict):
    """Incident types, who may declare, the on-call roster and the authority matrix.

    The matrix is deny-by-default: a person may take an action only if a rule for one of
    their roles (and their party) covers the action at the incident's severity. A
    `forbidden` rule wins over any other; then `allowed`; then `second_approver`.
    """

    types: dict[str, IncidentTypeSettings] = Field(default_factory=_default_incident_types)
    declare_roles: tuple[Role, ...] = (Role.INCIDENT_MANAGER, Role.ON_CALL, Role.IT_LEAD)
    approver_roles: tuple[Role, ...] = (Role.IT_LEAD, Role.INCIDENT_MANAGER)
    on_call: OnCallRoster = Field(default_factory=OnCallRoster)
    authority: tuple[AuthorityRule, ...] = Field(default_factory=_default_authority)
    emergency_approval_within: Duration = timedelta(hours=4)
    snooze_max: Duration = timedelta(days=7)
    history_window: Duration = Field(
        default=timedelta(days=30),
        description="how far back detections look for a user's usual countries",
    )


LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}


class ReportSettings(_Strict):
    """How the reviews look: the partner's logo and the partner's own commentary.

    `logo` is a PNG, SVG or JPEG file, relative to the workspace directory or absolute;
    it is embedded in the review (reviews fetch nothing). `commentary` is the partner's
    note printed in each review, after the figures.
    """

    logo: Path | None = None
    commentary: str = Field(default="", max_length=4000)

    @field_validator("logo")
    @classmethod
    def _logo_exists(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        if value.suffix.lower() not in LOGO_TYPES:
            raise ValueError(f"logo must be one of {', '.join(sorted(LOGO_TYPES))}")
        base = (info.context or {}).get("base")
        path = value if value.is_absolute() or base is None else Path(base) / value
        if not path.is_file():
            raise ValueError(f"logo file {path} does not exist")
        return path


class Workspace(_Strict):
    """The validated contents of cosec.yaml plus where it lives."""

    version: Literal[1] = 1
    organisation: Organisation
    partner: Organisation | None = None
    tenants: tuple[TenantSettings, ...] = ()
    people: tuple[Person, ...] = Field(min_length=1)
    risk_tiers: dict[str, RiskTier] = Field(default_factory=dict)
    responsibility_map: ResponsibilityMapSettings = Field(default_factory=ResponsibilityMapSettings)
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    incident_response: IncidentResponseSettings = Field(default_factory=IncidentResponseSettings)
    exceptions: ExceptionPolicy = Field(default_factory=ExceptionPolicy)
    metric_targets: dict[str, MetricTarget] = Field(default_factory=dict)
    patch_baseline: dict[str, str] = Field(default_factory=dict)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    extra: dict[str, Any] = Field(default_factory=dict, description="reserved for extensions")

    @field_validator("people")
    @classmethod
    def _unique_people(cls, people: tuple[Person, ...]) -> tuple[Person, ...]:
        seen: set[str] = set()
        for p in people:
            if p.id in seen:
                raise ValueError(f"person id {p.id!r} is declared twice")
            seen.add(p.id)
        return people

    @field_validator("tenants")
    @classmethod
    def _unique_tenants(cls, tenants: tuple[TenantSettings, ...]) -> tuple[TenantSettings, ...]:
        names = [t.name for t in tenants]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"tenant declared twice: {', '.join(sorted(dupes))}")
        return tenants

    @model_validator(mode="after")
    def _override_people_exist(self) -> Workspace:
        """A person named in the responsibility map must exist, hold the role, and
        belong to the cell's party (checked here so the error carries a line number)."""
        people = {p.id: p for p in self.people}
        for area, cells in self.responsibility_map.overrides.items():
            for duty, cell in cells.items():
                if cell is None or cell.person is None:
                    continue
                person = people.get(cell.person)
                where = f"responsibility_map.overrides.{area.value}.{duty.value}"
                if person is None:
                    raise ValueError(f"{where}: no person {cell.person!r} in people")
                if cell.role is not None and cell.role not in person.roles:
                    raise ValueError(f"{where}: {person.id} does not hold the role {cell.role}")
                if isinstance(cell.party, Party) and cell.party != person.party:
                    raise ValueError(f"{where}: {person.id} is {person.party}, not {cell.party}")
        return self

    @model_validator(mode="after")
    def _on_call_people_exist(self) -> Workspace:
        """People on the on-call roster exist and belong to the party they cover."""
        people = {p.id: p for p in self.people}
        roster = self.incident_response.on_call
        for shift, table in (("business_hours", roster.business_hours),
                             ("after_hours", roster.after_hours)):  # fmt: skip
            for party, ids in table.items():
                for person_id in ids:
                    where = f"incident_response.on_call.{shift}.{party}"
                    person = people.get(person_id)
                    if person is None:
                        raise ValueError(f"{where}: no person {person_id!r} in people")
                    if person.party != party:
                        raise ValueError(f"{where}: {person_id} is {person.party}, not {party}")
        return self

    def person(self, person_id: str) -> Person:
        for p in self.people:
            if p.id == person_id:
                return p
        known = ", ".join(p.id for p in self.people)
        raise ConfigError(f"no person {person_id!r} in cosec.yaml (known: {known})")

    def tenant_settings(self, name: str) -> TenantSettings:
        for t in self.tenants:
            if t.name == name:
                return t
        return TenantSettings(name=name)

    def people_with(self, role: Role, party: Party | None = None) -> list[Person]:
        return [p for p in self.people if role in p.roles and (party is None or p.party == party)]


@dataclass(frozen=True)
class Settings:
    """Runtime settings from the environment and command-line flags."""

    workspace_dir: Path
    database_url: str | None = None
    secret_key: str | None = None
    actor: str | None = None
    log_format: Literal["console", "json"] = "console"

    @property
    def config_path(self) -> Path:
        return self.workspace_dir / WORKSPACE_FILE

    @property
    def data_dir(self) -> Path:
        return self.workspace_dir / DATA_DIR

    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'cosec.db'}"


def settings_from_env(
    env: Mapping[str, str] | None = None,
    *,
    workspace_dir: Path | None = None,
    actor: str | None = None,
    log_format: str | None = None,
) -> Settings:
    """Build `Settings` from the environment, with explicit arguments taking priority."""
    env = os.environ if env is None else env
    ws = workspace_dir or Path(env.get("COSEC_WORKSPACE", "."))
    fmt = log_format or env.get("COSEC_LOG_FORMAT", "console")
    if fmt not in ("console", "json"):
        raise ConfigError(f"log format must be 'console' or 'json', got {fmt!r}")
    return Settings(
        workspace_dir=ws.resolve(),
        database_url=env.get("COSEC_DATABASE_URL") or None,
        secret_key=env.get("COSEC_SECRET_KEY") or None,
        actor=actor or env.get("COSEC_ACTOR") or None,
        log_format=fmt,  # type: ignore[arg-type]
    )


# --- loading with line numbers -------------------------------------------------------


def _node_for(node: yaml.Node, loc: Sequence[int | str]) -> yaml.Node:
    """Walk a composed YAML node along a pydantic error location as far as it goes."""
    current = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            nxt = None
            for key_node, value_node in current.value:
                if key_node.value == str(part):
                    nxt = value_node
                    break
            if nxt is None:
                return current
            current = nxt
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(current.value):
                return current
            current = current.value[part]
        else:
            return current
    return current


def _format_loc(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once, keeping the node tree (for line numbers) and the Python data."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def parse_workspace(text: str, *, source: str = WORKSPACE_FILE) -> Workspace:
    """Validate workspace YAML text; raise `ConfigError` with file, line and field."""
    try:
        node, data = _compose_and_construct(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        context = ""
        if exc.context and exc.context_mark is not None:
            context = f" ({exc.context} started on line {exc.context_mark.line + 1})"
        raise ConfigError(f"invalid YAML: {exc.problem}{context}", path=source, line=line) from None
    if node is None or not isinstance(data, dict):
        raise ConfigError("the file must be a YAML mapping (see `cosec init`)", path=source)
    try:
        return Workspace.model_validate(data, context={"base": Path(source).resolve().parent})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        target = _node_for(node, loc)
        more = len(exc.errors()) - 1
        msg = err["msg"] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
        raise ConfigError(
            msg, path=source, line=target.start_mark.line + 1, field=_format_loc(loc)
        ) from None


def load_workspace(settings: Settings) -> Workspace:
    path = settings.config_path
    if not path.is_file():
        raise WorkspaceError(f"no {WORKSPACE_FILE} in {settings.workspace_dir}")
    return parse_workspace(path.read_text(encoding="utf-8"), source=str(path))
