"""cosec: co-managed security operations for Microsoft 365."""

__version__ = "0.1.0"
