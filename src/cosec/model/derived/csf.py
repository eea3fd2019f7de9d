"""The NIST CSF 2.0 roll-up of control results: each control once per function.

A control maps to CSF subcategories (PR.AA-03, DE.CM-01, …); it counts once under
every *function* (PR, DE, …) its subcategories belong to. A control mapped to two
functions therefore appears in both, so the per-function totals add up to more than
the number of controls: the roll-up says by how much (`multi_mapped`), never hides it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

UNKNOWN_STATUSES = ("not_assessed", "error")


@dataclass(frozen=True)
class ControlResult:
    control_id: str
    status: str  # pass | fail | accepted | not_applicable | not_assessed | error
    severity: str
    csf: tuple[str, ...]  # subcategory ids


@dataclass(frozen=True)
class FunctionTally:
    passed: int = 0
    failed: int = 0
    accepted: int = 0
    unknown: int = 0  # not assessed or errored
    severe_failure: bool = False  # a critical or high control fails
    shared: int = 0  # of these controls, how many also count under another function

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.accepted + self.unknown


@dataclass(frozen=True)
class CsfRollup:
    functions: dict[str, FunctionTally]
    controls: int  # distinct controls counted (not_applicable ones are left out)
    multi_mapped: int  # controls counted under more than one function
    results: int  # sum of the per-function totals (> controls when multi-mapped)


def function_of(subcategory: str) -> str | None:
    return subcategory.split(".")[0] if "." in subcategory else None


def csf_rollup(results: Iterable[ControlResult], functions: Iterable[str]) -> CsfRollup:
    """Roll `results` up under `functions` (codes: GV, ID, PR, DE, RS, RC)."""
    wanted = tuple(functions)
    by_control: dict[str, ControlResult] = {}
    for r in results:
        if r.status != "not_applicable":
            by_control[r.control_id] = r  # one result per control, the last one given
    per: dict[str, Counter[str]] = {code: Counter() for code in wanted}
    severe: set[str] = set()
    shared: Counter[str] = Counter()
    multi = 0
    for r in by_control.values():
        codes = {c for s in r.csf if (c := function_of(s)) in per}
        multi += len(codes) > 1
        for code in codes:
            per[code][r.status] += 1
            shared[code] += len(codes) > 1
            if r.status == "fail" and r.severity in ("critical", "high"):
                severe.add(code)
    tallies = {
        code: FunctionTally(
            passed=c["pass"],
            failed=c["fail"],
            accepted=c["accepted"],
            unknown=sum(c[s] for s in UNKNOWN_STATUSES),
            severe_failure=code in severe,
            shared=shared[code],
        )
        for code, c in per.items()
    }
    counted = sum(1 for r in by_control.values() if any(function_of(s) in per for s in r.csf))
    return CsfRollup(tallies, counted, multi, sum(t.total for t in tallies.values()))
