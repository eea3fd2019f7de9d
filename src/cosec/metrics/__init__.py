"""Metrics: definitions, reporting periods, targets → red/amber/green, and trends.

Pure functions over plain facts (`cosec.metrics.facts`); the edges gather those facts
from snapshots, events and recorded evidence and store the computed values.
"""
