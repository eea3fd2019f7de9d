"""Email controls (Exchange Online, Defender for Office 365)."""
