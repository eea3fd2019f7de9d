"""Data and recovery controls (restore tests from the evidence register)."""
