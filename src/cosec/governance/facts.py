"""The operating model's contribution to `GovernanceFacts` (checked by governance controls)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import datetime

from cosec.config import Workspace
from cosec.governance.exceptions import ExceptionRecord, relied_on_after_expiry
from cosec.governance.raci import unowned_cells
from cosec.model.governance import GovernanceFacts


def with_operating_model(
    facts: GovernanceFacts,
    workspace: Workspace,
    records: Iterable[ExceptionRecord],
    *,
    exposed: Collection[str],
    now: datetime,
) -> GovernanceFacts:
    """`facts` with the unowned map cells and the expired exceptions still relied on.

    `exposed` holds the names of principals still excluded from policies (see
    `reconcile.exposed_principals`); other facts (reviews, on-call, authority matrix)
    come from their own areas and are kept as given.
    """
    return replace(
        facts,
        unowned_cells=unowned_cells(workspace),
        expired_exceptions_relied_on=tuple(relied_on_after_expiry(records, exposed, now)),
    )
