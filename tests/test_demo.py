"""The main job (`make demo`) runs end to end; here on its first days only, for time."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosec.demo import run


def test_demo_operates_and_writes_reviews_and_a_verified_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    produced = run(tmp_path / "demo", days=9, verbose=False)
    out = capsys.readouterr().out
    assert produced.counts["collections"] == 2  # weekly in Q2: 1 and 8 April
    assert produced.counts.get("collections failed", 0) == 0
    names = {p.name for p in produced.files}
    assert any(n.endswith(".pdf") and "monthly" in n for n in names), names
    assert any(n.endswith(".html") and "quarterly" in n for n in names), names
    assert any(n.endswith(".zip") for n in names)
    assert "refused" not in out.split("evidence verify")[-1]  # the pack and audit log verify
    assert "audit log verified" in out
