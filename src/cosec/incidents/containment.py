"""Containment confirmed by the tenant, not by a tick: before an incident closes, each
checked-off item a snapshot can confirm is compared with the latest collection (pure).

Confirmable items, recognised by their wording in the incident type's checklist:

- "... forwarding ... removed": the subject's mailbox forwards to no external address and
  none of the subject's inbox rules forwards mail outside the organisation;
- "... role assignment removed": the subject holds none of the incident's privileged
  roles as an active assignment.

Items a snapshot cannot show (an account secured, files quarantined) stay the
responder's word, as recorded on the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cosec.model.view import TenantView


@dataclass(frozen=True)
class Subject:
    """Who (UPN or object id) an incident's alert was about, and the role it named."""

    user: str
    role: str | None = None


def confirmable(item: str) -> str | None:
    """'forwarding' or 'role' when the snapshot can confirm the item, else None."""
    text = item.lower()
    if "forwarding" in text and "removed" in text:
        return "forwarding"
    if "role assignment" in text and "removed" in text:
        return "role"
    return None


def _user_id(view: TenantView, user: str) -> str | None:
    found = view.users_by_upn.get(user.lower())
    if found is not None:
        return found.id
    return user if user in view.users else None


def _forwarding(view: TenantView, subject: Subject) -> list[str]:
    missing = [r for r in ("mailboxes", "messageRules") if not view.available(r)]
    if missing:
        return [f"cannot confirm forwarding removed: {', '.join(missing)} not collected"]
    uid = _user_id(view, subject.user)
    out = []
    for box in view.mailboxes:
        if box.id != uid and box.upn.lower() != subject.user.lower():
            continue
        target = box.forwarding_smtp_address or ""
        address = target.split(":", 1)[-1]
        if address and view.is_external(address):
            out.append(f"mailbox {box.upn} still forwards to {address}")
    for rule in view.message_rules:
        if rule.user_id == uid and any(view.is_external(a) for a in rule.forward_to):
            out.append(f"inbox rule {rule.display_name!r} of {subject.user} still forwards mail")
    return out


def _role(view: TenantView, subject: Subject) -> list[str]:
    if not (view.available("roleAssignments") and view.available("users")):
        return ["cannot confirm the role assignment removed: roleAssignments not collected"]
    uid = _user_id(view, subject.user)
    out = []
    for template, holders in view.active_role_holders.items():
        name = view.role_name(template)
        if uid in holders and (subject.role is None or name.lower() == subject.role.lower()):
            out.append(f"{subject.user} still holds {name}")
    return out


def still_present(
    done_items: Iterable[str], subjects: Sequence[Subject], view: TenantView | None
) -> list[str]:
    """What the latest snapshot still shows for checked-off, confirmable items."""
    kinds = {k for k in (confirmable(i) for i in done_items) if k is not None}
    if not kinds:
        return []
    if view is None:
        return ["no collection of the tenant to confirm containment against"]
    out: list[str] = []
    for subject in subjects:
        if "forwarding" in kinds:
            out += _forwarding(view, subject)
        if "role" in kinds and subject.role is not None:
            out += _role(view, subject)
    return sorted(set(out))
