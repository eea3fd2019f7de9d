"""Summaries that say what they mean: "none of 3 privileged users is required to …"."""

from __future__ import annotations


def share(count: int, total: int, noun: str, predicate: str) -> str:
    """'none of 3 admins is …', 'all 3 admins are …', '2 of 3 admins are …', 'no admins'.

    `predicate` is written for the plural ("are required to use …"); the singular
    "none of … is" is derived from it.
    """
    if total == 0:
        return f"no {noun} to assess"
    if count == 0:
        singular = (
            predicate.replace("are ", "is ", 1) if predicate.startswith("are ") else predicate
        )
        return f"none of {total} {noun} {singular}"
    if count == total:
        return f"all {total} {noun} {predicate}"
    return f"{count} of {total} {noun} {predicate}"
