from __future__ import annotations

from sqlalchemy import inspect

from cosec.store.engine import Store, is_up_to_date, make_engine, open_store, upgrade


def test_migrations_create_tables_and_are_idempotent(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        upgrade(engine)
        assert is_up_to_date(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"tenants", "credentials", "audit_log", "alembic_version"} <= tables
        upgrade(engine)  # a second run changes nothing
        assert is_up_to_date(engine)
    finally:
        engine.dispose()


def test_open_store_upgrades_automatically(store_url: str) -> None:
    s: Store = open_store(store_url)
    try:
        assert is_up_to_date(s.engine)
    finally:
        s.dispose()


def test_sqlite_uses_wal(tmp_path: object) -> None:
    s = open_store(f"sqlite:///{tmp_path}/x.db")
    try:
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        s.dispose()
