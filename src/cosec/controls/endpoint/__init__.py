"""Endpoint controls (Intune, Defender for Endpoint)."""
