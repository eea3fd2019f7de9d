"""The incident-response chain as a demo: the simulator's mailbox compromise, detected,
escalated, contained through authorised actions, and shown on the timeline and audit log.

`run_incident_demo(workdir)` is self-contained (own simulator, workspace and tenant);
`incident_chain(workspace, tenant)` runs the chain on an already collected tenant. Both
type the same commands a user would, echoing each before its output.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cosec.cli.workspace_cmd import init_workspace
from cosec.config import settings_from_env
from cosec.detect.triage import QUEUE_STATES
from cosec.errors import CosecError
from cosec.graph import open_tenant_client
from cosec.model.resources import Service
from cosec.simulator.scenarios import ScenarioPlacement
from cosec.simulator.server import SimulatorConfig, SimulatorHandle, running_simulator
from cosec.simulator.tenant import build_tenant
from cosec.store import alerts as alert_repo
from cosec.store import incidents as incident_repo
from cosec.store import tenants as tenant_repo
from cosec.store.engine import Store, open_store
from cosec.store.secrets import SecretBox, load_or_create_key

Echo = Callable[[str], None]


@dataclass(frozen=True)
class DemoResult:
    incident_id: int
    victim: str
    alerts: tuple[str, ...]  # rule ids that fired for the victim
    before: dict[str, Any]
    after: dict[str, Any]
    refused: bool


def _cosec(workspace: Path, args: Sequence[str], echo: Echo) -> bool:
    """Run one `cosec` command in-process (it prints its own output); False if refused."""
    from cosec.cli import app

    echo("$ cosec " + " ".join(args))
    try:
        app(["-w", str(workspace), *args], standalone_mode=False)
    except CosecError as exc:
        echo(f"refused: {exc}")
        return False
    return True


def _open(workspace: Path) -> tuple[Store, SecretBox]:
    settings = settings_from_env(workspace_dir=workspace)
    box = SecretBox(load_or_create_key(settings.data_dir, settings.secret_key))
    return open_store(settings.effective_database_url()), box


def read_back(workspace: Path, tenant: str, user: str) -> dict[str, Any]:
    """The user's sessions, inbox rules and forwarding as the read-only app sees them."""
    store, box = _open(workspace)
    try:
        with store.session() as s:
            info = tenant_repo.get_tenant(s, tenant)
            cred = tenant_repo.credential(s, box, tenant, "read")
    finally:
        store.dispose()

    async def read() -> dict[str, Any]:
        async with open_tenant_client(info, cred) as client:
            u = await client.get_json(
                Service.GRAPH,
                f"users/{user}",
                params={"$select": "id,signInSessionsValidFromDateTime,accountEnabled"},
            )
            rules = await client.list_all(
                Service.GRAPH, f"users/{u['id']}/mailFolders/inbox/messageRules"
            )
            boxes = await client.invoke_exchange("Get-Mailbox", {"Identity": user})
            return {
                "sessions_valid_from": u.get("signInSessionsValidFromDateTime"),
                "account_enabled": u.get("accountEnabled"),
                "inbox_rules": sorted(str(r.get("id")) for r in rules),
                "forwarding": boxes[0].get("ForwardingSmtpAddress") if boxes else None,
            }

    return asyncio.run(read())


def _queue(workspace: Path, tenant: str) -> list[alert_repo.AlertRecord]:
    store, _ = _open(workspace)
    try:
        with store.session() as s:
            return alert_repo.list_alerts(s, tenant=tenant, states=sorted(QUEUE_STATES))
    finally:
        store.dispose()


def _latest_incident(workspace: Path, tenant: str) -> int:
    store, _ = _open(workspace)
    try:
        with store.session() as s:
            return incident_repo.list_incidents(s, tenant=tenant)[0].id
    finally:
        store.dispose()


def incident_chain(workspace: Path, tenant: str, *, echo: Echo = print) -> DemoResult:
    """Detect, escalate, refuse, act, contain and show — on a collected tenant."""

    def run(*args: str) -> bool:
        return _cosec(workspace, args, echo)

    run("detect", "--tenant", tenant)
    queue = _queue(workspace, tenant)
    forwarding = [a for a in queue if a.rule_id.startswith("DET-FWD")]
    if not forwarding:
        raise CosecError("no forwarding alert: was the mailbox-compromise scenario planted?")
    victim = forwarding[0].subject
    mine = [a for a in queue if a.subject == victim]
    ids = [str(a.id) for a in mine]
    run("alerts", "list", "--tenant", tenant)
    run("--as", "casey", "alerts", "triage", ids[0])
    run("--as", "casey", "alerts", "escalate", *ids)  # refused: casey may not declare
    run("--as", "jordan", "alerts", "escalate", *ids)
    iid = str(_latest_incident(workspace, tenant))
    before = read_back(workspace, tenant, victim)
    echo(f"state read back over HTTPS before acting: {before}")
    refused = not run(
        "--as", "sam", "incidents", "act", iid, "revoke_sessions", "--user", victim, "--execute"
    )
    run("--as", "jordan", "incidents", "act", iid, "revoke_sessions", "--user", victim)
    run("--as", "jordan", "incidents", "act", iid, "revoke_sessions", "--user", victim, "--execute")
    rule = next((str(a.details["rule_id"]) for a in forwarding if a.details.get("rule_id")), None)
    if rule:
        run("--as", "jordan", "incidents", "act", iid, "remove_inbox_rule", "--user", victim,
            "--rule", rule, "--execute")  # fmt: skip
    run("--as", "jordan", "incidents", "act", iid, "remove_forwarding", "--user", victim,
        "--execute")  # fmt: skip
    after = read_back(workspace, tenant, victim)
    echo(f"state read back over HTTPS after acting: {after}")
    run("--as", "jordan", "incidents", "contain", iid, "1")
    run("--as", "jordan", "incidents", "contain", iid, "2")
    run("--as", "alex", "incidents", "act", iid, "confirm_compromised", "--user", victim,
        "--execute")  # fmt: skip
    run("--as", "jordan", "incidents", "contain", iid, "3")
    run("--as", "alex", "incidents", "inform", iid, "--who", "sam", "--channel", "phone",
        "--summary", "mailbox compromise contained")  # fmt: skip
    run("--as", "jordan", "incidents", "status", iid, "contained")
    run("incidents", "show", iid)
    run("incidents", "timeline", iid)
    run("audit", "list", "--tenant", tenant)
    fired = tuple(sorted({a.rule_id for a in mine}))
    return DemoResult(int(iid), victim, fired, before, after, refused)


def run_incident_demo(workdir: Path, *, echo: Echo = print, seed: int = 7) -> DemoResult:
    """Self-contained: simulator with a mailbox compromise, workspace, tenant, collection."""
    tenant = build_tenant(
        name="contoso",
        seed=seed,
        users=40,
        days=14,
        licence_mix="e5",
        scenarios=[ScenarioPlacement("mailbox-compromise")],
    )
    workspace = workdir / "incident-demo"
    init_workspace(
        workspace, organisation="Contoso Ltd", partner="Partner MSP", tenant="main", env_key=None
    )
    config = SimulatorConfig(tenants=[tenant], state_dir=workdir / "simulator", window_scale=0.01)
    with running_simulator(config) as handle:
        _register(workspace, handle)
        before_day = tenant.last_day - timedelta(days=3)
        _cosec(
            workspace,
            ["collect", "--throttle-scale", "0.01", "--as-of", before_day.isoformat()],
            echo,
        )
        _cosec(workspace, ["collect", "--throttle-scale", "0.01"], echo)
        return incident_chain(workspace, "main", echo=echo)


def _register(workspace: Path, h: SimulatorHandle) -> None:
    """Register the simulated tenant with its read and response apps (as `tenant add`)."""
    c = h.tenant("contoso")
    store, box = _open(workspace)
    now = datetime.now(UTC)
    endpoints = {
        "login": h.login,
        "graph": h.graph,
        "exchange": h.exchange,
        "defender": h.defender,
        "ca_bundle": str(h.ca),
    }
    try:
        with store.session() as s:
            tenant_repo.add_tenant(
                s,
                name="main",
                tenant_id=c.tenant_id,
                display_name=None,
                endpoints=endpoints,
                now=now,
            )
            for purpose, client_id, secret in (
                ("read", c.client_id, c.client_secret),
                ("response", c.response_client_id, c.response_client_secret),
            ):
                tenant_repo.set_credential(
                    s,
                    box,
                    tenant="main",
                    purpose=purpose,
                    client_id=client_id,
                    kind="secret",
                    material=secret,
                    thumbprint=None,
                    now=now,
                )
    finally:
        store.dispose()
