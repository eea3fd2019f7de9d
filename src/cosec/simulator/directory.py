"""Groups, directory roles, role assignments and PIM eligibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cosec.simulator.catalog import ROLES
from cosec.simulator.history import Collection, Json
from cosec.simulator.people import MEMBER, People, Person
from cosec.simulator.seeding import at, guid, iso, rng

GROUPS: tuple[tuple[str, str, str | None], ...] = (
    # name, description, department whose members belong (None = chosen explicitly)
    ("All Staff", "Every employee (dynamic)", "*"),
    ("Executives", "Executive leadership team", "Executive"),
    ("Finance Team", "Finance department", "Finance"),
    ("IT Team", "IT department", "IT"),
    ("Sales Team", "Sales department", "Sales"),
    ("CA-Exclusions", "Accounts excluded from Conditional Access", None),
)


@dataclass
class Directory:
    groups: Collection
    members: dict[str, list[str]]  # group id -> user ids (filtered by existence on read)
    group_ids: dict[str, str]  # group name -> id
    role_definitions: Collection
    role_assignments: Collection
    eligibility: Collection
    admin_ids: set[str]
    ca_excluded_users: list[str]  # ordinary users excluded without documentation


def make_directory(seed: int, people: People, first_day: date, p2: bool) -> Directory:
    r = rng(seed, "directory")
    created = at(first_day - timedelta(days=900), 10)
    groups = Collection()
    members: dict[str, list[str]] = {}
    group_ids: dict[str, str] = {}
    ordinary = [p for p in people.persons if p.kind == MEMBER and p.department not in ("IT",)]
    excluded = [p.id for p in r.sample(ordinary, min(2, len(ordinary)))]
    for name, description, dept in GROUPS:
        gid = guid(r)
        group_ids[name] = gid
        dynamic = dept == "*"
        groups.add(
            gid,
            created,
            {
                "id": gid,
                "displayName": name,
                "description": description,
                "mailEnabled": False,
                "mailNickname": name.lower().replace(" ", "-"),
                "securityEnabled": True,
                "groupTypes": ["DynamicMembership"] if dynamic else [],
                "membershipRule": '(user.userType -eq "Member")' if dynamic else None,
                "membershipRuleProcessingState": "On" if dynamic else None,
                "createdDateTime": iso(created),
                "visibility": None,
            },
        )
        if dept is None:
            ids = [p.id for p in people.break_glass] + excluded[:1]
        else:
            ids = [
                p.id
                for p in people.persons
                if p.kind == MEMBER and (dept == "*" or p.department == dept)
            ]
        members[gid] = ids

    definitions = Collection()
    for name, (template, description, _privileged) in ROLES.items():
        definitions.add(
            template,
            created,
            {
                "id": template,
                "templateId": template,
                "displayName": name,
                "description": description,
                "isBuiltIn": True,
                "isEnabled": True,
                "resourceScopes": ["/"],
                "version": "1",
                "rolePermissions": [{"allowedResourceActions": [_action(name)], "condition": None}],
            },
        )

    assignments = Collection()
    admin_ids: set[str] = set()

    def assign(person: Person, role: str) -> None:
        aid = guid(r)
        admin_ids.add(person.id)
        assignments.add(
            aid,
            max(person.created, created),
            {
                "id": aid,
                "principalId": person.id,
                "roleDefinitionId": ROLES[role][0],
                "directoryScopeId": "/",
            },
        )

    for bg in people.break_glass:
        assign(bg, "Global Administrator")
    it = people.admins
    global_admins = it[: r.randint(1, min(3, len(it)))] if it else []
    for person in global_admins:
        assign(person, "Global Administrator")
    plan = ("Exchange Administrator", "Security Administrator", "User Administrator")
    for person, role in zip(it, plan, strict=False):
        assign(person, role)
    if it:
        assign(it[-1], "Privileged Role Administrator")  # a permanent, highly privileged one

    eligibility = Collection()
    if p2:
        for person in it:
            for role in ("Security Administrator", "Conditional Access Administrator"):
                eid = guid(r)
                start = max(person.created, created)
                eligibility.add(
                    eid,
                    start,
                    {
                        "id": eid,
                        "principalId": person.id,
                        "roleDefinitionId": ROLES[role][0],
                        "directoryScopeId": "/",
                        "appScopeId": None,
                        "startDateTime": iso(start),
                        "endDateTime": None,
                        "memberType": "Direct",
                        "roleEligibilityScheduleId": eid,
                    },
                )
    return Directory(
        groups, members, group_ids, definitions, assignments, eligibility, admin_ids, excluded
    )


def _action(role: str) -> str:
    if role == "Global Administrator":
        return "microsoft.directory/allEntities/allProperties/allTasks"
    area = role.replace(" Administrator", "").replace(" ", "").lower()
    return f"microsoft.directory/{area}/allProperties/allTasks"


def member_json(user: Json) -> Json:
    """A user as it appears among a group's transitiveMembers (directoryObject)."""
    return {
        "@odata.type": "#microsoft.graph.user",
        "id": user["id"],
        "displayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
        "mail": user["mail"],
        "userType": user["userType"],
        "accountEnabled": user["accountEnabled"],
    }
