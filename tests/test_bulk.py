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
from formkit.fill.filler import Filler
from formkit.read.parse import parse_file
from formkit.fill.tabular import read_rows
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
            assert _members(one.read(name)) == _members(two.read(name))  # workers change nothing but the date
            assert parse_file(io.BytesIO(one.read(name)).getvalue(), name).form == "esao-3-1"
    assert not list(tmp_path.glob("*.part"))


def _members(document: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(document)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


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


# -- output errors: one line naming the path, exit 1, nothing half-written ------------------

ROWS = "".join(f'{{"office": "สพป. {n}", "level": {n % 5 + 1}}}\n' for n in range(5))


def _rows_file(tmp_path: Path) -> Path:
    data = tmp_path / "rows.jsonl"
    data.write_text(ROWS, "utf-8")
    return data


def _one_error_line(err: str, path: Path, reason: str) -> None:
    lines = [line for line in err.splitlines() if "cannot-write" in line]
    assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0], err
    assert "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("where", ["folder", "zip"])
@pytest.mark.parametrize("case", ["under-a-file", "is-a-file"])
def test_an_output_in_the_way_of_a_file(tmp_path: Path, where: str, case: str, jobs: str) -> None:
    data = _rows_file(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"a file, not a folder")
    if case == "under-a-file":
        target = blocker / ("out" if where == "folder" else "out.zip")
    elif where == "folder":
        target = blocker
    else:
        target = tmp_path / "out.zip"
        target.mkdir()  # a folder where the archive should go
    flag = "-o" if where == "folder" else "--zip"
    code, err = run("bulk", "esao-1-2", str(data), flag, str(target), "--jobs", jobs)
    if case == "is-a-file":  # click checks the option itself: a usage error
        assert code == 2 and ("is a file" in err if where == "folder" else "is a directory" in err), err
        assert "Traceback" not in err
    else:
        assert code == 1
        _one_error_line(err, target, "a file stands where a folder is needed" if where == "folder" else "")
    assert blocker.read_bytes() == b"a file, not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["rows.jsonl", "blocker"] + (
        ["out.zip"] if case == "is-a-file" and where == "zip" else []))
    if target.is_dir():
        assert list(target.iterdir()) == []  # no staging folder, no archive's .part file


@pytest.mark.parametrize("where", ["folder", "zip"])
def test_a_read_only_output(tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file system (EROFS) when the first document or the archive
    is created (tests run as root, for whom permissions are no obstacle, so
    the refusal is the file system's, simulated at the call that meets it)."""
    import errno
    import os
    import tempfile

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(args[0]) if args else None)

    monkeypatch.setattr(tempfile, "mkdtemp" if where == "folder" else "mkstemp", read_only)
    target = tmp_path / ("out" if where == "folder" else "out.zip")
    code, err = run("bulk", "esao-1-2", str(_rows_file(tmp_path)), "-o" if where == "folder" else "--zip",
                    str(target), "--jobs", "1")
    assert code == 1
    _one_error_line(err, target, "read-only")


def _small_disk() -> None:
    """In the child: files may not grow past 200 kB (EFBIG, as on a full disk)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("where", ["folder", "zip"])
def test_a_full_disk(tmp_path: Path, where: str, jobs: str) -> None:
    """Documents of about 70 kB each: the archive outgrows the limit at its
    third; in a folder each document fits, so the disk fills with the photos
    of a large record (a real full disk refuses any write: EFBIG stands for it)."""
    import json
    import os
    import subprocess
    import sys

    from PIL import Image

    photo = tmp_path / "noise.png"
    Image.frombytes("RGB", (160, 160), os.urandom(160 * 160 * 3)).save(photo)  # 77 kB of noise: no compression
    rows = [{"office": f"สพป. {n}", "works": [{"title": "ก", "photos": [str(photo)] * (1 if n < 2 else 4)}]}
            for n in range(6)]
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    target = tmp_path / ("out" if where == "folder" else "out.zip")
    args = ["bulk", "esao-3-1", str(data), "-o" if where == "folder" else "--zip", str(target), "--jobs", jobs]
    proc = subprocess.run([sys.executable, "-m", "formkit", *args], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=_small_disk,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr
    _one_error_line(proc.stderr, target, "larger than this file system or this process allows")
    if where == "zip":
        assert not target.exists() and not list(tmp_path.glob(".out.zip*"))
    else:
        assert not list(target.glob(".formkit-bulk-*"))
        for doc in target.iterdir():  # what is there is whole
            assert parse_file(doc).error is None


def test_a_form_without_an_office_field_is_named_by_form_and_row(tmp_path: Path) -> None:
    """The default --name needs an office field; a form without one (a learned
    form whose page header prints something) is named {form}-{row}."""
    import shutil

    import yaml

    folder = tmp_path / "no-office"
    shutil.copytree(ROOT / "forms" / "esao-1-2", folder)
    spec = yaml.safe_load((folder / "form.yaml").read_text("utf-8"))
    spec["id"] = "no-office"
    del spec["fields"]["office"]
    (folder / "form.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"level": 3}\n{"level": 4}\n', "utf-8")
    result = CliRunner().invoke(main, ["bulk", str(folder), str(rows), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["no-office-1.docx", "no-office-2.docx"]
