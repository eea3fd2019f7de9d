"""Patch-baseline status of one device: the one rule controls and metrics share.

`cosec.yaml` `patch_baseline` maps a platform (Windows, macOS, iOS, Android, …) to the
minimum OS version. A device is judged against the floor of its platform family: on the
baseline when its version, compared numerically component by component (missing
components count as 0), is at least the floor; below it otherwise; *unreadable* when no
dotted version can be read — never silently counted as patched. A platform without a
floor is not judged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

FAMILIES = ("windows", "macos", "ios", "android", "linux")
_LEADING_VERSION = re.compile(r"\s*(\d+(?:\.\d+)*)")


class PatchStatus(StrEnum):
    ON_BASELINE = "on_baseline"
    BELOW = "below_baseline"
    UNREADABLE = "version_unreadable"
    NO_BASELINE = "no_baseline"  # no floor configured for the platform

    @property
    def judged(self) -> bool:
        return self is not PatchStatus.NO_BASELINE


def platform_family(os_name: str) -> str:
    """'Windows11', 'Windows', 'macOS', 'MacOS', 'iPadOS' … → windows, macos, ios, …"""
    lowered = os_name.strip().casefold()
    if lowered.startswith("mac"):
        return "macos"
    if lowered.startswith("ipad"):
        return "ios"
    return next((f for f in FAMILIES if lowered.startswith(f)), lowered)


def parse_version(version: str | None) -> tuple[int, ...] | None:
    """'10.0.26100.1234' → (10, 0, 26100, 1234); '17.5 (21F79)' → (17, 5); None if none."""
    found = _LEADING_VERSION.match(version or "")
    return tuple(int(p) for p in found.group(1).split(".")) if found else None


def floor_for(os_name: str, baseline: Mapping[str, str]) -> str | None:
    family = platform_family(os_name)
    return next((v for k, v in baseline.items() if platform_family(k) == family), None)


def patch_status(os_name: str, version: str | None, baseline: Mapping[str, str]) -> PatchStatus:
    floor = floor_for(os_name, baseline)
    if floor is None:
        return PatchStatus.NO_BASELINE
    have, need = parse_version(version), parse_version(floor)
    if have is None or need is None:
        return PatchStatus.UNREADABLE
    width = max(len(have), len(need))
    padded = have + (0,) * (width - len(have))
    return (
        PatchStatus.ON_BASELINE
        if padded >= need + (0,) * (width - len(need))
        else PatchStatus.BELOW
    )
