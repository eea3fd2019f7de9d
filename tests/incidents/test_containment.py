"""Checked-off containment items against the latest snapshot (pure)."""

from __future__ import annotations

from tests.controls.builder import secure_tenant

from cosec.incidents.containment import Subject, confirmable, still_present
from cosec.model.view import TenantView

FORWARDING = "forwarding and malicious inbox rules removed"
ROLE = "unapproved role assignment removed"


def _rule(address: str) -> dict[str, object]:
    return {
        "id": "r1",
        "displayName": "archive",
        "isEnabled": True,
        "actions": {"forwardTo": [{"emailAddress": {"address": address}}]},
    }


def test_which_items_a_snapshot_can_confirm() -> None:
    assert confirmable(FORWARDING) == "forwarding"
    assert confirmable(ROLE) == "role"
    assert confirmable("account secured (password reset or account disabled)") is None


def test_forwarding_still_present_refuses_and_removed_passes() -> None:
    t = secure_tenant()
    t.find("mailboxes", ExternalDirectoryObjectId="clerk")["ForwardingSmtpAddress"] = (
        "smtp:drop@evil.example"
    )
    t.child("messageRules", "clerk", _rule("drop@evil.example"))
    who = [Subject("clerk@contoso.example")]
    left = still_present([FORWARDING], who, TenantView.from_snapshot(t.snapshot()))
    assert left == [
        "inbox rule 'archive' of clerk@contoso.example still forwards mail",
        "mailbox clerk@contoso.example still forwards to drop@evil.example",
    ]
    assert (
        still_present([FORWARDING], who, TenantView.from_snapshot(secure_tenant().snapshot())) == []
    )
    assert still_present(["sessions revoked"], who, None) == []  # nothing confirmable


def test_role_assignment_still_present_and_missing_snapshot() -> None:
    t = secure_tenant()
    t.role("clerk")
    view = TenantView.from_snapshot(t.snapshot())
    who = [Subject("clerk@contoso.example", "Global Administrator")]
    assert still_present([ROLE], who, view) == [
        "clerk@contoso.example still holds Global Administrator"
    ]
    assert still_present([ROLE], who, None) == [
        "no collection of the tenant to confirm containment against"
    ]
    t.unavailable("roleAssignments", permission="RoleManagement.Read.Directory")
    assert (
        "roleAssignments not collected"
        in still_present([ROLE], who, TenantView.from_snapshot(t.snapshot()))[0]
    )
