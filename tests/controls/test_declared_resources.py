"""A control declares what it needs: a resource it cannot do without is required, so the
finding names it (and its permission) before the check runs, and the catalog's permission
list is complete. A resource declared optional must really be optional."""

from __future__ import annotations

import pytest
from tests.controls.builder import context, secure_tenant

from cosec.controls.base import Status
from cosec.controls.catalog import load_catalog
from cosec.controls.engine import evaluate
from cosec.model.resources import RESOURCES
from cosec.model.view import TenantView

# Resources whose absence some controls survive by design (conditionalAccessPolicies is
# optional where security defaults can decide instead) are not in this list.
NEEDED_WHEN_READ = sorted(set(RESOURCES) - {"conditionalAccessPolicies"})


@pytest.mark.parametrize("resource", NEEDED_WHEN_READ)
def test_controls_that_need_a_resource_require_it(resource: str) -> None:
    t = secure_tenant()
    t.unavailable(resource, permission=RESOURCES[resource].permission)
    view = TenantView(t.snapshot())
    wrong = []
    for c in load_catalog():
        f = evaluate(c, view, context())
        needs = f.status is Status.NOT_ASSESSED and f.missing_resource == resource
        if needs and resource not in c.requires:
            wrong.append(c.id)
    assert wrong == []


def test_group_members_missing_names_the_controls_precisely() -> None:
    t = secure_tenant()
    t.unavailable("groupMembers", permission="GroupMember.Read.All")
    view = TenantView(t.snapshot())
    findings = [evaluate(c, view, context()) for c in load_catalog()]
    missing = {f.control_id for f in findings if f.missing_resource == "groupMembers"}
    declared = {c.id for c in load_catalog() if "groupMembers" in c.requires}
    assert missing == declared
    for f in findings:
        if f.control_id in missing:
            assert f.status is Status.NOT_ASSESSED
            assert f.missing_permission == "GroupMember.Read.All"
            assert f.summary.startswith("groupMembers could not be read")
