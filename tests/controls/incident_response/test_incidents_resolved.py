from __future__ import annotations

from datetime import timedelta

from tests.controls.builder import NOW, context, pairs, run, secure_tenant

from cosec.config import Severity
from cosec.controls.base import Status
from cosec.controls.context import IncidentFact
from cosec.controls.incident_response import incidents_resolved as m


def test_pass_open_within_window() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == {("INC-1", True)}


def test_fail_critical_open_too_long_low_ignored_closed_ignored() -> None:
    incidents = (
        IncidentFact("INC-2", "Ransomware", Severity.CRITICAL, NOW - timedelta(days=3), None),
        IncidentFact("INC-3", "Spam", Severity.LOW, NOW - timedelta(days=300), None),
        IncidentFact("INC-4", "BEC", Severity.HIGH, NOW - timedelta(days=30), NOW),
    )
    f = run(m, secure_tenant(), context(incidents=incidents))
    assert f.status is Status.FAIL
    assert pairs(f) == {("INC-2", False)}


def test_register_unavailable_not_assessed() -> None:
    assert run(m, secure_tenant(), context(incidents=None)).status is Status.NOT_ASSESSED
