"""`make demo`: a quarter of co-managed operations on the built-in demo tenant.

The simulator serves a generated tenant (Contoso, E5, ~100 people) with four planted
incidents over its history. The demo then works through the quarter day by day exactly as
the two parties would, typing the same `cosec` commands a user types (run in-process, the
clock pinned with COSEC_NOW to the simulated moment):

- every morning the partner collects the tenant as of the day before, assesses it, runs
  the detections and checks drift; its analysts triage the queue during the day;
- the partner requests risk acceptances, the internal risk owner decides them, they expire;
- changes are planned, approved and made inside their window; the planted
  Conditional Access change is not, and shows up as drift with its actor;
- restore tests are imported monthly from the backup tool's CSV export;
- at the end the live mailbox-compromise incident is worked through authorised response
  actions, then the monthly and quarterly reviews and an evidence pack are written.

Every figure in the reports is computed from that history. Nothing here is a test path: the
simulator is reached over HTTPS with OAuth like Microsoft's cloud.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from functools import cached_property
from pathlib import Path

import httpx

from cosec import csvsafe
from cosec.cli.incidents_demo import incident_chain
from cosec.cli.workspace_cmd import init_workspace
from cosec.config import settings_from_env
from cosec.detect.triage import AlertState
from cosec.errors import CosecError
from cosec.simulator.scenarios import ScenarioPlacement
from cosec.simulator.server import SimulatorConfig, SimulatorHandle, running_simulator
from cosec.simulator.tenant import SimTenant, build_tenant
from cosec.store import alerts as alert_repo
from cosec.store import incidents as incident_repo
from cosec.store.engine import Store, open_store

TENANT = "contoso"
HISTORY_START = date(2026, 4, 1)  # Q2: the IT lead ran cosec weekly on their own
QUARTER_START = date(2026, 7, 1)  # Q3: the co-managed service, operated daily
LAST_DAY = date(2026, 9, 30)
SEED = 2026
WINDOW_SCALE = 0.01  # the simulator's throttle windows, shrunk so a quarter replays fast


@dataclass
class Produced:
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def bump(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


class Operator:
    """Types `cosec` commands at a simulated moment, as one of the workspace's people."""

    def __init__(self, workspace: Path, *, verbose: bool) -> None:
        from typer.main import get_command

        from cosec.cli import app

        self.command = get_command(app)  # built once: Typer rebuilds it on every app() call
        self.workspace = workspace
        self.verbose = verbose
        self.now = datetime.combine(HISTORY_START, dtime(7, 0), UTC)
        self.seconds: dict[str, float] = {}

    @cached_property
    def store(self) -> Store:
        """One connection to the workspace's database for the demo's own reads."""
        settings = settings_from_env(workspace_dir=self.workspace)
        return open_store(settings.effective_database_url())

    def alerts(self, *states: AlertState) -> list[alert_repo.AlertRecord]:
        with self.store.session() as s:
            return alert_repo.list_alerts(s, tenant=TENANT, states=list(states))

    def incidents(self) -> list[incident_repo.IncidentRecord]:
        with self.store.session() as s:
            return incident_repo.list_incidents(s, tenant=TENANT)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.dispose()

    def at(self, moment: datetime) -> None:
        """Move the clock forward (never back: decisions are recorded in order)."""
        self.now = max(self.now, moment)

    def run(self, *args: str, actor: str | None = None, quiet: bool = True) -> bool:
        argv = ["-w", str(self.workspace)]
        if actor:
            argv += ["--as", actor]
        argv += list(args)
        os.environ["COSEC_NOW"] = self.now.isoformat()
        shown = not quiet or self.verbose
        if shown:
            print(f"\n[{self.now:%Y-%m-%d %H:%M}] $ cosec {' '.join(argv[2:])}", flush=True)
        began = time.monotonic()
        try:
            with _silenced(not shown):
                self.command.main(argv, prog_name="cosec", standalone_mode=False)
        except CosecError as exc:
            if shown:
                print(f"refused: {exc}")
            return False
        finally:
            self.seconds[args[0]] = self.seconds.get(args[0], 0.0) + time.monotonic() - began
        return True


@contextmanager
def _silenced(active: bool) -> Iterator[None]:
    if not active:
        yield
        return
    saved = sys.stdout
    sys.stdout = io.StringIO()
    try:
        yield
    finally:
        sys.stdout = saved


def build_demo_tenant() -> SimTenant:
    days = (LAST_DAY - HISTORY_START).days + 1 + 30  # a month of history before Q2
    return build_tenant(
        name=TENANT,
        seed=SEED,
        users=100,
        days=days,
        last_day=LAST_DAY,
        licence_mix="e5",
        scenarios=[
            ScenarioPlacement("ca-policy-disabled", date(2026, 8, 19)),
            ScenarioPlacement("rogue-admin", date(2026, 9, 9)),
            ScenarioPlacement("endpoint-isolated", date(2026, 9, 16)),
            ScenarioPlacement("mailbox-compromise", date(2026, 9, 28)),
        ],
    )


def register_tenant(op: Operator, handle: SimulatorHandle, tenant: SimTenant) -> None:
    """`cosec tenant add` with the simulator's read-only and response apps."""
    creds = handle.tenant(TENANT)
    os.environ["DEMO_READ_SECRET"] = creds.client_secret
    os.environ["DEMO_RESPONSE_SECRET"] = creds.response_client_secret
    op.run(
        "tenant", "add", TENANT, "--tenant-id", creds.tenant_id,
        "--client-id", creds.client_id, "--certificate", str(creds.certificate),
        "--response-client-id", creds.response_client_id,
        "--response-secret-env", "DEMO_RESPONSE_SECRET",
        "--display-name", "Contoso Ltd",
        "--login-url", handle.login, "--graph-url", handle.graph,
        "--exchange-url", handle.exchange, "--defender-url", handle.defender,
        "--ca-bundle", str(handle.ca),
        actor="alex", quiet=False,
    )  # fmt: skip
    op.run("tenant", "check", TENANT, quiet=False)


def write_workspace(root: Path, tenant: SimTenant) -> Path:
    workspace = root / "workspace"
    init_workspace(
        workspace,
        organisation="Contoso Ltd",
        partner="Northwind Security",
        tenant=TENANT,
        env_key=None,
    )
    config = workspace / "cosec.yaml"
    text = config.read_text(encoding="utf-8")
    glass = ", ".join(
        u["userPrincipalName"]
        for u in tenant.collection("users", tenant.last_day)
        if str(u.get("userPrincipalName", "")).startswith("bg-admin")
    )
    text = text.replace("break_glass_accounts: []", f"break_glass_accounts: [{glass}]")
    config.write_text(text, encoding="utf-8")
    return workspace


# How the partner's analysts close what they triage, by detection rule.
ESCALATE_RULES = ("DET-ROLE", "DET-CA", "DET-EDR", "DET-XDR")  # when high or critical
CLOSE_BY_RULE: dict[str, tuple[str, str]] = {
    "DET-PHISH": ("resolve", "reported message purged tenant-wide; sender blocked"),
    "DET-EDR": ("resolve", "Defender quarantined the file; full scan clean"),
    "DET-DRIFT": ("resolve", "raised with the IT lead; a change record follows"),
    "DET-FWD": ("resolve", "forwarding removed after confirming with the user"),
    "DET-RISK": ("resolve", "user contacted; password reset and sessions revoked"),
    "DET-MFA": ("resolve", "new method confirmed with the user by phone"),
    "DET-LEGACY": ("resolve", "legacy protocol disabled for the mailbox"),
    "DET-RULE": ("dismiss", "rule files newsletters; confirmed with the user"),
    "DET-SIGNIN": ("dismiss", "travel confirmed with the user"),
}
LIVE_INCIDENT_DAY = date(2026, 9, 28)  # its alerts are worked live at the end of the demo


def triage_queue(op: Operator, rng: random.Random, produced: Produced) -> None:
    """The partner's analysts work the new alerts, several at once, during the day.

    Each alert gets a pick-up delay and a handling time; the steps of all alerts are then
    replayed in time order so the clock only moves forward.
    """
    steps: list[tuple[datetime, int, str, tuple[str, ...], str]] = []
    for n, alert in enumerate(op.alerts(AlertState.NEW)):
        if alert.first_seen_at.date() >= LIVE_INCIDENT_DAY:
            continue
        analyst = rng.choice(("casey", "jordan"))
        picked = max(op.now, alert.detected_at) + timedelta(minutes=rng.randint(5, 100))
        done = picked + timedelta(minutes=rng.randint(15, 90))
        steps.append((picked, n, analyst, ("alerts", "triage", str(alert.id)), "triage"))
        prefix = alert.rule_id.rsplit("-", 1)[0]
        if prefix in ESCALATE_RULES and alert.severity.value in ("high", "critical"):
            steps.append((done, n, "jordan", ("alerts", "escalate", str(alert.id)), "escalate"))
            continue
        verb, reason = CLOSE_BY_RULE.get(prefix, ("dismiss", "expected activity, confirmed"))
        steps.append(
            (done, n, analyst, ("alerts", verb, str(alert.id), "--reason", reason), "close")
        )
    for moment, _, actor, args, kind in sorted(steps):
        op.at(moment)
        if op.run(*args, actor=actor):
            produced.bump(
                {
                    "triage": "alerts triaged",
                    "escalate": "incidents declared",
                    "close": "alerts closed",
                }[kind]
            )


def work_incidents(
    op: Operator, handle: SimulatorHandle, tenant: SimTenant, produced: Produced
) -> None:
    """The partner contains, eradicates and closes the day's open incidents.

    A disabled Conditional Access policy is put back by the engineer (an admin change the
    next collection sees, so its drift is reverted); the checklist is then ticked off and
    the incident walked through its statuses to closed, each step on its timeline.
    """
    rules = {a.id: a.rule_id for a in op.alerts(AlertState.ESCALATED)}
    for incident in op.incidents():
        if incident.status.value != "open" or incident.declared_at.date() >= LIVE_INCIDENT_DAY:
            continue
        ident = str(incident.id)
        op.at(op.now + timedelta(minutes=45))
        if any(rules.get(a, "").startswith("DET-CA") for a in incident.alert_ids):
            admin = tenant.admin_actor()
            assert admin is not None
            policy = tenant.policy_id("Require MFA for all users")
            _admin_change(handle, op.now, policy, {"state": "enabled"}, admin.upn, tenant)
            op.run(
                "incidents",
                "note",
                ident,
                "MFA policy re-enabled by the partner engineer",
                actor="jordan",
            )
        for item in range(1, len(incident.checklist) + 1):
            op.at(op.now + timedelta(minutes=20))
            op.run("incidents", "contain", ident, str(item), actor="jordan")
        for status, hours in (("contained", 0.5), ("eradicated", 3), ("recovered", 2)):
            op.at(op.now + timedelta(hours=hours))
            op.run("incidents", "status", ident, status, actor="jordan")
        op.at(op.now + timedelta(hours=1))
        if op.run(
            "incidents",
            "close",
            ident,
            "--note",
            "root cause reviewed with the IT lead",
            actor="jordan",
        ):
            produced.bump("incidents closed")


def restore_tests_csv(month_start: date, rng: random.Random, path: Path) -> Path:
    """What the backup tool exports: one restore test per critical dataset this month."""
    rows = []
    for dataset, target_h in (
        ("finance-share", 4),
        ("sharepoint-sites", 8),
        ("exchange-mailboxes", 8),
    ):
        tested = datetime.combine(
            month_start + timedelta(days=rng.randint(8, 20)), dtime(rng.randint(9, 16), 0), UTC
        )
        ok = not (dataset == "sharepoint-sites" and month_start.month == 8)
        minutes = rng.randint(35, 200) if dataset != "exchange-mailboxes" else rng.randint(200, 620)
        rows.append(
            {
                "tenant": TENANT,
                "dataset": dataset,
                "tested_at": tested.isoformat(),
                "result": "success" if ok else "failure",
                "time_to_restore": f"{minutes}m" if ok else "",
                "target": f"{target_h}h",
                "notes": "" if ok else "restore job failed: expired service credential",
            }
        )
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csvsafe.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def morning_cycle(op: Operator, day: date, produced: Produced) -> None:
    """Collect as of yesterday, assess, detect and check drift — the scheduled job."""
    op.at(datetime.combine(day + timedelta(days=1), dtime(6, 30), UTC))
    collect = ["collect", "--as-of", day.isoformat(), "--throttle-scale", str(WINDOW_SCALE)]
    if day == HISTORY_START:
        collect += ["--since", (day - timedelta(days=1)).isoformat()]
    if not op.run(*collect):
        produced.bump("collections failed")
    produced.bump("collections")
    op.run("assess", "--tenant", TENANT)
    op.run("detect", "--tenant", TENANT)
    if day > HISTORY_START:  # the first snapshot becomes the baseline (Plan.on)
        op.run("drift", "--tenant", TENANT)


def operated(day: date) -> bool:
    """Weekly in Q2 (the IT lead alone), daily from Q3 (the co-managed service)."""
    return day >= QUARTER_START or (day - HISTORY_START).days % 7 == 0


@dataclass
class Plan:
    """The quarter's decisions, keyed by day."""

    tenant: SimTenant
    exception_ids: list[str] = field(default_factory=list)

    def on(self, op: Operator, day: date, rng: random.Random, produced: Produced) -> None:
        at = datetime.combine(day + timedelta(days=1), dtime(10, 0), UTC)
        op.at(at)
        if day == HISTORY_START:
            op.run("drift", "--tenant", TENANT, "--adopt", actor="alex", quiet=False)
            op.run(
                "assess",
                "attest",
                "IDN-010v1",
                "--tenant",
                TENANT,
                "--note",
                "break-glass sign-in alert rule fired in the quarterly test",
                actor="alex",
            )
        if day.day == 3 and day > HISTORY_START:
            month = day.replace(day=1) - timedelta(days=1)
            op.run(
                "report",
                "held",
                "monthly",
                "--tenant",
                TENANT,
                "--period",
                f"{month:%Y-%m}",
                "--attendees",
                "alex,jordan",
                actor="alex",
            )
            if day.month == 7:
                op.run(
                    "report",
                    "held",
                    "quarterly",
                    "--tenant",
                    TENANT,
                    "--period",
                    "2026-Q2",
                    "--attendees",
                    "alex,sam,jordan",
                    actor="alex",
                )
        if day.day == 25:
            csv_path = restore_tests_csv(
                day.replace(day=1), rng, op.workspace / f"restore-{day:%Y-%m}.csv"
            )
            op.run("evidence", "import", "restore-tests", str(csv_path), actor="alex")
            produced.bump("restore-test imports")


def run_exception_story(op: Operator, tenant: SimTenant, day: date) -> None:
    """A partner request, refused self-approval, the risk owner's decision, expiry, renewal."""
    at = datetime.combine(day + timedelta(days=1), dtime(11, 0), UTC)
    if day == date(2026, 7, 9):
        op.at(at)
        scope = [a for user in sorted(tenant.mfa_excluded(day)) for a in ("--scope", user)]
        op.run(
            "exceptions",
            "propose",
            "--tenant",
            TENANT,
            "--control",
            "IDN-001v1",
            *scope,
            "--justification",
            "warehouse scanner accounts cannot do MFA until the handheld upgrade in Q4",
            "--compensating",
            "sign-in restricted to the warehouse named location; passwords rotated monthly",
            "--for",
            "30d",
            "--risk-owner",
            "alex",
            actor="jordan",
            quiet=False,
        )
        op.run("exceptions", "approve", "EXC-0001", actor="jordan", quiet=False)  # refused
        op.at(at + timedelta(hours=3))
        op.run(
            "exceptions",
            "approve",
            "EXC-0001",
            "--note",
            "accepted until the upgrade",
            actor="alex",
            quiet=False,
        )
    elif day == date(2026, 8, 12):
        op.at(at)
        op.run(
            "exceptions",
            "renew",
            "EXC-0001",
            "--for",
            "30d",
            "--justification",
            "upgrade slipped to November",
            actor="jordan",
        )
        op.at(at + timedelta(hours=26))
        op.run("exceptions", "approve", "EXC-0002", "--note", "last renewal", actor="alex")
    elif day == date(2026, 9, 2):
        op.at(at)
        op.run(
            "exceptions",
            "propose",
            "--tenant",
            TENANT,
            "--control",
            "EML-005v1",
            "--justification",
            "sales team wants auto-forwarding to their phones",
            "--compensating",
            "none",
            "--for",
            "90d",
            "--risk-owner",
            "alex",
            actor="casey",
        )
        op.at(at + timedelta(hours=20))
        op.run(
            "exceptions",
            "reject",
            "EXC-0003",
            "--note",
            "forwarding company mail outside is not acceptable",
            actor="alex",
        )


def planned_change(op: Operator, handle: SimulatorHandle, tenant: SimTenant, day: date) -> None:
    """An approved change made inside its window by the partner's engineer."""
    if day != date(2026, 8, 4):
        return
    policy = tenant.policy_id("Require compliant device")
    start = datetime.combine(day, dtime(18, 0), UTC)
    op.at(datetime.combine(day - timedelta(days=1), dtime(15, 0), UTC))
    op.run(
        "changes",
        "open",
        "--tenant",
        TENANT,
        "--title",
        "Enforce the compliant-device policy (was report-only)",
        "--object",
        f"conditionalAccessPolicies/{policy}",
        "--start",
        start.isoformat(),
        "--hours",
        "3",
        actor="jordan",
        quiet=False,
    )
    op.at(op.now + timedelta(hours=2))
    op.run("changes", "approve", "CHG-0001", actor="alex", quiet=False)
    admin = tenant.admin_actor()  # the engineer works through the tenant's admin account
    assert admin is not None
    _admin_change(
        handle, start + timedelta(minutes=40), policy, {"state": "enabled"}, admin.upn, tenant
    )


def _admin_change(
    handle: SimulatorHandle,
    moment: datetime,
    object_id: str,
    patch: dict[str, object],
    actor: str,
    tenant: SimTenant,
) -> None:
    """The engineer's edit in the admin portal: a change made at `moment` in the tenant."""
    tenant.clock = lambda: moment
    try:
        response = httpx.post(
            f"{handle.base}/_simulator/tenants/{TENANT}/changes",
            json={
                "kind": "conditionalAccessPolicy",
                "object_id": object_id,
                "patch": patch,
                "actor": actor,
            },
            headers={"Authorization": f"Bearer {handle.control_token}"},
            verify=str(handle.ca),
            timeout=30,
        )
        response.raise_for_status()
    finally:
        tenant.clock = None


def close_changes(op: Operator, day: date) -> None:
    if day == date(2026, 8, 5):
        op.at(datetime.combine(day + timedelta(days=1), dtime(9, 0), UTC))
        op.run("changes", "close", "CHG-0001", actor="jordan", quiet=False)


def run(root: Path, *, days: int | None, verbose: bool) -> Produced:
    produced = Produced()
    rng = random.Random(SEED)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    began = time.monotonic()
    tenant = build_demo_tenant()
    print(
        f"Built the demo tenant: Contoso Ltd, 100 people, history {tenant.first_day} → "
        f"{tenant.last_day}, scenarios planted in Q3"
    )
    workspace = write_workspace(root, tenant)
    op = Operator(workspace, verbose=verbose)
    config = SimulatorConfig(
        tenants=[tenant], state_dir=root / "simulator", window_scale=WINDOW_SCALE
    )
    last = LAST_DAY if days is None else min(LAST_DAY, HISTORY_START + timedelta(days - 1))
    with running_simulator(config) as handle:
        print(f"Simulator serving Graph at {handle.graph} (CA {handle.ca})")
        register_tenant(op, handle, tenant)
        plan = Plan(tenant)
        print(
            f"\nOperating {HISTORY_START} → {last}: weekly in Q2, daily in Q3 "
            "(collect, assess, detect, drift, triage, decisions)…"
        )
        day = HISTORY_START
        while day <= last:
            planned_change(op, handle, tenant, day)
            if operated(day):
                morning_cycle(op, day, produced)
                produced.bump("days operated")
            plan.on(op, day, rng, produced)
            run_exception_story(op, tenant, day)
            close_changes(op, day)
            if operated(day):
                triage_queue(op, rng, produced)
                work_incidents(op, handle, tenant, produced)
            if day.day == 1 or day == last:
                print(
                    f"  {day}: {produced.counts.get('collections', 0)} collections, "
                    f"{produced.counts.get('alerts triaged', 0)} alerts triaged, "
                    f"{time.monotonic() - began:.0f}s",
                    flush=True,
                )
                if verbose:
                    print({k: round(v, 1) for k, v in op.seconds.items()})
            day += timedelta(days=1)
        if last == LAST_DAY:
            print(f"\n=== The live incident: the mailbox compromise of {LAST_DAY} ===")
            op.at(datetime.combine(last + timedelta(days=1), dtime(8, 0), UTC))
            os.environ["COSEC_NOW"] = op.now.isoformat()
            result = incident_chain(workspace, TENANT, echo=print)
            produced.bump("incidents worked live")
            print(f"Incident {result.incident_id}: before {result.before}")
            print(f"                after  {result.after}")

    op.at(datetime.combine(last + timedelta(days=2), dtime(9, 0), UTC))
    out = root / "reports"
    month = f"{last:%Y-%m}"
    quarter = f"{last.year}-Q{(last.month - 1) // 3 + 1}"
    op.run("metrics", "--tenant", TENANT, "--period", month, quiet=False)
    op.run(
        "report",
        "monthly",
        "--tenant",
        TENANT,
        "--period",
        month,
        "--output",
        str(out),
        quiet=False,
    )
    op.run(
        "report",
        "quarterly",
        "--tenant",
        TENANT,
        "--period",
        quarter,
        "--output",
        str(out),
        quiet=False,
    )
    pack = root / f"evidence-{TENANT}-{quarter}.zip"
    op.run(
        "evidence",
        "pack",
        "--tenant",
        TENANT,
        "--period",
        quarter,
        "--output",
        str(pack),
        quiet=False,
    )
    op.run("evidence", "verify", str(pack), quiet=False)
    op.run("audit", "verify", quiet=False)
    op.close()
    produced.files = [*sorted(p for p in out.rglob("*") if p.is_file()), pack]
    produced.counts["seconds"] = int(time.monotonic() - began)
    return produced


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cosec.demo", description=__doc__)
    parser.add_argument("--dir", type=Path, default=Path("demo-workspace"))
    parser.add_argument(
        "--days",
        type=int,
        default=None,
        help="operate only this many days from the start (a quick look)",
    )
    parser.add_argument("--verbose", action="store_true", help="show every command's output")
    args = parser.parse_args(argv)
    produced = run(args.dir.resolve(), days=args.days, verbose=args.verbose)
    print("\n=== What the demo produced ===")
    for key, value in sorted(produced.counts.items()):
        print(f"  {key}: {value}")
    print(
        f"  workspace: {args.dir.resolve() / 'workspace'} "
        f"(try: cosec -w {args.dir / 'workspace'} assess)"
    )
    for path in produced.files:
        print(f"  {path}")


if __name__ == "__main__":
    main()
