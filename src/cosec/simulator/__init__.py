"""A fake Microsoft 365 cloud for demos, tests and benchmarks.

Stands alone: imports no other part of cosec. Product code reaches it only over HTTPS.
"""
