"""The simulated tenant: generated content served as of any day of its history.

`build_tenant` assembles a `SimTenant` from the generators (people, directory, policies,
devices, mail, security, events), lets the tenant drift during its window, and places
scenarios. `SimTenant` satisfies `cosec.simulator.contract.TenantData`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

from cosec.simulator import policies as pol
from cosec.simulator.catalog import LICENCE_MIXES, LOCATIONS
from cosec.simulator.contract import EXCHANGE_CMDLETS, GRAPH_STREAMS, LICENSED_BY
from cosec.simulator.devices import (
    Device,
    Fleet,
    make_fleet,
    open_vulnerabilities,
    vulnerability_json,
)
from cosec.simulator.directory import Directory, make_directory, member_json
from cosec.simulator.drift import drift
from cosec.simulator.events import Account, Actor, EventLog, audit, change, user_target
from cosec.simulator.exchange_settings import exchange_settings
from cosec.simulator.history import Collection, Json
from cosec.simulator.identity_settings import assignment_instances, identity_settings
from cosec.simulator.mail import Mail, forward_patch, inbox_rule_cmdlet, make_mail
from cosec.simulator.org import domain_json, features_of, organization_json, sku_json
from cosec.simulator.people import (
    People,
    Person,
    make_people,
    registration_collection,
    users_collection,
)
from cosec.simulator.scenarios import SCENARIOS, ScenarioPlacement
from cosec.simulator.security import (
    Scores,
    Simulations,
    control_profiles,
    make_risky_users,
    make_scores,
    make_simulations,
    risky_user_json,
)
from cosec.simulator.seeding import at, day_end, guid, iso, rng

RESPONSE_APP = ("6f1f1d5e-0c6b-4d36-9d0a-5d1c4b2f7a10", "cosec-response")


class SimTenant:
    """A tenant's objects with their histories, event streams and response actions."""

    def __init__(
        self,
        *,
        tenant_id: str,
        name: str,
        primary_domain: str,
        first_day: date,
        last_day: date,
        seed: int,
    ) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.primary_domain = primary_domain
        self.first_day = first_day
        self.last_day = last_day
        self.seed = seed
        self.graph: dict[str, Collection] = {}
        self.computed: dict[str, Callable[[date], list[Json]]] = {}
        self.singles: dict[str, Collection] = {}
        self.child_readers: dict[str, Callable[[str, date], list[Json] | None]] = {}
        self.cmdlets: dict[str, Collection] = {}
        self.mailboxes = Collection()
        self.rules = Collection()
        self.rule_owner: dict[str, str] = {}  # rule id -> mailbox owner's user id
        self.rules_by_owner: dict[str, list[str]] = {}
        self.machines = Collection()
        self.vulnerability_reader: Callable[[str, date], list[Json] | None] = lambda _m, _d: None
        self.people: People | None = None
        self.fleet: Fleet | None = None
        self.features: set[str] = set()
        self.actions: list[Json] = []
        self.events = EventLog(self)
        self.now = day_end(last_day)  # the tenant's present: alerts are triaged up to here
        self.clock: Callable[[], datetime] | None = None  # set to make actions use real time
        self._action_seq = 0
        self._rng = rng(seed, "actions")

    # --- contract: reads ----------------------------------------------------------------

    def licensed(self, feature: str) -> bool:
        return feature in self.features

    def _day(self, day: date) -> date:
        return min(day, self.last_day)

    def _gated(self, key: str) -> bool:
        feature = LICENSED_BY.get(key)
        return feature is not None and not self.licensed(feature)

    def collection(self, key: str, day: date) -> Sequence[Json]:
        day = self._day(day)
        if key in self.computed:
            return [] if self._gated(key) else self.computed[key](day)
        coll = self.graph[key]  # KeyError for an unknown key
        return [] if self._gated(key) else coll.as_of(day)

    def singleton(self, key: str, day: date) -> Json:
        state = self.singles[key].get(key, self._day(day))
        if state is None:
            raise KeyError(key)
        return state

    def children(self, key: str, parent_id: str, day: date) -> Sequence[Json] | None:
        reader = self.child_readers[key]
        return [] if self._gated(key) else reader(parent_id, self._day(day))

    def exchange(self, cmdlet: str, parameters: Json, day: date) -> Sequence[Json]:
        if cmdlet not in EXCHANGE_CMDLETS:
            raise KeyError(cmdlet)
        day = self._day(day)
        if cmdlet == "Get-Mailbox":
            boxes = self.mailboxes.as_of(day)
            identity = parameters.get("Identity")
            return [b for b in boxes if identity is None or _mailbox_matches(b, str(identity))]
        if cmdlet == "Get-InboxRule":
            return self._inbox_rules(parameters.get("Mailbox"), day)
        coll = self.cmdlets.get(cmdlet)
        return coll.as_of(day) if coll is not None else []

    def _inbox_rules(self, mailbox: object, day: date) -> list[Json]:
        boxes = self.mailboxes.as_of(day)
        if mailbox is not None:
            boxes = [b for b in boxes if _mailbox_matches(b, str(mailbox))]
            if not boxes:
                raise KeyError(f"mailbox {mailbox}")
        out: list[Json] = []
        for box in boxes:
            rules = self.rules_of(box["ExternalDirectoryObjectId"], day) or []
            out.extend(
                inbox_rule_cmdlet(rule, box["UserPrincipalName"], i)
                for i, rule in enumerate(rules, start=1)
            )
        return out

    def add_rule(self, owner_id: str, rule: Json, since: datetime) -> None:
        """An inbox rule of `owner_id`'s mailbox, existing from `since`."""
        rid = str(rule["id"])
        self.rule_owner[rid] = owner_id
        self.rules_by_owner.setdefault(owner_id, []).append(rid)
        self.rules.add(rid, since, rule)

    def rules_of(self, user_id: str, day: date) -> list[Json] | None:
        if self.mailboxes.get(user_id, day) is None:
            return None
        rules = [
            state
            for rid in self.rules_by_owner.get(user_id, [])
            if (state := self.rules.get(rid, day)) is not None
        ]
        return sorted(rules, key=lambda rule: (rule["sequence"], rule["id"]))

    def mde_machines(self, day: date) -> Sequence[Json]:
        return self.machines.as_of(self._day(day)) if self.licensed("mde") else []

    def mde_vulnerabilities(self, machine_id: str, day: date) -> Sequence[Json] | None:
        if not self.licensed("mde"):
            return None
        return self.vulnerability_reader(machine_id, self._day(day))

    def events_on(self, stream: str, day: date) -> Sequence[Json]:
        if stream not in GRAPH_STREAMS:
            raise KeyError(stream)
        if day < self.first_day or day > self.last_day:
            return []
        return self.events.on(stream, day)

    def event_total(self, stream: str, first: date, last: date) -> int:
        total = 0
        day = max(first, self.first_day)
        while day <= min(last, self.last_day):
            total += self.events.count(stream, day)
            day += timedelta(days=1)
        return total

    # --- what the event generators need (events.EventSource) ------------------------------

    def persons(self) -> Sequence[Person]:
        return self.people.persons if self.people else []

    def devices(self) -> Sequence[Device]:
        return self.fleet.devices if self.fleet else []

    def device_of(self, person_id: str) -> Device | None:
        """The person's first device (their laptop), if any."""
        return self.fleet.primary.get(person_id) if self.fleet else None

    def mfa_excluded(self, day: date) -> set[str]:
        """Who the MFA-for-all policy does not cover on `day` (everyone when it is off)."""
        for policy in self.graph.get("conditionalAccessPolicies", Collection()).as_of(day):
            if policy["displayName"] == pol.MFA_ALL and policy["state"] == "enabled":
                users = policy["conditions"]["users"]
                excluded = set(users["excludeUsers"])
                for gid in users["excludeGroups"]:
                    excluded.update(u["id"] for u in self.children("groupMembers", gid, day) or [])
                return excluded
        return {p.id for p in self.persons()}

    def legacy_blocked(self, day: date) -> bool:
        return any(
            p["displayName"] == pol.BLOCK_LEGACY and p["state"] == "enabled"
            for p in self.graph.get("conditionalAccessPolicies", Collection()).as_of(day)
        )

    def risky_moments(self, day: date) -> list[tuple[Person, datetime, str]]:
        if self.people is None or "riskyUsers" not in self.graph:
            return []
        out = []
        for uid, record in self.graph["riskyUsers"].records.items():
            for moment, state in zip(record.times, record.states, strict=True):
                if state and moment.date() == day and state["riskState"] == "atRisk":
                    out.append((self.people.by_id[uid], moment, str(state["riskLevel"])))
        return out

    def admin_actor(self) -> Person | None:
        if self.people is None:
            return None
        return self.people.admins[0] if self.people.admins else self.people.break_glass[0]

    # --- contract: response actions -------------------------------------------------------

    def action_time(self) -> datetime:
        """When a response action or change happens: the tenant's present."""
        if self.clock is not None:
            return self.clock().astimezone(UTC)
        self._action_seq += 1
        return at(self.last_day, 20) + timedelta(seconds=self._action_seq)

    def account(self, user_id: str) -> Account:
        state = self._user_exists(user_id)
        person = self.people.by_id.get(user_id) if self.people else None
        return Account(
            user_id,
            str(state["userPrincipalName"]),
            str(state["displayName"]),
            person.home_ip if person else "",
        )

    def _user_exists(self, user_id: str) -> Json:
        state = self.graph["users"].get(user_id, self.last_day)
        if state is None:
            raise KeyError(user_id)
        return state

    def _app_audit(self, moment: datetime, activity: str, target: Json) -> None:
        self.events.plant(
            "directoryAudits",
            audit(self._rng, moment, activity, "UserManagement", None, target, app=RESPONSE_APP),
        )

    def _target(self, user_id: str, modified: list[Json] | None = None) -> Json:
        state = self._user_exists(user_id)
        return {
            "id": user_id,
            "displayName": state["displayName"],
            "type": "User",
            "userPrincipalName": state["userPrincipalName"],
            "modifiedProperties": modified or [],
            "groupType": None,
        }

    def revoke_sessions(self, user_id: str) -> Json:
        self._user_exists(user_id)
        moment = self.action_time()
        self.graph["users"].patch(user_id, moment, {"signInSessionsValidFromDateTime": iso(moment)})
        self._app_audit(moment, "Invalidate all refresh tokens for user", self._target(user_id))
        return {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean",
            "value": True,
        }

    def set_account_enabled(self, user_id: str, enabled: bool) -> None:
        before = self._user_exists(user_id)
        moment = self.action_time()
        self.graph["users"].patch(user_id, moment, {"accountEnabled": enabled})
        activity = "Enable account" if enabled else "Disable account"
        modified = [change("AccountEnabled", [before["accountEnabled"]], [enabled])]
        self._app_audit(moment, activity, self._target(user_id, modified))

    def _set_risk(
        self, user_ids: Sequence[str], level: str, state: str, detail: str, activity: str
    ) -> None:
        for uid in user_ids:
            self._user_exists(uid)
        moment = self.action_time()
        risky = self.graph["riskyUsers"]
        for uid in user_ids:
            if risky.get(uid, self.last_day) is None:
                risky.add(
                    uid,
                    moment,
                    risky_user_json(self.account(uid), level, state, detail, iso(moment)),
                )
            else:
                risky.patch(
                    uid,
                    moment,
                    {
                        "riskLevel": level,
                        "riskState": state,
                        "riskDetail": detail,
                        "riskLastUpdatedDateTime": iso(moment),
                    },
                )
            self._app_audit(moment, activity, self._target(uid))

    def confirm_compromised(self, user_ids: Sequence[str]) -> None:
        self._set_risk(
            user_ids,
            "high",
            "confirmedCompromised",
            "adminConfirmedUserCompromised",
            "Confirm user compromised",
        )

    def dismiss_risk(self, user_ids: Sequence[str]) -> None:
        self._set_risk(
            user_ids, "none", "dismissed", "adminDismissedAllRiskForUser", "Dismiss user risk"
        )

    def delete_message_rule(self, user_id: str, rule_id: str) -> None:
        if (
            self.rule_owner.get(rule_id) != user_id
            or self.rules.get(rule_id, self.last_day) is None
        ):
            raise KeyError(rule_id)
        self.rules.remove(rule_id, self.action_time())

    def delete_role_assignment(self, assignment_id: str) -> None:
        """Remove an active directory role assignment, audited as the response app."""
        coll = self.graph["roleAssignments"]
        grant = coll.get(assignment_id, self.last_day)
        if grant is None:
            raise KeyError(assignment_id)
        moment = self.action_time()
        coll.remove(assignment_id, moment)
        role = self.graph["roleDefinitions"].get(str(grant["roleDefinitionId"]), self.last_day)
        modified = [change("Role.DisplayName", (role or {}).get("displayName"), None)]
        self.events.plant(
            "directoryAudits",
            audit(
                self._rng,
                moment,
                "Remove member from role",
                "RoleManagement",
                None,
                self._target(str(grant["principalId"]), modified),
                app=RESPONSE_APP,
            ),
        )

    def set_mailbox_forwarding(self, identity: str, address: str | None) -> Json:
        for box in self.mailboxes.as_of(self.last_day):
            if _mailbox_matches(box, identity):
                return self.mailboxes.patch(
                    box["ExternalDirectoryObjectId"], self.action_time(), forward_patch(address)
                )
        raise KeyError(identity)

    def machine_action(self, machine_id: str, action: str, comment: str) -> Json:
        kinds = {"isolate": "Isolate", "unisolate": "Unisolate"}
        if action not in kinds:
            raise ValueError(f"unknown machine action {action!r}; expected isolate or unisolate")
        machine = self.machines.get(machine_id, self.last_day)
        if machine is None:
            raise KeyError(machine_id)
        moment = self.action_time()
        return self.record_machine_action(machine, kinds[action], comment, moment, RESPONSE_APP[1])

    def record_machine_action(
        self, machine: Json, kind: str, comment: str, moment: datetime, requestor: str
    ) -> Json:
        action = {
            "id": guid(self._rng),
            "type": kind,
            "scope": "Full",
            "requestor": requestor,
            "requestorComment": comment,
            "status": "Succeeded",
            "machineId": machine["id"],
            "computerDnsName": machine["computerDnsName"],
            "creationDateTimeUtc": iso(moment),
            "lastUpdateDateTimeUtc": iso(moment + timedelta(seconds=40)),
            "relatedFileInfo": None,
        }
        self.actions.append(action)
        return action

    def machine_actions(self) -> Sequence[Json]:
        return sorted(self.actions, key=lambda a: str(a["creationDateTimeUtc"]), reverse=True)

    def change(self, kind: str, object_id: str, patch: Json, actor_upn: str) -> Json:
        actor = self.person_by_upn(actor_upn)
        return self.apply_change(kind, object_id, patch, actor, self.action_time())

    def person_by_upn(self, upn: str) -> Account:
        """The account with this user principal name as of the last day (KeyError if none)."""
        for user in self.graph["users"].as_of(self.last_day):
            if str(user["userPrincipalName"]).lower() == upn.lower():
                return self.account(str(user["id"]))
        raise KeyError(upn)

    def apply_change(
        self, kind: str, object_id: str, patch: Json, actor: Actor, moment: datetime
    ) -> Json:
        """Change an object at `moment` and log the directoryAudit Microsoft would."""
        spec = CHANGE_KINDS.get(kind)
        if spec is None:
            raise ValueError(
                f"unknown change kind {kind!r}; expected one of {sorted(CHANGE_KINDS)}"
            )
        key, activity, category = spec
        if kind == "roleAssignment":
            return self._assign_role(object_id, str(patch["roleDefinitionId"]), actor, moment)
        coll = self.singles[key] if key in self.singles else self.graph[key]
        before = coll.get(object_id, moment.date())
        if before is None:
            raise KeyError(object_id)
        stamp = {"modifiedDateTime": iso(moment)} if kind == "conditionalAccessPolicy" else {}
        after = coll.patch(object_id, moment, {**patch, **stamp})
        modified = [change(k, before.get(k), v) for k, v in patch.items()]
        target = {
            "id": object_id,
            "displayName": after.get("displayName"),
            "type": "Policy" if kind != "user" else "User",
            "userPrincipalName": after.get("userPrincipalName"),
            "modifiedProperties": modified,
            "groupType": None,
        }
        self.events.plant(
            "directoryAudits", audit(self._rng, moment, activity, category, actor, target)
        )
        return after

    def _assign_role(self, user_id: str, role_id: str, actor: Actor, moment: datetime) -> Json:
        user = self.account(user_id)
        role = self.graph["roleDefinitions"].get(role_id, moment.date())
        if role is None:
            raise KeyError(role_id)
        aid = guid(self._rng)
        assignment = {
            "id": aid,
            "principalId": user_id,
            "roleDefinitionId": role_id,
            "directoryScopeId": "/",
        }
        self.graph["roleAssignments"].add(aid, moment, assignment)
        role_target = {
            "id": role_id,
            "displayName": role["displayName"],
            "type": "Role",
            "userPrincipalName": None,
            "modifiedProperties": [
                change("Role.DisplayName", None, role["displayName"]),
                change("Role.TemplateId", None, role_id),
            ],
            "groupType": None,
        }
        self.events.plant(
            "directoryAudits",
            audit(
                self._rng,
                moment,
                "Add member to role",
                "RoleManagement",
                actor,
                user_target(user),
                role_target,
            ),
        )
        return assignment

    def policy_id(self, display_name: str) -> str:
        for policy in self.graph["conditionalAccessPolicies"].as_of(self.last_day):
            if policy["displayName"] == display_name:
                return str(policy["id"])
        raise KeyError(display_name)


# kind -> (store key, directoryAudit activity, category)
CHANGE_KINDS: dict[str, tuple[str, str, str]] = {
    "conditionalAccessPolicy": (
        "conditionalAccessPolicies",
        "Update conditional access policy",
        "Policy",
    ),
    "user": ("users", "Update user", "UserManagement"),
    "authorizationPolicy": ("authorizationPolicy", "Update authorization policy", "Policy"),
    "authenticationMethodsPolicy": (
        "authenticationMethodsPolicy",
        "Authentication Methods Policy Update",
        "Policy",
    ),
    "securityDefaults": ("securityDefaults", "Update policy", "Policy"),
    "roleAssignment": ("roleAssignments", "Add member to role", "RoleManagement"),
}


def _mailbox_matches(box: Json, identity: str) -> bool:
    wanted = identity.lower()
    return wanted in (
        str(box["UserPrincipalName"]).lower(),
        str(box["ExternalDirectoryObjectId"]).lower(),
        str(box["Alias"]).lower(),
        str(box["PrimarySmtpAddress"]).lower(),
    )


def build_tenant(
    *,
    name: str = "contoso",
    seed: int = 1,
    users: int = 250,
    days: int = 30,
    last_day: date | None = None,
    scenarios: Sequence[ScenarioPlacement] = (),
    licence_mix: str = "business-premium",
) -> SimTenant:
    """Generate a tenant of `users` people whose history spans `days` ending at `last_day`."""
    if licence_mix not in LICENCE_MIXES:
        raise ValueError(
            f"unknown licence_mix {licence_mix!r}; expected one of {sorted(LICENCE_MIXES)}"
        )
    if not 10 <= users <= 50_000:
        raise ValueError(f"users must be between 10 and 50000, not {users}")
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    unknown = [p.name for p in scenarios if p.name not in SCENARIOS]
    if unknown:
        raise ValueError(f"unknown scenarios {unknown}; known: {sorted(SCENARIOS)}")
    last = last_day or datetime.now(UTC).date()
    first = last - timedelta(days=days - 1)
    r = rng(seed, "tenant", name)
    initial = f"{name}{r.randint(100, 999)}"
    domains = [f"{name}.example", f"{initial}.onmicrosoft.com"]
    t = SimTenant(
        tenant_id=guid(r),
        name=name,
        primary_domain=domains[0],
        first_day=first,
        last_day=last,
        seed=seed,
    )
    sku = LICENCE_MIXES[licence_mix]
    created = at(first - timedelta(days=2500), 9)
    people = make_people(seed, users, domains[0], initial, first, last)
    t.people = people
    licensed_count = sum(1 for p in people.persons if p.licensed)
    skus = [sku_json(t.tenant_id, name, sku, seats=licensed_count + 5, consumed=licensed_count)]
    t.features = features_of(skus)
    _static(t, "subscribedSkus", created, skus, "id")
    hybrid = any(p.hybrid for p in people.persons)
    _static(
        t,
        "organization",
        created,
        [organization_json(t.tenant_id, name, domains, created, hybrid, LOCATIONS[0][0])],
        "id",
    )
    _static(t, "domains", created, [domain_json(d, i == 0) for i, d in enumerate(domains)], "id")
    t.graph["users"] = users_collection(people, sku.sku_id)

    directory = make_directory(seed, people, first, t.licensed("entra_p2"))
    _directory(t, directory)
    t.graph["userRegistrationDetails"] = registration_collection(people, directory.admin_ids)
    _policies(t, directory, created, people)
    fleet = make_fleet(
        seed, people, domains[0], first, last, directory.group_ids["All Staff"], t.licensed("mde")
    )
    _fleet(t, fleet)
    mail = make_mail(seed, people, domains, first, last, t.licensed("mdo_p1"))
    _mail(t, mail)
    t.cmdlets.update(exchange_settings(seed, domains, first, t.licensed("mdo_p1")))
    _security(t, people, make_scores(seed, t.tenant_id, first, last, licensed_count))
    drift(t, directory.ca_excluded_users[1] if len(directory.ca_excluded_users) > 1 else None)
    for placement in sorted(scenarios, key=lambda p: (p.day or last, p.name)):
        day = placement.day or max(first, last - timedelta(days=2))
        if not first <= day <= last:
            raise ValueError(f"scenario {placement.name} on {day} is outside {first}..{last}")
        SCENARIOS[placement.name].plant(t, day)
    return t


def _static(
    t: SimTenant, key: str, since: datetime, objects: Sequence[Json], id_field: str
) -> None:
    coll = t.graph.setdefault(key, Collection())
    for obj in objects:
        coll.add(str(obj[id_field]), since, obj)


def _directory(t: SimTenant, d: Directory) -> None:
    t.graph["groups"] = d.groups
    t.graph["roleDefinitions"] = d.role_definitions
    t.graph["roleAssignments"] = d.role_assignments
    t.graph["roleEligibilityScheduleInstances"] = d.eligibility
    t.computed["roleAssignmentScheduleInstances"] = assignment_instances(d.role_assignments)
    users = t.graph["users"]

    def members(group_id: str, day: date) -> list[Json] | None:
        if d.groups.get(group_id, day) is None:
            return None
        return [
            member_json(u) for uid in d.members[group_id] if (u := users.get(uid, day)) is not None
        ]

    t.child_readers["groupMembers"] = members


def _policies(t: SimTenant, d: Directory, created: datetime, people: People) -> None:
    r = rng(t.seed, "policies")
    inputs = pol.PolicyInputs(
        break_glass=[p.id for p in people.break_glass],
        exclusion_group=d.group_ids["CA-Exclusions"],
        all_staff_group=d.group_ids["All Staff"],
        intune=t.licensed("intune"),
        p2=t.licensed("entra_p2"),
    )
    _static(
        t, "conditionalAccessPolicies", created, pol.conditional_access(r, inputs, created), "id"
    )
    _static(t, "namedLocations", created, pol.named_locations(r, created), "id")
    for key, obj in (
        ("authenticationMethodsPolicy", pol.authentication_methods_policy(r, created)),
        ("securityDefaults", pol.security_defaults(enabled=False)),
        ("authorizationPolicy", pol.authorization_policy(r)),
        *identity_settings(t.seed).items(),
    ):
        coll = Collection()
        coll.add(key, created, obj)
        t.singles[key] = coll


def _fleet(t: SimTenant, fleet: Fleet) -> None:
    t.fleet = fleet
    t.graph["managedDevices"] = fleet.managed
    t.graph["deviceCompliancePolicies"] = fleet.policies
    t.machines = fleet.machines

    def assignments(policy_id: str, day: date) -> list[Json] | None:
        if fleet.policies.get(policy_id, day) is None:
            return None
        return fleet.policy_assignments[policy_id]

    t.child_readers["compliancePolicyAssignments"] = assignments
    exposure: dict[date, dict[str, int]] = {}

    def exposed(day: date) -> dict[str, int]:
        if day not in exposure:
            counts: dict[str, int] = {}
            for mid in fleet.machines.ids_as_of(day):
                for cve, _first in open_vulnerabilities(fleet, fleet.by_machine[mid], day):
                    counts[cve.id] = counts.get(cve.id, 0) + 1
            exposure[day] = counts
        return exposure[day]

    def vulnerabilities(machine_id: str, day: date) -> list[Json] | None:
        if fleet.machines.get(machine_id, day) is None:
            return None
        counts = exposed(day)
        found = open_vulnerabilities(fleet, fleet.by_machine[machine_id], day)
        return [vulnerability_json(cve, first, counts[cve.id]) for cve, first in found]

    t.vulnerability_reader = vulnerabilities


def _mail(t: SimTenant, mail: Mail) -> None:
    t.mailboxes = mail.mailboxes
    t.rules = mail.rules
    t.rule_owner = mail.rule_owner
    for rid, owner in mail.rule_owner.items():
        t.rules_by_owner.setdefault(owner, []).append(rid)
    t.cmdlets = mail.policies
    t.child_readers["messageRules"] = t.rules_of


def _security(t: SimTenant, people: People, scores: Scores) -> None:
    t.computed["secureScores"] = scores.points
    profiles = control_profiles(t.tenant_id)
    t.computed["secureScoreControlProfiles"] = lambda _day: profiles
    t.graph["riskyUsers"] = make_risky_users(t.seed, people, t.first_day, t.last_day)
    admin = people.admins[0] if people.admins else None
    sims: Simulations = make_simulations(t.seed, people, t.first_day, t.last_day, admin)
    t.graph["attackSimulations"] = sims.objects
    t.child_readers["simulationUsers"] = sims.users
