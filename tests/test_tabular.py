"""tabular: rows of records from CSV (as Thai offices save it), .xlsx and
JSON Lines; dotted columns; bad rows reported with their numbers."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from formkit import forms
from formkit.errors import FormkitError
from formkit.learn.roundtrip import png
from formkit.fill.records import BadData
from formkit.fill.tabular import ENCODING_NAMES, Row, csv_encoding, detect_encoding, read_rows, tick

ROOT = Path(__file__).resolve().parent.parent
S12 = ROOT / "samples" / "esao-1-2"
S31 = ROOT / "samples" / "esao-3-1"
F12 = forms.load("esao-1-2")
F31 = forms.load("esao-3-1")
PNG = png(7)


def _csv(rows: list[list[Any]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _write(tmp_path: Path, rows: list[list[Any]], *, name: str = "data.csv", encoding: str = "utf-8-sig",
           delimiter: str = ",", first: str = "") -> Path:
    path = tmp_path / name
    path.write_bytes((first + _csv(rows, delimiter)).encode(encoding))
    return path


def _rows(path: Path, form: forms.FormDef = F12) -> list[Row]:
    return list(read_rows(path, form))


def _records(path: Path, form: forms.FormDef = F12) -> list[dict[str, Any]]:
    rows = _rows(path, form)
    assert [r.error for r in rows if r.error] == []
    return [r.record for r in rows if r.record is not None]


# -- the samples -----------------------------------------------------------------


def test_sample_encodings_are_detected() -> None:
    assert csv_encoding(S12 / "bulk.csv") == "utf-8-sig"
    assert csv_encoding(S12 / "bulk-windows874.csv") == "cp874"
    assert ENCODING_NAMES["cp874"].startswith("Windows-874")


def test_windows874_sample_equals_the_utf8_one_row_by_row() -> None:
    utf8 = (S12 / "bulk.csv").read_bytes().decode("utf-8-sig")
    thai = (S12 / "bulk-windows874.csv").read_bytes().decode("cp874")
    assert thai == utf8.replace("✓", "X")  # ✓ has no Windows-874 byte: the same tick spelled X
    a, b = _rows(S12 / "bulk.csv"), _rows(S12 / "bulk-windows874.csv")
    assert [(r.number, r.record) for r in a] == [(r.number, r.record) for r in b]
    assert [r.number for r in a] == [2, 3, 4, 5, 6]


def test_esao_1_2_sample_content() -> None:
    records = _records(S12 / "bulk.csv")
    assert [r["level"] for r in records] == [5, 4, 3, 2, 1]  # row 3 writes ๔
    assert all(r["fiscal_year"] == "2565" for r in records)
    assert records[0]["evidence"] == {"action_plan": True, "km_plan": True, "km_report": True, "other": True}
    assert records[1]["evidence"]["other"] is False  # empty cell
    assert records[2]["evidence"] == {"action_plan": True, "km_plan": False, "km_report": True, "other": False}
    assert records[0]["other_evidence"] == ["โครงการพัฒนาบุคลากรสู่องค์การแห่งการเรียนรู้", "กิจกรรมมหกรรมการจัดการความรู้ (KM Day)"]
    assert len(records[3]["other_evidence"]) == 2  # split on a newline in the cell
    assert records[0]["process"].count("\n") == 3
    assert all(ch in records[1]["process"] + records[1]["problems"] for ch in '&<"')
    assert "other_evidence" not in records[1]
    assert records[3]["office"].endswith("เขต ๒")


def test_esao_3_1_csv_and_jsonl_give_the_same_records() -> None:
    from_csv, from_jsonl = _rows(S31 / "bulk.csv", F31), _rows(S31 / "bulk.jsonl", F31)
    assert [r.number for r in from_csv] == [2, 3, 4] and [r.number for r in from_jsonl] == [1, 2, 3]
    assert [r.record for r in from_csv] == [r.record for r in from_jsonl]
    records = [r.record for r in from_csv if r.record]
    assert [len(r["works"]) for r in records] == [3, 2, 1]
    assert all(r["fiscal_year"] == "2563 - 2564" for r in records)
    photos = [Path(p) for r in records for w in r["works"] for p in w["photos"]]
    assert len(set(photos)) == 8 and all(p.is_absolute() and p.parent == S31 / "photos" for p in photos)
    assert "dissemination" not in records[1]["works"][1]  # an empty cell is not given


# -- encodings and delimiters -------------------------------------------------------

ROWS = [["level", "process", "evidence.km_plan", "other_evidence"],
        ["๔", "ก & ข\n\"ค\" < ง", "ใช่", "หนึ่ง;สอง"],
        ["2", "สำนักงาน", "", ""]]
EXPECTED = [{"level": 4, "process": "ก & ข\n\"ค\" < ง", "other_evidence": ["หนึ่ง", "สอง"],
             "evidence": {"action_plan": False, "km_plan": True, "km_report": False, "other": False}},
            {"level": 2, "process": "สำนักงาน",
             "evidence": {"action_plan": False, "km_plan": False, "km_report": False, "other": False}}]


@pytest.mark.parametrize(("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                     ("cp874", "cp874"), ("tis-620", "cp874"), ("utf-16", "utf-16")])
def test_every_encoding_is_detected_and_decoded(tmp_path: Path, encoding: str, detected: str) -> None:
    path = _write(tmp_path, ROWS, encoding=encoding)
    assert csv_encoding(path) == detected
    assert _records(path) == [{**r, "evidence": dict(r["evidence"])} for r in EXPECTED]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("sep_line", [False, True])
def test_delimiters_are_sniffed_and_sep_lines_honoured(tmp_path: Path, delimiter: str, sep_line: bool) -> None:
    first = f"sep={delimiter}\r\n" if sep_line else ""
    path = _write(tmp_path, ROWS, delimiter=delimiter, first=first)
    rows = _rows(path)
    assert [r.record for r in rows] == EXPECTED
    assert [r.number for r in rows] == [2, 3]  # Excel hides the sep= line


def test_rows_above_the_header_keep_the_numbering(tmp_path: Path) -> None:
    path = _write(tmp_path, [[], ["", ""], ["level", "office"], ["3", "สพป. ๑"]])
    assert _rows(path) == [Row(4, {"level": 3, "office": "สพป. ๑"}, None)]


def test_undecodable_bytes_are_a_file_error(tmp_path: Path) -> None:
    assert detect_encoding("ก".encode("cp874")) == "cp874"
    assert detect_encoding("ก".encode("utf-8")) == "utf-8"
    path = tmp_path / "bad.csv"
    path.write_bytes(b"level\n\xdb\xfc\n")
    with pytest.raises(FormkitError) as info:
        read_rows(path, F12)
    assert info.value.code == "bad-data" and info.value.file == str(path) and "Windows-874" in str(info.value)


# -- columns -------------------------------------------------------------------------


def test_dotted_columns_nest_and_number_from_one(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    for n in (1, 2, 3):
        (tmp_path / "p" / f"{n}.png").write_bytes(PNG)
    header = ["works.1.title", "works.1.photos.1", "works.1.photos.2", "works.3.title", "works.3.photos", "works.2.title"]
    path = _write(tmp_path, [header, ["ก", "p/1.png", "p/2.png", "ค", "p/3.png\np/1.png ; p/2.png", ""]])
    works = _records(path, F31)[0]["works"]
    assert [w["title"] for w in works] == ["ก", "ค"]  # work 2 empty: dropped, order by number
    assert works[0]["photos"] == [str(tmp_path / "p" / "1.png"), str(tmp_path / "p" / "2.png")]
    assert [Path(p).name for p in works[1]["photos"]] == ["3.png", "1.png", "2.png"]


def test_numbered_lines_with_a_gap(tmp_path: Path) -> None:
    path = _write(tmp_path, [["other_evidence.3", "other_evidence.1"], ["สาม", "หนึ่ง"], ["", "เดียว"]])
    assert [r["other_evidence"] for r in _records(path)] == [["หนึ่ง", "สาม"], ["เดียว"]]


def test_column_names_are_trimmed_and_case_folded(tmp_path: Path) -> None:
    path = _write(tmp_path, [[" Level ", "EVIDENCE.KM_PLAN"], ["3", "x"]])
    assert _records(path)[0]["evidence"]["km_plan"] is True


def test_parse_output_columns_are_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path, [["file", "form", "saved_by", "level", "warnings", "error_code", "error_message"],
                             ["a.docx", "esao-1-2", "LibreOffice/7.4", "3", "x", "", ""]])
    assert _records(path) == [{"level": 3}]


@pytest.mark.parametrize(("header", "message"), [
    (["level", "levle", "works.1.title"], "header: unknown column(s) 'levle', 'works.1.title' (did you mean 'level'?)"),
    (["evidence.km"], "unknown column(s) 'evidence.km'"),
    (["evidence"], "unknown column(s) 'evidence'"),
    (["other_evidence.0"], "unknown column(s) 'other_evidence.0'"),
    (["level.1"], "unknown column(s) 'level.1'"),
    (["level", "Level"], "column 'level' given twice"),
    (["other_evidence", "other_evidence.2"], "other_evidence given both whole and by numbered items"),
    (["file", "form"], "no header row naming the form's fields"),
])
def test_a_bad_header_is_one_error_for_the_file(tmp_path: Path, header: list[str], message: str) -> None:
    path = _write(tmp_path, [header, ["1"] * len(header)])
    with pytest.raises(FormkitError) as info:
        read_rows(path, F12)
    assert info.value.code == "bad-data" and info.value.file == str(path)
    assert message in info.value.message


def test_repeat_columns_need_a_number_and_a_known_sub_field(tmp_path: Path) -> None:
    path = _write(tmp_path, [["works.title", "works.1.titel", "works.1.photos.x"], ["", "", ""]])
    with pytest.raises(FormkitError, match="'works.title', 'works.1.titel', 'works.1.photos.x'"):
        read_rows(path, F31)


# -- cells -----------------------------------------------------------------------------

TRUE = ["true", "TRUE", "True", "1", "x", "X", "✓", "✔", "☑", "☒", "ใช่", "yes", "Y", "y", "มี", " x "]
FALSE = ["false", "FALSE", "0", "ไม่ใช่", "no", "N", "n", "-", "☐", "ไม่มี", "", "   "]


@pytest.mark.parametrize("spelling", TRUE)
def test_ticked_spellings(tmp_path: Path, spelling: str) -> None:
    assert tick(spelling) is True
    path = _write(tmp_path, [["evidence.other"], [spelling]], encoding="utf-8")
    assert _records(path)[0]["evidence"]["other"] is True


@pytest.mark.parametrize("spelling", FALSE)
def test_unticked_spellings(tmp_path: Path, spelling: str) -> None:
    assert tick(spelling) is False
    path = _write(tmp_path, [["level", "evidence.other"], ["1", spelling]], encoding="utf-8")
    assert _records(path)[0]["evidence"]["other"] is False


@pytest.mark.parametrize(("level", "expected"), [("๕", 5), ("4", 4), (" 3 ", 3), ("๑", 1)])
def test_levels_with_thai_digits(tmp_path: Path, level: str, expected: int) -> None:
    path = _write(tmp_path, [["level", "fiscal_year"], [level, "๒๕๖๕"]])
    assert _records(path) == [{"level": expected, "fiscal_year": "๒๕๖๕"}]


def test_text_cells_are_kept_as_written(tmp_path: Path) -> None:
    text = "  ก  ข\r\n\r\nค  "
    path = _write(tmp_path, [["process", "office"], [text, "สพป. ๑"]])
    assert _records(path) == [{"process": text, "office": "สพป. ๑"}]


# -- bad rows ----------------------------------------------------------------------------


def test_bad_rows_are_reported_with_their_numbers_and_good_rows_come_through(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    path = _write(tmp_path, [
        ["level", "works.1.title", "works.2.title", "works.2.photos", "evidence.works_detail"],
        ["1", "ก", "", "", "x"],
        ["7", "ข", "", "", ""],
        ["", "", "", "", ""],  # an empty row: skipped, still counted
        ["2", "ค", "ง", "a.png;missing.png", ""],
        ["3", "จ", "", "", "maybe"],
        ["4", "ฉ", "ช", "a.png", "1"],
    ])
    rows = _rows(path, F31)
    assert [r.number for r in rows] == [2, 3, 5, 6, 7]
    assert [r.record is not None for r in rows] == [True, False, False, False, True]
    errors = {r.number: r.error for r in rows if r.error is not None}
    assert all(isinstance(e, BadData) and e.code == "bad-data" for e in errors.values())
    assert errors[3].message == "level: expected 1..5 or null, got \"7\""
    assert str(errors[3]) == f"{path}: row 3: level: expected 1..5 or null, got \"7\""
    assert errors[5].message == f"works.2.photos.2: 'missing.png' ('{tmp_path / 'missing.png'}'): no such file"
    assert errors[6].message.startswith("evidence.works_detail: expected a tick")
    assert rows[4].record is not None and rows[4].record["works"][1]["photos"] == [str(tmp_path / "a.png")]


def test_problems_name_the_column_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, [["works.3.title", "works.5.photos.2", "works.5.photos.4"], ["ก\nข", "x.png", "y.png"]])
    error = _rows(path, F31)[0].error
    assert error is not None and error.message == (
        "works.3.title: expected one line, got \"ก\\nข\"; "
        f"works.5.photos.2: 'x.png' ('{tmp_path / 'x.png'}'): no such file; "
        f"works.5.photos.4: 'y.png' ('{tmp_path / 'y.png'}'): no such file"
    )


def test_a_value_outside_the_header_is_a_row_error(tmp_path: Path) -> None:
    path = _write(tmp_path, [["level", ""], ["1", ""], ["2", "ลืม"], ["3", "", "เกิน"]])
    rows = _rows(path)
    assert rows[0].record == {"level": 1}
    assert rows[1].error is not None and "column 2, which has no header: 'ลืม'" in rows[1].error.message
    assert rows[2].error is not None and "column 3" in rows[2].error.message


# -- Excel ---------------------------------------------------------------------------------


def _xlsx(tmp_path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("other").append(["ignored"])
    path = tmp_path / "data.xlsx"
    book.save(path)
    return path


def test_xlsx_values(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [
        ["level", "fiscal_year", "process", "evidence.km_plan", "evidence.other", "other_evidence.1"],
        [4.0, 2565, 128, True, 1, 3.5],
        [None, None, None, None, None, None],
        ["๓", dt.datetime(2022, 1, 1), "ก & ข", False, "ใช่", "หนึ่ง"],
        [2, "2565", dt.date(2022, 1, 1), "x", 0, None],
    ])
    rows = _rows(path)
    assert [r.number for r in rows] == [2, 4, 5]
    first, second = rows[0].record, rows[1].record
    assert first is not None and second is not None
    assert (first["level"], first["fiscal_year"], first["process"]) == (4, "2565", "128")
    assert first["other_evidence"] == ["3.5"] and first["evidence"]["km_plan"] is True and first["evidence"]["other"] is True
    assert (second["level"], second["fiscal_year"]) == (3, "2565")  # a date year: Buddhist era
    assert rows[2].error is not None and rows[2].error.message.startswith("process: expected text, got the date 2022-01-01")


def test_xlsx_bad_header_and_broken_file(tmp_path: Path) -> None:
    with pytest.raises(FormkitError, match="unknown column"):
        read_rows(_xlsx(tmp_path, [["levl"], [1]]), F12)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(FormkitError, match="not a readable Excel workbook") as info:
        read_rows(broken, F12)
    assert info.value.code == "bad-data"


# -- JSON Lines and the file as a whole --------------------------------------------------------


def test_jsonl_lines(tmp_path: Path) -> None:
    envelope = json.loads((ROOT / "samples/esao-1-2/over-dots.json").read_text("utf-8"))
    other = json.loads((ROOT / "samples/esao-3-1/one-work.json").read_text("utf-8"))
    lines = ['{"level": 3}', "", '{"level": 9}', '{"level": ', "[1]", json.dumps(envelope), json.dumps(other), '{"levl": 1}']
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    rows = _rows(path)
    assert [r.number for r in rows] == [1, 3, 4, 5, 6, 7, 8]
    messages = {r.number: r.error.message for r in rows if r.error}
    assert rows[0].record == {"level": 3} and rows[4].record == envelope["record"]
    assert messages[3] == "level: expected 1..5 or null, got 9"
    assert messages[4].startswith("not valid JSON: Expecting value (column 11)")
    assert messages[5] == "expected an object, got [1]"
    assert messages[7] == "a parse result of form esao-3-1, not esao-1-2"
    assert messages[8] == "unknown field 'levl' (did you mean 'level'?)"
    assert str(rows[1].error).startswith(f"{path}: line 3: ")


@pytest.mark.parametrize(("name", "code", "message"), [
    ("missing.csv", "not-found", "the file does not exist"),
    ("data.xls", "bad-data", "save it as .xlsx or .csv"),
    ("data.docx", "bad-data", "expected a .csv, .xlsx or .jsonl file"),
    ("empty.csv", "bad-data", "empty: no header row"),
])
def test_file_errors_are_raised_before_any_row(tmp_path: Path, name: str, code: str, message: str) -> None:
    if name != "missing.csv":
        (tmp_path / name).write_bytes(b"" if name == "empty.csv" else b"\xd0\xcf\x11\xe0")
    with pytest.raises(FormkitError) as info:
        read_rows(tmp_path / name, F12)
    assert info.value.code == code and message in info.value.message


def test_rows_are_read_lazily_after_the_header_check(tmp_path: Path) -> None:
    path = _write(tmp_path, [["level"]] + [[str(n % 5 + 1)] for n in range(1000)])
    rows = read_rows(path, F12)
    assert next(rows) == Row(2, {"level": 1}, None)
    assert sum(1 for _ in rows) == 999
