"""Tenant-wide identity and SharePoint settings (Graph v1.0 shapes) and the PIM schedule
instances of active role assignments.

Drawn from their own random stream, so a seeded tenant's other objects are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from cosec.simulator.history import Collection, Json
from cosec.simulator.seeding import rng

SINGLETONS = ("adminConsentRequestPolicy", "deviceRegistrationPolicy", "sharepointSettings")


def identity_settings(seed: int) -> dict[str, Json]:
    """Singleton key → its object."""
    r = rng(seed, "identity-settings")
    consent_on = r.random() < 0.4
    return {
        "adminConsentRequestPolicy": {
            "id": "policy",
            "isEnabled": consent_on,
            "notifyReviewers": consent_on,
            "remindersEnabled": consent_on,
            "requestDurationInDays": 30 if consent_on else 0,
            "version": 1,
            "reviewers": [
                {
                    "query": "/directory/roleAssignments?$filter=roleDefinitionId eq "
                    "'62e90394-69f5-4237-9190-012177145e10'",
                    "queryType": "MicrosoftGraph",
                    "queryRoot": None,
                }
            ]
            if consent_on
            else [],
        },
        "deviceRegistrationPolicy": {
            "id": "deviceRegistrationPolicy",
            "displayName": "Device Registration Policy",
            "description": "Tenant-wide policy that manages initial provisioning controls",
            "userDeviceQuota": r.choice((20, 50)),
            "multiFactorAuthConfiguration": r.choice(("notRequired", "required")),
            "azureADRegistration": {
                "isAdminConfigurable": False,
                "allowedToRegister": {
                    "@odata.type": "#microsoft.graph.allDeviceRegistrationMembership"
                },
            },
            "azureADJoin": {
                "isAdminConfigurable": True,
                "allowedToJoin": {
                    "@odata.type": "#microsoft.graph.allDeviceRegistrationMembership"
                },
                "localAdmins": {
                    "enableGlobalAdmins": True,
                    "registeringUsers": {
                        "@odata.type": r.choice(
                            (
                                "#microsoft.graph.allDeviceRegistrationMembership",
                                "#microsoft.graph.noDeviceRegistrationMembership",
                            )
                        )
                    },
                },
            },
            "localAdminPassword": {"isEnabled": r.random() < 0.5},
        },
        "sharepointSettings": {
            "id": "sharepointSettings",
            "sharingCapability": r.choice(
                (
                    "externalUserAndGuestSharing",
                    "externalUserSharingOnly",
                    "existingExternalUserSharingOnly",
                )
            ),
            "sharingDomainRestrictionMode": "none",
            "sharingAllowedDomainList": [],
            "sharingBlockedDomainList": [],
            "isResharingByExternalUsersEnabled": r.random() < 0.5,
            "isRequireAcceptingUserToMatchInvitedUserEnabled": r.random() < 0.7,
            "isUnmanagedSyncAppForTenantRestricted": r.random() < 0.3,
            "allowedDomainGuidsForSyncApp": [],
            "isLegacyAuthProtocolsEnabled": r.random() < 0.5,
            "availableManagedPathsForSiteCreation": ["/sites/", "/teams/"],
            "siteCreationDefaultManagedPath": "/sites/",
            "deletedUserPersonalSiteRetentionPeriodInDays": 30,
        },
    }


def assignment_instances(assignments: Collection) -> Callable[[date], list[Json]]:
    """roleAssignmentScheduleInstances as of a day: one per active role assignment.

    The generated assignments are standing ones (assignmentType Assigned, no end).
    """

    def instances(day: date) -> list[Json]:
        return [
            {
                "id": a["id"],
                "principalId": a["principalId"],
                "roleDefinitionId": a["roleDefinitionId"],
                "directoryScopeId": a.get("directoryScopeId", "/"),
                "appScopeId": None,
                "assignmentType": "Assigned",
                "memberType": "Direct",
                "startDateTime": None,
                "endDateTime": None,
                "roleAssignmentOriginId": a["id"],
                "roleAssignmentScheduleId": a["id"],
            }
            for a in assignments.as_of(day)
        ]

    return instances
