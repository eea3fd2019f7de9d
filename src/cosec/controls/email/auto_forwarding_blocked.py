"""Automatic forwarding to external recipients is off in every outbound spam policy."""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = [
        Observation(
            ObjectRef("outboundSpamPolicies", p.name, p.name),
            "AutoForwardingMode",
            p.auto_forwarding_mode,
            "Off",
            p.auto_forwarding_mode == "Off",
        )
        for p in view.outbound_spam_policies
    ]
    return Result(
        tuple(obs),
        f"{sum(not o.ok for o in obs)} outbound policies allow or defer automatic forwarding",
    )


CONTROL = Control(
    id="EML-005v1",
    title="Automatic external forwarding is blocked",
    rationale=(
        "A forwarding rule is the first thing a mailbox intruder sets up to keep reading after "
        "eviction."
    ),
    severity=Severity.HIGH,
    area=ControlArea.EMAIL,
    csf=("PR.DS-02",),
    cis=("6.2.1",),
    scuba=("MS.EXO.1.1v2",),
    requires=("outboundSpamPolicies",),
    remediation=Remediation(
        portal=(
            "Defender portal > Policies > Anti-spam > Anti-spam outbound policy (Default) > "
            "Forwarding rules: Off"
        ),
        command="Set-HostedOutboundSpamFilterPolicy -Identity Default -AutoForwardingMode Off",
    ),
    check=check,
    decided_by="'Automatic' (system-controlled) is reported as a failure: its meaning is "
    "Microsoft's to change; an explicit Off is the documented recommendation.",
)
