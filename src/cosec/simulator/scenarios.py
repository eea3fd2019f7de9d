"""Named incidents and drifts planted into a tenant on a chosen day.

Each scenario changes state from a moment on its day (so reads of earlier days do not
see it) and plants the events Microsoft would log. `SCENARIOS` is the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cosec.simulator import policies as pol
from cosec.simulator.catalog import FOREIGN_LOCATIONS, GLOBAL_ADMIN
from cosec.simulator.events import (
    audit,
    incident_for,
    malware_alert,
    phish_alert,
    risk_detection,
    sign_in,
    user_target,
)
from cosec.simulator.mail import forward_patch, forwarding_rule, rule_id
from cosec.simulator.people import MEMBER, Person, registration_json
from cosec.simulator.security import risky_user_json
from cosec.simulator.seeding import at, iso, rng

if TYPE_CHECKING:
    from cosec.simulator.tenant import SimTenant


@dataclass(frozen=True)
class ScenarioPlacement:
    name: str
    day: date | None = None  # None: two days before the tenant's last day


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    plant: Callable[[SimTenant, date], None]


def _victim(t: SimTenant, label: str, day: date) -> Person:
    assert t.people is not None
    admins = {p.id for p in t.people.admins}
    candidates = [
        p
        for p in t.people.persons
        if p.kind == MEMBER
        and p.id not in admins
        and p.active_on(day)
        and p.department not in ("IT", "Executive")
        and t.mailboxes.get(p.id, day) is not None
    ]
    if not candidates:
        raise ValueError(f"scenario {label}: no ordinary active user on {day}")
    return rng(t.seed, "scenario", label).choice(candidates)


def mailbox_compromise(t: SimTenant, day: date) -> None:
    r = rng(t.seed, "scenario", "mailbox-compromise", day.toordinal())
    victim = _victim(t, "mailbox-compromise", day)
    where = FOREIGN_LOCATIONS[0]
    ip = f"{where[3]}.{r.randint(1, 254)}.23"
    number = day.toordinal() * 100 + 90
    reported = at(day, 9, 40)
    alert = phish_alert(r, t.tenant_id, number, reported, victim, reported)
    alert["severity"] = "medium"
    t.events.plant("alerts", alert)
    t.events.plant("incidents", incident_for(alert, number))
    p2 = t.licensed("entra_p2")
    login = at(day, 10, 15)
    t.events.plant(
        "signIns",
        sign_in(
            r,
            victim,
            login,
            client="Browser",
            location=where,
            ip=ip,
            p2=p2,
            mfa=True,
            blocked=False,
            fail=False,
            risk="high",
        ),
    )
    t.events.plant(
        "riskDetections", risk_detection(r, victim, login, "high", "unfamiliarFeatures", where, ip)
    )
    risky = t.graph["riskyUsers"]
    state = risky_user_json(victim, "high", "atRisk", "none", iso(login))
    risky.add(victim.id, login, state)
    registered = at(day, 10, 25)
    methods = tuple(dict.fromkeys((*victim.methods, "mobilePhone")))
    bumped = replace(victim, methods=methods)
    t.graph["userRegistrationDetails"].add(
        victim.id, registered, registration_json(bumped, True, False, registered)
    )
    event = audit(
        r,
        registered,
        "User registered security info",
        "UserManagement",
        victim,
        user_target(victim),
        service="Authentication Methods",
        reason="User registered Mobile Phone SMS",
    )
    event["initiatedBy"]["user"]["ipAddress"] = ip
    t.events.plant("directoryAudits", event)
    rule_at = at(day, 10, 40)
    rid = rule_id(r)
    t.add_rule(victim.id, {**forwarding_rule(rid, victim, r), "displayName": "."}, rule_at)
    t.mailboxes.patch(
        victim.id,
        rule_at,
        forward_patch(f"{victim.upn.split('@')[0]}.archive@{where[0].lower()}-mail.example"),
    )


def rogue_admin(t: SimTenant, day: date) -> None:
    assert t.people is not None
    target = _victim(t, "rogue-admin", day)
    actor = t.people.break_glass[1]
    t.apply_change(
        "roleAssignment", target.id, {"roleDefinitionId": GLOBAL_ADMIN}, actor, at(day, 2, 17)
    )


def ca_policy_disabled(t: SimTenant, day: date) -> None:
    actor = t.admin_actor()
    assert actor is not None
    policy = t.policy_id(pol.MFA_ALL)
    t.apply_change("conditionalAccessPolicy", policy, {"state": "disabled"}, actor, at(day, 16, 45))


def endpoint_isolated(t: SimTenant, day: date) -> None:
    if not t.licensed("mde"):
        raise ValueError(
            "scenario endpoint-isolated needs Defender for Endpoint "
            "(licence_mix business-premium or e5)"
        )
    r = rng(t.seed, "scenario", "endpoint-isolated", day.toordinal())
    devices = [
        d
        for d in t.devices()
        if d.machine_id
        and d.os == "Windows"
        and t.machines.get(d.machine_id, day) is not None
        and d.owner.active_on(day)
    ]
    if not devices:
        raise ValueError(f"scenario endpoint-isolated: no onboarded Windows machine on {day}")
    device = r.choice(devices)
    number = day.toordinal() * 100 + 91
    detected = at(day, 11, 5)
    alert = malware_alert(r, t.tenant_id, number, detected, device, "high", detected, triage=False)
    t.events.plant("alerts", alert)
    t.events.plant("incidents", incident_for(alert, number))
    machine = t.machines.get(str(device.machine_id), day)
    assert machine is not None
    actor = t.admin_actor()
    requestor = actor.upn if actor else "secops@" + t.primary_domain
    t.record_machine_action(
        machine,
        "Isolate",
        "Isolated after high-severity malware alert",
        detected + timedelta(minutes=25),
        requestor,
    )


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "mailbox-compromise",
            "A user reports a phish, then signs in from a new country (high risk), registers "
            "a new MFA method and gets an inbox rule and mailbox forwarding to outside.",
            mailbox_compromise,
        ),
        Scenario(
            "rogue-admin",
            "At 02:17 a break-glass account assigns Global Administrator to an ordinary user.",
            rogue_admin,
        ),
        Scenario(
            "ca-policy-disabled",
            f"An administrator disables the '{pol.MFA_ALL}' Conditional Access policy.",
            ca_policy_disabled,
        ),
        Scenario(
            "endpoint-isolated",
            "Defender raises a high-severity malware alert on a device, which is isolated.",
            endpoint_isolated,
        ),
    )
}
