"""``parse --photos DIR``: each photo written once, by its hash, and the
record pointing at it, so that parse -> fill -> parse gives the same record,
photos included (through the command line and through the Python API); and
fill checking such an entry (``formkit.fill.records``)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import formkit
from formkit.cli import main
from formkit.fill.records import BadData, validate
from formkit.forms import load
from formkit.forms.schema import form_schema
from tests.conftest import ROOT

S31 = ROOT / "samples" / "esao-3-1"
WITH_PHOTOS = ["five-works-vml.docx", "three-works.docx"]


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def photos_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [photo for work in record["works"] for photo in work["photos"]]


def check_photo_files(record: dict[str, Any], base: Path, folder: Path) -> None:
    """Every entry names a file under ``folder`` (relative to ``base``) named
    by its hash and holding exactly the bytes of that hash; nothing else there."""
    entries = photos_of(record)
    assert entries and all(set(p) - {"caption"} == {"path", "sha256", "media_type"} for p in entries)
    for photo in entries:
        file = (base / photo["path"]).resolve()
        assert file.parent == folder.resolve() and file.stem == photo["sha256"]
        assert hashlib.sha256(file.read_bytes()).hexdigest() == photo["sha256"]
    assert {p.name for p in folder.iterdir()} == {Path(p["path"]).name for p in entries}


@pytest.mark.parametrize("sample", WITH_PHOTOS)
def test_parse_fill_parse_gives_the_same_record_through_the_command_line(sample: str, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("parse", str(S31 / sample), "--photos", "photos", "-o", "out/parsed.json")
    assert code == 0, err
    first = json.loads(Path("out/parsed.json").read_text("utf-8"))["record"]
    check_photo_files(first, tmp_path / "out", tmp_path / "photos")
    assert not os.path.isabs(photos_of(first)[0]["path"])  # relative to the record: moved with it, it still works
    code, _, err = cli("fill", "esao-3-1", "out/parsed.json", "-o", "again.docx")
    assert code == 0, err
    code, _, err = cli("parse", "again.docx", "--photos", "photos", "-o", "out/again.json")
    assert code == 0, err
    assert json.loads(Path("out/again.json").read_text("utf-8"))["record"] == first
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize("sample", WITH_PHOTOS)
def test_parse_fill_parse_gives_the_same_record_through_the_api(sample: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    [result] = formkit.parse_files([S31 / sample], photos_dir="photos")
    assert result.ok and result.record is not None
    check_photo_files(result.record, tmp_path, tmp_path / "photos")
    assert all(p["path"].startswith("photos" + os.sep) for p in photos_of(result.record))
    data = formkit.fill_bytes("esao-3-1", result.record)
    again = formkit.parse_file(data, photos_dir=tmp_path / "photos")
    assert again.record is not None
    assert [p["sha256"] for p in photos_of(again.record)] == [p["sha256"] for p in photos_of(result.record)]
    assert all(os.path.isabs(p["path"]) for p in photos_of(again.record))  # photos_dir as given
    for photo in photos_of(again.record):
        photo["path"] = os.path.relpath(photo["path"], tmp_path)
    assert again.record == result.record


def test_a_photo_in_many_documents_is_written_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        shutil.copy(S31 / "three-works.docx", folder / f"copy-{n}.docx")
    photos = tmp_path / "photos"
    results = list(formkit.parse_files([folder], photos_dir=photos, jobs=1))
    digests = {p["sha256"] for r in results for p in photos_of(r.record or {"works": []})}
    assert len(results) == 3 and len(list(photos.iterdir())) == len(digests) > 1
    inodes = {p.name: p.stat().st_ino for p in photos.iterdir()}
    list(formkit.parse_files([folder], photos_dir=photos))
    assert {p.name: p.stat().st_ino for p in photos.iterdir()} == inodes  # there already: not written again


def test_a_wrong_file_under_a_photo_name_is_replaced(tmp_path: Path) -> None:
    [result] = formkit.parse_files([S31 / "three-works.docx"], photos_dir=tmp_path)
    assert result.record is not None
    victim = Path(photos_of(result.record)[0]["path"])
    victim.write_bytes(b"not the photo")
    [again] = formkit.parse_files([S31 / "three-works.docx"], photos_dir=tmp_path)
    assert again.record == result.record
    assert hashlib.sha256(victim.read_bytes()).hexdigest() == photos_of(result.record)[0]["sha256"]


def test_a_photos_folder_that_cannot_be_made_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file")
    code, out, err = cli("parse", str(S31 / "three-works.docx"), "--photos", str(tmp_path / "taken" / "photos"))
    assert code == 1 and "cannot be written" in err and str(tmp_path / "taken") in err
    assert "Traceback" not in err and out == ""


def test_photos_to_stdout_are_the_folder_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("parse", str(S31 / "three-works.docx"), "--photos", "ph")
    record = json.loads(out)["record"]
    assert code == 0 and all(p["path"] == os.path.join("ph", Path(p["path"]).name) for p in photos_of(record))
    check_photo_files(record, tmp_path, tmp_path / "ph")


# -- fill takes {"path", "sha256", "media_type"} -----------------------------------------------------------

F31 = load("esao-3-1")


def _parsed_with_photos(tmp_path: Path) -> dict[str, Any]:
    [result] = formkit.parse_files([S31 / "five-works-vml.docx"], photos_dir=tmp_path / "photos",
                                   photos_relative_to=tmp_path)
    assert result.record is not None and len(result.record["works"]) > 1
    assert len(result.record["works"][1]["photos"]) > 2
    return result.record


def test_fill_reads_each_photo_from_its_path(tmp_path: Path) -> None:
    record = _parsed_with_photos(tmp_path)
    clean = validate(F31, record, tmp_path)
    assert clean["works"][1]["photos"][2] == str(tmp_path / record["works"][1]["photos"][2]["path"])


def test_a_photo_file_that_does_not_match_its_sha256_names_the_field(tmp_path: Path) -> None:
    record = _parsed_with_photos(tmp_path)
    other = record["works"][0]["photos"][0]["path"]
    record["works"][1]["photos"][2]["path"] = other
    with pytest.raises(BadData) as caught:
        validate(F31, record, tmp_path)
    [problem] = caught.value.problems
    assert problem.startswith("works[1].photos[2]: ") and "sha256" in problem and caught.value.code == "bad-data"
    record["works"][1]["photos"][2] = {"path": other}  # no sha256: the file is taken as it is
    assert validate(F31, record, tmp_path)


def test_a_photo_with_a_sha256_and_no_path_says_to_parse_with_photos(tmp_path: Path) -> None:
    record = _parsed_with_photos(tmp_path)
    del record["works"][1]["photos"][2]["path"]
    with pytest.raises(BadData) as caught:
        validate(F31, record, tmp_path)
    [problem] = caught.value.problems
    assert problem.startswith("works[1].photos[2]: ") and "--photos" in problem


@pytest.mark.parametrize(("entry", "message"), [
    ({"path": "x.png", "sha256": "ABC"}, "sha256 must be 64 lowercase hex digits"),
    ({"path": "x.png", "media_type": 5}, "media_type must be text"),
])
def test_a_wrong_photo_entry_names_the_field(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(BadData) as caught:
        validate(F31, {"works": [{"photos": [entry]}]})
    assert caught.value.problems[0].startswith("works[0].photos[0]: ") and message in caught.value.problems[0]


def test_captions_come_out_with_their_photos_and_go_back_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A captioned photo keeps its caption through parse --photos -> fill -> parse."""
    monkeypatch.chdir(tmp_path)
    record = json.loads((S31 / "record-1.json").read_text("utf-8"))
    for work in record["works"]:
        work["photos"] = [{"path": str(S31 / (photo if isinstance(photo, str) else photo["path"])),
                           "caption": f"ภาพที่ {n} & <{work['title'][:10]}>"}
                          for n, photo in enumerate(work["photos"], 1)]
    Path("record.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    assert cli("fill", "esao-3-1", "record.json", "-o", "first.docx")[0] == 0
    assert cli("parse", "first.docx", "--photos", "photos", "-o", "first.json")[0] == 0
    first = json.loads(Path("first.json").read_text("utf-8"))["record"]
    assert [p["caption"] for p in photos_of(first)] == [p["caption"] for w in record["works"] for p in w["photos"]]
    check_photo_files(first, tmp_path, tmp_path / "photos")
    jsonschema.validate(first, form_schema(load("esao-3-1")))  # the parse schema allows the caption
    assert cli("fill", "esao-3-1", "first.json", "-o", "again.docx")[0] == 0
    assert cli("parse", "again.docx", "--photos", "photos", "-o", "again.json")[0] == 0
    assert json.loads(Path("again.json").read_text("utf-8"))["record"] == first
