"""Static reference data the generators draw from: Microsoft identifiers and name pools.

Identifiers (SKU ids, service plan names and ids, role template ids, app ids) are the
real, publicly documented values, so product code that keys on them behaves as it would
against a real tenant.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- licences -------------------------------------------------------------------------

SERVICE_PLANS: dict[str, str] = {
    "AAD_PREMIUM": "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
    "AAD_PREMIUM_P2": "eec0eb4f-6444-4f95-aba0-50c24d67f998",
    "INTUNE_A": "c1ec4a95-1f05-45b3-a911-aa3fa01094f5",
    "EXCHANGE_S_ENTERPRISE": "efb87545-963c-4e0d-99df-69c6916d9eb0",
    "EXCHANGE_S_STANDARD": "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
    "ATP_ENTERPRISE": "f20fedf3-f3c3-43c3-8267-2bfdd51c0939",
    "THREAT_INTELLIGENCE": "8e0c0a52-6a6c-4d40-8370-dd62790dcd70",
    "WINDEFATP": "871d91ec-ec1a-452b-a83f-bd76c7d770ef",
    "MDE_SMB": "bfc1bbd9-981b-4f71-9b82-17c35fd0e2a4",
    "SHAREPOINTENTERPRISE": "5dbe027f-2339-4123-9542-606e4d348a72",
    "TEAMS1": "57ff2da0-773e-42df-b2af-ffb7a2317929",
}

# Which service plans grant each contract feature (any one suffices).
FEATURE_PLANS: dict[str, tuple[str, ...]] = {
    "entra_p1": ("AAD_PREMIUM", "AAD_PREMIUM_P2"),
    "entra_p2": ("AAD_PREMIUM_P2",),
    "intune": ("INTUNE_A",),
    "exchange": ("EXCHANGE_S_ENTERPRISE", "EXCHANGE_S_STANDARD"),
    "mdo_p1": ("ATP_ENTERPRISE", "THREAT_INTELLIGENCE"),
    "mdo_p2": ("THREAT_INTELLIGENCE",),
    "mde": ("WINDEFATP", "MDE_SMB"),
}


@dataclass(frozen=True)
class Sku:
    sku_id: str
    part_number: str
    plans: tuple[str, ...]


LICENCE_MIXES: dict[str, Sku] = {
    "business-premium": Sku(
        "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
        "SPB",
        (
            "AAD_PREMIUM",
            "INTUNE_A",
            "EXCHANGE_S_STANDARD",
            "ATP_ENTERPRISE",
            "MDE_SMB",
            "SHAREPOINTENTERPRISE",
            "TEAMS1",
        ),
    ),
    "e3": Sku(
        "05e9a617-0261-4cee-bb44-138d3ef5d965",
        "SPE_E3",
        ("AAD_PREMIUM", "INTUNE_A", "EXCHANGE_S_ENTERPRISE", "SHAREPOINTENTERPRISE", "TEAMS1"),
    ),
    "e5": Sku(
        "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
        "SPE_E5",
        (
            "AAD_PREMIUM",
            "AAD_PREMIUM_P2",
            "INTUNE_A",
            "EXCHANGE_S_ENTERPRISE",
            "THREAT_INTELLIGENCE",
            "WINDEFATP",
            "SHAREPOINTENTERPRISE",
            "TEAMS1",
        ),
    ),
}

# --- directory roles (template ids are the same in every tenant) ----------------------

ROLES: dict[str, tuple[str, str, bool]] = {
    # display name: (template id, description, privileged)
    "Global Administrator": (
        "62e90394-69f5-4237-9190-012177145e10",
        "Can manage all aspects of Microsoft Entra ID and Microsoft services.",
        True,
    ),
    "Privileged Role Administrator": (
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "Can manage role assignments in Microsoft Entra ID and all aspects of PIM.",
        True,
    ),
    "Exchange Administrator": (
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "Can manage all aspects of the Exchange product.",
        True,
    ),
    "Security Administrator": (
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "Can read security information and reports, and manage security configuration.",
        True,
    ),
    "Conditional Access Administrator": (
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "Can manage Conditional Access capabilities.",
        True,
    ),
    "User Administrator": (
        "fe930be7-5e62-47db-91af-98c3a49a38b1",
        "Can manage all aspects of users and groups, including resetting passwords.",
        True,
    ),
    "Intune Administrator": (
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
        "Can manage all aspects of the Intune product.",
        False,
    ),
    "Helpdesk Administrator": (
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Can reset passwords for non-administrators and Helpdesk Administrators.",
        False,
    ),
    "Security Reader": (
        "5d6b6bb7-de71-4623-b4af-96380a352509",
        "Can read security information and reports in Microsoft Entra ID and Office 365.",
        False,
    ),
    "Global Reader": (
        "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
        "Can read everything that a Global Administrator can, but not update anything.",
        False,
    ),
    "Billing Administrator": (
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Can perform common billing related tasks like updating payment information.",
        False,
    ),
}
GLOBAL_ADMIN = ROLES["Global Administrator"][0]

# --- people ---------------------------------------------------------------------------

DEPARTMENTS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    # name, share of staff, job titles
    (
        "Executive",
        0.03,
        ("Chief Executive Officer", "Chief Financial Officer", "Chief Operating Officer"),
    ),
    ("Finance", 0.08, ("Accountant", "Financial Controller", "Payroll Specialist", "AP Clerk")),
    ("Sales", 0.22, ("Account Executive", "Sales Manager", "Sales Representative")),
    ("Operations", 0.20, ("Operations Coordinator", "Logistics Planner", "Operations Manager")),
    ("IT", 0.06, ("IT Administrator", "Systems Engineer", "Service Desk Analyst")),
    ("HR", 0.05, ("HR Business Partner", "Recruiter", "HR Manager")),
    ("Marketing", 0.10, ("Marketing Specialist", "Content Manager", "Marketing Manager")),
    ("Support", 0.16, ("Support Engineer", "Customer Success Manager", "Support Lead")),
    ("Legal", 0.03, ("Legal Counsel", "Paralegal")),
    ("Engineering", 0.07, ("Software Engineer", "Product Manager", "QA Engineer")),
)

FIRST_NAMES = [
    "Adele",
    "Alex",
    "Allan",
    "Amara",
    "Ana",
    "Ben",
    "Bianca",
    "Carlos",
    "Chen",
    "Chloe",
    "Dana",
    "Daniel",
    "Diego",
    "Elena",
    "Emma",
    "Ethan",
    "Fatima",
    "Felix",
    "Grace",
    "Hana",
    "Hugo",
    "Ian",
    "Isla",
    "Ivan",
    "Jamal",
    "Jana",
    "Joel",
    "Julia",
    "Kai",
    "Karim",
    "Laura",
    "Leo",
    "Lina",
    "Lucas",
    "Maya",
    "Megan",
    "Mei",
    "Miguel",
    "Nadia",
    "Nestor",
    "Nina",
    "Noah",
    "Olivia",
    "Omar",
    "Patti",
    "Pradeep",
    "Priya",
    "Raj",
    "Rosa",
    "Ruth",
    "Sara",
    "Sofia",
    "Tariq",
    "Tom",
    "Uma",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Adams",
    "Ahmed",
    "Alvarez",
    "Baker",
    "Berg",
    "Brooks",
    "Castro",
    "Chen",
    "Costa",
    "Diaz",
    "Dubois",
    "Evans",
    "Fischer",
    "Flores",
    "Garcia",
    "Gomez",
    "Hansen",
    "Hughes",
    "Ito",
    "Jensen",
    "Johnson",
    "Kaur",
    "Khan",
    "Kim",
    "Kowalski",
    "Lee",
    "Lopez",
    "Martin",
    "Meyer",
    "Moreau",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Perez",
    "Popescu",
    "Quinn",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Sorensen",
    "Tanaka",
    "Taylor",
    "Walker",
    "Wang",
    "Weber",
    "Wilber",
    "Young",
    "Zhang",
]

# (usageLocation, city, state, ip prefix): the home country comes first.
LOCATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("US", "Seattle", "Washington", "131.107"),
    ("US", "Chicago", "Illinois", "64.4"),
    ("GB", "London", "England", "81.2"),
    ("DE", "Berlin", "Berlin", "85.214"),
    ("CA", "Toronto", "Ontario", "99.228"),
)
# Sign-ins from these are foreign to every simulated tenant.
FOREIGN_LOCATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("NG", "Lagos", "Lagos", "102.89"),
    ("RU", "Moscow", "Moscow", "95.165"),
    ("BR", "Sao Paulo", "Sao Paulo", "177.71"),
    ("VN", "Hanoi", "Hanoi", "113.160"),
)

# --- applications seen in sign-ins (first-party app ids) --------------------------------

APPS: tuple[tuple[str, str], ...] = (
    ("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
    ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
    ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"),
    ("00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
    ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"),
    ("0000000c-0000-0000-c000-000000000000", "Microsoft App Access Panel"),
)
LEGACY_CLIENTS = ("IMAP4", "Exchange ActiveSync", "Authenticated SMTP", "POP3")

# --- vulnerabilities (real CVE ids; descriptions are our own summaries) ---------------


@dataclass(frozen=True)
class Cve:
    id: str
    severity: str
    cvss: float
    published: str
    description: str
    public_exploit: bool
    platforms: tuple[str, ...]


CVES: tuple[Cve, ...] = (
    Cve(
        "CVE-2023-23397",
        "Critical",
        9.8,
        "2023-03-14",
        "Outlook elevation of privilege through a crafted reminder sound path.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2024-38063",
        "Critical",
        9.8,
        "2024-08-13",
        "Windows TCP/IP remote code execution through IPv6 packets.",
        False,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2022-30190",
        "High",
        7.8,
        "2022-05-30",
        "Support Diagnostic Tool remote code execution from Office documents.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2023-36884",
        "High",
        8.8,
        "2023-07-11",
        "Office and Windows HTML remote code execution.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2024-21412",
        "High",
        8.1,
        "2024-02-13",
        "Internet shortcut files security feature bypass.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2023-36025",
        "High",
        8.8,
        "2023-11-14",
        "Windows SmartScreen security feature bypass.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2024-30088",
        "High",
        7.0,
        "2024-06-11",
        "Windows kernel elevation of privilege.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2023-4863",
        "High",
        8.8,
        "2023-09-12",
        "Heap buffer overflow in the WebP image library used by browsers.",
        True,
        ("Windows11", "Windows10", "macOS"),
    ),
    Cve(
        "CVE-2023-21608",
        "High",
        7.8,
        "2023-01-10",
        "Adobe Acrobat Reader use-after-free leading to code execution.",
        True,
        ("Windows11", "Windows10", "macOS"),
    ),
    Cve(
        "CVE-2023-38545",
        "Critical",
        9.8,
        "2023-10-11",
        "curl SOCKS5 heap buffer overflow.",
        False,
        ("Windows11", "Windows10", "macOS"),
    ),
    Cve(
        "CVE-2023-24932",
        "Medium",
        6.7,
        "2023-05-09",
        "Secure Boot security feature bypass.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2019-1348",
        "Medium",
        4.3,
        "2019-12-13",
        "git fast-import option allows overwriting arbitrary paths.",
        False,
        ("Windows11", "Windows10", "macOS"),
    ),
    Cve(
        "CVE-2023-42916",
        "Medium",
        6.5,
        "2023-11-30",
        "WebKit out-of-bounds read disclosing memory.",
        True,
        ("macOS", "iOS"),
    ),
    Cve(
        "CVE-2023-41064",
        "High",
        7.8,
        "2023-09-07",
        "ImageIO buffer overflow through crafted images.",
        True,
        ("macOS", "iOS"),
    ),
    Cve(
        "CVE-2024-0519",
        "High",
        8.8,
        "2024-01-16",
        "Chromium V8 out-of-bounds memory access.",
        True,
        ("Windows11", "Windows10", "macOS"),
    ),
    Cve(
        "CVE-2023-44487",
        "High",
        7.5,
        "2023-10-10",
        "HTTP/2 rapid reset denial of service.",
        True,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2024-20666",
        "Medium",
        6.6,
        "2024-01-09",
        "BitLocker security feature bypass.",
        False,
        ("Windows11", "Windows10"),
    ),
    Cve(
        "CVE-2023-36033",
        "High",
        7.8,
        "2023-11-14",
        "Desktop Window Manager core library elevation of privilege.",
        True,
        ("Windows11", "Windows10"),
    ),
)

# --- secure score controls (names as Microsoft publishes them) -------------------------

SCORE_CONTROLS: tuple[tuple[str, str, str, float], ...] = (
    # controlName, category, title, max score
    (
        "AdminMFAV2",
        "Identity",
        "Ensure multifactor authentication is enabled for all users in administrative roles",
        10.0,
    ),
    (
        "MFARegistrationV2",
        "Identity",
        "Ensure multifactor authentication is enabled for all users",
        9.0,
    ),
    (
        "BlockLegacyAuthentication",
        "Identity",
        "Enable Conditional Access policies to block legacy authentication",
        8.0,
    ),
    ("SigninRiskPolicy", "Identity", "Turn on sign-in risk policy", 7.0),
    ("UserRiskPolicy", "Identity", "Turn on user risk policy", 7.0),
    ("OneAdmin", "Identity", "Designate more than one global admin", 1.0),
    (
        "mdo_atpprotection",
        "Apps",
        "Turn on Safe Attachments for SharePoint, OneDrive and Teams",
        8.0,
    ),
    ("mdo_safelinksforemail", "Apps", "Create Safe Links policies for email messages", 9.0),
    (
        "mdo_autoforwardingmode",
        "Apps",
        "Ensure all forms of mail forwarding are blocked or disabled",
        8.0,
    ),
    ("mdo_dkim", "Apps", "Ensure DKIM is enabled for all Exchange Online domains", 5.0),
    ("scid_2010", "Device", "Turn on Microsoft Defender Antivirus real-time protection", 9.0),
    ("scid_5095", "Device", "Encrypt all BitLocker-supported drives", 8.0),
)
