"""fill and bulk read back every document before writing it: a filler that
drops a tick or cuts a text is caught field by field, and nothing of that
document is left; the bundled samples fill and read back clean."""
from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import formkit
from formkit.cli import main
from formkit.fill import filler as filler_module
from formkit.fill.verify import Difference, ReadBackError, differences
from formkit.read.parse import parse_file
from tests.conftest import ROOT

CUT = "ติดตามผลทุกเดือน"  # the end of a text the sabotaged filler drops


@pytest.fixture
def sabotaged(monkeypatch: pytest.MonkeyPatch) -> None:
    """The filler's render context loses level 4's tick, and the end of a
    process text that holds CUT (the canonical record still says both)."""
    real = filler_module._context

    def broken(fields: Any, record: dict[str, Any], canon: dict[str, Any], photos: Any) -> dict[str, Any]:
        ctx = real(fields, record, canon, photos)
        if ctx.get("level") == 4:
            ctx["level"] = None
        if isinstance(ctx.get("process"), list):
            ctx["process"] = [line.replace(CUT, "") for line in ctx["process"]]
        return ctx

    monkeypatch.setattr(filler_module, "_context", broken)


def test_differences_name_each_field_by_its_path() -> None:
    expected = {"level": 4, "evidence": {"km_plan": True, "other": False}, "works": [{"title": "ก", "photos": [1, 2]}],
                "lines": ["a", "b"], "office": "x"}
    got = {"level": None, "evidence": {"km_plan": False, "other": False}, "works": [{"title": "ข", "photos": [1]}],
           "lines": ["a", "c"]}
    assert differences(expected, got) == [
        Difference("evidence.km_plan", True, False),
        Difference("level", 4, None),
        Difference("lines[2]", "b", "c"),
        Difference("office", "x", None),  # a field missing on one side counts as None
        Difference("works[1].photos", [1, 2], [1]),
        Difference("works[1].title", "ก", "ข"),
    ]
    assert differences(expected, dict(expected)) == []
    assert differences({"a": None}, {}) == []  # absent and None are one thing, as in the round trip


def test_a_read_back_error_crosses_a_process_boundary_whole() -> None:
    error = ReadBackError("m", "f.docx", (Difference("level", 4, None),))
    again = pickle.loads(pickle.dumps(error))
    assert (again.code, again.message, again.file, again.differences) == ("verify-failed", "m", "f.docx",
                                                                         error.differences)


def test_fill_refuses_a_document_that_does_not_read_back(sabotaged: None, tmp_path: Path) -> None:
    record = tmp_path / "rec.json"
    record.write_text(json.dumps({"level": 4, "process": f"จัดอบรมครู {CUT}"}, ensure_ascii=False), "utf-8")
    out = tmp_path / "filled.docx"
    result = CliRunner().invoke(main, ["fill", "esao-1-2", str(record), "-o", str(out)])
    assert result.exit_code == 1
    assert "[verify-failed]" in result.stderr and "wrote" not in result.stderr
    assert "level: filled 4, read back None" in result.stderr
    assert f"process: filled 'จัดอบรมครู {CUT}', read back 'จัดอบรมครู'" in result.stderr
    assert list(tmp_path.iterdir()) == [record]  # nothing at the output path, no temporary file either
    # what was caught is what the sabotage did: without the check the document is written, and reads wrong
    result = CliRunner().invoke(main, ["fill", "esao-1-2", str(record), "-o", str(out), "--no-verify"])
    assert result.exit_code == 0, result.output
    parsed = parse_file(out).record or {}
    assert parsed["level"] is None and parsed["process"] == "จัดอบรมครู"


def test_the_api_raises_with_the_differences_and_writes_nothing(sabotaged: None, tmp_path: Path) -> None:
    with pytest.raises(ReadBackError) as caught:
        formkit.fill_to(tmp_path / "x.docx", "esao-1-2", {"level": 4})
    assert caught.value.code == "verify-failed"
    assert caught.value.differences == (Difference("level", 4, None),)
    assert not list(tmp_path.iterdir())
    with pytest.raises(ReadBackError):
        formkit.fill_bytes("esao-1-2", {"level": 4})
    assert parse_file(formkit.fill_bytes("esao-1-2", {"level": 4}, verify=False)).record["level"] is None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bulk_fails_the_sabotaged_rows_and_writes_the_others(sabotaged: None, tmp_path: Path, jobs: str) -> None:
    rows = [{"office": "หนึ่ง", "level": 3}, {"office": "สอง", "level": 4}, {"office": "สาม", "process": f"ก {CUT}"},
            {"office": "สี่", "level": 2, "process": "ข"}]
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["bulk", "esao-1-2", str(data), "-o", str(out), "--name", "{office}.docx",
                                       "--jobs", jobs])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and all(line.endswith("[verify-failed]") for line in errors)
    assert "line 2:" in errors[0] and "level: filled 4, read back None" in errors[0]
    assert "line 3:" in errors[1] and f"process: filled 'ก {CUT}', read back 'ก'" in errors[1]
    assert "2 written, 2 failed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["สี่.docx", "หนึ่ง.docx"]  # no staging folder left either
    assert (parse_file(out / "สี่.docx").record or {})["level"] == 2


def test_bulk_into_an_archive_leaves_the_failed_row_out(sabotaged: None, tmp_path: Path) -> None:
    import zipfile

    data = tmp_path / "rows.jsonl"
    data.write_text('{"level": 4}\n{"level": 1}\n', "utf-8")
    run = formkit.bulk_fill("esao-1-2", data, zip_path=tmp_path / "all.zip", name="{row}.docx").finish()
    assert (run.written, run.failed) == (1, 1)
    with zipfile.ZipFile(tmp_path / "all.zip") as zf:
        assert zf.namelist() == ["2.docx"]
    run = formkit.bulk_fill("esao-1-2", data, zip_path=tmp_path / "again.zip", jobs=1)
    failed = [outcome.error for outcome in run if outcome.error is not None]
    assert len(failed) == 1 and isinstance(failed[0], ReadBackError)
    assert failed[0].differences == (Difference("level", 4, None),) and "line 1: " in failed[0].message
    unchecked = formkit.bulk_fill("esao-1-2", data, zip_path=tmp_path / "b.zip", verify=False).finish()
    assert (unchecked.written, unchecked.failed) == (2, 0)


def test_a_field_the_original_has_no_place_for_is_not_a_difference(tmp_path: Path) -> None:
    """A definition naming a label its original does not print: fill writes
    nothing for it, and reading back says nothing of it; every other field is
    still compared."""
    import shutil

    folder = tmp_path / "with-extra"
    shutil.copytree(ROOT / "forms" / "esao-1-2", folder)
    text = (folder / "form.yaml").read_text("utf-8").replace("\nfields:\n", "\nfields:\n  extra:\n    kind: value\n"
                                                              "    label: \"ช่องที่ไม่มีในแบบฟอร์ม\"\n    optional: true\n\n", 1)
    (folder / "form.yaml").write_text(text, "utf-8")
    form = formkit.open_form(folder)
    assert form.fields[0].name == "extra"
    data = formkit.fill_bytes(form, {"extra": "ค่าที่ไม่มีที่เขียน", "level": 3})
    assert (parse_file(data, "x.docx", str(folder)).record or {}).get("extra") is None  # nothing was written for it
    from formkit.fill.filler import Filler

    assert Filler(form).unplaced == frozenset({"extra"})
    assert differences({"works": [{"title": "a", "x": 1}]}, {"works": [{"title": "b"}]}, skip={"works.x"}) == [
        Difference("works[1].title", "a", "b")]


SAMPLES = sorted((ROOT / "samples").glob("esao-*/*.docx"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_read_then_filled_reads_back_clean(path: Path, tmp_path: Path) -> None:
    """Each bundled document parsed (its photos written out), its record
    filled into the form's original with the check on: no difference."""
    parsed = parse_file(path, photos_dir=tmp_path / "photos", photos_relative_to=tmp_path)
    assert parsed.error is None and parsed.record is not None
    record = tmp_path / "record.json"
    record.write_text(json.dumps(parsed.record, ensure_ascii=False), "utf-8")
    filled = formkit.fill_to(tmp_path / "filled.docx", parsed.form or "", record)
    assert (parse_file(tmp_path / "filled.docx").record or {}) == dict(filled)


@pytest.mark.parametrize("form_id", ["esao-1-2", "esao-3-1"])
def test_the_bundled_bulk_samples_fill_and_read_back_clean(form_id: str, tmp_path: Path) -> None:
    for data in sorted((ROOT / "samples" / form_id).glob("bulk*")):
        run = formkit.bulk_fill(form_id, data, out_dir=tmp_path / data.stem, name="{row}.docx", jobs=1).finish()
        assert run.failed == 0 and run.written >= 3, data


def test_many_rows_through_two_workers_keep_their_order_and_errors(tmp_path: Path) -> None:
    """More rows than the workers have in flight (8 a batch, 4 batches each),
    bad ones among them: every row's outcome in row order, as with one job;
    stopping early leaves whole documents only."""
    lines = [json.dumps({"office": f"สพท. {n}", "level": 9 if n % 13 == 0 else n % 5 + 1}, ensure_ascii=False)
             for n in range(1, 91)]
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(lines) + "\n", "utf-8")
    outcomes = {}
    for jobs in (1, 2):
        run = formkit.bulk_fill("esao-1-2", data, out_dir=tmp_path / f"jobs{jobs}", name="{row}.docx", jobs=jobs)
        outcomes[jobs] = [(o.row, o.name, o.error.code if o.error else None) for o in run]
    assert outcomes[1] == outcomes[2]
    assert [row for row, _, _ in outcomes[2]] == list(range(1, 91))
    assert [row for row, _, code in outcomes[2] if code] == [13, 26, 39, 52, 65, 78]
    assert len(list((tmp_path / "jobs2").iterdir())) == 84
    assert (parse_file(tmp_path / "jobs2" / "77.docx").record or {})["level"] == 3
    with formkit.bulk_fill("esao-1-2", data, out_dir=tmp_path / "early", name="{row}.docx", jobs=2) as run:
        first = [next(run) for _ in range(10)]
    assert all(o.ok for o in first)
    left = sorted(p.name for p in (tmp_path / "early").iterdir())
    assert not [name for name in left if name.startswith(".formkit-bulk-")]  # the staging folder is gone
    assert all(parse_file(tmp_path / "early" / name).error is None for name in left)
