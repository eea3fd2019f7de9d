"""No mailbox has SMTP forwarding to an external address."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = []
    for mb in view.mailboxes:
        target = mb.forwarding_smtp_address
        if target and view.is_external(target.removeprefix("smtp:").removeprefix("SMTP:")):
            ref = ObjectRef("mailboxes", mb.id, mb.upn or mb.identity)
            obs.append(
                Observation(ref, "ForwardingSmtpAddress", target, "empty or internal", False)
            )
    return Result(tuple(obs), f"{len(obs)} mailboxes forward outside the organisation")


CONTROL = Control(
    id="EML-007v1",
    title="No mailbox forwards to an external address",
    rationale=(
        "Mailbox-level forwarding copies every message out silently; users never see it in Outlook."
    ),
    severity=Severity.HIGH,
    area=ControlArea.EMAIL,
    csf=("PR.DS-02",),
    requires=("mailboxes", "domains"),
    remediation=Remediation(
        portal=(
            "Exchange admin center > Mailboxes > (mailbox) > Mail flow settings > Email "
            "forwarding: off"
        ),
        command=(
            "Set-Mailbox -Identity <upn> -ForwardingSmtpAddress $null -DeliverToMailboxAndForward "
            "$false"
        ),
    ),
    check=check,
)
