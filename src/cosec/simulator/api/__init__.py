"""The simulator's HTTP apps: identity (login), Graph v1.0, Exchange admin, Defender, control."""
