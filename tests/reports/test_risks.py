"""Top risks: scored from severity, privilege and blast radius, one per set of objects,
titled as the exposure."""

from __future__ import annotations

from cosec.reports.content import FindingRow, finding_candidates
from cosec.reports.names import Directory, NamedObject
from cosec.reports.risks import RiskCandidate, rank, risk_title

GA = "11111111-2222-3333-4444-555555555555"
USER = "99999999-8888-7777-6666-555555555555"
NAMES = Directory(
    {
        GA: NamedObject(GA, "Ada Lee", "ada@contoso.example", "Global Administrator", True, True),
        USER: NamedObject(USER, "Bo Chan", "bo@contoso.example", "Finance user"),
    }
)


def _c(source: str, severity: str, *objects: tuple[str, str], trend: str = "new") -> RiskCandidate:
    return RiskCandidate(
        source=source,
        severity=severity,
        objects=tuple((r, i, i) for r, i in objects),
        title=f"risk {source}",
        owner="engineer (partner)",
        mitigation=f"fix {source}",
        trend=trend,
    )


def test_privilege_outranks_a_larger_unprivileged_scope() -> None:
    devices = [("devices", f"d{n}") for n in range(6)]
    ranked = rank([_c("END", "high", *devices), _c("IDN", "high", ("users", GA))], NAMES)
    assert [r.source for r in ranked] == ["IDN", "END"]
    assert ranked[0].objects == ("Ada Lee (ada@contoso.example), Global Administrator",)


def test_same_objects_are_one_risk_with_the_other_controls_named() -> None:
    vulns = [("vulnerabilities", f"v{n}") for n in range(10)]
    ranked = rank(
        [
            _c("VUL-003v1", "high", *vulns),
            _c("VUL-001v1", "critical", *vulns[:8]),
            _c("VUL-002v1", "high", *vulns[5:]),
            _c("END-004v1", "high", ("devices", "x")),
        ],
        NAMES,
    )
    assert [r.source for r in ranked] == ["VUL-001v1", "END-004v1"]
    assert set(ranked[0].also) == {"VUL-003v1", "VUL-002v1"}
    assert [r.rank for r in ranked] == [1, 2]


def test_less_than_half_overlap_stays_a_separate_risk() -> None:
    ranked = rank(
        [
            _c("A", "high", ("users", GA), ("users", USER)),
            _c("B", "medium", ("users", USER), ("devices", "1"), ("devices", "2")),
        ],
        NAMES,
    )
    assert [r.source for r in ranked] == ["A", "B"]


def test_trend_and_count_limit() -> None:
    ranked = rank(
        [_c(str(n), "medium", ("devices", str(n)), trend="shrinking") for n in range(4)]
        + [_c("grow", "medium", ("devices", "g"), trend="growing")],
        NAMES,
        count=3,
    )
    assert ranked[0].source == "grow" and len(ranked) == 3


def test_titles_state_the_exposure_never_the_passing_state() -> None:
    admins = [("users", GA, "")]
    title = risk_title("IDN-004v1", "Phishing-resistant MFA is required", admins, NAMES)
    assert title == "1 Global Administrator can sign in without phishing-resistant MFA"
    mixed = [("users", GA, ""), ("users", USER, "")]
    assert (
        risk_title("IDN-001v2", "MFA is enforced", mixed, NAMES)
        == "2 users can sign in without MFA"
    )
    assert risk_title("XYZ-001v1", "Backups are tested", [], NAMES) == (
        "Not in place: backups are tested"
    )


def test_failing_findings_become_candidates_with_named_objects() -> None:
    doc = {"unexcepted": [{"resource": "users", "id": GA, "name": "ada@contoso.example"}]}
    rows = [
        FindingRow("IDN-004v1", "t", "identity", "high", "fail", 1, "o", "fix", (), "s", doc),
        FindingRow("IDN-005v1", "t", "identity", "high", "pass", 0, "o", "fix", (), "s", {}),
    ]
    (cand,) = finding_candidates(rows, [], NAMES)
    assert cand.title == "1 Global Administrator can sign in without phishing-resistant MFA"
    assert cand.objects == (("users", GA, "ada@contoso.example"),)


def test_humanise_leaves_no_guid() -> None:
    text = f"{GA} granted a role to 00000000-0000-0000-0000-00000000abcd"
    assert NAMES.humanise(text) == (
        "Ada Lee (ada@contoso.example) granted a role to "
        "an object no longer in the directory (…abcd)"
    )
