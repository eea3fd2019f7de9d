from __future__ import annotations

from tests.controls.builder import Tier, context, pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.identity import tier_strong_mfa as m


def test_pass_all_tier_members_strong() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {
        ("admin1", True),
        ("admin2", True),
        ("bg1", True),
        ("bg2", True),
        ("ceo", True),
        ("clerk", True),
    }


def test_fail_finance_member_on_sms_found_by_department_group_and_upn() -> None:
    t = secure_tenant()
    t.user("payroll", department="Finance", methods=("mobilePhone",))
    t.user("cfo-assistant", methods=("email",))
    t.user("board", methods=("officePhone",))
    t.group("grp-exec", ["cfo-assistant"], name="Executives")
    tiers = {
        "finance": Tier(departments=("finance",)),
        "executives": Tier(groups=("Executives",), users=("board@contoso.example",)),
    }
    f = run(m, t, context(risk_tiers=tiers))
    assert f.status is Status.FAIL
    assert pairs(f) == {
        ("clerk", True),
        ("payroll", False),
        ("cfo-assistant", False),
        ("board", False),
    }


def test_no_tiers_not_assessed() -> None:
    assert run(m, secure_tenant(), context(risk_tiers={})).status is Status.NOT_ASSESSED
