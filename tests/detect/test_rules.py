"""Each detection rule on planted positives and negatives (exact subjects asserted)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.detect.factories import (
    T0,
    alert,
    audit,
    data,
    role_target,
    rule_change,
    sign_in,
)

from cosec.config import IncidentResponseSettings, Severity
from cosec.detect import admin, drift, endpoint, identity, mail
from cosec.detect.catalog import CATALOG, evaluate, rule
from cosec.detect.rules import ChangeWindow, DriftItem, EventSet, is_external
from cosec.frameworks.csf import load_csf
from cosec.model import events as ev

H = timedelta(hours=1)


def subjects(hits: list[object]) -> set[tuple[str, str]]:
    return {(h.rule_id, h.subject) for h in hits}


def test_catalog_metadata_is_valid() -> None:
    csf = load_csf().subcategories
    ids = [r.id for r in CATALOG]
    assert len(ids) == len(set(ids))
    for r in CATALOG:
        assert r.id.startswith("DET-") and r.id.rsplit("v", 1)[1].isdigit()
        assert r.csf and all(c in csf and c.startswith("DE.") for c in r.csf)
        assert r.streams or r.resources
    assert rule("DET-FWD-001").id == "DET-FWD-001v1"
    with pytest.raises(KeyError):
        rule("DET-NOPE-001")


# --- mail ------------------------------------------------------------------------------


def test_forwarding_from_new_rule_existing_rule_and_mailbox() -> None:
    events = EventSet(
        rule_changes=(
            rule_change(T0, forward="drop@evil.example"),
            rule_change(T0, upn="bob@contoso.com", rule_id="r2", forward="bob@contoso.com"),
            rule_change(T0, upn="cat@contoso.com", rule_id="r3", forward="x@sub.contoso.com"),
        )
    )
    rules = {
        "id-dan": [
            ev.parse_message_rule(
                {
                    "id": "r9",
                    "isEnabled": True,
                    "actions": {"redirectTo": [{"emailAddress": {"address": "d@gmail.com"}}]},
                }
            ),
            ev.parse_message_rule(
                {
                    "id": "r10",
                    "isEnabled": False,
                    "actions": {"forwardTo": [{"emailAddress": {"address": "o@gmail.com"}}]},
                }
            ),
        ]
    }
    mailboxes = [
        {"UserPrincipalName": "eve@contoso.com", "ForwardingSmtpAddress": "smtp:eve@proton.me"},
        {"UserPrincipalName": "fay@contoso.com", "ForwardingSmtpAddress": None},
        {"UserPrincipalName": "gus@contoso.com", "ForwardingSmtpAddress": "smtp:g@contoso.com"},
    ]
    hits = mail.FORWARDING.evaluate(
        data(
            events,
            message_rules=rules,
            mailboxes=mailboxes,
            user_principal_names={"id-dan": "dan@contoso.com"},
        )
    )
    assert subjects(hits) == {
        ("DET-FWD-001v1", "amy@contoso.com"),
        ("DET-FWD-001v1", "dan@contoso.com"),
        ("DET-FWD-001v1", "eve@contoso.com"),
    }
    eve = next(h for h in hits if h.subject == "eve@contoso.com")
    assert eve.details["address"] == "eve@proton.me"


def test_forwarding_same_condition_folds_into_one_hit() -> None:
    events = EventSet(
        rule_changes=(
            rule_change(T0, forward="drop@evil.example"),
            rule_change(T0 + H, forward="drop@evil.example", change="changed"),
        )
    )
    mailboxes = [{"UserPrincipalName": "amy@contoso.com", "ForwardingSmtpAddress": None}]
    (hit,) = mail.FORWARDING.evaluate(data(events, mailboxes=mailboxes))
    assert len(hit.evidence) == 2
    assert hit.first_seen_at == T0 and hit.last_seen_at == T0 + H


def test_hiding_rule_needs_sender_and_delete_or_move() -> None:
    events = EventSet(
        rule_changes=(
            rule_change(T0, sender="ceo@contoso.com", delete=True),
            rule_change(T0, upn="bob@contoso.com", sender="x@y.com", move="RSS Feeds"),
            rule_change(T0, upn="cat@contoso.com", delete=True),  # no sender
            rule_change(T0, upn="dan@contoso.com", sender="x@y.com"),  # no delete/move
            rule_change(T0, upn="eve@contoso.com", sender="x@y.com", delete=True, change="removed"),
        )
    )
    hits = mail.HIDING_RULE.evaluate(data(events))
    assert subjects(hits) == {
        ("DET-RULE-001v1", "amy@contoso.com"),
        ("DET-RULE-001v1", "bob@contoso.com"),
    }


def test_user_reported_phish() -> None:
    events = EventSet(
        alerts=(
            alert("a1", T0, title="Email reported by user as malware or phish", severity="low"),
            alert("a2", T0, title="Something else", severity="low"),
        )
    )
    assert subjects(mail.REPORTED_PHISH.evaluate(data(events))) == {
        ("DET-PHISH-001v1", "amy@contoso.com")
    }


@pytest.mark.parametrize(
    ("address", "external"),
    [
        ("a@evil.example", True),
        ("SMTP:a@contoso.com", False),
        ("a@mail.contoso.com", False),
        ("a@notcontoso.com", True),
        ("no-at-sign", False),
    ],
)
def test_is_external(address: str, external: bool) -> None:
    assert is_external(address, frozenset({"contoso.com"})) is external


# --- identity --------------------------------------------------------------------------


def test_new_country_needs_a_baseline() -> None:
    history = EventSet(sign_ins=(sign_in(T0 - 48 * H), sign_in(T0 - 24 * H, country="FR")))
    events = EventSet(
        sign_ins=(
            sign_in(T0, country="GB"),
            sign_in(T0 + H, country="FR"),
            sign_in(T0 + 10 * H, country="NG", lat=9.0, lon=7.5),
            sign_in(T0 + 11 * H, country="RU", error=50126),  # failed: ignored
            sign_in(T0, "new@contoso.com", country="BR"),  # no baseline
        )
    )
    hits = identity.UNUSUAL_SIGN_IN.evaluate(data(events, history))
    assert subjects(hits) == {("DET-SIGNIN-001v1", "amy@contoso.com")}
    assert hits[0].details["country"] == "NG"


def test_impossible_travel() -> None:
    history = EventSet(sign_ins=(sign_in(T0 - H, country="GB"),))
    events = EventSet(
        sign_ins=(sign_in(T0, country="GB"), sign_in(T0 + H, country="US", lat=40.7, lon=-74.0))
    )
    hits = identity.UNUSUAL_SIGN_IN.evaluate(data(events, history))
    kinds = {h.evidence[0].summary.split(" ")[0] for h in hits}
    assert len(hits) == 2  # new country and impossible travel, separate conditions
    assert "first" in kinds


def test_plausible_travel_is_quiet() -> None:
    history = EventSet(sign_ins=(sign_in(T0 - H, country="GB"), sign_in(T0 - H, country="US")))
    events = EventSet(sign_ins=(sign_in(T0 + 12 * H, country="US", lat=40.7, lon=-74.0),))
    assert identity.UNUSUAL_SIGN_IN.evaluate(data(events, history)) == []


def test_high_risk_from_detection_sign_in_and_risky_user() -> None:
    detection = ev.parse_risk_detection(
        {
            "id": "rd1",
            "riskLevel": "high",
            "riskEventType": "anonymizedIPAddress",
            "detectedDateTime": "2026-11-20T09:00:00Z",
            "userPrincipalName": "amy@contoso.com",
        }
    )
    low = ev.parse_risk_detection(
        {"id": "rd2", "riskLevel": "low", "userPrincipalName": "bob@contoso.com"}
    )
    events = EventSet(
        risk_detections=(detection, low),
        sign_ins=(sign_in(T0, "cat@contoso.com", risk="high"),),
    )
    risky = [
        {
            "id": "u4",
            "userPrincipalName": "dan@contoso.com",
            "riskLevel": "high",
            "riskState": "atRisk",
        },
        {
            "id": "u5",
            "userPrincipalName": "eve@contoso.com",
            "riskLevel": "high",
            "riskState": "remediated",
        },
    ]
    hits = identity.HIGH_RISK.evaluate(data(events, risky_users=risky))
    assert subjects(hits) == {
        ("DET-RISK-001v1", "amy@contoso.com"),
        ("DET-RISK-001v1", "cat@contoso.com"),
        ("DET-RISK-001v1", "dan@contoso.com"),
    }


def _mfa(at: object, upn: str) -> ev.DirectoryAudit:
    return audit(
        at,
        "User registered security info",
        service="Authentication Methods",
        category="UserManagement",
        targets=[{"id": f"id-{upn}", "userPrincipalName": upn, "type": "User"}],
        by=upn,
    )


def test_mfa_change_shortly_after_risky_sign_in() -> None:
    history = EventSet(sign_ins=(sign_in(T0 - 2 * H, risk="medium"),))
    events = EventSet(
        sign_ins=(sign_in(T0, "bob@contoso.com", risk="none"),),
        directory_audits=(
            _mfa(T0, "amy@contoso.com"),  # 2h after a risky sign-in: hit
            _mfa(T0, "bob@contoso.com"),  # no risk: quiet
        ),
    )
    hits = identity.MFA_AFTER_RISK.evaluate(data(events, history))
    assert subjects(hits) == {("DET-MFA-001v1", "amy@contoso.com")}


def test_mfa_change_long_after_risk_is_quiet() -> None:
    history = EventSet(sign_ins=(sign_in(T0 - 30 * H, risk="high"),))
    events = EventSet(directory_audits=(_mfa(T0, "amy@contoso.com"),))
    assert identity.MFA_AFTER_RISK.evaluate(data(events, history)) == []


def test_legacy_auth_success_only() -> None:
    events = EventSet(
        sign_ins=(
            sign_in(T0, client="IMAP4"),
            sign_in(T0, "bob@contoso.com", client="Authenticated SMTP", error=50126),
            sign_in(T0, "cat@contoso.com", client="Mobile Apps and Desktop clients"),
        )
    )
    hits = identity.LEGACY_AUTH.evaluate(data(events))
    assert subjects(hits) == {("DET-LEGACY-001v1", "amy@contoso.com")}


# --- admin -----------------------------------------------------------------------------


def test_role_assignment_outside_pim_and_change() -> None:
    events = EventSet(
        directory_audits=(
            audit(
                T0,
                "Add member to role",
                targets=role_target("amy@contoso.com", "Global Administrator"),
            ),
            audit(
                T0, "Add member to role", targets=role_target("bob@contoso.com", "Global Reader")
            ),
            audit(
                T0,
                "Add member to role",
                service="PIM",
                targets=role_target("cat@contoso.com", "Global Administrator"),
            ),
            audit(
                T0,
                "Add member to role",
                targets=role_target("dan@contoso.com", "Exchange Administrator"),
            ),
            audit(
                T0,
                "Add member to role",
                targets=role_target("eve@contoso.com", "Global Administrator"),
                result="failure",
            ),
        )
    )
    change = ChangeWindow("CHG-1", frozenset({"id-dan@contoso.com"}), T0 - H, T0 + H)
    hits = admin.ROLE_ASSIGNMENT.evaluate(data(events, approved_changes=[change]))
    by_role = ChangeWindow("CHG-2", frozenset({"Global Administrator"}), T0 - H, T0 + H)
    assert admin.ROLE_ASSIGNMENT.evaluate(data(events, approved_changes=[by_role])) == [
        h for h in admin.ROLE_ASSIGNMENT.evaluate(data(events)) if h.subject == "dan@contoso.com"
    ]
    late = ChangeWindow("CHG-3", frozenset({"id-amy@contoso.com"}), T0 + H, T0 + 2 * H)
    assert len(admin.ROLE_ASSIGNMENT.evaluate(data(events, approved_changes=[late]))) == 2
    assert subjects(hits) == {("DET-ROLE-001v1", "amy@contoso.com")}
    assert hits[0].details["initiated_by"] == "mallory@contoso.com"


def _ca(
    at: object, activity: str, old: str | None, new: str | None, pid: str = "p1"
) -> ev.DirectoryAudit:
    return audit(
        at,
        activity,
        service="Conditional Access",
        category="Policy",
        targets=[
            {
                "id": pid,
                "displayName": f"policy {pid}",
                "type": "Policy",
                "modifiedProperties": [
                    {"displayName": "ConditionalAccessPolicy", "oldValue": old, "newValue": new}
                ],
            }
        ],
    )


MFA_ON = '{"state":"enabled","grantControls":{"operator":"OR","builtInControls":["mfa"]}}'
MFA_OFF = '{"state":"disabled","grantControls":{"operator":"OR","builtInControls":["mfa"]}}'
NO_MFA = '{"state":"enabled","grantControls":{"operator":"OR","builtInControls":[]}}'
REPORT = '{"state":"enabledForReportingButNotEnforced","grantControls":null}'


def test_ca_disabled_deleted_weakened() -> None:
    events = EventSet(
        directory_audits=(
            _ca(T0, "Update conditional access policy", MFA_ON, MFA_OFF, "p1"),
            _ca(T0, "Delete conditional access policy", MFA_ON, None, "p2"),
            _ca(T0, "Update conditional access policy", MFA_ON, NO_MFA, "p3"),
            _ca(T0, "Update conditional access policy", MFA_ON, REPORT, "p4"),
            _ca(T0, "Update conditional access policy", MFA_OFF, MFA_ON, "p5"),  # stronger
            _ca(T0, "Update conditional access policy", "garbage", "{not json", "p6"),
            _ca(T0, "Update conditional access policy", MFA_ON, MFA_OFF, "p7"),  # approved
        )
    )
    change = ChangeWindow("CHG-2", frozenset({"p7"}), T0 - H, T0 + H)
    hits = admin.CA_WEAKENED.evaluate(data(events, approved_changes=[change]))
    assert subjects(hits) == {("DET-CA-001v1", p) for p in ("p1", "p2", "p3", "p4")}


def test_weakening_pure() -> None:
    assert admin.weakening(None, {"state": "disabled"}) is None
    assert admin.weakening({"state": "enabled"}, {"state": "enabled"}) is None
    assert (
        admin.weakening({"state": "Enabled"}, {"state": "disabled"}) == "state Enabled → disabled"
    )


# --- endpoint --------------------------------------------------------------------------


def test_xdr_high_and_endpoint_rules_do_not_double_count() -> None:
    events = EventSet(
        alerts=(
            alert("a1", T0, severity="high"),
            alert("a2", T0, severity="medium"),
            alert("a3", T0, severity="high", category="Malware", upn=None, device="dev1"),
            alert("a4", T0, severity="medium", title="Machine isolated", upn=None, device="dev2"),
            alert("a5", T0, severity="high", title="Email reported by user as malware or phish"),
        )
    )
    d = data(events)
    assert subjects(endpoint.XDR_HIGH.evaluate(d)) == {("DET-XDR-001v1", "amy@contoso.com")}
    edr = endpoint.ENDPOINT.evaluate(d)
    assert subjects(edr) == {("DET-EDR-001v1", "dev1"), ("DET-EDR-001v1", "dev2")}
    assert {h.subject: h.severity for h in edr} == {"dev1": Severity.HIGH, "dev2": Severity.MEDIUM}


# --- evaluation ------------------------------------------------------------------------


def test_missing_streams_are_skipped_and_named() -> None:
    d = data(EventSet(), streams=frozenset({"alerts"}))
    result = evaluate(d)
    assert "DET-SIGNIN-001v1" in result.skipped
    assert result.skipped["DET-MFA-001v1"] == "not collected: directoryAudits, signIns"
    fwd = "not collected: messageRuleChanges, messageRules, mailboxes"
    assert result.skipped["DET-FWD-001v1"] == fwd
    assert "DET-PHISH-001v1" in result.ran
    assert result.hits == ()


def test_drift_records_become_alerts() -> None:
    items = [
        DriftItem("DRIFT-0001", "conditionalAccessPolicies/p1", "policy p1 changed: state",
                  T0 + H, T0, "mallory@contoso.com"),
        DriftItem("DRIFT-0002", "authorizationPolicy/x", "authorization policy changed",
                  T0 + H, None, None),
    ]  # fmt: skip
    hits = drift.DRIFT.evaluate(data(EventSet(), drift=items))
    assert subjects(hits) == {
        ("DET-DRIFT-001v1", "conditionalAccessPolicies/p1"),
        ("DET-DRIFT-001v1", "authorizationPolicy/x"),
    }
    assert {h.first_seen_at for h in hits} == {T0, T0 + H}
    assert "DET-DRIFT-001v1" in evaluate(data(EventSet())).skipped  # no baseline, no drift


def test_default_incident_types_name_existing_rules() -> None:
    bases = {r.base_id for r in CATALOG}
    for key, incident_type in IncidentResponseSettings().types.items():
        assert set(incident_type.detections) <= bases, key
