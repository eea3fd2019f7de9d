"""No enabled inbox rule forwards or redirects mail to an external address."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = []
    for rule in view.message_rules:
        if rule.enabled is False:
            continue
        external = sorted(a for a in rule.forward_to if view.is_external(a))
        if external:
            owner = view.user_label(rule.user_id)
            ref = ObjectRef(
                "messageRules", f"{rule.user_id}/{rule.id}", f"{owner}: {rule.display_name}"
            )
            obs.append(
                Observation(
                    ref,
                    "actions.forwardTo|redirectTo|forwardAsAttachmentTo",
                    external,
                    "no external recipient",
                    False,
                )
            )
    return Result(tuple(obs), f"{len(obs)} inbox rules forward outside the organisation")


CONTROL = Control(
    id="EML-006v1",
    title="No inbox rule forwards mail externally",
    rationale=(
        "Rules forwarding to outside addresses are the classic persistence of a compromised "
        "mailbox."
    ),
    severity=Severity.HIGH,
    area=ControlArea.EMAIL,
    csf=("PR.DS-02", "DE.CM-03"),
    requires=("messageRules", "domains", "users"),
    remediation=Remediation(
        portal=(
            "Exchange admin center > Mailboxes > (user) > Manage mailbox rules; or ask the user to "
            "remove it in Outlook"
        ),
        command=(
            "DELETE "
            "https://graph.microsoft.com/v1.0/users/{id}/mailFolders/inbox/messageRules/{ruleId}"
        ),
    ),
    check=check,
)
