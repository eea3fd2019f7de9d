"""Progress reporting hooks the runner calls; the CLI draws them with Rich."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def tenant_started(self, tenant: str, steps: int) -> None: ...

    def step_done(self, tenant: str, key: str, status: str) -> None: ...

    def tenant_finished(self, tenant: str, ok: bool) -> None: ...


class NoProgress:
    """For callers that do not show progress (jobs, tests, the demo)."""

    def tenant_started(self, tenant: str, steps: int) -> None:
        return None

    def step_done(self, tenant: str, key: str, status: str) -> None:
        return None

    def tenant_finished(self, tenant: str, ok: bool) -> None:
        return None
