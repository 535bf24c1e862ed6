"""The public Python API on the real forms and samples: each function does
what its command does, returns what README "Using formkit from Python"
says, and README's examples and the API's docstring examples run."""
from __future__ import annotations

import contextlib
import doctest
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import formkit
from formkit import api
from formkit.errors import FormkitError
from formkit.read.inputs import expand_inputs
from tests.conftest import ROOT, expected_samples, sample_dirs

S12 = ROOT / "samples" / "esao-1-2"
S31 = ROOT / "samples" / "esao-3-1"


@pytest.fixture()
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """A fresh working folder holding samples/ and forms/ (as links), as
    README's examples expect."""
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    (tmp_path / "forms").symlink_to(ROOT / "forms")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


# -- open_form ------------------------------------------------------------------------

def test_open_form_by_id_folder_and_file_gives_one_definition() -> None:
    by_id = formkit.open_form("esao-3-1")
    assert by_id.id == "esao-3-1" and by_id.original.is_file()
    assert formkit.open_form(ROOT / "forms" / "esao-3-1") == by_id
    assert formkit.open_form(ROOT / "forms" / "esao-3-1" / "form.yaml") == by_id
    assert formkit.open_form(str(ROOT / "forms" / "esao-3-1")) == by_id
    assert formkit.open_form(by_id) is by_id


def test_open_form_refuses_an_unknown_form() -> None:
    with pytest.raises(FormkitError) as caught:
        formkit.open_form("esao-9-9")
    assert caught.value.code == "no-such-form" and "esao-1-2" in caught.value.message
    with pytest.raises(FormkitError) as caught:
        formkit.open_form(ROOT / "samples")
    assert caught.value.code == "no-such-form"


# -- parse_files ----------------------------------------------------------------------

def test_parse_files_gives_every_sample_its_expected_record_in_order() -> None:
    folders = [str(d) for d in sample_dirs()]
    results = list(formkit.parse_files(folders))
    assert [r.file for r in results] == list(expand_inputs(folders))
    by_file = {Path(r.file).relative_to(ROOT).as_posix(): r for r in results}
    for path in expected_samples():
        expected = json.loads(path.read_text("utf-8"))
        got = by_file[expected["file"]]
        assert (got.form, got.record, got.error) == (expected["form"], expected["record"], expected["error"])
        assert sorted(w.code for w in got.warnings) == sorted(expected["warnings"])
        assert got.document is not None  # parsed in this process: the model comes along


def test_parse_files_without_models_gives_the_same_envelopes() -> None:
    files = [str(p) for p in sorted(S12.glob("*.docx"))]
    kept = list(formkit.parse_files(files))
    freed = list(formkit.parse_files(files, models=False))
    assert [r.as_dict() for r in freed] == [r.as_dict() for r in kept]
    assert [r.places() for r in freed] == [r.places() for r in kept]
    assert all(r.document is not None for r in kept if r.ok)
    assert all(r.document is None and r.located is None and r.recognition is None for r in freed)


def test_parse_files_with_workers_gives_the_same_envelopes_without_the_model() -> None:
    files = [str(p) for p in sorted(S12.glob("*.docx"))] * 2  # 30 files: enough for two workers
    alone = [r.as_dict() for r in formkit.parse_files(files)]
    pooled = list(formkit.parse_files(files, jobs=2))
    assert [r.as_dict() for r in pooled] == alone
    assert all(r.document is None and r.located is None for r in pooled)


def test_parse_files_closed_early_stops_its_workers() -> None:
    import multiprocessing

    files = [str(p) for p in sorted(S12.glob("*.docx"))] * 2
    results = formkit.parse_files(files, jobs=2)
    assert next(results).error is None and multiprocessing.active_children()
    results.close()
    assert multiprocessing.active_children() == []


def test_parse_files_yields_each_result_before_reading_the_next_file(tmp_path: Path) -> None:
    later = tmp_path / "later.docx"
    results = formkit.parse_files([S12 / "over-dots.docx", later])
    first = next(results)
    assert first.form == "esao-1-2"
    later.write_bytes((S31 / "one-work.docx").read_bytes())  # made only after the first result came
    second = next(results)
    assert (second.file, second.form, second.error) == (str(later), "esao-3-1", None)


def test_parse_files_reports_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    results = list(formkit.parse_files([bad, S12 / "over-dots.docx"]))
    assert results[0].error is not None and results[0].error.code == "not-docx" and str(bad) in str(results[0].error)
    assert results[1].error is None and results[1].form == "esao-1-2"


def test_parse_files_checks_the_forced_form_first() -> None:
    with pytest.raises(FormkitError) as caught:
        formkit.parse_files([S12 / "over-dots.docx"], form="no-such")
    assert caught.value.code == "no-such-form"
    forced = next(formkit.parse_files([S12 / "over-dots.docx"], form=formkit.open_form("esao-3-1")))
    assert forced.error is not None and forced.error.code == "form-mismatch"


# -- fill_bytes, fill_to ---------------------------------------------------------------

@pytest.mark.parametrize("form", ["esao-1-2", "esao-3-1"])
def test_fill_to_returns_what_parsing_the_document_gives_back(form: str, tmp_path: Path) -> None:
    record = ROOT / "samples" / form / "record-1.json"
    target = tmp_path / "filled.docx"
    canonical = formkit.fill_to(target, form, record)
    assert formkit.parse_file(target).record == canonical
    assert [p.name for p in tmp_path.iterdir()] == ["filled.docx"]  # written atomically: no temporary left
    assert formkit.parse_file(formkit.fill_bytes(form, record)).record == canonical


def test_fill_bytes_takes_a_dict_checked_like_a_data_file(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = json.loads((S31 / "record-1.json").read_text("utf-8"))
    with pytest.raises(FormkitError) as caught:  # photo paths are relative to the working folder
        formkit.fill_bytes("esao-3-1", record)
    assert caught.value.code == "bad-data" and "works[0].photos[0]: 'photos/activity-1.png': no such file" in str(caught.value)
    monkeypatch.chdir(S31)
    data = formkit.fill_bytes("esao-3-1", record)
    parsed = formkit.parse_file(data, name="x.docx")
    assert parsed.record is not None and parsed.record["works"][0]["title"] == record["works"][0]["title"]
    assert len(parsed.record["works"][0]["photos"]) == len(record["works"][0]["photos"])
    with pytest.raises(FormkitError) as caught:
        formkit.fill_bytes("esao-3-1", {**record, "levle": 3})
    assert caught.value.code == "bad-data" and "levle" in caught.value.message


def test_fill_refuses_a_parse_result_of_another_form() -> None:
    envelope = json.loads((S12 / "over-dots.json").read_text("utf-8"))
    assert formkit.parse_file(formkit.fill_bytes("esao-1-2", envelope)).record == envelope["record"]
    with pytest.raises(FormkitError, match="a parse result of form esao-1-2, not esao-3-1") as caught:
        formkit.fill_bytes("esao-3-1", envelope)
    assert caught.value.code == "bad-data"


def test_fill_from_an_offices_copy(tmp_path: Path) -> None:
    from tests.test_fill_original import split_runs

    copy = tmp_path / "copy.docx"
    copy.write_bytes(split_runs((ROOT / "forms" / "esao-1-2" / "original.docx").read_bytes()))
    canonical = formkit.fill_to(tmp_path / "x.docx", "esao-1-2", S12 / "record-1.json", original=copy)
    assert formkit.parse_file(tmp_path / "x.docx").record == canonical
    with pytest.raises(FormkitError) as caught:
        formkit.fill_bytes("esao-1-2", S12 / "record-1.json", original=ROOT / "forms" / "esao-3-1" / "original.docx")
    assert caught.value.code == "form-mismatch"  # the copy is checked to be of the form


# -- bulk_fill ------------------------------------------------------------------------

def _jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_bulk_fill_yields_each_row_in_order_with_its_file(tmp_path: Path) -> None:
    good = {"level": 3, "process": "ทดลอง"}
    data = _jsonl(tmp_path / "rows.jsonl", [good, {"level": "สาม"}, {**good, "level": 5}])
    run = formkit.bulk_fill("esao-1-2", data, out_dir=tmp_path / "out")
    outcomes = list(run)
    assert [o.row for o in outcomes] == [1, 2, 3]
    assert [o.name for o in outcomes] == ["esao-1-2-1.docx", None, "esao-1-2-3.docx"]
    error = outcomes[1].error
    assert error is not None and error.code == "bad-data" and "line 2" in str(error) and "level" in str(error)
    assert (run.written, run.failed) == (2, 1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["esao-1-2-1.docx", "esao-1-2-3.docx"]
    assert formkit.parse_file(tmp_path / "out" / "esao-1-2-3.docx").record["level"] == 5


@pytest.mark.parametrize("jobs", [1, 2])
def test_bulk_fill_into_an_archive(jobs: int, tmp_path: Path) -> None:
    run = formkit.bulk_fill("esao-3-1", S31 / "bulk.jsonl", zip_path=tmp_path / "all.zip", jobs=jobs).finish()
    names = []
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert archive.namelist() == [f"esao-3-1-{n}.docx" for n in range(1, run.written + 1)]
        names = archive.namelist()
        first = formkit.parse_file(archive.read(names[0]))
    rows = (S31 / "bulk.jsonl").read_text("utf-8").splitlines()
    assert (run.written, run.failed) == (len(rows), 0)
    assert first.record is not None and first.record["office"] == json.loads(rows[0])["office"]


def test_bulk_fill_stopped_early_leaves_only_complete_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with formkit.bulk_fill("esao-1-2", S12 / "bulk.csv", out_dir=out) as run:
        first = next(run)
    assert first.ok and first.row == 2  # the header is row 1
    assert [p.name for p in out.iterdir()] == []  # nothing half-done, no staging folder left


def test_bulk_fill_refuses_arguments_that_cannot_work(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        formkit.bulk_fill("esao-1-2", S12 / "bulk.csv", out_dir=tmp_path, zip_path=tmp_path / "x.zip")
    with pytest.raises(ValueError, match="nickname"):
        formkit.bulk_fill("esao-1-2", S12 / "bulk.csv", out_dir=tmp_path, name="{nickname}.docx")
    run = formkit.bulk_fill("esao-1-2", tmp_path / "missing.csv", out_dir=tmp_path / "out")
    with pytest.raises(FormkitError) as caught:
        next(run)
    assert caught.value.code == "not-found"


# -- score_results, write_report ----------------------------------------------------------

def test_score_results_takes_results_files_and_word_files_alike() -> None:
    files = [str(p) for p in sorted(S31.glob("*.docx"))]
    from_words = formkit.score_results([str(S31)])
    from_results = formkit.score_results([r.as_dict() for r in formkit.parse_files(files)])
    from_objects = formkit.score_results(list(formkit.parse_files(files)))
    assert from_words.scores == from_results.scores == from_objects.scores
    assert len(from_words) == len(files) and [s.file for s in from_words] == files
    expected = [json.loads(Path(f).with_suffix(".json").read_text("utf-8")) for f in files]
    assert [s.self_assessed for s in from_words] == [e["record"]["level"] for e in expected]
    assert all(s.basis == "rubric" for s in from_words) and from_words.failed == 0


def test_score_results_with_judgments_as_rows_or_a_file(tmp_path: Path) -> None:
    rows = [{"file": "over-dots.docx", "done": [True, True, True, False], "clear": [True] * 4}]
    (tmp_path / "j.jsonl").write_text(json.dumps(rows[0]) + "\n", "utf-8")
    judged = formkit.score_results([S12 / "over-dots.docx", S12 / "blank.docx"], rows)
    from_file = formkit.score_results([S12 / "over-dots.docx", S12 / "blank.docx"], tmp_path / "j.jsonl")
    assert [(s.basis, s.level) for s in judged] == [(s.basis, s.level) for s in from_file]
    assert judged[0].reasons == from_file[0].reasons
    assert judged[0].basis == "judgments" and judged[1].basis == "auto"
    assert any("no committee judgment for" in n and "blank.docx" in n for n in judged.notes)
    with pytest.raises(FormkitError) as caught:
        formkit.score_results([S12 / "over-dots.docx"], [{"file": "x.docx", "done": [True]}])
    assert caught.value.code == "bad-input" and "judgment 1" in caught.value.message


def test_score_results_lists_what_it_cannot_score(tmp_path: Path) -> None:
    run = formkit.score_results([{"file": "x.docx", "record": {"level": "five"}, "form": "esao-1-2"}, {"nope": 1}])
    assert [s.basis for s in run] == [None, None] and run.failed == 2
    assert "result 1: field 'record.level'" in run[0].reasons[0] and "result 2" in run[1].reasons[0]
    with pytest.raises(FormkitError) as caught:
        formkit.score_results([tmp_path / "missing.jsonl"])
    assert caught.value.code == "not-found"


def test_write_report_writes_both_files_for_every_score(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    scores = formkit.score_results([str(d) for d in sample_dirs()])
    xlsx, page = formkit.write_report(scores, tmp_path / "report", title="รายงาน <เขต 1>")
    assert (xlsx, page) == (tmp_path / "report" / "report.xlsx", tmp_path / "report" / "report.html")
    sheet = load_workbook(xlsx)["ผลรายไฟล์"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [s.file for s in scores]
    text = page.read_text("utf-8")
    assert "รายงาน &lt;เขต 1&gt;" in text and all(Path(s.file).name in text for s in scores)


# -- learn_form, check_form -------------------------------------------------------------

def test_learn_form_drafts_without_writing_or_writes_the_same(in_tmp: Path) -> None:
    original = ROOT / "samples" / "learn" / "esao-1-3" / "original.docx"
    drafted = formkit.learn_form(original, "esao-1-3")
    assert drafted.folder is None and sorted(p.name for p in in_tmp.iterdir()) == ["forms", "samples"]
    written = formkit.learn_form(original, "esao-1-3", "learned")
    assert written.folder == Path("learned")
    assert (in_tmp / "learned" / "form.yaml").read_text("utf-8") == written.text == drafted.text
    assert (in_tmp / "learned" / "original.docx").read_bytes() == original.read_bytes()
    assert written.checks == written.text.count("# CHECK:") and drafted.draft.form_id == "esao-1-3"
    with pytest.raises(FormkitError) as caught:
        formkit.learn_form(original, "esao-1-3", "learned")
    assert caught.value.code == "bad-input" and "--force" in caught.value.message
    assert formkit.learn_form(original, "esao-1-3", "learned", force=True).text == written.text


def test_check_form_reports_findings_and_the_round_trip() -> None:
    report = formkit.check_form("esao-3-1", roundtrip=2)
    assert report.ok and report.records == 2 and report.findings and not report.missing
    assert report.form.id == "esao-3-1" and report.mismatches == () and report.roundtrip_error is None
    assert formkit.check_form("esao-3-1").records == 0


def test_check_form_against_the_wrong_original_finds_anchors_missing() -> None:
    report = formkit.check_form("esao-1-2", original=ROOT / "forms" / "esao-3-1" / "original.docx")
    assert not report.ok and report.missing
    assert report.missing[0].what == "recognition" and not report.missing[0].ok


# -- the examples -------------------------------------------------------------------------

def readme_examples() -> list[str]:
    """The ```python blocks of README's "Using formkit from Python"."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## Using formkit from Python"):]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def test_readme_has_an_example_per_function() -> None:
    code = "\n".join(readme_examples())
    assert all(f"formkit.{name}(" in code for name in api.__all__ if name[0].islower())
    assert "formkit.parse_file(" in code


@pytest.mark.parametrize("block", readme_examples(), ids=lambda b: b.splitlines()[2][:40])
def test_readme_example_runs(block: str, in_tmp: Path) -> None:
    """Each example in a fresh folder; what each ``print`` writes is the
    comment beside it (a print without one must print nothing)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - the README's own examples
    said = [line.split("  # ", 1)[1] for line in block.splitlines()
            if line.strip().startswith("print(") and "  # " in line]
    assert out.getvalue().splitlines() == said


def test_docstring_examples_run(in_tmp: Path) -> None:
    result = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= len([n for n in api.__all__ if n[0].islower()]) and result.failed == 0
