"""Detection and response readiness controls."""
