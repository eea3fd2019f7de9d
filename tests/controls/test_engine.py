"""Engine rules that hold for every control: missing data, errors, exceptions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.controls.builder import NOW, context, grant, secure_tenant

from cosec.controls.base import Result, Status, observe
from cosec.controls.context import AssessmentContext
from cosec.controls.engine import evaluate
from cosec.controls.identity import user_consent_restricted
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

CONTROL = user_consent_restricted.CONTROL


def _failing(view: TenantView, ctx: AssessmentContext) -> Result:
    return Result(
        (
            observe("users", "a", "A", "x", 1, "0", False),
            observe("users", "b", "B", "x", 1, "0", False),
        ),
        "two bad",
    )


def _raising(view: TenantView, ctx: AssessmentContext) -> Result:
    raise ZeroDivisionError("boom")


def _view() -> TenantView:
    return TenantView(secure_tenant().snapshot())


def test_a_raising_check_is_an_error_finding_with_owners() -> None:
    f = evaluate(replace(CONTROL, check=_raising), _view(), context())
    assert f.status is Status.ERROR
    assert "ZeroDivisionError: boom" in f.summary
    assert f.owners is not None


def test_exceptions_accept_only_when_every_object_is_covered() -> None:
    control = replace(CONTROL, check=_failing)
    f = evaluate(control, _view(), context(exceptions=(grant(CONTROL.id, "a"),)))
    assert f.status is Status.FAIL
    assert [o.id for o in f.unexcepted] == ["b"]
    assert f.would_pass_with == "would pass with exceptions for: B"
    f = evaluate(control, _view(), context(exceptions=(grant(CONTROL.id),)))  # tenant-wide
    assert f.status is Status.ACCEPTED
    assert f.accepted_by == (f"EXC-{CONTROL.id}",)


def test_would_pass_with_names_ten_and_counts_the_rest() -> None:
    def many(view: TenantView, ctx: AssessmentContext) -> Result:
        return Result(
            tuple(observe("users", f"u{i:02d}", "", "x", 1, "0", False) for i in range(12))
        )

    f = evaluate(replace(CONTROL, check=many), _view(), context())
    assert f.would_pass_with.endswith("u09 and 2 more")
    assert len(f.unexcepted) == 12


def test_expired_other_tenant_and_other_control_grants_do_not_count() -> None:
    control = replace(CONTROL, check=_failing)
    expired = grant(CONTROL.id, expires=NOW - timedelta(seconds=1))
    other_tenant = replace(grant(CONTROL.id), tenant="other")
    other_control = grant("IDN-002v1")
    ctx = context(exceptions=(expired, other_tenant, other_control))
    assert evaluate(control, _view(), ctx).status is Status.FAIL


def test_grant_for_a_replaced_id_still_applies() -> None:
    control = replace(CONTROL, check=_failing, replaces=("IDN-900v1",))
    ctx = context(exceptions=(grant("IDN-900v1"),))
    assert evaluate(control, _view(), ctx).status is Status.ACCEPTED


def test_missing_subscribed_skus_skips_licence_preflight() -> None:
    t = secure_tenant()
    t.unavailable("subscribedSkus", permission="Organization.Read.All")
    f = evaluate(CONTROL, TenantView(t.snapshot()), context())
    assert f.status is Status.PASS


def test_resource_never_collected_is_not_assessed() -> None:
    snap = secure_tenant().snapshot()
    outcomes = dict(snap.outcomes)
    del outcomes["authorizationPolicy"]
    f = evaluate(CONTROL, TenantView(replace(snap, outcomes=outcomes)), context())
    assert f.status is Status.NOT_ASSESSED
    assert f.missing_resource == "authorizationPolicy"
    assert f.missing_permission == "Policy.Read.All"


def test_default_owners_come_from_the_preset_and_follow_the_workspace_people() -> None:
    """The co-managed defaults have one source: the responsibility-map preset."""
    from cosec.config import parse_workspace
    from cosec.governance.raci import area_owners

    ws = parse_workspace(
        "organisation: {name: X}\n"
        "people:\n"
        "  - {id: alex, name: A, party: internal, roles: [it_lead, risk_owner]}\n"
        "  - {id: jo, name: J, party: partner, roles: [engineer, analyst]}\n"
    )
    owners = area_owners(ws)
    identity = owners[ControlArea.IDENTITY]
    assert identity.configure is not None and identity.configure.person == "jo"
    assert identity.respond is None  # nobody holds the partner responder role
    # the preset's cell: the partner's analyst keeps the identity evidence
    assert identity.evidence is not None and identity.evidence.party == "partner"
    assert owners[ControlArea.GOVERNANCE].evidence is not None
    ctx = AssessmentContext.from_workspace(ws, "main", NOW, owners=owners)
    assert ctx.owners == owners
    assert ctx.restore_tests is None
