from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cosec.errors import ConfigError
from cosec.store.audit import entries
from cosec.store.engine import Store
from cosec.store.evidence import (
    add_restore_tests,
    load_or_create_signing_key,
    parse_restore_csv,
    restore_tests,
)

NOW = datetime(2026, 10, 20, tzinfo=UTC)
GOOD = """tenant,dataset,tested_at,result,time_to_restore,target,notes
main,finance-share,2026-10-03T10:00:00Z,success,45m,4h,quarterly drill
main,exchange-mailboxes,2026-10-04,failure,,,backup job had lapsed
"""


def test_csv_import_round_trips_into_restore_tests(store: Store) -> None:
    parsed = parse_restore_csv(GOOD, source="tests.csv", known_tenants={"main"})
    with store.session() as s:
        assert (
            add_restore_tests(
                s, parsed, recorded_by="alex", party="internal", recorded_at=NOW, source="t.csv"
            )
            == 2
        )
    with store.session() as s:
        got = restore_tests(s, "main", datetime(2026, 10, 1, tzinfo=UTC), NOW)
        assert restore_tests(s, "other", datetime(2026, 10, 1, tzinfo=UTC), NOW) == []
        assert restore_tests(s, "main", NOW, NOW + timedelta(days=1)) == []
    with store.session() as s:
        audited = [(e.action, e.subject, e.party) for e in entries(s, tenant="main")]
    assert audited == [
        ("evidence.restore_test", "finance-share", "internal"),
        ("evidence.restore_test", "exchange-mailboxes", "internal"),
    ]
    assert [(t.dataset, t.succeeded) for t in got] == [
        ("finance-share", True),
        ("exchange-mailboxes", False),
    ]
    first = got[0]
    assert first.time_to_restore == timedelta(minutes=45)
    assert first.target == timedelta(hours=4)
    assert first.tested_at == datetime(2026, 10, 3, 10, tzinfo=UTC)
    assert first.recorded_by == "alex"
    assert first.source == "t.csv:row 2"
    assert got[1].notes == "backup job had lapsed"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("main,x,yesterday,success,1h,,", "row 3, column tested_at"),
        ("main,x,2026-10-05,passed,1h,,", "row 3, column result: result must be success"),
        ("main,x,2026-10-05,success,soon,,", "row 3, column time_to_restore"),
        ("main,x,2026-10-05,success,,,", "row 3, column time_to_restore: is required"),
        ("main,,2026-10-05,success,1h,,", "row 3, column dataset: is empty"),
        ("nope,x,2026-10-05,success,1h,,", "row 3, column tenant: unknown tenant 'nope'"),
    ],
)
def test_bad_rows_name_row_and_column_and_nothing_is_returned(line: str, expected: str) -> None:
    text = GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n" + line + "\n"
    with pytest.raises(ConfigError, match=expected) as info:
        parse_restore_csv(text, source="bad.csv", known_tenants={"main"})
    assert "Nothing was imported" in str(info.value)


def test_missing_columns_and_empty_files_are_rejected() -> None:
    with pytest.raises(ConfigError, match="missing column"):
        parse_restore_csv("tenant,dataset\nmain,x\n", source="x.csv", known_tenants={"main"})
    with pytest.raises(ConfigError, match="no rows"):
        parse_restore_csv(GOOD.splitlines()[0] + "\n", source="x.csv", known_tenants={"main"})


def test_signing_key_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    key = load_or_create_signing_key(tmp_path / "data")
    path = tmp_path / "data" / "signing-key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_signing_key(tmp_path / "data")
    assert key.public_key().public_bytes_raw() == again.public_key().public_bytes_raw()


def test_a_corrupt_signing_key_is_an_error_not_a_new_key(tmp_path: Path) -> None:
    (tmp_path / "signing-key.pem").write_text("garbage")
    with pytest.raises(Exception, match="not a PEM private key"):
        load_or_create_signing_key(tmp_path)
    assert (tmp_path / "signing-key.pem").read_text() == "garbage"
