"""ORM tables, one module per area. Importing this package registers them all."""

from cosec.store.tables import assess, audit, collect, core, detect, governance, metrics

__all__ = ["assess", "audit", "collect", "core", "detect", "governance", "metrics"]
