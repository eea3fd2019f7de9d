"""ORM tables, one module per area. Importing this package registers them all."""

from cosec.store.tables import audit, core, metrics

__all__ = ["audit", "core", "metrics"]
