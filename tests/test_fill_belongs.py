"""A field that details a box (``belongs_to`` in form.yaml): the definition
names the box, the loader checks it, and fill and parse warn
``answer-without-box`` when the field holds an answer and the box is not
ticked. No Python knows the field names: a definition without the key gives
no warning."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import formkit
from formkit import forms
from formkit.cli import main
from formkit.errors import FormkitError
from formkit.read.parse import parse_file
from tests.conftest import ROOT

LINES = {"evidence": {"action_plan": True}, "other_evidence": ["โครงการ ก", "โครงการ ข"]}


def test_the_definition_names_the_box() -> None:
    form = forms.load("esao-1-2")
    assert form.field("other_evidence").belongs_to == "evidence.other"
    assert all(not f.belongs_to for f in form.fields if f.name != "other_evidence")


def _definition(tmp_path: Path, change: dict[str, object]) -> Path:
    """A copy of esao-1-2's folder whose other_evidence field is changed."""
    folder = tmp_path / "form"
    shutil.copytree(ROOT / "forms" / "esao-1-2", folder)
    data = yaml.safe_load((folder / "form.yaml").read_text("utf-8"))
    data["fields"]["other_evidence"].update(change)
    data["fields"]["other_evidence"] = {k: v for k, v in data["fields"]["other_evidence"].items() if v is not None}
    (folder / "form.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return folder


@pytest.mark.parametrize("value", ["evidence.nothing", "level.other", "evidence", "process.other", "x.y"])
def test_a_box_that_is_not_there_is_refused(value: str, tmp_path: Path) -> None:
    with pytest.raises(FormkitError) as caught:
        forms.load_path(_definition(tmp_path, {"belongs_to": value}))
    assert caught.value.code == "bad-form-definition"
    assert "other_evidence" in caught.value.message and "evidence.other" in caught.value.message


def test_only_an_answer_field_may_belong_to_a_box(tmp_path: Path) -> None:
    folder = _definition(tmp_path, {})
    data = yaml.safe_load((folder / "form.yaml").read_text("utf-8"))
    data["fields"]["level"]["belongs_to"] = "evidence.other"
    (folder / "form.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(FormkitError) as caught:
        forms.load_path(folder)
    assert caught.value.code == "bad-form-definition" and "'level'" in caught.value.message


def _codes(warnings: list[Any]) -> list[str]:
    return [w["code"] if isinstance(w, dict) else w.code for w in warnings]


def test_fill_and_parse_warn_about_lines_under_an_unticked_box(tmp_path: Path) -> None:
    canon = formkit.fill_to(tmp_path / "f.docx", "esao-1-2", LINES)
    assert canon["other_evidence"] == LINES["other_evidence"] and canon["evidence"]["other"] is False
    (warning,) = canon.warnings
    assert warning.code == "answer-without-box" and warning.field == "other_evidence"
    assert "evidence.other" in warning.message and "หลักฐานอื่น" in warning.message
    assert formkit.fill_bytes("esao-1-2", LINES).warnings == canon.warnings
    parsed = parse_file(tmp_path / "f.docx")
    assert _codes(parsed.warnings) == ["answer-without-box"]
    assert parsed.warnings[0].message == warning.message


def test_a_ticked_box_or_no_lines_warns_of_nothing(tmp_path: Path) -> None:
    for record in ({**LINES, "evidence": {"other": True}}, {"evidence": {"other": False}, "other_evidence": []},
                   {"other_evidence": ["ฯลฯ"]}):
        canon = formkit.fill_to(tmp_path / "f.docx", "esao-1-2", record)
        assert canon.warnings == [] and parse_file(tmp_path / "f.docx").warnings == []


def test_without_the_key_no_warning(tmp_path: Path) -> None:
    folder = _definition(tmp_path, {"belongs_to": None})
    form = forms.load_path(folder)
    assert not form.field("other_evidence").belongs_to
    canon = formkit.fill_to(tmp_path / "f.docx", form, LINES)
    assert canon.warnings == [] and parse_file(tmp_path / "f.docx", form=str(folder)).warnings == []


def test_the_commands_print_the_warning(tmp_path: Path) -> None:
    data = tmp_path / "r.json"
    data.write_text(json.dumps(LINES, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(main, ["fill", "esao-1-2", str(data), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 0, result.output
    assert "formkit: warning: other_evidence: holds an answer" in result.stderr
    assert "[answer-without-box]" in result.stderr
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"level": 1}) + "\n" + json.dumps(LINES, ensure_ascii=False) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["bulk", "esao-1-2", str(rows), "-o", str(tmp_path / "out"), "--name", "{row}.docx"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("[answer-without-box]") == 1 and "line 2: other_evidence" in result.stderr
    run = formkit.bulk_fill("esao-1-2", rows, out_dir=tmp_path / "api").finish()
    assert run.written == 2
    outcomes = list(formkit.bulk_fill("esao-1-2", rows, out_dir=tmp_path / "api2"))
    assert [_codes(list(o.warnings)) for o in outcomes] == [[], ["answer-without-box"]]
