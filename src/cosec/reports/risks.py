"""Top risks: what is exposed, ranked, one entry per set of underlying objects (pure).

Candidates come from failing control results and from unapproved privileged changes
still present in the tenant. Score = severity weight × privilege × blast radius × trend:

- privilege: ×2 when an affected object holds a highly privileged role (×3 for a
  Global Administrator or a break-glass account);
- blast radius: 1 + log2(1 + objects affected) (a tenant-wide setting counts as 8);
- trend: new 1.25, growing 1.5, persisting 1.0, shrinking 0.75 against the previous run.

De-duplication: controls often look at the same objects from different angles (three
vulnerability controls over one set of vulnerable devices). A candidate whose objects
are at least half covered by a higher-ranked risk is folded into it ("also seen by"),
so the list shows distinct exposures. Titles state the exposure ("3 Global
Administrators can sign in without phishing-resistant MFA"), never a control's passing
state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cosec.reports.names import Directory

SEVERITY_WEIGHT = {"critical": 4.0, "high": 3.0, "medium": 2.0, "low": 1.0}
TREND_FACTOR = {"new": 1.25, "growing": 1.5, "persisting": 1.0, "shrinking": 0.75}
TENANT_WIDE = 7  # a tenant-wide setting scores like seven affected objects
OVERLAP = 0.5

# What a failing control exposes, per control (version stripped). {n} is the number of
# affected objects, {who} the plural noun for them (e.g. "Global Administrators").
RISK_TITLES: dict[str, str] = {
    "IDN-001": "{n} {who} can sign in without MFA",
    "IDN-002": "{n} {who} can sign in without MFA",
    "IDN-003": "{n} {who} have not registered for MFA",
    "IDN-004": "{n} {who} can sign in without phishing-resistant MFA",
    "IDN-005": "Legacy authentication can bypass MFA for {n} {who}",
    "IDN-006": "Risky sign-ins are not challenged for {n} {who}",
    "IDN-007": "High-risk users are not forced to remediate ({n} {who})",
    "IDN-008": "No two ready break-glass accounts for an emergency",
    "IDN-009": "Break-glass accounts can be locked out by Conditional Access ({n} {who})",
    "IDN-010": "Break-glass sign-ins would go unnoticed",
    "IDN-011": "The number of Global Administrators is outside two to four",
    "IDN-012": "{n} permanent assignments of highly privileged roles",
    "IDN-013": "{n} {who} are synchronised from on-premises",
    "IDN-014": "{n} {who} can receive phishing mail",
    "IDN-015": "Users can grant applications access to company data",
    "IDN-016": "Anyone can invite guests into the tenant",
    "IDN-017": "Guests can browse the directory",
    "IDN-018": "{n} stale accounts are still enabled",
    "IDN-019": "Users cannot reset a forgotten password themselves",
    "IDN-020": "{n} {who} are not registered for password reset",
    "IDN-021": "Weak authentication methods are allowed ({n})",
    "IDN-022": "Authenticator approvals without number matching invite MFA fatigue",
    "IDN-023": "{n} {who} have no phishing-resistant method registered",
    "IDN-024": "{n} {who} in a risk tier use weak MFA or none",
    "IDN-025": "{n} guests can sign in without MFA",
    "IDN-026": "Users can register applications",
    "IDN-027": "Anyone with a company email address can join the tenant",
    "EML-001": "{n} executives and finance staff are not protected against impersonation",
    "EML-002": "Look-alike domains are not caught",
    "EML-003": "Impersonation of regular contacts is not caught",
    "EML-004": "Spoofed senders are not caught",
    "EML-005": "Mail can be forwarded automatically outside the company",
    "EML-006": "{n} inbox rules forward mail outside the company",
    "EML-007": "{n} mailboxes forward mail outside the company",
    "EML-008": "Links in email are not checked when clicked",
    "EML-009": "Malicious attachments are not blocked",
    "EML-010": "Mailbox activity of {n} mailboxes is not audited",
    "EML-011": "Mail from {n} domains is not DKIM-signed",
    "END-001": "{n} devices are not protected by Defender for Endpoint",
    "END-002": "{n} device platforms have no compliance policy",
    "END-003": "{n} managed devices are not compliant",
    "END-004": "{n} devices are behind the OS patch baseline",
    "END-005": "{n} devices have no disk encryption",
    "END-006": "{n} stale managed devices",
    "END-007": "{n} Defender for Endpoint sensors are unhealthy",
    "VUL-001": "{n} critical vulnerabilities are open past their SLA",
    "VUL-002": "{n} high vulnerabilities are open past their SLA",
    "VUL-003": "{n} exploitable vulnerabilities are open past the critical SLA",
    "VUL-004": "Secure Score dropped sharply",
    "DAT-001": "{n} critical datasets have no recent successful restore test",
    "DAT-002": "Restores of {n} datasets take longer than their target",
    "DAT-003": "Critical datasets are not declared, so restores are not tested",
    "IR-001": "The unified audit log is off: investigations would have no trail",
    "IR-002": "{n} high-severity incidents were not resolved in time",
    "IR-003": "{n} high-risk users were not resolved in time",
    "IR-004": "No on-call roster: after-hours incidents have no responder",
    "IR-005": "No response authority matrix: nobody knows who may act",
    "GOV-001": "{n} responsibilities have no owner",
    "GOV-002": "{n} expired risk acceptances are still relied on",
    "GOV-003": "Monthly operational reviews are not held",
    "GOV-004": "Quarterly executive reviews are not held",
}


@dataclass(frozen=True)
class RiskCandidate:
    """One exposure before ranking: a failing control, or an unapproved change."""

    source: str  # control id or drift id
    severity: str
    objects: tuple[tuple[str, str, str], ...]  # (resource, id, name) of affected objects
    title: str
    owner: str
    mitigation: str
    summary: str = ""
    trend: str = "new"
    principals: tuple[str, ...] = ()  # users whose privilege the exposure carries
    affected: int = 0  # objects affected when they are not listed (0: tenant-wide)


@dataclass(frozen=True)
class Risk:
    rank: int
    title: str
    severity: str
    owner: str
    mitigation: str
    trend: str  # new | growing | persisting | shrinking
    score: float
    source: str
    also: tuple[str, ...] = ()  # other controls/changes that see the same objects
    objects: tuple[str, ...] = ()  # readable names of the affected objects
    summary: str = ""
    affected: int = 0


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"


def _who(objects: Sequence[tuple[str, str, str]], names: Directory) -> str:
    """The noun for the affected objects: the narrowest true description."""
    n = len(objects)
    found = [names.get(oid) for res, oid, _ in objects if res == "users"]
    users = [o for o in found if o is not None]
    if not users or len(users) < n:
        return _plural("account", n) if any(r == "users" for r, _, _ in objects) else "objects"
    if all(o.global_admin for o in users):
        if all(o.break_glass for o in users):
            return _plural("break-glass Global Administrator", n)
        return _plural("Global Administrator", n)
    if all(o.privileged for o in users):
        return _plural("administrator", n)
    return _plural("user", n)


def risk_title(
    control_id: str,
    fallback: str,
    objects: Sequence[tuple[str, str, str]],
    names: Directory,
    count: int | None = None,
) -> str:
    """The exposure a failing control leaves, e.g. '3 Global Administrators can sign in
    without MFA'; `count` overrides the number when the objects are not listed."""
    template = RISK_TITLES.get(re.sub(r"v\d+$", "", control_id))
    if template is None:
        return f"Not in place: {fallback[:1].lower()}{fallback[1:]}"
    n = len(objects) if count is None else count
    return template.format(n=n, who=_who(objects, names) if objects else _plural("object", n))


def privilege_factor(objects: Iterable[tuple[str, str, str]], names: Directory) -> float:
    factor = 1.0
    for resource, oid, _ in objects:
        if resource != "users":
            continue
        obj = names.get(oid)
        if obj is None:
            continue
        if obj.global_admin or obj.break_glass:
            return 3.0
        if obj.privileged:
            factor = 2.0
    return factor


def score(c: RiskCandidate, names: Directory) -> float:
    radius = 1 + math.log2(1 + (len(c.objects) or c.affected or TENANT_WIDE))
    weight = SEVERITY_WEIGHT.get(c.severity, 1.0)
    held = [*c.objects, *(("users", p, "") for p in c.principals)]
    return weight * privilege_factor(held, names) * radius * TREND_FACTOR[c.trend]


def rank(candidates: Iterable[RiskCandidate], names: Directory, count: int = 5) -> list[Risk]:
    """The `count` highest-scoring distinct exposures (see the module docstring)."""
    scored = sorted(((score(c, names), c) for c in candidates), key=lambda s: (-s[0], s[1].source))
    kept: list[tuple[float, RiskCandidate, set[tuple[str, str]], list[str]]] = []
    for s, c in scored:
        objs = {(r, oid) for r, oid, _ in c.objects}
        home = None
        if objs:
            for entry in kept:
                if len(objs & entry[2]) >= OVERLAP * len(objs):
                    home = entry
                    break
        if home is not None:
            if c.source != home[1].source:
                home[3].append(c.source)
            continue
        kept.append((s, c, objs, []))
    out = []
    for i, (s, c, _, also) in enumerate(kept[:count], 1):
        out.append(
            Risk(
                rank=i,
                title=c.title,
                severity=c.severity,
                owner=c.owner,
                mitigation=c.mitigation,
                trend=c.trend,
                score=round(s, 2),
                source=c.source,
                also=tuple(also),
                objects=tuple(_readable(names, oid, name) for _, oid, name in c.objects),
                summary=c.summary,
                affected=len(c.objects) or c.affected,
            )
        )
    return out


def _readable(names: Directory, oid: str, name: str) -> str:
    if names.get(oid) is not None:
        return names.describe(oid)
    return names.humanise(name or oid)
