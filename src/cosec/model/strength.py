"""The authentication strength a Conditional Access policy's grant requires.

Graph returns `grantControls.authenticationStrength` expanded: id, displayName,
policyType and `allowedCombinations`, the method combinations that satisfy it. What a
strength *is* lies in those combinations, not in its name: a custom strength may be
phishing-resistant under any name, and a strength named "Phishing-resistant" may allow
SMS.
"""

from __future__ import annotations

from dataclasses import dataclass

from cosec.model.parse import JsonObject

# Built-in strengths (the same ids in every tenant) and the combinations Microsoft
# documents for them, used when a response does not carry allowedCombinations.
BUILT_IN_PHISHING_RESISTANT = "00000000-0000-0000-0000-000000000004"
BUILT_IN: dict[str, tuple[str, ...]] = {
    BUILT_IN_PHISHING_RESISTANT: (
        "windowsHelloForBusiness",
        "fido2",
        "x509CertificateMultiFactor",
    ),
}
# The combinations Microsoft counts as phishing-resistant.
PHISHING_RESISTANT_COMBINATIONS = frozenset(BUILT_IN[BUILT_IN_PHISHING_RESISTANT])


@dataclass(frozen=True, slots=True)
class AuthStrength:
    id: str
    display_name: str
    combinations: tuple[str, ...]  # allowedCombinations, or the built-in's when absent

    @property
    def phishing_resistant(self) -> bool:
        """Every allowed combination is phishing-resistant (none known: not counted)."""
        return bool(self.combinations) and set(self.combinations) <= (
            PHISHING_RESISTANT_COMBINATIONS
        )


def parse_strength(policy: JsonObject) -> AuthStrength | None:
    """The strength a raw conditionalAccessPolicy requires, None when it requires none."""
    grant = policy.get("grantControls")
    raw = grant.get("authenticationStrength") if isinstance(grant, dict) else None
    if not isinstance(raw, dict):
        return None
    sid = str(raw.get("id") or "")
    combos = raw.get("allowedCombinations")
    listed = tuple(str(c) for c in combos) if isinstance(combos, list) else None
    return AuthStrength(
        id=sid,
        display_name=str(raw.get("displayName") or ""),
        combinations=listed if listed is not None else BUILT_IN.get(sid, ()),
    )
