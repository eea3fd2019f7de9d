from __future__ import annotations

import smtplib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from types import TracebackType
from typing import ClassVar

import pytest
from tests.helpers import run_cli
from typer.testing import CliRunner

from cosec.cli.workspace_cmd import workspace_template
from cosec.clock import FixedClock
from cosec.config import Severity, SmtpSettings, parse_workspace
from cosec.errors import ConfigError
from cosec.governance.exceptions import ExceptionState
from cosec.jobs.mail import SmtpMailer, deliver_outbox
from cosec.jobs.registry import default_jobs, expire_and_remind
from cosec.jobs.scheduler import Job, JobContext, Scheduler
from cosec.store import exceptions as register
from cosec.store.engine import Store, open_store

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)
WS = parse_workspace(workspace_template("Contoso", "MSP", "main"))


@pytest.fixture
def sqlite_store(tmp_path: object) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path}/jobs.db")
    yield store
    store.dispose()


def _approved(store: Store, days: int = 20) -> str:
    with store.session() as s:
        rec = register.propose(
            s,
            tenant="main",
            control_id="IDN-001v1",
            severity=Severity.HIGH,
            scope=["u1"],
            justification="j",
            compensating_controls="c",
            requester=WS.person("jordan"),
            expires_at=T0 + timedelta(days=days),
            now=T0,
            policy=WS.exceptions,
        )
        register.approve(s, rec.id, approver=WS.person("alex"), now=T0)
    return rec.id


class FakeMailer:
    def __init__(self, fail_for: str | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail_for = fail_for

    def send(self, to: str, subject: str, body: str) -> None:
        if to == self.fail_for:
            raise smtplib.SMTPRecipientsRefused({to: (550, b"no such user")})
        self.sent.append((to, subject))


def test_scheduler_runs_due_jobs_and_isolates_failures(sqlite_store: Store) -> None:
    clock = FixedClock(T0)
    calls: list[datetime] = []

    def ok(ctx: JobContext) -> str:
        calls.append(ctx.now)
        return "fine"

    def broken(ctx: JobContext) -> str:
        raise RuntimeError("boom")

    sched = Scheduler(
        [Job("ok", timedelta(hours=1), ok), Job("bad", timedelta(hours=1), broken)], clock
    )
    first = sched.run_due(sqlite_store, WS)
    assert [(r.job, r.ok) for r in first] == [("ok", True), ("bad", False)]
    assert "boom" in first[1].summary
    clock.advance(timedelta(minutes=59))
    assert sched.run_due(sqlite_store, WS) == []
    clock.advance(timedelta(minutes=1))
    assert [r.job for r in sched.run_due(sqlite_store, WS)] == ["ok", "bad"]
    assert calls == [T0, T0 + timedelta(hours=1)]
    with pytest.raises(ValueError, match="unique"):
        Scheduler([Job("ok", timedelta(hours=1), ok)] * 2, clock)


def test_expire_and_remind_job_end_to_end(sqlite_store: Store) -> None:
    code = _approved(sqlite_store, days=20)
    mailer = FakeMailer()
    summary = expire_and_remind(JobContext(sqlite_store, WS, T0), mailer)
    assert summary == "0 exception(s) expired, 1 reminder(s) queued, 1 e-mail(s) sent, 0 failed"
    assert mailer.sent == [("alex@example.com", f"[cosec] {code} (IDN-001v1) expires in 20 days")]
    later = T0 + timedelta(days=20)
    assert expire_and_remind(JobContext(sqlite_store, WS, later), mailer).startswith(
        "1 exception(s) expired"
    )
    with sqlite_store.session() as s:
        assert register.get(s, code).state is ExceptionState.EXPIRED
    assert [j.name for j in default_jobs()] == ["exceptions.expire_and_remind"]


def test_failed_delivery_is_recorded_and_retried(sqlite_store: Store) -> None:
    _approved(sqlite_store, days=5)
    with sqlite_store.session() as s:
        register.queue_reminders(s, WS, T0)
    assert deliver_outbox(sqlite_store, FakeMailer(fail_for="alex@example.com"), T0) == (0, 1)
    with sqlite_store.session() as s:
        (pending,) = register.outbox(s, unsent_only=True)
        assert pending.error is not None and "SMTPRecipientsRefused" in pending.error
    assert deliver_outbox(sqlite_store, FakeMailer(), T0) == (1, 0)
    assert deliver_outbox(sqlite_store, FakeMailer(), T0) == (0, 0)


class FakeSmtp:
    instances: ClassVar[list[FakeSmtp]] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port = host, port
        self.calls: list[str] = []
        self.messages: list[EmailMessage] = []
        FakeSmtp.instances.append(self)

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.calls.append("quit")

    def starttls(self) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(f"login {user}")

    def send_message(self, msg: EmailMessage) -> None:
        self.messages.append(msg)


def test_smtp_mailer_uses_settings_and_env_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    settings = SmtpSettings(
        host="smtp.example.com",
        sender="cosec@example.com",
        username_env="SMTP_USER",
        password_env="SMTP_PASSWORD",
    )
    with pytest.raises(ConfigError, match="SMTP_USER"):
        SmtpMailer(settings, env={})
    mailer = SmtpMailer(settings, env={"SMTP_USER": "bot", "SMTP_PASSWORD": "pw"})
    mailer.send("alex@example.com", "subject", "body")
    (smtp,) = FakeSmtp.instances
    assert (smtp.host, smtp.port) == ("smtp.example.com", 587)
    assert smtp.calls == ["starttls", "login bot", "quit"]
    msg = smtp.messages[0]
    assert (msg["From"], msg["To"], msg["Subject"]) == (
        "cosec@example.com",
        "alex@example.com",
        "subject",
    )


def test_run_forever_stops_when_told(sqlite_store: Store) -> None:
    clock = FixedClock(T0)
    stop = threading.Event()
    seen: list[datetime] = []

    def tick(ctx: JobContext) -> str:
        seen.append(ctx.now)
        clock.advance(timedelta(hours=1))
        if len(seen) == 3:
            stop.set()
        return "tick"

    Scheduler([Job("tick", timedelta(hours=1), tick)], clock).run_forever(
        sqlite_store, WS, stop, tick=0.0
    )
    assert seen == [T0, T0 + timedelta(hours=1), T0 + timedelta(hours=2)]


def test_jobs_cli(cli: CliRunner, cli_env: dict[str, str]) -> None:
    assert "exceptions.expire_and_remind" in run_cli(cli, ["jobs", "list"], cli_env).output
    env = {**cli_env, "COSEC_NOW": T0.isoformat()}
    out = run_cli(cli, ["jobs", "run", "--once"], env).output
    assert "exceptions.expire_and_remind ok: 0 exception(s) expired" in out
