"""``parse --format csv`` (formkit/read/table.py): columns in the order of the
form definitions whatever order the files come in, and photo columns that
``formkit bulk`` reads back into the same documents."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import formkit
from formkit.cli import main
from tests.conftest import ROOT

S12 = ROOT / "samples" / "esao-1-2"
S31 = ROOT / "samples" / "esao-3-1"
WORK = ["title", "group", "background", "method", "technique", "quantitative", "qualitative", "success_factors",
        "dissemination", "photos"]


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_bytes().decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text))), list(csv.DictReader(io.StringIO(text)))


def test_columns_follow_the_definitions_not_the_order_of_the_files(tmp_path: Path) -> None:
    few = tmp_path / "a-few.docx"
    few.write_bytes(formkit.fill_bytes("esao-1-2", {"level": 2, "other_evidence": ["แผนปฏิบัติการ"]}))
    many = tmp_path / "c-many.docx"
    lines = [f"หลักฐานที่ {n}" for n in range(1, 12)]
    many.write_bytes(formkit.fill_bytes("esao-1-2", {"level": 3, "process": "อบรม", "other_evidence": lines}))
    out = tmp_path / "out.csv"
    files = [str(few), str(S31 / "three-works.docx"), str(many)]
    code, _, err = cli("parse", *files, "--format", "csv", "-o", str(out))
    assert code == 0, err
    header, rows = read_csv(out)
    works = json.loads((S31 / "three-works.json").read_text("utf-8"))["record"]["works"]
    esao_3_1 = ["evidence.works_detail"]  # level and fiscal_year stand in esao-1-2's group
    for n, work in enumerate(works, 1):
        for name in WORK:
            if name != "photos":
                esao_3_1.append(f"works.{n}.{name}")
        esao_3_1 += [f"works.{n}.photos.{k}" for k in range(1, len(work["photos"]) + 1)]
    assert header == [
        "file", "form", "saved_by",
        "level", "process", "problems", "suggestions",
        "evidence.action_plan", "evidence.km_plan", "evidence.km_report", "evidence.other",
        *[f"other_evidence.{n}" for n in range(1, 12)], "fiscal_year",
        *esao_3_1,
        "warnings", "error_code", "error_message",
    ]
    assert [row["other_evidence.10"] for row in rows] == ["", "", lines[9]]
    digest = works[0]["photos"][0]["sha256"]
    assert rows[1]["works.1.photos.1"] == f"sha256:{digest}"  # no --photos: the photo is named, not there


@pytest.mark.parametrize(("form_id", "samples"), [
    ("esao-3-1", [S31 / "three-works.docx", S31 / "five-works-vml.docx", S31 / "one-work.docx"]),
    ("esao-1-2", [S12 / "over-dots.docx", S12 / "below-prompt.docx", S12 / "content-controls.docx"]),
])
def test_bulk_fills_the_parse_csv_back_into_the_same_records(form_id: str, samples: list[Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("parse", *map(str, samples), "--format", "csv", "--photos", "photos", "-o", "table/parsed.csv")
    assert code == 0, err
    first = [r.record for r in formkit.parse_files(samples, photos_dir="photos", photos_relative_to="table")]
    code, _, err = cli("bulk", form_id, "table/parsed.csv", "-o", "filled", "--name", "{row}.docx")
    assert code == 0, err
    filled = [Path("filled") / f"{row}.docx" for row in range(2, 2 + len(samples))]
    again = [r.record for r in formkit.parse_files(filled, photos_dir="photos", photos_relative_to="table")]
    assert again == first
    if form_id == "esao-3-1":
        assert any(work["photos"] for record in first if record for work in record["works"])


def test_a_parse_csv_without_photos_tells_bulk_to_parse_with_photos(tmp_path: Path) -> None:
    table = tmp_path / "parsed.csv"
    assert cli("parse", str(S31 / "one-work.docx"), "--format", "csv", "-o", str(table))[0] == 0
    code, _, err = cli("bulk", "esao-3-1", str(table), "-o", str(tmp_path / "filled"))
    assert code == 1 and "works.1.photos.1: 'sha256:" in err and "parse the document again with --photos DIR" in err
    assert not (tmp_path / "filled").exists() or not list((tmp_path / "filled").iterdir())


def test_answers_beginning_like_formulas_come_back_from_the_csv(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """parse --format csv marks text beginning with = + - @ with a quote (so a
    spreadsheet shows it as text); bulk takes the mark off again, so the
    answers are filled as they were written."""
    monkeypatch.chdir(tmp_path)
    record = json.loads((S12 / "record-1.json").read_text("utf-8"))
    record.update(suggestions="=ควรจัดอบรมเพิ่ม", problems="- บุคลากรไม่เพียงพอ\n+ งบประมาณจำกัด\n@ ช่วงปลายปี")
    Path("record.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    assert cli("fill", "esao-1-2", "record.json", "-o", "first.docx")[0] == 0
    code, _, err = cli("parse", "first.docx", "--format", "csv", "-o", "parsed.csv")
    assert code == 0, err
    assert "'=ควรจัดอบรมเพิ่ม" in Path("parsed.csv").read_text("utf-8-sig")  # shown as text in a spreadsheet
    code, _, err = cli("bulk", "esao-1-2", "parsed.csv", "-o", "filled", "--name", "again.docx")
    assert code == 0, err
    (first,) = [r.record for r in formkit.parse_files(["first.docx"])]
    (again,) = [r.record for r in formkit.parse_files([Path("filled") / "again.docx"])]
    assert again == first and again["suggestions"] == "=ควรจัดอบรมเพิ่ม"
