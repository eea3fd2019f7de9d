"""CSV cells neutralised against formula injection, for every CSV cosec writes.

Spreadsheets (Excel, LibreOffice, Google Sheets) execute a cell that begins with `=`,
`+`, `-` or `@` as a formula, and some also treat a leading TAB or CR that way; tenant
names and free text reach cosec's CSV exports (assessments, the responsibility map in
every evidence pack). Following the OWASP rule, a text cell beginning with one of those
characters is written with a leading single quote, which spreadsheets show as text.

Only `str` cells are changed. A cell produced from a number (`int`/`float`, not
`bool`) is written as is, so a negative number cosec computed stays a number: its text
is only digits, a sign and a decimal point, never a formula. Anything else is
converted with `str()` first and then neutralised like text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """`value` safe to write as one CSV cell (see the module docstring for the rule)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Writer:
    """`csv.writer` whose every cell goes through `cell`."""

    def __init__(self, out: IO[str], **fmt: Any) -> None:
        self._writer = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


if TYPE_CHECKING:
    _DictWriter = csv.DictWriter[str]
else:  # not subscriptable at run time before Python 3.12
    _DictWriter = csv.DictWriter


class DictWriter(_DictWriter):
    """`csv.DictWriter` whose every cell (the header included) goes through `cell`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
