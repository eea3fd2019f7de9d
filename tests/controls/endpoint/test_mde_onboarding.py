from __future__ import annotations

from tests.controls.builder import pairs, run, secure_tenant

from cosec.controls.base import Status
from cosec.controls.endpoint import mde_onboarding as m


def test_pass_windows_and_mac_onboarded() -> None:
    f = run(m, secure_tenant())
    assert f.status is Status.PASS
    assert pairs(f) == set()


def test_fail_unmatched_device_and_can_be_onboarded_machine() -> None:
    t = secure_tenant()
    t.find("managedDevices", id="dev1")["azureADDeviceId"] = "other"
    t.find("managedDevices", id="dev1")["deviceName"] = "old-mac"
    t.add(
        "mdeMachines",
        {"id": "mde9", "computerDnsName": "kiosk", "onboardingStatus": "CanBeOnboarded"},
    )
    f = run(m, t)
    assert f.status is Status.FAIL
    assert pairs(f) == {("dev1", False), ("mde9", False)}


def test_not_applicable_without_mde() -> None:
    t = secure_tenant()
    t.unavailable("mdeMachines", licence="Microsoft Defender for Endpoint")
    assert run(m, t).status is Status.NOT_APPLICABLE
