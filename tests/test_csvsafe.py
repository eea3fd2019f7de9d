"""The formula-injection rule of cosec.csvsafe, cell by cell and through both writers."""

from __future__ import annotations

import csv
import io

import pytest

from cosec import csvsafe


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-1", "'-1"),  # text that looks like a number is still text from a tenant
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-3, -3),  # a number cosec computed stays a number
        (-2.5, -2.5),
        (True, "True"),
    ],
)
def test_cell(value: object, written: object) -> None:
    assert csvsafe.cell(value) == written


def test_writers_neutralise_every_cell_header_included() -> None:
    plain = io.StringIO()
    csvsafe.Writer(plain, lineterminator="\n").writerows([["=1", "ok", -4]])
    assert plain.getvalue() == "'=1,ok,-4\n"
    keyed = io.StringIO()
    writer = csvsafe.DictWriter(keyed, fieldnames=["@name"], lineterminator="\n")
    writer.writeheader()
    writer.writerows([{"@name": "+SUM(A1)"}])
    assert list(csv.reader(io.StringIO(keyed.getvalue()))) == [["'@name"], ["'+SUM(A1)"]]
