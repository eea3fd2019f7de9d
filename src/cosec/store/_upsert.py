"""INSERT … ON CONFLICT for both backends (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cosec.store.base import Base


def insert_for(session: Session, entity: type[Base]) -> Any:
    """The dialect's INSERT construct, which has `on_conflict_do_*`."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(entity)
    return sqlite.insert(entity)
