"""Detection rules over collected events and snapshots, alert de-duplication, and the
triage queue's state machine and SLA clocks. Pure: works on `cosec.model` records and
settings only; the store and the CLI feed it and persist what it decides.
"""
