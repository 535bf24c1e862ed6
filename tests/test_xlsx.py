"""xlsx: the first sheet of a workbook, read with limits. Workbooks here are
written part by part (as Excel lays them out), so hostile ones can be made
too: the zip and sheet limits are proved on files that would cost minutes
and gigabytes without them."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest

from formkit import forms
from formkit.errors import FormkitError
from formkit.fill.tabular import read_rows
from formkit.fill.xlsx import MAX_CELL_CHARS, MAX_SHARED_STRINGS, XLSX_LIMITS, is_date_format, read_sheet

F12 = forms.load("esao-1-2")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def sheet_xml(rows: list[list[Any]]) -> str:
    """A worksheet of inline strings and numbers."""
    body = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row, 1):
            ref = f"{_letters(c)}{r}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(body)}</sheetData></worksheet>'


def package(path: Path, sheet: str, *, shared: str | None = None, extra: dict[str, bytes] | None = None,
            compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """A workbook of the given worksheet XML (and shared strings XML)."""
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" '
                           'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">{rels}</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def workbook(path: Path, rows: list[list[Any]]) -> Path:
    return package(path, sheet_xml(rows))


def _error(path: Path) -> FormkitError:
    with pytest.raises(FormkitError) as info:
        read_rows(path, F12)
    assert info.value.file == str(path)
    return info.value


# -- what Excel and openpyxl write is read as openpyxl reads it -------------------------------

def test_a_workbook_openpyxl_wrote(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["level", "office", "fiscal_year", "process"])
    sheet.append([4, "สพป. ก & ข", dt.date(2022, 5, 1), 3.5])
    sheet.append([None, None, None, None])
    sheet.append([True, "=1+1", "2565", None])
    sheet["D5"] = "ท้าย"
    book.create_sheet("second").append(["ignored"])
    book.save(tmp_path / "b.xlsx")
    rows = read_sheet(tmp_path / "b.xlsx")
    assert rows == [(1, ["level", "office", "fiscal_year", "process"]),
                    (2, [4, "สพป. ก & ข", dt.datetime(2022, 5, 1), 3.5]),
                    (4, [True, None, "2565"]),  # a formula openpyxl wrote has no cached value
                    (5, [None, None, None, "ท้าย"])]


def test_shared_strings_rich_text_phonetics_and_escapes(tmp_path: Path) -> None:
    shared = (f'<sst xmlns="{MAIN}"><si><t>office</t></si><si><r><t>ส</t></r><r><t>พป.</t></r>'
              '<rPh><t>phonetic</t></rPh></si><si><t>a_x000D_b_x005F_x0041_</t></si></sst>')
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c></row></sheetData></worksheet>')
    path = package(tmp_path / "s.xlsx", sheet, shared=shared)
    assert read_sheet(path) == [(1, ["office"]), (3, ["สพป.", None, "a\rb_x0041_"])]


def test_dates_by_number_format() -> None:
    assert is_date_format("yyyy-mm-dd") and is_date_format("d/m/yyyy h:mm") and is_date_format("ว/ด/ปปปป")
    assert is_date_format("[$-th-TH]dd mmm bbbb")
    assert not is_date_format("General") and not is_date_format("0.00E+00") and not is_date_format('"day"0')
    assert not is_date_format("#,##0.00") and not is_date_format("[Red]0")


# -- damaged and hostile workbooks ----------------------------------------------------------

def test_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 an old .xls")
    assert "not a readable Excel workbook" in _error(tmp_path / "a.xlsx").message
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert "its zip container is damaged" in _error(tmp_path / "b.xlsx").message
    broken = package(tmp_path / "c.xlsx", f'<worksheet xmlns="{MAIN}"><sheetData><row>')
    error = _error(broken)
    assert error.code == "bad-data" and "its part xl/worksheets/sheet1.xml is damaged" in error.message


def test_a_doctype_is_refused_and_never_expanded(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is>'
              '</c></row></sheetData></worksheet>')
    error = _error(package(tmp_path / "d.xlsx", laughs))
    assert error.code == "bad-data" and "declares a DTD" in error.message


def test_a_value_a_million_columns_to_the_right(tmp_path: Path) -> None:
    """116 KB once cost 61 s and 1.2 GB: openpyxl filled the row to the cell."""
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>level</t></is></c>'
             '<c r="XFD1"><v>1</v></c></row></sheetData></worksheet>')
    error = _error(package(tmp_path / "wide.xlsx", sheet))
    assert error.code == "too-large" and "cell XFD1 holds a value beyond column 1,000" in error.message


def test_styled_empty_cells_far_right_are_no_problem(tmp_path: Path) -> None:
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>level</t></is></c>'
             '<c r="XFD1" s="3"/></row><row r="2"><c r="A2"><v>3</v></c></row></sheetData></worksheet>')
    assert [r.record for r in read_rows(package(tmp_path / "styled.xlsx", sheet), F12)] == [{"level": 3}]


def test_a_shared_string_bomb(tmp_path: Path) -> None:
    """Millions of empty strings compress to almost nothing (a 300 KB file
    once cost 95 s and 1.5 GB, and was accepted)."""
    shared = f'<sst xmlns="{MAIN}">' + "<si><t/></si>" * (MAX_SHARED_STRINGS + 1) + "</sst>"
    path = package(tmp_path / "sst.xlsx", sheet_xml([["level"]]), shared=shared)
    assert path.stat().st_size < 100_000
    error = _error(path)
    assert error.code == "too-large" and ("shared strings" in error.message or "compressed" in error.message)


def test_rows_without_end(tmp_path: Path) -> None:
    """A 4 MB file once gave 30 million rows."""
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData>'
             + "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 100_002))
             + "</sheetData></worksheet>")
    error = _error(package(tmp_path / "long.xlsx", sheet))
    assert error.code == "too-large" and "more than 100,000 rows" in error.message


def test_zip_limits_are_checked_before_anything_is_inflated(tmp_path: Path) -> None:
    bomb = package(tmp_path / "bomb.xlsx", sheet_xml([["level"], [1]]), extra={"xl/media/x.bin": b"\0" * (8 << 20)})
    error = _error(bomb)
    assert error.code == "too-large" and "the part xl/media/x.bin is compressed more than 200:1" in error.message
    many = package(tmp_path / "many.xlsx", sheet_xml([["level"]]),
                   extra={f"x/{n}": b"" for n in range(XLSX_LIMITS.max_members)})
    error = _error(many)
    assert error.code == "too-large" and "zip entries" in error.message


def test_a_cell_longer_than_excel_allows(tmp_path: Path) -> None:
    error = _error(workbook(tmp_path / "cell.xlsx", [["process"], ["ก" * (MAX_CELL_CHARS + 1)]]))
    assert error.code == "too-large" and f"holds {MAX_CELL_CHARS + 1:,} characters" in error.message


def test_a_long_cell_within_excels_limit_is_a_row_error(tmp_path: Path) -> None:
    rows = list(read_rows(workbook(tmp_path / "row.xlsx", [["process"], ["ก" * 20_000], ["ดี"]]), F12))
    assert rows[0].error is not None and "20,000 characters, over the limit of 10,000" in rows[0].error.message
    assert rows[1].record == {"process": "ดี"}


def test_a_missing_shared_string_is_damage(tmp_path: Path) -> None:
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>'
    error = _error(package(tmp_path / "s.xlsx", sheet, shared=f'<sst xmlns="{MAIN}"/>'))
    assert error.code == "bad-data" and "names shared string '7'" in error.message


def test_the_file_is_stat_ed_first(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.xlsx")
    error = _error(tmp_path / "pipe.xlsx")
    assert error.code == "not-found" and "named pipe" in error.message
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(XLSX_LIMITS.max_file_bytes + 1)
    assert _error(big).code == "too-large"

