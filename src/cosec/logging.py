"""Logging with structlog: readable console output for people, JSON for machines.

A processor drops any value that looks like a credential, so a secret passed to a log
call by mistake never reaches the output.
"""

from __future__ import annotations

import logging as std_logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

_SENSITIVE_KEYS = ("secret", "password", "token", "assertion", "private_key", "authorization")


def _redact(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if any(s in key.lower() for s in _SENSITIVE_KEYS):
            event[key] = "[redacted]"
    return event


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is at the time of writing.

    Binding the stream at configuration time breaks when a caller (a test runner, the
    demo) swaps stderr and later closes its replacement.
    """

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(
    fmt: str = "console", *, level: int = std_logging.INFO, stream: TextIO | None = None
) -> None:
    """Configure structlog for the process (called once by the CLI, web app or worker)."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=stream or _CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
