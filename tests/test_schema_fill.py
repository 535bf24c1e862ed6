"""``formkit schema FORM --for fill`` and ``--for parse``: each schema against
the bundled samples, and the fill schema against what
:func:`formkit.fill.records.validate` itself accepts and refuses."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from formkit.cli import main
from formkit.fill.records import MAX_PHOTOS, MAX_TEXT, BadData, validate
from formkit.fill.schema import fill_schema
from formkit.forms import load
from formkit.forms.schema import form_schema
from tests.conftest import ROOT

SAMPLES = ROOT / "samples"
RECORDS = sorted(p for p in SAMPLES.glob("*/record-*") if p.suffix in (".json", ".yaml", ".yml"))
PARSED = sorted(p for p in SAMPLES.glob("*/*.json") if not p.name.startswith("record-"))
PHOTO = SAMPLES / "esao-3-1" / "photos" / "activity-1.png"
SHA = "b" * 64


def _errors(schema: dict[str, Any], record: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)]


def _load(path: Path) -> Any:
    text = path.read_text("utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def test_the_samples_are_there() -> None:
    assert len(RECORDS) >= 3 and any(p.suffix == ".yaml" for p in RECORDS)
    assert len(PARSED) >= 20


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_record_fits_the_fill_schema(path: Path) -> None:
    form = load(path.parent.name)
    record = _load(path)
    assert validate(form, record, path.parent)  # fill takes it ...
    assert _errors(fill_schema(form), record) == []  # ... and the schema says so
    jsonschema.Draft202012Validator.check_schema(fill_schema(form))


def test_the_parse_schema_takes_every_parse_output_and_nothing_only_fill_takes() -> None:
    for path in PARSED:
        result = _load(path)
        form = load(result["form"])
        assert _errors(form_schema(form), result["record"]) == [], path
    parsed = _load(SAMPLES / "esao-3-1" / "three-works.json")["record"]
    as_path = copy.deepcopy(parsed)
    as_path["works"][0]["photos"][0] = "photos/activity-1.png"
    with_path = copy.deepcopy(parsed)
    with_path["works"][0]["photos"][0] = {"path": "p/x.png", **parsed["works"][0]["photos"][0]}
    schema = form_schema(load("esao-3-1"))
    assert _errors(schema, with_path) == []  # parse --photos
    assert _errors(schema, as_path), "a path alone is what fill takes, not what parse writes"
    assert _errors(schema, {**parsed, "level": "3"})
    assert _errors(form_schema(load("esao-1-2")), _load(SAMPLES / "esao-1-2" / "record-2.yaml"))


PATH_ENTRY = {"path": str(PHOTO), "sha256": SHA, "media_type": "image/png"}
# (form, record, accepted by fill): the schema must say what validate() does
CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("esao-1-2", {}, True),
    ("esao-1-2", {"level": "๔", "fiscal_year": 2565, "office": None}, True),
    ("esao-1-2", {"level": " 04 ", "evidence": {"km_plan": True, "other": None}}, True),
    ("esao-1-2", {"level": 4.0, "other_evidence": "ก\nข"}, True),
    ("esao-1-2", {"level": None, "fiscal_year": "๒๕๖๓ – ๒๕๖๔"}, True),
    ("esao-1-2", {"level": 6}, False),
    ("esao-1-2", {"level": "6"}, False),
    ("esao-1-2", {"level": True}, False),
    ("esao-1-2", {"level": "4.5"}, False),
    ("esao-1-2", {"fiscal_year": "2565/66"}, False),
    ("esao-1-2", {"fiscal_year": 999}, False),
    ("esao-1-2", {"fiscal_year": "2565\n"}, False),
    ("esao-1-2", {"process": "ก\nข\n", "other_evidence": ["ก", "ข"]}, True),
    ("esao-1-2", {"process": 5}, False),
    ("esao-1-2", {"process": "ก\x07ข"}, False),
    ("esao-1-2", {"office": "\ud800"}, False),
    ("esao-1-2", {"office": "ก" * (MAX_TEXT + 1)}, False),
    ("esao-1-2", {"other_evidence": ["ก\nข"]}, False),
    ("esao-1-2", {"evidence": {"km_plan": "yes"}}, False),
    ("esao-1-2", {"evidence": {"kmplan": True}}, False),
    ("esao-1-2", {"proces": "ก"}, False),
    ("esao-3-1", {"works": [{"title": "ก", "photos": [str(PHOTO), {"path": str(PHOTO)}]}]}, True),
    ("esao-3-1", {"works": [{"photos": [{"path": str(PHOTO), "media_type": "image/png"}]}]}, True),
    ("esao-3-1", {"works": [{"title": "ก\nข"}]}, False),
    ("esao-3-1", {"works": [{"title": "ก\n"}]}, False),
    ("esao-3-1", {"works": [{"titel": "ก"}]}, False),
    ("esao-3-1", {"works": ["ก"]}, False),
    ("esao-3-1", {"works": [{"photos": [{"sha256": SHA, "media_type": "image/png"}]}]}, False),
    ("esao-3-1", {"works": [{"photos": [{"path": str(PHOTO), "sha256": "xyz"}]}]}, False),
    ("esao-3-1", {"works": [{"photos": [{"path": str(PHOTO), "width": 5}]}]}, False),
    ("esao-3-1", {"works": [{"photos": [" "]}]}, False),
    ("esao-3-1", {"works": [{"photos": [str(PHOTO)] * (MAX_PHOTOS + 1)}]}, False),
    ("esao-3-1", {"works": [{}] * 31}, False),
]


@pytest.mark.parametrize(("form_id", "record", "accepted"), CASES, ids=lambda v: json.dumps(v, ensure_ascii=True)[:50])
def test_the_fill_schema_agrees_with_validate(form_id: str, record: dict[str, Any], accepted: bool) -> None:
    form = load(form_id)
    try:
        validate(form, copy.deepcopy(record))
        took = True
    except BadData:
        took = False
    assert took is accepted
    assert (_errors(fill_schema(form), record) == []) is accepted


def test_a_parse_output_with_photo_paths_fits_the_fill_schema_and_without_does_not() -> None:
    parsed = _load(SAMPLES / "esao-3-1" / "three-works.json")["record"]
    schema = fill_schema(load("esao-3-1"))
    assert any("photos" in e for e in _errors(schema, parsed))
    for work in parsed["works"]:
        work["photos"] = [{"path": "p.png", **photo} for photo in work["photos"]]
    assert _errors(schema, parsed) == []


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


def test_the_command_prints_either_schema_and_parse_stays_the_default() -> None:
    code, default = _cli("schema", "esao-1-2")
    code_parse, parse = _cli("schema", "esao-1-2", "--for", "parse")
    code_fill, fill = _cli("schema", "esao-1-2", "--for", "fill")
    assert (code, code_parse, code_fill) == (0, 0, 0)
    assert json.loads(default) == json.loads(parse) == form_schema(load("esao-1-2"))
    assert json.loads(fill) == fill_schema(load("esao-1-2"))
    record = _load(SAMPLES / "esao-1-2" / "record-2.yaml")
    assert _errors(json.loads(fill), record) == [] and _errors(json.loads(default), record)
    assert _cli("schema", "esao-1-2", "--for", "score")[0] == 2
