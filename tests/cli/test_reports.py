"""The metrics, report and evidence commands end to end, as a user runs them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.config import load_workspace, settings_from_env
from cosec.controls.context import AssessmentContext
from cosec.governance.raci import area_owners
from cosec.model.snapshot import Outcome, ResourceOutcome, Snapshot
from cosec.model.view import GLOBAL_ADMIN
from cosec.reports.pack import build_pack
from cosec.store.assessments import run_assessment
from cosec.store.engine import open_store
from cosec.store.evidence import load_or_create_signing_key
from cosec.store.metrics import last_reviews_held
from cosec.store.snapshots import save_snapshot

TAKEN = datetime(2026, 10, 28, 6, tzinfo=UTC)
NOW = "2026-11-02T09:00:00Z"
USERS = [
    {
        "id": f"u{i}",
        "userPrincipalName": f"user{i}@contoso.com",
        "displayName": f"User {i}",
        "accountEnabled": True,
        "userType": "Member",
        "department": "Finance" if i < 3 else "Sales",
    }
    for i in range(10)
]
RAW: dict[str, list[dict[str, Any]]] = {
    "users": USERS,
    "groups": [],
    "roleAssignments": [
        {
            "id": "ra1",
            "principalId": "u9",
            "roleDefinitionId": GLOBAL_ADMIN,
            "directoryScopeId": "/",
        }
    ],
    "userRegistrationDetails": [
        {
            "id": u["id"],
            "userPrincipalName": u["userPrincipalName"],
            "isMfaRegistered": u["id"] != "u1",
        }
        for u in USERS
    ],
    "conditionalAccessPolicies": [
        {
            "id": "p1",
            "displayName": "Require MFA",
            "state": "enabled",
            "conditions": {
                "users": {"includeUsers": ["All"]},
                "applications": {"includeApplications": ["All"]},
            },
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        }
    ],
    "mdeMachines": [
        {
            "id": f"m{i}",
            "computerDnsName": f"pc{i}.contoso.com",
            "osPlatform": "Windows11",
            "osBuild": 26100 if i else 22631,
            "onboardingStatus": "Onboarded",
        }
        for i in range(4)
    ],
    "secureScores": [
        {
            "id": "s1",
            "createdDateTime": "2026-10-27T00:00:00Z",
            "currentScore": 61.5,
            "maxScore": 100.0,
        }
    ],
}


def _seed_snapshot(workspace: Path) -> None:
    outcomes = {k: ResourceOutcome(k, Outcome.OK, item_count=len(v)) for k, v in RAW.items()}
    outcomes["groupMembers"] = ResourceOutcome("groupMembers", Outcome.OK)
    outcomes["mdeVulnerabilities"] = ResourceOutcome("mdeVulnerabilities", Outcome.OK)
    outcomes["managedDevices"] = ResourceOutcome(
        "managedDevices", Outcome.NOT_ASSESSED, "licence missing", licence="Microsoft Intune"
    )
    snap = Snapshot(
        "main",
        TAKEN,
        outcomes,
        RAW,
        raw_per_parent={
            "groupMembers": {},
            "mdeVulnerabilities": {"m0": [{"id": "CVE-2026-0001", "severity": "Critical"}]},
        },
    )
    ws = load_workspace(settings_from_env({}, workspace_dir=workspace))
    context = AssessmentContext(
        now=TAKEN, tenant="main", owners=area_owners(ws), risk_tiers=ws.risk_tiers
    )
    store = open_store(f"sqlite:///{workspace / 'data' / 'cosec.db'}")
    with store.session() as s:
        save_snapshot(s, snap, started_at=TAKEN, finished_at=TAKEN, as_of=date(2026, 10, 28))
        run_assessment(s, snap, context)
    store.dispose()


@pytest.fixture
def env(cli_env: dict[str, str], workspace: Path) -> dict[str, str]:
    _seed_snapshot(workspace)
    return cli_env | {"COSEC_NOW": NOW}


def _metrics(cli: CliRunner, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    out = run_cli(cli, ["metrics", "--period", "2026-10", "--format", "json"], env)
    data = json.loads(out.output)
    return {m["key"]: m for m in data["main"]["metrics"]}


def test_metrics_from_a_snapshot_and_recorded_restore_tests(
    cli: CliRunner, env: dict[str, str]
) -> None:
    run_cli(
        cli,
        [
            "--as",
            "alex",
            "evidence",
            "record",
            "restore-test",
            "--dataset",
            "finance-share",
            "--tested-at",
            "2026-10-03T10:00:00Z",
            "--result",
            "success",
            "--time-to-restore",
            "45m",
            "--target",
            "4h",
        ],
        env,
    )
    got = _metrics(cli, env)
    assert got["mfa_coverage_all"]["value"] == 90.0
    assert got["mfa_coverage_finance"]["numerator"] == 2
    assert got["mfa_coverage_admins"]["value"] == 100.0
    assert got["edr_coverage"]["value"] == 100.0
    assert got["patch_baseline"]["value"] == 75.0
    assert got["secure_score"]["value"] == 61.5
    assert got["restore_success_rate"]["value"] == 100.0
    assert got["restore_within_target"]["value"] == 100.0
    assert got["mfa_coverage_all"]["rag"] == "red"  # template target 99, amber 95
    assert got["impersonation_coverage"]["value"] is None
    assert "antiPhishPolicies" in got["impersonation_coverage"]["reason"]
    table = run_cli(cli, ["metrics", "--period", "2026-10"], env).output
    assert "90.0%" in table
    assert "61.5%" in table
    september = json.loads(run_cli(cli, ["metrics", "-p", "2026-09", "-f", "json"], env).output)
    mfa = next(m for m in september["main"]["metrics"] if m["key"] == "mfa_coverage_all")
    assert mfa["reason"] == "no snapshot of main was taken in 2026-09"


def test_restore_test_recording_is_validated_and_needs_a_person(
    cli: CliRunner, env: dict[str, str]
) -> None:
    base = ["evidence", "record", "restore-test", "--dataset", "x", "--tested-at", "2026-10-03"]
    nobody = run_cli(cli, [*base, "--result", "failure"], env, ok=False)
    assert nobody.exit_code != 0
    bad = run_cli(cli, ["--as", "alex", *base, "--result", "maybe"], env, ok=False)
    assert "success or failure" in str(bad.exception)
    missing = run_cli(cli, ["--as", "alex", *base, "--result", "success"], env, ok=False)
    assert "--time-to-restore" in str(missing.exception)
    executive = run_cli(cli, ["--as", "sam", *base, "--result", "failure"], env, ok=False)
    assert "sam" in str(executive.exception)


def test_csv_import_is_all_or_nothing(cli: CliRunner, env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "tenant,dataset,tested_at,result,time_to_restore,target\n"
        "main,finance-share,2026-10-02,success,30m,1h\n"
        "main,mailboxes,2026-10-40,success,30m,1h\n"
    )
    result = run_cli(
        cli, ["--as", "jordan", "evidence", "import", "restore-tests", str(bad)], env, ok=False
    )
    assert "row 3, column tested_at" in str(result.exception)
    assert _metrics(cli, env)["restore_success_rate"]["value"] is None  # nothing half-imported
    good = tmp_path / "good.csv"
    good.write_text(
        "tenant,dataset,tested_at,result,time_to_restore,target\n"
        "main,finance-share,2026-10-02,success,30m,1h\n"
        "main,mailboxes,2026-10-04,success,2h,1h\n"
    )
    out = run_cli(cli, ["--as", "jordan", "evidence", "import", "restore-tests", str(good)], env)
    assert "imported 2 restore tests" in out.output
    got = _metrics(cli, env)
    assert got["restore_success_rate"]["value"] == 100.0
    assert got["restore_within_target"]["value"] == 50.0
    listed = run_cli(cli, ["evidence", "list", "restore-tests", "-p", "2026-Q4", "--json"], env)
    tests = json.loads(listed.output)
    assert [(t["dataset"], t["recorded_by"]) for t in tests] == [
        ("finance-share", "jordan"),
        ("mailboxes", "jordan"),
    ]
    table = run_cli(cli, ["evidence", "list", "restore-tests", "-p", "2026-Q4"], env).output
    assert "mailboxes" in table and "120 min" in table


def test_review_held_is_recorded_for_cadence(
    cli: CliRunner, env: dict[str, str], workspace: Path
) -> None:
    run_cli(
        cli,
        [
            "--as",
            "alex",
            "report",
            "held",
            "monthly",
            "--period",
            "2026-10",
            "--held-at",
            "2026-11-05T14:00:00Z",
            "--attendees",
            "alex,jordan",
        ],
        env,
    )
    wrong = run_cli(
        cli, ["--as", "alex", "report", "held", "monthly", "--period", "2026-Q3"], env, ok=False
    )
    assert "month" in str(wrong.exception)
    store = open_store(f"sqlite:///{workspace / 'data' / 'cosec.db'}")
    with store.session() as s:
        held = last_reviews_held(s, "main")
    store.dispose()
    assert held["monthly_operational"] == datetime(2026, 11, 5, 14, tzinfo=UTC)


def test_bad_period_and_tenant_are_clear_errors(cli: CliRunner, env: dict[str, str]) -> None:
    r = run_cli(cli, ["metrics", "--period", "October"], env, ok=False)
    assert "2026-Q3" in str(r.exception)
    r = run_cli(cli, ["metrics", "--tenant", "nope"], env, ok=False)
    assert "not declared" in str(r.exception)
    r = run_cli(cli, ["report", "quarterly", "--period", "2026-10"], env, ok=False)
    assert "quarter" in str(r.exception)


def _zip_edit(
    src: Path,
    dst: Path,
    *,
    drop: str = "",
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            if item.filename == drop:
                continue
            data = (replace or {}).get(item.filename, zin.read(item.filename))
            zout.writestr(item, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_evidence_pack_is_signed_and_detects_every_tampering(
    cli: CliRunner, env: dict[str, str], tmp_path: Path, workspace: Path
) -> None:
    pack = tmp_path / "pack.zip"
    run_cli(cli, ["evidence", "pack", "--period", "2026-10", "--output", str(pack)], env)
    key = workspace / "data" / "signing-key.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(pack) as zf:
        names = set(zf.namelist())
        metrics = json.loads(zf.read("metrics.json"))
        pdf = zf.read("reports/main-monthly-review-2026-10.pdf")
        findings = json.loads(zf.read("findings.json"))
    raw = [n for n in names if n.startswith("raw/")]
    assert {
        "manifest.json",
        "manifest.sig",
        "public-key.pem",
        "findings.json",
        "exceptions.json",
        "responsibility-map.csv",
        "restore-tests.json",
        "reviews.json",
        "reports/main-monthly-review-2026-10.html",
    } <= names
    assert any(m["key"] == "secure_score" and m["value"] == 61.5 for m in metrics)
    assert isinstance(findings, list) and len(findings) > 10
    assert {f["status"] for f in findings} >= {"fail", "not_assessed"}
    assert raw  # raw documents the findings point at, by digest
    assert pdf.startswith(b"%PDF")
    ok = run_cli(cli, ["evidence", "verify", str(pack)], env)
    assert "OK" in ok.output

    cases = {
        "changed: metrics.json": {"replace": {"metrics.json": b"[]"}},
        "added: extra.txt": {"add": {"extra.txt": b"hello"}},
        "removed: exceptions.json": {"drop": "exceptions.json"},
        "bad signature": {"replace": {"manifest.sig": b"\0" * 64}},
    }
    for expected, edit in cases.items():
        tampered = tmp_path / f"t-{len(expected)}.zip"
        _zip_edit(pack, tampered, **edit)  # type: ignore[arg-type]
        result = run_cli(cli, ["evidence", "verify", str(tampered)], env, ok=False)
        assert result.exit_code == 1, expected
        assert expected in result.output, result.output


def test_a_pack_signed_by_another_workspace_is_flagged(
    cli: CliRunner, env: dict[str, str], tmp_path: Path, workspace: Path
) -> None:
    foreign = build_pack(
        tmp_path / "foreign.zip",
        {"metrics.json": b"[]"},
        key=Ed25519PrivateKey.generate(),
        tenant="main",
        period="2026-10",
        generated_at=TAKEN,
    )
    alone = run_cli(cli, ["evidence", "verify", str(foreign)], env)  # no workspace key yet
    assert "no workspace key here" in alone.output
    assert not (workspace / "data" / "signing-key.pem").exists()  # verify creates none
    load_or_create_signing_key(workspace / "data")
    result = run_cli(cli, ["evidence", "verify", str(foreign), "--json"], env, ok=False)
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert any("not by this workspace's key" in p for p in problems)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_monthly_and_quarterly_reports_render_with_their_figures(
    cli: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_cli(cli, ["report", "monthly", "--period", "2026-10", "--output", str(out)], env)
    run_cli(
        cli, ["report", "quarterly", "--period", "2026-Q4", "--format", "pdf", "-o", str(out)], env
    )
    monthly = out / "main-monthly-review-2026-10.pdf"
    quarterly = out / "main-quarterly-review-2026-Q4.pdf"
    assert (out / "main-monthly-review-2026-10.html").exists()
    assert not (out / "main-quarterly-review-2026-Q4.html").exists()
    html = (out / "main-monthly-review-2026-10.html").read_text()
    assert not re.search(r"""(src|href)=["']https?:|url\(["']?https?:|@import""", html)
    text = subprocess.run(
        ["pdftotext", "-layout", str(monthly), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Monthly security operations review" in text
    assert "October 2026" in text
    assert "90.0%" in text  # MFA coverage
    assert "61.5%" in text  # Secure Score
    assert "no snapshot of main was taken in 2026-09" not in text or "no trend" in text
    qtext = subprocess.run(
        ["pdftotext", str(quarterly), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "NIST CSF 2.0" in qtext
    assert "Q4 2026" in qtext
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(monthly), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    from PIL import Image

    for page in pages:
        extrema = Image.open(page).convert("L").getextrema()
        assert extrema[0] < 200, f"{page.name} is blank"
