"""Hostile records through fill and bulk (CLI and Python API): every problem
of a record is a clear ``bad-data`` error naming the field (a row error in
bulk, the other rows written, exit 1 at the end), never a traceback, and
nothing is left in the output folder's staging area."""
from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit import forms
from formkit.learn.roundtrip import png
from formkit.cli import main
from formkit.errors import FormkitError
from formkit.read.parse import parse_file
from formkit.fill.records import load_record, read_record, validate
from formkit.fill.recordtext import MAX_DEPTH, MAX_VALUES, show
from formkit.fill.tabular import read_rows

F12 = forms.load("esao-1-2")
F31 = forms.load("esao-3-1")


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


def written(folder: Path) -> list[str]:
    """The documents in a bulk output folder, checked whole; no staging folder."""
    assert not list(folder.glob(".formkit-bulk-*")), "staging left behind"
    names = sorted(p.name for p in folder.iterdir())
    for name in names:
        assert parse_file(folder / name).error is None, name
    return names


# -- one bad line among good ones, in JSON Lines -------------------------------------------

GOOD = '{"office": "สพป. ดี %d", "level": 3}'
HOSTILE_LINES = {
    "control character": ('{"office": "สพป. เสีย", "process": "ก\\u0007ข"}',
                          "process: holds the control character U+0007, which a Word document cannot hold"),
    "lone surrogate": ('{"office": "สพป. \\ud800"}', "office: holds U+D800, half of a UTF-16 surrogate pair"),
    "U+FFFE": ('{"office": "\\ufffe"}', "office: holds U+FFFE, which is not a character"),
    "nested 1,000 deep": ("[" * 1000 + "]" * 1000, f"nested more than {MAX_DEPTH} levels deep"),
    "nested 100,000 deep": ('{"level": ' + "[" * 100_000 + "]" * 100_000 + "}", f"nested more than {MAX_DEPTH} levels"),
    "5,000 digits": ('{"level": ' + "9" * 5000 + "}", "a number with more than 4,300 digits"),
    "4,000 digits": ('{"level": ' + "9" * 4000 + "}", "level: expected 1..5 or null, got <a number of about"),
    "NUL in a photo path": ('{"works": [{"photos": ["a\\u0000.png"]}]}',
                            "works[0].photos[0]: 'a\\x00.png' ("),
    "many values": ('{"works": [' + ",".join(["{}"] * MAX_VALUES) + "]}", f"more than {MAX_VALUES:,} values"),
    "parsed photo": ('{"works": [{}, {"photos": [{"sha256": "%s", "media_type": "image/png"}]}]}' % ("0" * 64),
                     'works[1].photos[0]: a photo read back by parse ({"sha256", "media_type"}) holds no picture'),
    "long answer": ('{"process": "%s"}' % ("ก" * 10_001), "process: 10,001 characters, over the limit of 10,000"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_LINES))
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_hostile_line_is_a_row_error_and_the_others_are_written(tmp_path: Path, case: str, jobs: str) -> None:
    line, problem = HOSTILE_LINES[case]
    form = "esao-3-1" if "works" in line else "esao-1-2"
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join([GOOD % 1, line, GOOD % 2]) + "\n", "utf-8", errors="surrogatepass")
    code, err = cli("bulk", form, str(data), "-o", str(tmp_path / "out"), "--name", "{row}.docx", "--jobs", jobs)
    assert code == 1 and "Traceback" not in err
    errors = [e for e in err.splitlines() if e.startswith("error:")]
    assert len(errors) == 1 and "line 2: " in errors[0] and problem in errors[0], err
    assert len(errors[0]) < 600  # the value is cut before it is shown
    assert "2 written, 1 failed" in err
    assert written(tmp_path / "out") == ["1.docx", "3.docx"]


def test_every_problem_of_a_row_is_reported_together(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text('{"office": "\\u0001", "process": "\\udfff", "level": 9, "other_evidence": ["\\u000b"]}\n',
                    "utf-8")
    (row,) = read_rows(data, F12)
    assert row.error is not None and row.error.message == (
        "level: expected 1..5 or null, got 9; "
        "process: holds U+DFFF, half of a UTF-16 surrogate pair on its own (not a character: the program that "
        "wrote the file damaged the text), which a Word document cannot hold; "
        "other_evidence[0]: holds the control character U+000B, which a Word document cannot hold (a line "
        "break copied from Word: type it as a new line); "
        "office: holds the control character U+0001, which a Word document cannot hold")


# -- the same rule for CSV and XLSX cells ----------------------------------------------------

def test_a_control_character_in_a_csv_cell(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text("office,level,process\nสพป. ก,1,ดี\nสพป. ข,2,ก\x07ข\nสพป. ค,3,ดี\n", "utf-8")
    code, err = cli("bulk", "esao-1-2", str(data), "-o", str(tmp_path / "out"), "--name", "{row}.docx")
    assert code == 1 and "Traceback" not in err
    assert "row 3: process: holds the control character U+0007, which a Word document cannot hold" in err
    assert written(tmp_path / "out") == ["2.docx", "4.docx"]


def test_an_escaped_control_character_in_an_xlsx_cell(tmp_path: Path) -> None:
    """Excel writes a control character in a cell as ``_x0007_`` (ST_Xstring);
    it is read back as the character, then refused like any other."""
    from tests.test_xlsx import workbook

    data = workbook(tmp_path / "rows.xlsx", [["office", "process"], ["ก", "ดี"], ["ข", "ก_x0007_ข"]])
    rows = list(read_rows(data, F12))
    assert rows[0].record == {"office": "ก", "process": "ดี"}
    assert rows[1].error is not None and rows[1].error.message == (
        "process: holds the control character U+0007, which a Word document cannot hold")


# -- CSV read strictly ------------------------------------------------------------------------

def test_an_unbalanced_quote_is_a_row_error_and_the_rows_before_are_filled(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text('office,level,process\nสพป. ก,1,ดี\nสพป. ข,2,ดี\nสพป. ค,3,"ไม่ปิด\nสพป. ง,4,ดี\nสพป. จ,5,ดี\n',
                    "utf-8")
    code, err = cli("bulk", "esao-1-2", str(data), "-o", str(tmp_path / "out"), "--name", "{row}.docx")
    assert code == 1 and "Traceback" not in err
    assert ('row 4: line 4: a cell opens a quote (") that is never closed (lines 4-6 were read as one cell and '
            "not used)") in err
    assert written(tmp_path / "out") == ["2.docx", "3.docx"]


def test_text_after_a_closing_quote_is_a_row_error_and_reading_goes_on(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text('office,process\nก,"ดี"\nข,"ดี"x\nค,"ดี\nมาก"\nง,ดี\n', "utf-8")
    rows = list(read_rows(data, F12))
    assert [r.number for r in rows] == [2, 3, 4, 5]
    assert rows[1].error is not None and rows[1].error.message.startswith("line 3: text after the closing quote")
    assert [r.record for r in rows if r.record] == [{"office": "ก", "process": "ดี"},
                                                    {"office": "ค", "process": "ดี\nมาก"},
                                                    {"office": "ง", "process": "ดี"}]


def test_a_csv_row_beyond_the_column_limit(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text("office\nก" + "," * 5000 + "\nข" + "," * 5000 + "x\n", "utf-8")
    rows = list(read_rows(data, F12))
    assert rows[0].record == {"office": "ก"}  # empty cells past the limit are dropped
    assert rows[1].error is not None and rows[1].error.message == (
        "a value in column 5,001, beyond the limit of 1,000 columns")


def test_a_csv_with_a_broken_header_is_the_files_error(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text('"office,level\n1,2\n', "utf-8")
    with pytest.raises(FormkitError) as info:
        read_rows(data, F12)
    assert info.value.code == "bad-data" and info.value.message.startswith("the header row cannot be read: line 1")


# -- fill: records from JSON and YAML -----------------------------------------------------------

YAML_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for n, p in zip("bcdefghi", "abcdefgh")) + "level: *i\n"


@pytest.mark.parametrize(("name", "text", "problem"), [
    ("bomb.yaml", YAML_BOMB, "a YAML alias (*a) at line 2: aliases are not allowed in a record"),
    ("self.yaml", "works: &w [*w]\n", "a YAML alias (*w) at line 1"),
    ("deep.yaml", "level: " + "[" * 100_000 + "]" * 100_000 + "\n", f"nested more than {MAX_DEPTH} levels deep"),
    ("deep-block.yaml", "".join("  " * i + "- \n" for i in range(40)), f"nested more than {MAX_DEPTH} levels deep"),
    ("digits.yaml", "level: " + "7" * 5000 + "\n", "a number with more than 4,300 digits"),
    ("escape.yaml", 'process: "ก\\x07ข"\n', "process: holds the control character U+0007"),
    ("raw.yaml", "process: ก\x07ข\n", "not valid YAML: "),
    ("deep.json", '{"level": ' + "[" * 5000 + "]" * 5000 + "}", f"nested more than {MAX_DEPTH} levels deep"),
    ("surrogate.json", '{"works": [{}, {"title": "\\udc00"}]}', "works[1].title: holds U+DC00"),
])
def test_fill_refuses_a_hostile_record_naming_the_file_and_field(tmp_path: Path, name: str, text: str,
                                                                  problem: str) -> None:
    data = tmp_path / name
    data.write_text(text, "utf-8")
    out = tmp_path / "out.docx"
    code, err = cli("fill", "esao-3-1" if "works" in text else "esao-1-2", str(data), "-o", str(out))
    assert code == 1 and "Traceback" not in err and "[bad-data]" in err
    assert str(data) in err and problem in err, err
    assert len(err) < 1000 and not out.exists() and not list(tmp_path.glob("*.part"))


def test_a_record_file_that_is_too_large_or_a_fifo(tmp_path: Path) -> None:
    from formkit.fill.records import MAX_RECORD_BYTES

    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(MAX_RECORD_BYTES + 1)
    with pytest.raises(FormkitError) as info:
        load_record(big)
    assert info.value.code == "too-large" and info.value.file == str(big)
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(FormkitError) as info:
        load_record(tmp_path / "pipe.json")  # refused, not waited on
    assert info.value.code == "not-found" and "named pipe" in info.value.message


def test_error_messages_show_a_cut_value_without_walking_it_all() -> None:
    huge = list(range(10**6))
    nested: list[object] = []
    nested.append(nested)  # a list holding itself, as the Python API may be given
    with pytest.raises(FormkitError) as info:
        validate(F12, {"level": huge, "process": nested, "office": {"a": 10**5000}})
    message = info.value.message
    assert message.startswith("level: expected 1..5 or null, got [0, 1, 2, 3") and len(message) < 400
    assert "process: expected text, got [[[[" in message
    assert 'office: expected text, got {"a": <a number of about 5,001 digits>}' in message
    assert show("\ud800\x1b[31m") == '"\\ud800\\u001b[31m"'  # escaped, for a terminal


def test_a_parsed_photo_reference_names_its_field_through_fill(tmp_path: Path) -> None:
    record = {"works": [{"title": "ก"}, {"title": "ข", "photos": [{"sha256": "a" * 64, "media_type": "image/png"}]}]}
    data = tmp_path / "r.json"
    data.write_text(json.dumps(record), "utf-8")
    code, err = cli("fill", "esao-3-1", str(data), "-o", str(tmp_path / "out.docx"))
    assert code == 1 and "works[1].photos[0]: a photo read back by parse" in err and "Traceback" not in err


# -- photos: decoded, bounded ---------------------------------------------------------------------

def _bmp(width: int, height: int) -> bytes:
    return (struct.pack("<2sIHHI", b"BM", 70, 0, 0, 54)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 16, 2835, 2835, 0, 0) + b"\0" * 16)


@pytest.mark.parametrize(("content", "reason"), [
    (b"BM password: hunter2\n" * 3, "not a PNG, JPEG, GIF or BMP picture"),
    (_bmp(-4, 4), "the picture declares more than 100,000,000 pixels (or a negative size)"),
    (None, "the file is 20.0 MiB (20,971,521 bytes), over the limit of 20.0 MiB"),
])
def test_fill_and_bulk_refuse_a_hostile_photo(tmp_path: Path, content: bytes | None, reason: str) -> None:
    photo = tmp_path / "photo.bmp"
    if content is None:
        from formkit.docx.images import MAX_PHOTO_BYTES

        photo.write_bytes(png(1))
        os.truncate(photo, MAX_PHOTO_BYTES + 1)
    else:
        photo.write_bytes(content)
    (tmp_path / "good.png").write_bytes(png(2))
    record = {"works": [{"title": "ก", "photos": ["good.png", "photo.bmp"]}]}
    (tmp_path / "r.json").write_text(json.dumps(record), "utf-8")
    code, err = cli("fill", "esao-3-1", str(tmp_path / "r.json"), "-o", str(tmp_path / "out.docx"))
    assert code == 1 and f"works[0].photos[1]: 'photo.bmp' ('{photo}'): {reason}" in err and "Traceback" not in err
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"office": "ก", "works": [{"title": "ก", "photos": ["good.png"]}]}) + "\n"
                    + json.dumps({"office": "ข", **record}) + "\n", "utf-8")
    code, err = cli("bulk", "esao-3-1", str(rows), "-o", str(tmp_path / "out"), "--name", "{row}.docx")
    assert code == 1 and "line 2: works[0].photos[1]" in err and reason in err
    assert written(tmp_path / "out") == ["1.docx"]


def test_fill_checks_what_it_embeds_too(tmp_path: Path) -> None:
    """A photo that became hostile after the record was checked (or a record
    given to the Filler without validation) is refused by fill itself."""
    from formkit.fill.filler import Filler

    (tmp_path / "a.bmp").write_bytes(png(3))
    record = read_record_with(tmp_path, {"works": [{"title": "ก", "photos": ["a.bmp"]}]})
    (tmp_path / "a.bmp").write_bytes(_bmp(-4, 4))
    with pytest.raises(FormkitError) as info:
        Filler(F31).fill(record, tmp_path / "out.docx")
    assert info.value.code == "bad-data" and f"photo {tmp_path / 'a.bmp'}: " in info.value.message
    assert not (tmp_path / "out.docx").exists()


def read_record_with(folder: Path, record: dict[str, object]) -> dict[str, object]:
    (folder / "r.json").write_text(json.dumps(record), "utf-8")
    return read_record(folder / "r.json", F31)


def test_the_photos_of_one_document_are_limited_in_fill_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit.fill import filler as fill
    from formkit.fill.filler import Filler

    (tmp_path / "a.png").write_bytes(png(4))
    record = read_record_with(tmp_path, {"works": [{"title": "ก", "photos": ["a.png"] * 3}]})
    monkeypatch.setattr(fill, "MAX_DOCUMENT_PHOTO_BYTES", 2 * len(png(4)))
    with pytest.raises(FormkitError, match="the photos come to .* over the limit of .* for one document"):
        Filler(F31).fill(record, tmp_path / "out.docx")


def test_a_csv_with_carriage_returns_only(tmp_path: Path) -> None:
    """Excel's "CSV (Macintosh)" ends lines with CR alone; the delimiter is
    sniffed from the first line all the same (it once raised csv.Error)."""
    data = tmp_path / "mac.csv"
    data.write_bytes("office;level\rสพป. ก;2\rสพป. ข;3\r".encode("utf-8"))
    assert [r.record for r in read_rows(data, F12)] == [{"level": 2, "office": "สพป. ก"},
                                                        {"level": 3, "office": "สพป. ข"}]


@pytest.mark.parametrize(("text", "problem"), [
    ("fiscal_year: 2565-02-30\n", "not valid YAML: a value that is no date or time (day is out of range for month)"),
    ("level: !!int x\n", "not valid YAML: a value that is no number (invalid literal for int()"),
    ("office: 2001-02-28 25:00:00\n", "not valid YAML: a value that is no date or time (hour must be in 0..23)"),
])
def test_a_yaml_value_python_cannot_build(tmp_path: Path, text: str, problem: str) -> None:
    """YAML resolves these as a date or a number that does not exist; once a
    traceback, now the file's error."""
    (tmp_path / "r.yaml").write_text(text, "utf-8")
    with pytest.raises(FormkitError) as info:
        load_record(tmp_path / "r.yaml")
    assert info.value.code == "bad-data" and info.value.message.startswith(problem)
