"""The public baseline policies in scope, and why those without a control have none.

Which controls implement a policy comes from the catalog (each control's `scuba`/`cis`
ids); this module lists the policies themselves and, for the ones no control
implements, the reason: the data cannot be read with a read-only app, the policy is a
process rather than a setting, or cosec does not check it yet (a gap, said as such).
docs/controls.md renders the table; a test keeps it in step with the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_A_SETTING = "a process or agency requirement, not a tenant setting a read-only app can observe"
NOT_YET = "not checked yet (gap)"
NEEDS_DNS = "not checked yet: needs the tenant's DNS records, which cosec does not resolve yet"
BETA_ONLY = "not checked yet: the setting is exposed only by Graph beta, which cosec does not call"


@dataclass(frozen=True)
class BaselinePolicy:
    id: str
    title: str
    reason: str = ""  # why no control implements it; empty when one must


SCUBA_ENTRA: tuple[BaselinePolicy, ...] = (
    BaselinePolicy("MS.AAD.1.1v1", "Legacy authentication blocked"),
    BaselinePolicy("MS.AAD.2.1v1", "Users detected as high risk blocked"),
    BaselinePolicy(
        "MS.AAD.2.2v1",
        "High-risk user detections notify an administrator",
        "Identity Protection notification recipients are not exposed by Graph v1.0",
    ),
    BaselinePolicy("MS.AAD.2.3v1", "Sign-ins detected as high risk blocked"),
    BaselinePolicy(
        "MS.AAD.3.1v1",
        "Phishing-resistant MFA enforced for all users",
        NOT_YET + "; IDN-004 checks it for privileged users",
    ),
    BaselinePolicy("MS.AAD.3.2v1", "If not phishing-resistant, an alternative MFA enforced"),
    BaselinePolicy(
        "MS.AAD.3.3v1",
        "Microsoft Authenticator shows login context",
        NOT_YET + "; IDN-006 checks number matching, not the context display",
    ),
    BaselinePolicy(
        "MS.AAD.3.4v1",
        "Authentication methods migration complete",
        NOT_YET,
    ),
    BaselinePolicy("MS.AAD.3.5v1", "SMS, voice and email one-time codes disabled"),
    BaselinePolicy("MS.AAD.3.6v1", "Phishing-resistant MFA required for privileged roles"),
    BaselinePolicy("MS.AAD.3.7v1", "Managed devices required for authentication", NOT_YET),
    BaselinePolicy("MS.AAD.3.8v1", "Managed devices required to register MFA", NOT_YET),
    BaselinePolicy(
        "MS.AAD.4.1v1",
        "Security logs sent to the organisation's security operations centre",
        "diagnostic settings live in Azure Resource Manager, not Graph; cosec's own "
        "collection of the audit streams is evidence for it",
    ),
    BaselinePolicy("MS.AAD.5.1v1", "Only administrators register applications"),
    BaselinePolicy("MS.AAD.5.2v1", "Only administrators consent to applications"),
    BaselinePolicy("MS.AAD.5.3v1", "An admin consent workflow is configured"),
    BaselinePolicy("MS.AAD.5.4v1", "Group owners cannot consent to applications"),
    BaselinePolicy("MS.AAD.6.1v1", "User passwords do not expire"),
    BaselinePolicy("MS.AAD.7.1v1", "Between two and eight Global Administrators"),
    BaselinePolicy(
        "MS.AAD.7.2v1",
        "Privileged users hold fine-grained roles rather than Global Administrator",
        NOT_YET + " (a ratio judgement; IDN-011 counts Global Administrators)",
    ),
    BaselinePolicy("MS.AAD.7.3v1", "Privileged users are cloud-only accounts"),
    BaselinePolicy("MS.AAD.7.4v1", "No permanent active assignment of privileged roles"),
    BaselinePolicy(
        "MS.AAD.7.5v1",
        "Privileged roles provisioned only through a PAM system",
        "provisioning history outside PIM cannot be told apart from PIM's with a "
        "read-only snapshot",
    ),
    BaselinePolicy("MS.AAD.7.6v1", "Activating Global Administrator requires approval", NOT_YET),
    BaselinePolicy("MS.AAD.7.7v1", "Alerts on eligible and active privileged assignments", NOT_YET),
    BaselinePolicy("MS.AAD.7.8v1", "Alert on Global Administrator activation", NOT_YET),
    BaselinePolicy("MS.AAD.7.9v1", "Alerts on activation of other privileged roles", NOT_YET),
    BaselinePolicy("MS.AAD.8.1v1", "Guest users have limited or restricted access"),
    BaselinePolicy("MS.AAD.8.2v1", "Only users with the Guest Inviter role invite guests"),
    BaselinePolicy("MS.AAD.8.3v1", "Guest invitations limited to allowed domains", BETA_ONLY),
)

SCUBA_EXO: tuple[BaselinePolicy, ...] = (
    BaselinePolicy("MS.EXO.1.1v2", "Automatic forwarding to external domains disabled"),
    BaselinePolicy(
        "MS.EXO.2.1v1", "A list of approved sending IP addresses is kept", NOT_A_SETTING
    ),
    BaselinePolicy("MS.EXO.2.2v1", "An SPF policy is published for each domain", NEEDS_DNS),
    BaselinePolicy("MS.EXO.3.1v1", "DKIM enabled for all domains"),
    BaselinePolicy(
        "MS.EXO.4.1v1", "A DMARC policy is published for every second-level domain", NEEDS_DNS
    ),
    BaselinePolicy("MS.EXO.4.2v1", "The DMARC policy is p=reject", NEEDS_DNS),
    BaselinePolicy(
        "MS.EXO.4.3v1",
        "DMARC aggregate reports go to CISA",
        "a US federal agency requirement; " + NEEDS_DNS,
    ),
    BaselinePolicy("MS.EXO.4.4v1", "An agency point of contact receives DMARC reports", NEEDS_DNS),
    BaselinePolicy("MS.EXO.5.1v1", "SMTP AUTH disabled"),
    BaselinePolicy("MS.EXO.6.1v1", "Contact folders not shared with all domains"),
    BaselinePolicy("MS.EXO.6.2v1", "Calendar details not shared with all domains"),
    BaselinePolicy(
        "MS.EXO.7.1v1",
        "External sender warnings implemented",
        "ScubaGear decides on mail-flow rules that prepend a warning, which cosec does not "
        "collect; EML-013 checks Outlook's native external tag instead",
    ),
    BaselinePolicy("MS.EXO.12.1v1", "IP allow lists not created"),
    BaselinePolicy("MS.EXO.12.2v1", "The connection filter safe list not enabled"),
    BaselinePolicy("MS.EXO.13.1v1", "Mailbox auditing enabled"),
    BaselinePolicy("MS.EXO.17.1v1", "Unified audit logging enabled (now MS.SECURITYSUITE.5.1v1)"),
)

SCUBA_DEFENDER: tuple[BaselinePolicy, ...] = (
    BaselinePolicy("MS.DEFENDER.1.1v1", "Standard and Strict preset security policies enabled"),
    BaselinePolicy(
        "MS.DEFENDER.2.1v1",
        "Sensitive users protected from impersonation (now MS.SECURITYSUITE.2.1v1)",
    ),
    BaselinePolicy(
        "MS.DEFENDER.2.2v1",
        "Agency domains protected from impersonation (now MS.SECURITYSUITE.2.2v1)",
    ),
)

BASELINES: dict[str, tuple[BaselinePolicy, ...]] = {
    "CISA SCuBA — Microsoft Entra ID": SCUBA_ENTRA,
    "CISA SCuBA — Exchange Online": SCUBA_EXO,
    "CISA SCuBA — Defender for Office 365": SCUBA_DEFENDER,
}
