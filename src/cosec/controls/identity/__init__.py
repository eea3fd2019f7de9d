"""Identity controls (Microsoft Entra ID)."""
