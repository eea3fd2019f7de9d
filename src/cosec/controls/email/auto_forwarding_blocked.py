"""Automatic forwarding to external domains is off: remote domains and outbound spam policies.

Two switches stop an inbox rule or mailbox setting from forwarding mail outside the
organisation: the remote domain's AutoForwardEnabled (what SCuBA MS.EXO.1.1 checks) and
the outbound spam policy's AutoForwardingMode (what CIS 6.2.1 checks). Either one set to
allow lets forwarding through for the domains it covers, so both are read.
"""

from __future__ import annotations

from cosec.config import Severity
from cosec.controls.base import Control, ObjectRef, Observation, Remediation, Result
from cosec.controls.context import AssessmentContext
from cosec.model.governance import ControlArea
from cosec.model.view import TenantView

# Microsoft documents that "Automatic" (system-controlled) now means Off.
BLOCKING_MODES = ("Off", "Automatic")


def check(view: TenantView, ctx: AssessmentContext) -> Result:
    obs = [
        Observation(
            ObjectRef("outboundSpamPolicies", p.name, p.name),
            "AutoForwardingMode",
            p.auto_forwarding_mode,
            "Off (or Automatic, which Microsoft documents as Off)",
            p.auto_forwarding_mode in BLOCKING_MODES,
        )
        for p in view.outbound_spam_policies
    ]
    obs += [
        Observation(
            ObjectRef("remoteDomains", d.name, f"{d.name} ({d.domain_name})"),
            "AutoForwardEnabled",
            d.auto_forward_enabled,
            "false",
            d.auto_forward_enabled is False,
        )
        for d in view.remote_domains
    ]
    policies = sum(not o.ok for o in obs if o.object.resource == "outboundSpamPolicies")
    domains = sum(not o.ok for o in obs if o.object.resource == "remoteDomains")
    if not policies and not domains:
        summary = "automatic external forwarding is blocked"
    else:
        summary = (
            f"{domains} remote domains and {policies} outbound spam policies allow automatic "
            "forwarding"
        )
    return Result(tuple(obs), summary)


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
    requires=("outboundSpamPolicies", "remoteDomains"),
    remediation=Remediation(
        portal=(
            "Exchange admin center > Mail flow > Remote domains > Default > Edit reply types: "
            "clear 'Allow automatic forwarding'; Defender portal > Anti-spam outbound policy > "
            "Forwarding rules: Off"
        ),
        command=(
            "Set-RemoteDomain -Identity Default -AutoForwardEnabled $false; "
            "Set-HostedOutboundSpamFilterPolicy -Identity Default -AutoForwardingMode Off"
        ),
    ),
    check=check,
    decided_by="'Automatic' counts as Off, as Microsoft documents; every remote domain, the "
    "Default ('*') included, must have AutoForwardEnabled false.",
)
