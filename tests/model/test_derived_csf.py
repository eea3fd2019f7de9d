from __future__ import annotations

from cosec.model.derived.csf import ControlResult, csf_rollup

FUNCTIONS = ("GV", "ID", "PR", "DE", "RS", "RC")


def test_each_control_counts_once_per_function_and_multi_mapping_is_stated() -> None:
    rollup = csf_rollup(
        [
            ControlResult("IDN-001v1", "fail", "critical", ("PR.AA-03",)),
            ControlResult("IDN-002v1", "pass", "critical", ("PR.AA-03", "PR.AA-05")),
            ControlResult("IDN-009v1", "pass", "high", ("PR.AA-05", "PR.IR-03", "DE.CM-01")),
            ControlResult("END-004v1", "not_assessed", "high", ("PR.PS-02", "ID.RA-01")),
            ControlResult("EML-009v1", "not_applicable", "low", ("PR.DS-01",)),
        ],
        FUNCTIONS,
    )
    pr, de, id_ = rollup.functions["PR"], rollup.functions["DE"], rollup.functions["ID"]
    # IDN-002 maps twice into PR: once under PR
    assert (pr.passed, pr.failed, pr.unknown, pr.total) == (2, 1, 1, 4)
    assert pr.severe_failure and not de.severe_failure
    assert (de.passed, id_.unknown) == (1, 1)
    assert (pr.shared, de.shared, id_.shared) == (2, 1, 1)
    assert (rollup.controls, rollup.multi_mapped, rollup.results) == (4, 2, 6)
