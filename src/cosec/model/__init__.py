"""Typed records parsed from raw Microsoft API JSON, and the snapshot container.

Imports nothing else of cosec. See `resources` for the vocabulary of resource keys.
"""
