"""Persistence: engine factory, ORM tables, Alembic migrations and repositories."""
