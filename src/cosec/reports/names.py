"""Names a person reads instead of object ids: "Ada Lee (ada@contoso.com), Global
Administrator" rather than a GUID (pure, over one snapshot's view).

`Directory.humanise(text)` rewrites every GUID in a sentence: a known user, group, device,
policy or role becomes its name; an id the snapshot does not know becomes "an object no
longer in the directory (…last 4)", so no review ever shows a bare GUID to a reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cosec.model.view import GLOBAL_ADMIN, PRIVILEGED_ROLES, TenantView

GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class NamedObject:
    """One directory object as a reader needs it."""

    id: str
    display_name: str
    upn: str  # users only ('' otherwise)
    what: str  # e.g. "break-glass Global Administrator", "Finance user", "device"
    privileged: bool = False
    global_admin: bool = False
    break_glass: bool = False

    def label(self) -> str:
        """'Ada Lee (ada@contoso.com)' for a user, the display name for anything else."""
        if self.upn and self.display_name and self.display_name != self.upn:
            return f"{self.display_name} ({self.upn})"
        return self.upn or self.display_name or self.id

    def described(self) -> str:
        """'Ada Lee (ada@contoso.com), break-glass Global Administrator'."""
        return f"{self.label()}, {self.what}" if self.what else self.label()


@dataclass
class Directory:
    """Object id (and UPN, lower-case) → `NamedObject`, from one snapshot."""

    objects: dict[str, NamedObject] = field(default_factory=dict)

    def get(self, key: str) -> NamedObject | None:
        return self.objects.get(key) or self.objects.get(key.lower())

    def label(self, key: str) -> str:
        found = self.get(key)
        if found is not None:
            return found.label()
        return _unknown(key) if GUID.fullmatch(key) else key

    def describe(self, key: str) -> str:
        found = self.get(key)
        return found.described() if found is not None else self.label(key)

    def humanise(self, text: str) -> str:
        """`text` with every GUID replaced by the object's name."""
        return GUID.sub(lambda m: self.label(m.group(0)), text)


def _unknown(guid: str) -> str:
    return f"an object no longer in the directory (…{guid[-4:]})"


def _role_phrase(roles: list[str]) -> str:
    if not roles:
        return ""
    return roles[0] if len(roles) == 1 else f"{roles[0]} (+{len(roles) - 1} more roles)"


def build_directory(view: TenantView, break_glass: Iterable[str] = ()) -> Directory:
    """Every user (with roles held, break-glass flag and department), group, device,
    Conditional Access policy and role definition the snapshot read."""
    out: dict[str, NamedObject] = {}
    glass = {b.lower() for b in break_glass}

    def add(obj: NamedObject, *aliases: str) -> None:
        out[obj.id] = obj
        for a in aliases:
            if a:
                out[a.lower()] = obj

    if view.available("users"):
        held: dict[str, list[str]] = {}
        if view.available("roleAssignments"):
            for template, holders in view.active_role_holders.items():
                if template not in PRIVILEGED_ROLES:
                    continue
                for uid in holders:
                    held.setdefault(uid, []).append(view.role_name(template))
        for user in view.users.values():
            roles = sorted(held.get(user.id, []), key=lambda r: (r != "Global Administrator", r))
            is_glass = user.id.lower() in glass or user.upn.lower() in glass
            parts = ["break-glass" if is_glass else "", _role_phrase(roles)]
            if not roles:
                parts.append(f"{user.department} user" if user.department else "user")
            if user.is_guest:
                parts = ["guest"]
            elif user.enabled is False:
                parts.insert(0, "disabled")
            add(
                NamedObject(
                    id=user.id,
                    display_name=user.display_name,
                    upn=user.upn,
                    what=" ".join(p for p in parts if p),
                    privileged=bool(roles),
                    global_admin=GLOBAL_ADMIN in view.active_role_holders
                    and user.id in view.active_role_holders[GLOBAL_ADMIN],
                    break_glass=is_glass,
                ),
                user.upn,
            )
    if view.available("groups"):
        for group in view.groups.values():
            add(NamedObject(group.id, group.display_name, "", "group"))
    if view.available("conditionalAccessPolicies"):
        for policy in view.ca_policies:
            add(NamedObject(policy.id, policy.display_name, "", "Conditional Access policy"))
    if view.available("managedDevices"):
        for device in view.managed_devices:
            add(NamedObject(device.id, device.name, "", "device"))
    if view.available("mdeMachines"):
        for mid, name in view.machine_names.items():
            add(NamedObject(mid, name, "", "device"))
    for template in PRIVILEGED_ROLES:
        add(NamedObject(template, view.role_name(template), "", "directory role"))
    if view.available("roleDefinitions"):
        for rd in view.role_definitions.values():
            add(NamedObject(rd.id, rd.display_name, "", "directory role"))
    return Directory(out)
