from __future__ import annotations

import pytest

from cosec.model.derived.patch import PatchStatus, parse_version, patch_status, platform_family

BASELINE = {"Windows": "10.0.26100", "macOS": "15.0", "iOS": "18.0", "Android": "14"}


@pytest.mark.parametrize(
    ("os_name", "version", "status"),
    [
        ("Windows", "10.0.26100.1", PatchStatus.ON_BASELINE),
        ("Windows11", "10.0.26100", PatchStatus.ON_BASELINE),
        ("Windows", "10.0.9999", PatchStatus.BELOW),
        ("macOS", "15.1", PatchStatus.ON_BASELINE),
        ("MacOS", "14.6", PatchStatus.BELOW),
        ("iPadOS", "18.1", PatchStatus.ON_BASELINE),  # the iOS floor
        ("Android", "14", PatchStatus.ON_BASELINE),
        ("Android", "Os Version value", PatchStatus.UNREADABLE),
        ("Windows", None, PatchStatus.UNREADABLE),
        ("Windows", "", PatchStatus.UNREADABLE),
        ("Linux", "6.1", PatchStatus.NO_BASELINE),
    ],
)
def test_patch_status(os_name: str, version: str | None, status: PatchStatus) -> None:
    assert patch_status(os_name, version, BASELINE) is status


def test_versions_and_families() -> None:
    assert parse_version("17.5 (21F79)") == (17, 5)
    assert parse_version("value") is None
    assert platform_family("androidWorkProfile") == "android"
    assert not PatchStatus.NO_BASELINE.judged and PatchStatus.UNREADABLE.judged
