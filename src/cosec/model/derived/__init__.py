"""Derived facts more than one part of cosec reads, each defined once.

Controls, metrics, governance and the reports consume these pure functions over the
parsed model instead of re-deriving the facts, so one question ("is MFA enforced for
this user?", "who is privileged?") has one answer everywhere.
"""
