"""Shared by the endpoint controls."""

from __future__ import annotations

from functools import lru_cache

from cosec.controls.base import ObjectRef, Observation
from cosec.model.devices import ManagedDevice

# Intune operatingSystem values → the platform names used in cosec.yaml patch_baseline
PLATFORMS = {
    "windows": "Windows",
    "macos": "macOS",
    "ios": "iOS",
    "ipados": "iOS",
    "android": "Android",
}
# Platforms Defender for Endpoint and disk encryption apply to on company devices
DESKTOP = ("Windows", "macOS")


def platform(device: ManagedDevice) -> str:
    return _platform(device.operating_system)


@lru_cache(maxsize=256)
def _platform(operating_system: str) -> str:
    return PLATFORMS.get(operating_system.strip().lower(), operating_system)


def device_obs(
    device: ManagedDevice, path: str, observed: object, expected: str, ok: bool
) -> Observation:
    return Observation(
        ObjectRef("managedDevices", device.id, device.name), path, observed, expected, ok
    )
