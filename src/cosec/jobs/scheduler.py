"""A small in-process scheduler: runs each job when its interval has elapsed.

Time comes from the injected clock, so tests (and `COSEC_NOW`) drive it without
waiting. A failing job is logged and retried at its next interval; it never stops the
others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from cosec.clock import Clock
from cosec.config import Workspace
from cosec.store.engine import Store

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class JobContext:
    store: Store
    workspace: Workspace
    now: datetime


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    run: Callable[[JobContext], str]  # returns a one-line summary


@dataclass(frozen=True)
class JobRun:
    job: str
    at: datetime
    ok: bool
    summary: str


class Scheduler:
    def __init__(self, jobs: Sequence[Job], clock: Clock) -> None:
        names = [j.name for j in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self._jobs = list(jobs)
        self._clock = clock
        self._next: dict[str, datetime] = {}

    def run_due(self, store: Store, workspace: Workspace) -> list[JobRun]:
        """Run every job that is due now (all of them on the first call)."""
        runs = []
        for job in self._jobs:
            now = self._clock.now()
            if now < self._next.get(job.name, now):
                continue
            try:
                summary = job.run(JobContext(store, workspace, now))
                runs.append(JobRun(job.name, now, True, summary))
                log.info("job finished", job=job.name, summary=summary)
            except Exception as exc:
                runs.append(JobRun(job.name, now, False, f"{type(exc).__name__}: {exc}"))
                log.exception("job failed", job=job.name)
            self._next[job.name] = now + job.interval
        return runs

    def run_forever(
        self, store: Store, workspace: Workspace, stop: threading.Event, tick: float = 30.0
    ) -> None:
        """Run due jobs every `tick` seconds until `stop` is set."""
        while not stop.is_set():
            self.run_due(store, workspace)
            stop.wait(tick)
