"""records: loading a record for fill and checking it against the form,
in agreement with the form's JSON Schemas (parse output: the parse schema;
records given to fill: the fill schema)."""
from __future__ import annotations

import copy
import io
import json
import os
import re
import struct
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from formkit import forms
from formkit.errors import FormkitError
from formkit.docx.images import check_photo
from formkit.fill.records import BadData, load_record, read_record, validate
from formkit.fill.schema import fill_schema
from formkit.forms.schema import form_schema
from formkit.learn.roundtrip import png
from tests.conftest import expected_samples

ROOT = Path(__file__).resolve().parent.parent
F12 = forms.load("esao-1-2")
F31 = forms.load("esao-3-1")
FORMS = {"esao-1-2": F12, "esao-3-1": F31}
RECORDS = sorted(p for p in (ROOT / "samples").glob("*/record-*") if p.suffix in (".json", ".yaml", ".yml"))
PNG = png(10)
SHA = "0" * 64


def _schema_ok(form: forms.FormDef, record: Any) -> bool:
    """``record`` fits the schema of what parse writes."""
    return jsonschema.Draft202012Validator(form_schema(form)).is_valid(record)


def _fill_schema_ok(form: forms.FormDef, record: Any) -> bool:
    """``record`` fits the schema of what fill accepts."""
    return jsonschema.Draft202012Validator(fill_schema(form)).is_valid(record)


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
    assert validate(form, expected["record"], path.parent, path.name, parsed_photos=True) == expected["record"]


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_fill_record_validates_and_fits_the_schema(path: Path) -> None:
    form = FORMS[path.parent.name]
    record = read_record(path, form)
    assert _fill_schema_ok(form, record)
    for work in record.get("works", []):
        assert len(work["photos"]) == 4
        for photo in work["photos"]:
            assert Path(photo).is_absolute() and check_photo(photo).media_type == "image/png"


def test_the_sample_records_are_what_they_say() -> None:
    one = read_record(ROOT / "samples/esao-1-2/record-1.json", F12)
    assert one["level"] == 4 and one["fiscal_year"] == "2565" and '"' in one["process"] and "&" in one["process"]
    two = read_record(ROOT / "samples/esao-1-2/record-2.yaml", F12)
    assert two["evidence"] == {"action_plan": True, "km_plan": True, "km_report": False, "other": True}
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
    ("esao-3-1", {"works": [{}, {"photos": [{"sha256": SHA, "media_type": "image/png"}]}]},
     'works[1].photos[0]: a photo read back by parse ({"sha256", "media_type"}) holds no picture', True),
    ("esao-3-1", {"works": [{"photos": [{"sha256": SHA}]}]}, 'works[0].photos[0]: a photo read back by parse', True),
    ("esao-3-1", {"works": [{}, {}, {"photos": ["missing.png"]}]}, "works[2].photos[0]: 'missing.png' (*): no such file", False),
    ("esao-3-1", {"works": [{"photos": ["notes.txt"]}]}, "works[0].photos[0]: 'notes.txt' (*notes.txt'): not a PNG, JPEG, GIF or BMP picture", False),
    ("esao-3-1", {"works": [{"photos": [{"path": "missing.png"}]}]}, "works[0].photos[0]: 'missing.png' (*): no such file", False),
    ("esao-3-1", {"works": [{"photos": ["a\0b.png"]}]}, "works[0].photos[0]: 'a\\x00b.png' (*): cannot be read (embedded null byte)", False),
    ("esao-1-2", {"process": "ก\x07ข"}, "process: holds the control character U+0007, which a Word document cannot hold", True),
    ("esao-1-2", {"other_evidence": ["ok", "ก\x0bข"]}, "other_evidence[1]: holds the control character U+000B, which a Word document cannot hold (a line break copied from Word", True),
    ("esao-3-1", {"works": [{}, {}, {"title": "\ud800x"}]}, "works[2].title: holds U+D800, half of a UTF-16 surrogate pair on its own", True),
    ("esao-1-2", {"office": "\uffff"}, "office: holds U+FFFF, which is not a character", True),
    ("esao-1-2", {"process": "ก" * 10_001}, "process: 10,001 characters, over the limit of 10,000 for one answer", True),
    ("esao-3-1", {"works": [{}] * 31}, "works: 31 works, over the limit of 30 for one document", True),
    ("esao-3-1", {"works": [{"photos": ["missing.png"] * 21}]}, "works[0].photos: 21 photos, over the limit of 20", True),
]


def _complete(form_id: str) -> dict[str, Any]:
    """A record valid in the schema too: every required field present."""
    path = ROOT / "samples" / form_id / ("over-dots.json" if form_id == "esao-1-2" else "one-work.json")
    record = json.loads(path.read_text("utf-8"))["record"]
    for work in record.get("works", []):
        work["photos"] = []  # parse gives photos back as digests, which fill refuses
    return record


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
    assert _fill_schema_ok(FORMS[form_id], record) is not schema_rejects


def test_every_problem_is_reported_at_once_in_field_order(tmp_path: Path) -> None:
    record = {"levle": 1, "level": 7, "works": [{"title": "ก"}, {}, {"group": 5, "photos": ["a.png"]}]}
    with pytest.raises(BadData) as info:
        validate(F31, record, tmp_path, "record.json")
    assert str(info.value) == (
        "record.json: unknown field 'levle' (did you mean 'level'?); level: expected 1..5 or null, got 7; "
        f"works[2].group: expected text, got 5; works[2].photos[0]: 'a.png' ('{tmp_path / 'a.png'}'): "
        "no such file"
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


def _picture(fmt: str, size: tuple[int, int] = (4, 3)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buf, fmt)
    return buf.getvalue()


IMAGES = {"a.png": ("PNG", "image/png"), "b.jpg": ("JPEG", "image/jpeg"), "c.gif": ("GIF", "image/gif"),
          "e.bmp": ("BMP", "image/bmp")}


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_pictures_of_every_kind_are_decoded(tmp_path: Path, name: str) -> None:
    fmt, media = IMAGES[name]
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / name).write_bytes(_picture(fmt))
    info = check_photo(str(tmp_path / "photos" / name))
    assert (info.media_type, info.width, info.height) == (media, 4, 3)
    clean = validate(F31, {"works": [{"photos": [f"photos/{name}", {"path": f"photos/{name}"}]}]}, tmp_path)
    assert clean["works"][0]["photos"] == [str(tmp_path / "photos" / name)] * 2


def _bmp_header(width: int, height: int) -> bytes:
    """A BMP file header and BITMAPINFOHEADER (24 bits) with 16 bytes of pixels."""
    return (struct.pack("<2sIHHI", b"BM", 70, 0, 0, 54)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 16, 2835, 2835, 0, 0) + b"\0" * 16)


HOSTILE_PHOTOS = {
    # a text file that starts like a BMP (it held a password and was embedded as a picture)
    "password.bmp": (b"BMpassword=hunter2\n" * 4, "not a PNG, JPEG, GIF or BMP picture"),
    "negative-width.bmp": (_bmp_header(-2, 2), "as a decompression bomb does"),
    "huge.bmp": (_bmp_header(30_000, 10), "the picture is 30000 x 10 pixels; the limit is 20,000 pixels a side"),
    "magic-only.png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "not a PNG, JPEG, GIF or BMP picture"),
    "jfif-only.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 200, "not a PNG, JPEG, GIF or BMP picture"),
    "bad-crc.png": (png(3)[:30] + b"\xff" + png(3)[31:], "not a PNG, JPEG, GIF or BMP picture"),
    "empty.png": (b"", "not a PNG, JPEG, GIF or BMP picture"),
    "picture.tiff": (_picture("TIFF"), "not a PNG, JPEG, GIF or BMP picture"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PHOTOS))
def test_hostile_photos_are_refused_naming_the_field(tmp_path: Path, name: str) -> None:
    data, reason = HOSTILE_PHOTOS[name]
    (tmp_path / name).write_bytes(data)
    record = {"works": [{"title": "ก"}, {"photos": [png_file(tmp_path), name]}]}
    problems = _problems(F31, record, tmp_path)
    assert len(problems) == 1 and problems[0].startswith(f"works[1].photos[1]: '{name}' ("), problems
    assert reason in problems[0]


def png_file(folder: Path) -> str:
    (folder / "good.png").write_bytes(PNG)
    return "good.png"


def test_a_photo_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from formkit.docx.images import MAX_PHOTO_BYTES

    big = tmp_path / "big.png"
    with big.open("wb") as fh:
        fh.write(PNG)
        fh.truncate(MAX_PHOTO_BYTES + 1)  # sparse: nothing is written, and nothing should be read
    problems = _problems(F31, {"works": [{"photos": ["big.png"]}]}, tmp_path)
    assert problems == (f"works[0].photos[0]: 'big.png' ('{big}'): the file is 20.0 MiB (20,971,521 bytes), "
                        "over the limit of 20.0 MiB (20,971,520 bytes) (the photo size limit)",)


def test_a_documents_photos_together_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit.fill import records

    monkeypatch.setattr(records, "MAX_DOCUMENT_PHOTO_BYTES", 3 * len(PNG))
    (tmp_path / "a.png").write_bytes(PNG)
    assert validate(F31, {"works": [{"photos": ["a.png"] * 3}]}, tmp_path)
    problems = _problems(F31, {"works": [{"photos": ["a.png"] * 2}, {"photos": ["a.png"] * 2}]}, tmp_path)
    assert problems == (f"the photos come to {4 * len(PNG):,} bytes, over the limit of {3 * len(PNG):,} bytes "
                        "for one document; use smaller pictures",)


def test_photos_absolute_paths_and_parsed_references(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    parsed = {"sha256": SHA, "media_type": "image/png"}
    record = {"works": [{"photos": [str(tmp_path / "a.png"), parsed]}]}
    clean = validate(F31, record, "/nonexistent", parsed_photos=True)
    assert clean["works"][0]["photos"] == [str(tmp_path / "a.png"), parsed]
    problem = _problems(F31, record, Path("/nonexistent"))
    assert problem == ('works[0].photos[1]: a photo read back by parse ({"sha256", "media_type"}) holds no '
                       "picture to put in the document: parse the document again with --photos DIR (the record "
                       "then names each photo's file), or give the photo's file path",)
    bad_digest = {"works": [{"photos": [{"sha256": "xyz", "media_type": "image/png"}]}]}
    with pytest.raises(BadData, match="works.0..photos.0.: sha256 must be 64 lowercase hex digits"):
        validate(F31, bad_digest, parsed_photos=True)


def test_a_folder_or_a_fifo_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "dir.png").mkdir()
    os.mkfifo(tmp_path / "pipe.png")  # opening it would wait for a writer for ever
    problems = _problems(F31, {"works": [{"photos": ["dir.png", "pipe.png"]}]}, tmp_path)
    assert problems == (f"works[0].photos[0]: 'dir.png' ('{tmp_path}/dir.png'): this is a folder, not a file; "
                        "give a file's path",
                        f"works[0].photos[1]: 'pipe.png' ('{tmp_path}/pipe.png'): this is a named pipe (FIFO), "
                        "not a regular file; give a file's path")


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
    with pytest.raises(BadData, match=r"r\.yaml: works\[0\]\.photos\[0\]: 'photos/b\.png' \(.*\): no such file"):
        read_record(tmp_path / "r.yaml", F31)
