"""records: loading a record for fill and checking it against the form,
in agreement with the form's JSON Schema."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from formkit import forms
from formkit.errors import FormkitError
from formkit.records import BadData, image_type, load_record, photo_path, read_record, validate
from formkit.schema import form_schema
from tests.conftest import expected_samples

ROOT = Path(__file__).resolve().parent.parent
F12 = forms.load("esao-1-2")
F31 = forms.load("esao-3-1")
FORMS = {"esao-1-2": F12, "esao-3-1": F31}
RECORDS = sorted(p for p in (ROOT / "samples").glob("*/record-*") if p.suffix in (".json", ".yaml", ".yml"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
SHA = "0" * 64


def _schema_ok(form: forms.FormDef, record: Any) -> bool:
    return jsonschema.Draft202012Validator(form_schema(form)).is_valid(record)


def _problems(form: forms.FormDef, record: Any, base: Path = ROOT) -> tuple[str, ...]:
    with pytest.raises(BadData) as info:
        validate(form, record, base, "record.json")
    assert info.value.code == "bad-data"
    return info.value.problems


# -- every shipped record is valid, here and in the schema ------------------------


@pytest.mark.parametrize("path", expected_samples(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_parsed_sample_record_validates_unchanged(path: Path) -> None:
    expected = json.loads(path.read_text("utf-8"))
    form = FORMS[expected["form"]]
    assert _schema_ok(form, expected["record"])
    assert validate(form, expected["record"], path.parent, path.name) == expected["record"]


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_fill_record_validates_and_fits_the_schema(path: Path) -> None:
    form = FORMS[path.parent.name]
    record = read_record(path, form)
    assert _schema_ok(form, record)
    for work in record.get("works", []):
        assert len(work["photos"]) == 4
        for photo in work["photos"]:
            assert Path(photo).is_absolute() and image_type(Path(photo)) == "image/png"


def test_the_sample_records_are_what_they_say() -> None:
    one = read_record(ROOT / "samples/esao-1-2/record-1.json", F12)
    assert one["level"] == 4 and one["fiscal_year"] == "2565" and '"' in one["process"] and "&" in one["process"]
    two = read_record(ROOT / "samples/esao-1-2/record-2.yaml", F12)
    assert two["evidence"] == {"action_plan": True, "km_plan": True, "km_report": False, "other": False}
    assert "office" not in two and not two["process"].endswith("\n")
    three = read_record(ROOT / "samples/esao-3-1/record-1.json", F31)
    assert three["fiscal_year"] == "2563 - 2564" and len(three["works"]) == 2
    assert len({p for w in three["works"] for p in w["photos"]}) == 8


# -- bad records: the right path, and the schema agrees --------------------------

BAD: list[tuple[str, dict[str, Any], str, bool]] = [
    # form, patch applied to a valid record, expected problem, schema also rejects
    ("esao-1-2", {"level": 7}, "level: expected 1..5 or null, got 7", True),
    ("esao-1-2", {"level": 0}, "level: expected 1..5 or null, got 0", True),
    ("esao-1-2", {"level": "ห้า"}, 'level: expected 1..5 or null, got "ห้า"', True),
    ("esao-1-2", {"level": True}, "level: expected 1..5 or null, got true", True),
    ("esao-1-2", {"levle": 3}, "unknown field 'levle' (did you mean 'level'?)", True),
    ("esao-1-2", {"process": 5}, "process: expected text, got 5", True),
    ("esao-1-2", {"process": ["a"]}, 'process: expected text, got ["a"]', True),
    ("esao-1-2", {"fiscal_year": "65"}, 'fiscal_year: expected a year such as "2565"', True),
    ("esao-1-2", {"fiscal_year": "2565/66"}, "fiscal_year: expected a year", True),
    ("esao-1-2", {"other_evidence": ["ก\nข"]}, "other_evidence[0]: expected one line", True),
    ("esao-1-2", {"other_evidence": [1]}, "other_evidence[0]: expected text, got 1", True),
    ("esao-1-2", {"other_evidence": {"a": 1}}, "other_evidence: expected a list of lines", True),
    ("esao-1-2", {"evidence": {"km_plan": "yes"}}, 'evidence.km_plan: expected true or false, got "yes"', True),
    ("esao-1-2", {"evidence": {"kmplan": True}}, "evidence: unknown box 'kmplan' (did you mean 'km_plan'?)", True),
    ("esao-1-2", {"evidence": [True]}, "evidence: expected an object of ticks", True),
    ("esao-1-2", {"office": 12}, "office: expected text, got 12", True),
    ("esao-3-1", {"works": {"title": "x"}}, "works: expected a list of works", True),
    ("esao-3-1", {"works": ["x"]}, 'works[0]: expected an object, got "x"', True),
    ("esao-3-1", {"works": [{}, {"group": 5}]}, "works[1].group: expected text, got 5", True),
    ("esao-3-1", {"works": [{"title": "ก\nข"}]}, "works[0].title: expected one line", True),
    ("esao-3-1", {"works": [{"titel": "x"}]}, "works[0]: unknown field 'titel' (did you mean 'title'?)", True),
    ("esao-3-1", {"works": [{"photos": "a.png"}]}, "works[0].photos: expected a list of image paths", True),
    ("esao-3-1", {"works": [{"photos": [5]}]}, "works[0].photos[0]: expected an image path", True),
    ("esao-3-1", {"works": [{"photos": [{"sha256": "xyz", "media_type": "image/png"}]}]}, "works[0].photos[0]: sha256 must be 64", True),
    ("esao-3-1", {"works": [{"photos": [{"sha256": SHA}]}]}, 'works[0].photos[0]: expected {"sha256", "media_type"}', True),
    ("esao-3-1", {"works": [{}, {}, {"photos": ["missing.png"]}]}, "works[2].photos[0]: no such file 'missing.png'", False),
    ("esao-3-1", {"works": [{"photos": ["notes.txt"]}]}, "works[0].photos[0]: 'notes.txt' (*notes.txt) is not a PNG, JPEG, GIF or BMP image", False),
    ("esao-3-1", {"works": [{"photos": [{"path": "missing.png"}]}]}, "works[0].photos[0]: no such file 'missing.png'", False),
]


def _complete(form_id: str) -> dict[str, Any]:
    """A record valid in the schema too: every required field present."""
    path = ROOT / "samples" / form_id / ("over-dots.json" if form_id == "esao-1-2" else "one-work.json")
    return json.loads(path.read_text("utf-8"))["record"]


def _patched(form_id: str, patch: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(_complete(form_id))
    for key, value in patch.items():
        if key == "works":
            full = record["works"][0]
            value = [{**full, **item} if isinstance(item, dict) else item for item in value] if isinstance(value, list) else value
        record[key] = value
    return record


@pytest.mark.parametrize(("form_id", "patch", "problem", "schema_rejects"), BAD, ids=[b[2][:40] for b in BAD])
def test_a_bad_record_names_the_field(tmp_path: Path, form_id: str, patch: dict[str, Any], problem: str, schema_rejects: bool) -> None:
    (tmp_path / "notes.txt").write_text("ไม่ใช่รูปภาพ", "utf-8")
    record = _patched(form_id, patch)
    problems = _problems(FORMS[form_id], record, tmp_path)
    pattern = re.escape(problem).replace(r"\*", ".*")  # "*": any text (a resolved path)
    assert any(re.match(pattern, p) for p in problems), problems
    assert len(problems) == 1, problems
    assert _schema_ok(FORMS[form_id], record) is not schema_rejects


def test_every_problem_is_reported_at_once_in_field_order(tmp_path: Path) -> None:
    record = {"levle": 1, "level": 7, "works": [{"title": "ก"}, {}, {"group": 5, "photos": ["a.png"]}]}
    with pytest.raises(BadData) as info:
        validate(F31, record, tmp_path, "record.json")
    assert str(info.value) == (
        "record.json: unknown field 'levle' (did you mean 'level'?); level: expected 1..5 or null, got 7; "
        "works[2].group: expected text, got 5; works[2].photos[0]: no such file 'a.png' "
        f"({tmp_path / 'a.png'})"
    )
    assert info.value.message == str(info.value).removeprefix("record.json: ")


def test_a_record_must_be_an_object() -> None:
    assert _problems(F12, ["level", 3]) == ('expected an object, got ["level", 3]',)


# -- coercions and the clean copy --------------------------------------------------


@pytest.mark.parametrize(("given", "level"), [(4, 4), ("4", 4), ("๔", 4), (4.0, 4), (" 5 ", 5), ("๑", 1), (None, None)])
def test_level_spellings(given: Any, level: int | None) -> None:
    assert validate(F12, {"level": given})["level"] == level


@pytest.mark.parametrize("given", [4.5, "4.0", "ระดับ 4", "", "6", [4], {"level": 4}])
def test_level_refusals(given: Any) -> None:
    assert _problems(F12, {"level": given})[0].startswith("level: expected 1..5 or null")


@pytest.mark.parametrize(("given", "year"), [("2565", "2565"), ("๒๕๖๕", "๒๕๖๕"), (2565, "2565"),
                                             ("2563 - 2564", "2563 - 2564"), ("2563-2564", "2563-2564"),
                                             ("๒๕๖๓ – ๒๕๖๔", "๒๕๖๓ – ๒๕๖๔")])
def test_years_in_thai_or_arabic_digits(given: Any, year: str) -> None:
    assert validate(F31, {"fiscal_year": given})["fiscal_year"] == year


def test_text_is_type_checked_not_normalized() -> None:
    text = "  ก  &  ข...\u200b\n\nค  "
    assert validate(F12, {"process": text})["process"] == text


def test_lines_from_one_string_and_null_means_not_given() -> None:
    clean = validate(F12, {"other_evidence": "ก\n\nข\r\nค", "process": None, "level": None})
    assert clean == {"level": None, "other_evidence": ["ก", "ข", "ค"]}


def test_boxes_missing_keys_are_unticked() -> None:
    clean = validate(F12, {"evidence": {"km_plan": True, "other": None}})
    assert clean["evidence"] == {"action_plan": False, "km_plan": True, "km_report": False, "other": False}


def test_omitted_fields_stay_omitted_and_order_follows_the_form() -> None:
    clean = validate(F12, {"office": "สพป.", "level": 2})
    assert list(clean) == ["level", "office"]


IMAGES = {
    "a.png": (PNG, "image/png"),
    "b.jpg": (b"\xff\xd8\xff\xe0" + b"\0" * 16, "image/jpeg"),
    "c.gif": (b"GIF89a" + b"\0" * 16, "image/gif"),
    "d.gif": (b"GIF87a" + b"\0" * 16, "image/gif"),
    "e.bmp": (b"BM" + b"\0" * 16, "image/bmp"),
}


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_image_kinds_by_magic_bytes(tmp_path: Path, name: str) -> None:
    data, media = IMAGES[name]
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / name).write_bytes(data)
    assert image_type(tmp_path / "photos" / name) == media
    clean = validate(F31, {"works": [{"photos": [f"photos/{name}", {"path": f"photos/{name}"}]}]}, tmp_path)
    assert clean["works"][0]["photos"] == [str(tmp_path / "photos" / name)] * 2


def test_photos_absolute_paths_and_parsed_references(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    parsed = {"sha256": SHA, "media_type": "image/png"}
    clean = validate(F31, {"works": [{"photos": [str(tmp_path / "a.png"), parsed]}]}, "/nonexistent")
    photos = clean["works"][0]["photos"]
    assert photos == [str(tmp_path / "a.png"), parsed]
    assert photo_path(photos[0]) == tmp_path / "a.png" and photo_path(photos[1]) is None


def test_a_folder_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "dir.png").mkdir()
    problem = _problems(F31, {"works": [{"photos": ["dir.png"]}]}, tmp_path)[0]
    assert problem.startswith("works[0].photos[0]: cannot read")


def test_the_input_is_not_modified(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    record = {"works": [{"photos": ["a.png"]}], "evidence": {}}
    before = copy.deepcopy(record)
    validate(F31, record, tmp_path)
    assert record == before


# -- loading -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_load_json_and_yaml(tmp_path: Path, suffix: str) -> None:
    record = {"level": 3, "process": "ก & ข < ค > \"ง\"", "fiscal_year": "2565"}
    path = tmp_path / f"r{suffix}"
    text = json.dumps(record, ensure_ascii=False)
    if suffix != ".json":
        text = 'level: 3\nprocess: "ก & ข < ค > \\"ง\\""\nfiscal_year: "2565"\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_record(path) == record


def test_a_parse_result_gives_its_record_and_its_form_is_checked() -> None:
    path = ROOT / "samples/esao-3-1/one-work.json"
    assert load_record(path) == json.loads(path.read_text("utf-8"))["record"]
    with pytest.raises(FormkitError, match="a parse result of form esao-3-1, not esao-1-2"):
        read_record(path, F12)


@pytest.mark.parametrize(("name", "text", "message"), [
    ("r.json", '{"level": 3,\n "process": }', "not valid JSON: Expecting value (line 2, column 13)"),
    ("r.yaml", "level: 3\nprocess: [a\n", "not valid YAML: "),
    ("r.yaml", "level: 3\n  bad: indent\n", "(line 2, column 6)"),
    ("r.json", "[1, 2]", "expected a record (an object of fields), got [1, 2]"),
    ("r.yaml", "", "expected a record (an object of fields), got null"),
    ("r.json", '{"file": "x.docx", "form": "esao-1-2", "record": null, "error": {}}', "a parse result without a record"),
])
def test_load_errors_name_the_file_and_place(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    with pytest.raises(FormkitError) as info:
        load_record(path)
    assert info.value.code == "bad-data" and info.value.file == str(path)
    assert message in info.value.message


def test_load_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(FormkitError) as info:
        load_record(tmp_path / "none.json")
    assert info.value.code == "not-found"
    (tmp_path / "bin.json").write_bytes(b'{"a": "\xff"}')
    with pytest.raises(FormkitError, match=r"not UTF-8 text \(byte 7\)"):
        load_record(tmp_path / "bin.json")


def test_read_record_resolves_photos_beside_the_data_file(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.png").write_bytes(PNG)
    (tmp_path / "r.yaml").write_text("works:\n  - title: ก\n    photos: [photos/a.png]\n", "utf-8")
    assert read_record(tmp_path / "r.yaml", F31)["works"][0]["photos"] == [str(tmp_path / "photos" / "a.png")]
    (tmp_path / "r.yaml").write_text("works:\n  - photos: [photos/b.png]\n", "utf-8")
    with pytest.raises(BadData, match=r"r\.yaml: works\[0\]\.photos\[0\]: no such file 'photos/b\.png'"):
        read_record(tmp_path / "r.yaml", F31)
