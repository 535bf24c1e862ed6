"""bulk: one document per row; every row of the bundled spreadsheets comes
back from parse as it was written; bad rows reported, the rest written."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit import forms
from formkit.cli import main
from formkit.fill import Filler
from formkit.parse import parse_file
from formkit.tabular import read_rows
from tests.conftest import ROOT

DATA = [
    ("esao-1-2", ROOT / "samples/esao-1-2/bulk.csv"),
    ("esao-1-2", ROOT / "samples/esao-1-2/bulk-windows874.csv"),
    ("esao-3-1", ROOT / "samples/esao-3-1/bulk.csv"),
    ("esao-3-1", ROOT / "samples/esao-3-1/bulk.jsonl"),
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize("form_id, data", DATA, ids=lambda v: getattr(v, "name", v))
def test_every_row_round_trips(form_id: str, data: Path, tmp_path: Path) -> None:
    code, err = run("bulk", form_id, str(data), "-o", str(tmp_path), "--name", "{row}-{form}.docx", "--jobs", "1")
    assert code == 0, err
    form = forms.load(form_id)
    filler = Filler(form)
    rows = list(read_rows(data, form))
    assert rows and all(r.error is None for r in rows)
    for row in rows:
        parsed = parse_file(tmp_path / f"{row.number}-{form_id}.docx")
        assert parsed.error is None
        assert parsed.record == filler.canonical(row.record or {})
    assert f"{len(rows)} written, 0 failed" in err


def test_windows_874_and_utf8_give_the_same_documents(tmp_path: Path) -> None:
    for name, data in (("utf8", DATA[0][1]), ("cp874", DATA[1][1])):
        assert run("bulk", "esao-1-2", str(data), "-o", str(tmp_path / name), "--name", "{row}.docx")[0] == 0
    utf8 = {p.name: parse_file(p).record for p in (tmp_path / "utf8").iterdir()}
    cp874 = {p.name: parse_file(p).record for p in (tmp_path / "cp874").iterdir()}
    assert utf8 == cp874 and len(utf8) == 5


def test_zip_output_and_two_jobs(tmp_path: Path) -> None:
    data = DATA[2][1]
    assert run("bulk", "esao-3-1", str(data), "--zip", str(tmp_path / "one.zip"), "--jobs", "1")[0] == 0
    assert run("bulk", "esao-3-1", str(data), "--zip", str(tmp_path / "two.zip"), "--jobs", "2")[0] == 0
    with zipfile.ZipFile(tmp_path / "one.zip") as one, zipfile.ZipFile(tmp_path / "two.zip") as two:
        assert one.namelist() == two.namelist() and len(one.namelist()) == 3
        for name in one.namelist():
            assert one.read(name) == two.read(name)  # workers change nothing
            assert parse_file(io.BytesIO(one.read(name)).getvalue(), name).form == "esao-3-1"
    assert not list(tmp_path.glob("*.part"))


def test_bad_rows_are_reported_and_the_rest_written(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text(
        "office,level,process,evidence.km_plan\n"
        "สพป.หนึ่ง,4,ข้อความ,x\n"
        "สพป.สอง,9,ข้อความ,x\n"
        "สพป.สาม,3,ข้อความ,maybe\n"
        "สพป.สี่,2,ข้อความ,ใช่\n",
        "utf-8-sig",
    )
    code, err = run("bulk", "esao-1-2", str(data), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "row 3" in err and "level" in err and "row 4" in err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["สพป.สี่-esao-1-2.docx", "สพป.หนึ่ง-esao-1-2.docx"]
    assert "2 written, 2 failed" in err


def test_names_are_unique_and_safe(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text('{"office": "a/b:c"}\n{"office": "A/B:C"}\n{"office": ""}\n', "utf-8")
    assert run("bulk", "esao-1-2", str(data), "-o", str(tmp_path / "out"), "--name", "{office}.docx")[0] == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 3 and all("/" not in n and ":" not in n for n in names)
    assert len({n.lower() for n in names}) == 3


def test_usage_errors() -> None:
    assert run("bulk", "esao-1-2", str(DATA[0][1]))[0] == 2  # neither -o nor --zip
    assert run("bulk", "esao-1-2", str(DATA[0][1]), "-o", "x", "--name", "{nope}.docx")[0] == 2
