"""The jobs cosec runs on a schedule. Other areas append theirs to `default_jobs`."""

from __future__ import annotations

from datetime import timedelta

from cosec.jobs.mail import Mailer, SmtpMailer, deliver_outbox
from cosec.jobs.scheduler import Job, JobContext
from cosec.store import exceptions as register


def expire_and_remind(ctx: JobContext, mailer: Mailer | None = None) -> str:
    """Expire exceptions past their end date and queue (and send) expiry reminders."""
    with ctx.store.session() as s:
        expired = register.expire_due(s, ctx.now)
        queued = register.queue_reminders(s, ctx.workspace, ctx.now)
    summary = f"{len(expired)} exception(s) expired, {len(queued)} reminder(s) queued"
    smtp = ctx.workspace.notifications.smtp
    if mailer is None and smtp is not None:
        mailer = SmtpMailer(smtp)
    if mailer is not None:
        sent, failed = deliver_outbox(ctx.store, mailer, ctx.now)
        summary += f", {sent} e-mail(s) sent, {failed} failed"
    return summary


def default_jobs() -> list[Job]:
    return [Job("exceptions.expire_and_remind", timedelta(hours=1), expire_and_remind)]
