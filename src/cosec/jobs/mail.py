"""Delivering the notification outbox by e-mail (optional: only with SMTP settings)."""

from __future__ import annotations

import os
import smtplib
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from cosec.config import SmtpSettings
from cosec.errors import ConfigError
from cosec.store import exceptions as register
from cosec.store.engine import Store


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class SmtpMailer:
    """Sends through an SMTP server; credentials come from environment variables."""

    def __init__(self, settings: SmtpSettings, env: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        env = os.environ if env is None else env
        self._login: tuple[str, str] | None = None
        if settings.username_env:
            user = env.get(settings.username_env)
            password = env.get(settings.password_env or "")
            if not user or not password:
                raise ConfigError(
                    f"SMTP login needs {settings.username_env} and "
                    f"{settings.password_env or '(password_env)'} set in the environment",
                    field="notifications.smtp",
                )
            self._login = (user, password)

    def send(self, to: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"] = self.settings.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg.set_content(body)
        with smtplib.SMTP(self.settings.host, self.settings.port, timeout=30) as smtp:
            if self.settings.starttls:
                smtp.starttls()
            if self._login:
                smtp.login(*self._login)
            smtp.send_message(msg)


def deliver_outbox(store: Store, mailer: Mailer, now: datetime) -> tuple[int, int]:
    """Send every unsent notification that has an address; return (sent, failed).

    Each attempt is recorded on its own, so one bad address does not block the rest and
    a failed notification is retried on the next run.
    """
    with store.session() as s:
        pending = [
            (n.id, n.email, n.subject, n.body)
            for n in register.outbox(s, unsent_only=True)
            if n.email
        ]
    sent = failed = 0
    for nid, email, subject, body in pending:
        assert email is not None
        error: str | None = None
        try:
            mailer.send(email, subject, body)
            sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            failed += 1
        with store.session() as s:
            register.mark_delivery(s, nid, at=now, error=error)
    return sent, failed
