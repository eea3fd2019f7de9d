"""Alembic environment: runs against the engine the caller put in the config."""

from alembic import context

import cosec.store.tables  # noqa: F401  (registers every table on the metadata)
from cosec.store.base import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
