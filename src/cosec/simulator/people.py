"""The people of a simulated tenant: users, their lifecycles, groups and MFA registration.

`Person` holds the generator's private facts about a user (kind, home location, when
they join or leave, when they stop signing in); the Graph objects are rendered from it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from cosec.simulator.catalog import DEPARTMENTS, FIRST_NAMES, LAST_NAMES, LOCATIONS
from cosec.simulator.history import Collection, Json
from cosec.simulator.seeding import at, guid, is_working_day, iso, rng

MEMBER = "member"
GUEST = "guest"
SHARED = "shared"
SERVICE = "service"
BREAK_GLASS = "breakglass"

STRONG_METHODS = ("microsoftAuthenticatorPush", "fido2", "windowsHelloForBusiness")


@dataclass
class Person:
    id: str
    upn: str
    given: str
    surname: str
    kind: str
    department: str | None
    title: str | None
    location: int  # index into catalog.LOCATIONS
    created: datetime
    hybrid: bool
    sign_in_hour: int
    disabled_on: date | None = None  # a leaver: account disabled from this day
    deleted_on: date | None = None  # removed from the directory from this day
    last_active: date | None = None  # stops signing in after this day (stale tail)
    mfa_on: date | None = None  # registered MFA on this day (None = never)
    methods: tuple[str, ...] = ()
    phone_removed_on: date | None = None  # deletes the phone method on this day
    home_ip: str = ""

    @property
    def display(self) -> str:
        return f"{self.given} {self.surname}".strip()

    @property
    def licensed(self) -> bool:
        return self.kind in (MEMBER, SERVICE)

    @property
    def signs_in(self) -> bool:
        return self.kind in (MEMBER, SERVICE, GUEST, BREAK_GLASS)

    def enabled_on(self, day: date) -> bool:
        if self.kind == SHARED:
            return False
        return self.disabled_on is None or day < self.disabled_on

    def active_on(self, day: date) -> bool:
        """Signs in on this day (if it is one of the person's sign-in days)."""
        if not self.signs_in or not self.enabled_on(day) or day < self.created.date():
            return False
        return self.last_active is None or day <= self.last_active

    def signs_in_on(self, day: date) -> bool:
        """Members and service accounts every working day, guests every sixth day."""
        if not is_working_day(day) or not self.active_on(day):
            return False
        return self.kind != GUEST or day.toordinal() % 6 == 0

    def sign_in_moment(self, day: date) -> datetime:
        """The person's last sign-in of a day they sign in on."""
        return at(day, self.sign_in_hour + 7, 5 + (hash_int(self.id) % 50))

    def last_sign_in(self, day: date) -> datetime | None:
        """The latest sign-in on or before `day` (deterministic, matches the sign-in log)."""
        last = day
        if self.last_active is not None:
            last = min(last, self.last_active)
        if self.disabled_on is not None:
            last = min(last, self.disabled_on - timedelta(days=1))
        for back in range(14):
            d = last - timedelta(days=back)
            if d < self.created.date():
                return None
            if self.signs_in_on(d):
                return self.sign_in_moment(d)
        return None


def hash_int(text: str) -> int:
    return int(text.replace("-", "")[:8], 16)


@dataclass
class People:
    persons: list[Person]
    by_id: dict[str, Person]
    break_glass: list[Person]
    admins: list[Person]  # IT staff with directory roles


def _department(r: random.Random) -> tuple[str, str]:
    pick = r.random()
    acc = 0.0
    for name, share, titles in DEPARTMENTS:
        acc += share
        if pick <= acc:
            return name, r.choice(titles)
    name, _, titles = DEPARTMENTS[-1]
    return name, r.choice(titles)


def make_people(
    seed: int, count: int, domain: str, initial: str, first_day: date, last_day: date
) -> People:
    r = rng(seed, "people")
    used: set[str] = set()
    persons: list[Person] = []
    window = (last_day - first_day).days

    def unique(base: str) -> str:
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}{n}"
        used.add(name)
        return name

    def new(
        kind: str,
        given: str,
        surname: str,
        alias: str,
        dept: tuple[str, str] | None = None,
        guest_of: str | None = None,
    ) -> Person:
        created = at(first_day - timedelta(days=r.randint(30, 2400)), r.randint(7, 17))
        local = unique(alias)
        upn = f"{local}@{domain}"
        if guest_of is not None:  # B2B guests: mail with '@' as '_', then #EXT#
            upn = f"{local}_{guest_of}#EXT#@{initial}.onmicrosoft.com"
        person = Person(
            id=guid(r),
            upn=upn,
            given=given,
            surname=surname,
            kind=kind,
            department=dept[0] if dept else None,
            title=dept[1] if dept else None,
            location=0 if r.random() < 0.8 else r.randrange(len(LOCATIONS)),
            created=created,
            hybrid=kind == MEMBER and r.random() < 0.3,
            sign_in_hour=r.randint(6, 10),
        )
        person.home_ip = f"{LOCATIONS[person.location][3]}.{r.randint(1, 254)}.{r.randint(1, 254)}"
        persons.append(person)
        return person

    break_glass = [new(BREAK_GLASS, "Break Glass", str(i), f"bg-admin{i}") for i in (1, 2)]
    for p in break_glass:
        p.last_active = first_day - timedelta(days=r.randint(20, 200))
        p.mfa_on = p.created.date()
        p.methods = ("fido2",)
    shared_n = max(1, count * 3 // 100)
    service_n = max(1, count // 100)
    guest_n = max(1, count * 5 // 100)
    member_n = max(1, count - 2 - shared_n - service_n - guest_n)
    admins: list[Person] = []
    for i in range(member_n):
        given, surname = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        dept = ("IT", "IT Administrator") if i < 3 else _department(r)
        if i == 3:
            dept = ("Executive", "Chief Executive Officer")
        p = new(MEMBER, given, surname, f"{given}.{surname}".lower(), dept)
        if dept[0] == "IT" and len(admins) < 3 + count // 400:
            admins.append(p)
        _lifecycle(r, p, first_day, last_day, window, protected=i < 4)
    services = ["scanner", "backup", "crm-sync", "printer", "helpdesk-bot"]
    services += [f"app{i}" for i in range(service_n - len(services))]
    for purpose in services[:service_n]:
        new(SERVICE, f"Service {purpose}", "", f"svc-{purpose}")
    mailboxes = ["info", "accounts", "support", "sales", "hr", "invoices", "careers"]
    mailboxes += [f"shared{i}" for i in range(shared_n - len(mailboxes))]
    for name in mailboxes[:shared_n]:
        new(SHARED, name.capitalize(), "", name)
    for _ in range(guest_n):
        given, surname = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        company = f"partner{r.randint(1, 9)}.example"
        p = new(GUEST, given, surname, f"{given}.{surname}".lower(), guest_of=company)
        if r.random() < 0.4:
            p.last_active = first_day - timedelta(days=r.randint(1, 400))
    _registration(r, persons, first_day, window)
    return People(persons, {p.id: p for p in persons}, break_glass, admins)


def _lifecycle(
    r: random.Random, p: Person, first_day: date, last_day: date, window: int, *, protected: bool
) -> None:
    if protected:
        return
    roll = r.random()
    if roll < 0.03 and window > 1:  # joins during the window
        p.created = at(first_day + timedelta(days=r.randint(1, window)), r.randint(8, 11))
    elif roll < 0.05 and window > 1:  # leaves during the window
        p.disabled_on = first_day + timedelta(days=r.randint(1, window))
        if r.random() < 0.4:
            p.deleted_on = min(last_day, p.disabled_on + timedelta(days=r.randint(1, 10)))
    elif roll < 0.07:  # left before the window and was never cleaned up
        left = first_day - timedelta(days=r.randint(1, 300))
        p.disabled_on = left if left > p.created.date() else None
    elif roll < 0.13:  # the stale tail: enabled, but no sign-in for months
        p.last_active = first_day - timedelta(days=r.randint(91, 500))


def _registration(
    r: random.Random, persons: Sequence[Person], first_day: date, window: int
) -> None:
    for p in persons:
        if p.kind not in (MEMBER, SERVICE) or p.methods:
            continue
        roll = r.random()
        if p.kind == SERVICE or roll < 0.07:
            continue  # never registered
        if p.created.date() >= first_day:
            p.mfa_on = p.created.date() + timedelta(days=r.randint(0, 3))
        elif roll < 0.10 and window > 1:
            p.mfa_on = first_day + timedelta(days=r.randint(0, window))
        else:
            p.mfa_on = p.created.date() + timedelta(days=r.randint(0, 30))
        methods = ["microsoftAuthenticatorPush", "softwareOneTimePasscode"]
        if r.random() < 0.2:
            methods = ["mobilePhone"]
        elif r.random() < 0.15:
            methods.append("mobilePhone")
        if r.random() < 0.25:
            methods.append("windowsHelloForBusiness")
        if r.random() < 0.05:
            methods.append("fido2")
        p.methods = tuple(methods)
        drops_phone = "mobilePhone" in methods and len(methods) > 1 and r.random() < 0.2
        if drops_phone and p.mfa_on < first_day and not p.disabled_on and window > 1:
            p.phone_removed_on = first_day + timedelta(days=r.randint(1, window))


# --- rendering -------------------------------------------------------------------------


def user_json(p: Person, sku_id: str) -> Json:
    country = LOCATIONS[p.location][0]
    return {
        "id": p.id,
        "displayName": p.display,
        "givenName": p.given if p.kind in (MEMBER, GUEST) else None,
        "surname": p.surname if p.kind in (MEMBER, GUEST) else None,
        "userPrincipalName": p.upn,
        "mail": p.upn if p.kind != GUEST else p.upn.split("#EXT#")[0].replace("_", "@", 1),
        "jobTitle": p.title,
        "department": p.department,
        "officeLocation": LOCATIONS[p.location][1] if p.kind == MEMBER else None,
        "usageLocation": country if p.kind != GUEST else None,
        "userType": "Guest" if p.kind == GUEST else "Member",
        "accountEnabled": p.kind != SHARED,
        "createdDateTime": iso(p.created),
        "onPremisesSyncEnabled": True if p.hybrid else None,
        "assignedLicenses": [{"disabledPlans": [], "skuId": sku_id}] if p.licensed else [],
        "businessPhones": [],
        "mobilePhone": None,
        "preferredLanguage": "en-US" if p.kind != GUEST else None,
        "signInSessionsValidFromDateTime": iso(p.created),
    }


def sign_in_activity(p: Person, day: date) -> Json | None:
    last = p.last_sign_in(day)
    if last is None:
        return None
    stamp = iso(last)
    request = guid(rng(0, "signin-request", p.id, stamp))
    return {
        "lastSignInDateTime": stamp,
        "lastSignInRequestId": request,
        "lastNonInteractiveSignInDateTime": stamp,
        "lastNonInteractiveSignInRequestId": request,
        "lastSuccessfulSignInDateTime": stamp,
        "lastSuccessfulSignInRequestId": request,
    }


def registration_json(p: Person, registered: bool, is_admin: bool, moment: datetime) -> Json:
    methods = list(p.methods) if registered else []
    strong = [m for m in methods if m in STRONG_METHODS or m == "softwareOneTimePasscode"]
    return {
        "id": p.id,
        "userPrincipalName": p.upn,
        "userDisplayName": p.display,
        "userType": "guest" if p.kind == GUEST else "member",
        "isAdmin": is_admin,
        "isSsprRegistered": registered,
        "isSsprEnabled": True,
        "isSsprCapable": registered,
        "isMfaRegistered": registered,
        "isMfaCapable": bool(strong) or "mobilePhone" in methods,
        "isPasswordlessCapable": any(m in ("fido2", "windowsHelloForBusiness") for m in methods),
        "isSystemPreferredAuthenticationMethodEnabled": True,
        "systemPreferredAuthenticationMethods": (
            ["push"] if "microsoftAuthenticatorPush" in methods else (["sms"] if methods else [])
        ),
        "userPreferredMethodForSecondaryAuthentication": (
            "push" if "microsoftAuthenticatorPush" in methods else ("sms" if methods else "none")
        ),
        "methodsRegistered": methods,
        "lastUpdatedDateTime": iso(moment),
    }


def users_collection(people: People, sku_id: str) -> Collection:
    by_id = people.by_id

    def refresh(object_id: str, state: Json, day: date) -> Json:
        person = by_id.get(object_id)
        if person is None:
            return state
        return {**state, "signInActivity": sign_in_activity(person, day)}

    users = Collection(refresh)
    for p in people.persons:
        users.add(p.id, p.created, user_json(p, sku_id))
        if p.disabled_on is not None:
            users.patch(p.id, at(p.disabled_on, 9), {"accountEnabled": False})
        if p.deleted_on is not None:
            users.remove(p.id, at(p.deleted_on, 10))
    return users


def registration_collection(people: People, admin_ids: set[str]) -> Collection:
    coll = Collection()
    for p in people.persons:
        if p.kind == SHARED:
            continue
        is_admin = p.id in admin_ids
        coll.add(p.id, p.created, registration_json(p, False, is_admin, p.created))
        if p.mfa_on is not None:
            moment = at(max(p.mfa_on, p.created.date()), p.sign_in_hour + 1)
            if moment <= p.created:
                moment = p.created + timedelta(minutes=30)
            coll.add(p.id, moment, registration_json(p, True, is_admin, moment))
        if p.phone_removed_on is not None:
            moment = at(p.phone_removed_on, p.sign_in_hour + 2)
            kept = tuple(m for m in p.methods if m != "mobilePhone")
            without = replace(p, methods=kept)
            coll.add(p.id, moment, registration_json(without, True, is_admin, moment))
        if p.deleted_on is not None:
            coll.remove(p.id, at(p.deleted_on, 10))
    return coll
