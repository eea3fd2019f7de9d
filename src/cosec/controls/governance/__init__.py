"""Governance controls (the operating model itself)."""
