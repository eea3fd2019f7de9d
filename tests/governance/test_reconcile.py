from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.governance.snapshots import ca_policy, snapshot

from cosec.cli.workspace_cmd import workspace_template
from cosec.config import Severity, parse_workspace
from cosec.governance.exceptions import ExceptionRecord, ExceptionState
from cosec.governance.facts import with_operating_model
from cosec.governance.reconcile import exclusions, exposed_principals, reconcile, uncovered
from cosec.model.governance import ExceptionGrant, GovernanceFacts
from cosec.model.snapshot import Snapshot

NOW = datetime(2026, 11, 1, tzinfo=UTC)
USERS = [
    {"id": "u-glass", "userPrincipalName": "BreakGlass1@contoso.com"},
    {"id": "u-scan", "userPrincipalName": "scanner@contoso.com"},
    {"id": "u-ceo", "userPrincipalName": "ceo@contoso.com"},
]


def _grant(scope: set[str], tenant: str = "main") -> ExceptionGrant:
    return ExceptionGrant(
        "EXC-0001", "IDN-001v1", tenant, frozenset(scope), NOW + timedelta(days=5), "alex"
    )


def _snap() -> Snapshot:
    return snapshot(
        NOW,
        {
            "users": USERS,
            "conditionalAccessPolicies": [
                ca_policy(
                    "p1",
                    exclude_users=("u-glass", "u-scan", "u-ceo"),
                    exclude_groups=("g-vip",),
                ),
                ca_policy("p2", state="disabled", exclude_users=("u-ceo",)),
            ],
            "antiPhishRules": [
                {
                    "Identity": "Standard rule",
                    "Name": "Standard rule",
                    "State": "Enabled",
                    "ExceptIfSentTo": ["ceo@contoso.com"],
                    "ExceptIfRecipientDomainIs": None,
                },
                {"Identity": "Off", "Name": "Off", "State": "Disabled", "ExceptIfSentTo": ["x"]},
            ],
            "antiPhishPolicies": [
                {
                    "Identity": "Default",
                    "Name": "Default",
                    "ExcludedSenders": ["billing@vendor.example"],
                }
            ],
        },
    )


def test_exclusions_are_read_from_enabled_policies_only() -> None:
    found = {(e.resource, e.policy_id, e.principal, e.principal_kind) for e in exclusions(_snap())}
    assert found == {
        ("conditionalAccessPolicies", "p1", "u-glass", "user"),
        ("conditionalAccessPolicies", "p1", "u-scan", "user"),
        ("conditionalAccessPolicies", "p1", "u-ceo", "user"),
        ("conditionalAccessPolicies", "p1", "g-vip", "group"),
        ("antiPhishRules", "Standard rule", "ceo@contoso.com", "recipient"),
        ("antiPhishPolicies", "Default", "billing@vendor.example", "sender"),
    }


def test_break_glass_by_upn_and_exceptions_by_id_or_upn_cover_exclusions() -> None:
    snap = _snap()
    result = reconcile(snap, [_grant({"u-scan", "ceo@contoso.com"})], ["breakglass1@contoso.com"])
    cover = {(e.policy_id, e.principal): e.covered_by for e in result}
    assert cover[("p1", "u-glass")] == "break-glass"
    assert cover[("p1", "u-scan")] == "EXC-0001"
    assert cover[("p1", "u-ceo")] == "EXC-0001"  # scope named the UPN, policy the id
    assert cover[("Standard rule", "ceo@contoso.com")] == "EXC-0001"
    left = uncovered(snap, [_grant({"u-scan", "ceo@contoso.com"})], ["breakglass1@contoso.com"])
    assert sorted(e.principal for e in left) == ["billing@vendor.example", "g-vip"]
    assert "excluded from Require MFA" in next(e for e in left if e.principal == "g-vip").describe()


def test_grants_of_other_tenants_or_whole_tenant_scope_do_not_cover() -> None:
    snap = _snap()
    left = uncovered(snap, [_grant({"u-scan"}, tenant="other"), _grant(set())], [])
    assert len(left) == 6


def test_unreadable_resources_yield_no_exclusions() -> None:
    snap = snapshot(NOW, {}, unreadable=("conditionalAccessPolicies",))
    assert exclusions(snap) == []


def test_exposed_principals_and_governance_facts() -> None:
    exposed = exposed_principals(_snap())
    assert {"u-scan", "scanner@contoso.com", "g-vip", "ceo@contoso.com"} <= exposed
    expired = ExceptionRecord(
        id="EXC-0007",
        tenant="main",
        control_id="IDN-001v1",
        severity=Severity.HIGH,
        scope=("Scanner@contoso.com",),
        justification="j",
        compensating_controls="c",
        requester="jordan",
        requester_party="partner",
        risk_owner="alex",
        approver="alex",
        state=ExceptionState.APPROVED,
        proposed_at=NOW - timedelta(days=40),
        decided_at=NOW - timedelta(days=40),
        expires_at=NOW - timedelta(days=1),
        origin_at=NOW - timedelta(days=40),
    )
    text = workspace_template("C", "P", "main").replace(
        "  overrides: {}\n", "  overrides: {email: {monitor: null}}\n"
    )
    ws = parse_workspace(text)
    base = GovernanceFacts(on_call_defined=True)
    facts = with_operating_model(base, ws, [expired], exposed=exposed, now=NOW)
    assert facts.unowned_cells == ("email/monitor",)
    assert facts.expired_exceptions_relied_on == ("EXC-0007",)
    assert facts.on_call_defined  # other areas' facts are kept
    still_valid = replace(expired, expires_at=NOW + timedelta(days=1))
    assert with_operating_model(base, ws, [still_valid], exposed=exposed, now=NOW) == replace(
        base, unowned_cells=("email/monitor",)
    )


def test_exclusions_name_the_users_left_without_mfa_enforced() -> None:
    """Only an always-on MFA policy enforces: a risk-conditioned one leaves the gap open."""
    risky = ca_policy("p-risk", name="Risky sign-ins")
    risky["conditions"]["signInRiskLevels"] = ["high"]
    ceo_only = ca_policy("p-ceo", name="CEO MFA")
    ceo_only["conditions"]["users"]["includeUsers"] = ["u-ceo"]
    snap = snapshot(
        NOW,
        {
            "users": USERS,
            "conditionalAccessPolicies": [
                ca_policy("p1", exclude_users=("u-scan", "u-ceo")),
                risky,
                ceo_only,
            ],
        },
    )
    gaps = {(e.policy_id, e.principal): e.mfa_unenforced for e in exclusions(snap)}
    assert gaps == {("p1", "u-scan"): ("u-scan",), ("p1", "u-ceo"): ()}
    found = next(e for e in reconcile(snap, [], []) if e.principal == "u-scan")
    assert found.describe().endswith(
        "(conditionalAccessPolicies; leaves 1 user without MFA enforced)"
    )
    # a break-glass account left without MFA is by design: not counted as a gap
    glass = next(e for e in reconcile(snap, [], ["u-scan"]) if e.principal == "u-scan")
    assert glass.covered_by == "break-glass" and glass.mfa_unenforced == ()
