"""The command line, in process (CliRunner) and once as ``python -m formkit``."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import main
from tests.docxbuild import make_docx

ROOT = Path(__file__).resolve().parent.parent
S12 = ROOT / "samples" / "esao-1-2"
S31 = ROOT / "samples" / "esao-3-1"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_forms_lists_shipped_forms() -> None:
    code, out, _ = run("forms")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == ["esao-1-2", "esao-3-1"]


def test_schema_is_generated_from_the_definition() -> None:
    code, out, _ = run("schema", "esao-3-1")
    schema = json.loads(out)
    assert code == 0 and schema["type"] == "object"
    work = schema["properties"]["works"]["items"]
    assert "group" in work["required"] and work["properties"]["photos"]["type"] == "array"
    assert schema["properties"]["evidence"]["required"] == ["works_detail"]


def test_schema_unknown_form_is_a_usage_error() -> None:
    code, _, err = run("schema", "no-such")
    assert code == 2 and "esao-1-2" in err


def test_one_file_gives_one_json_object() -> None:
    code, out, err = run("parse", str(S12 / "over-dots.docx"))
    data = json.loads(out)
    assert code == 0 and data["form"] == "esao-1-2" and data["error"] is None
    assert "1 parsed" in err


def test_several_files_default_to_jsonl_and_json_is_a_list() -> None:
    files = [str(S12 / "blank.docx"), str(S31 / "blank.docx")]
    code, out, _ = run("parse", *files)
    assert code == 0 and [json.loads(l)["form"] for l in out.splitlines()] == ["esao-1-2", "esao-3-1"]
    code, out, _ = run("parse", *files, "--format", "json")
    assert [d["file"] for d in json.loads(out)] == files


def test_csv_has_bom_and_dotted_columns(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, _, _ = run("parse", str(S12 / "over-dots.docx"), str(S31 / "three-works.docx"), "--format", "csv", "-o", str(target))
    raw = target.read_bytes()
    assert code == 0 and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {"evidence.km_plan", "works.1.title", "works.1.photos.1", "error_code"} <= set(rows[0])
    assert rows[1]["works.1.title"] and rows[0]["evidence.action_plan"] in ("true", "false")
    assert rows[1]["works.1.photos.1"].startswith("sha256:")
    assert not list(tmp_path.glob("*.part"))


def test_batch_reports_bad_files_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "empty.docx").write_bytes(b"")
    (tmp_path / "text.docx").write_bytes(b"just some text, not a zip")
    (tmp_path / "unrelated.docx").write_bytes(make_docx("<w:p><w:r><w:t>รายงานการประชุม</w:t></w:r></w:p>"))
    (tmp_path / "~$lock.docx").write_bytes(b"owner file")  # Word's lock file: skipped
    shutil.copy(S12 / "over-dots.docx", tmp_path / "good.docx")
    out = tmp_path / "out.jsonl"
    code, _, err = run("parse", str(tmp_path), str(tmp_path / "missing.docx"), "-o", str(out))
    rows = {Path(r["file"]).name: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    assert code == 1
    assert set(rows) == {"empty.docx", "text.docx", "unrelated.docx", "good.docx", "missing.docx"}
    expected = json.loads((S12 / "over-dots.json").read_text("utf-8"))
    assert rows["good.docx"]["record"] == expected["record"]
    codes = {name: (r["error"] or {}).get("code") for name, r in rows.items()}
    assert codes == {"empty.docx": "not-docx", "text.docx": "not-docx", "unrelated.docx": "unknown-form",
                     "good.docx": None, "missing.docx": "not-found"}
    assert "empty.docx" in rows["empty.docx"]["error"]["message"]
    assert "4 failed" in err and "unknown-form" in err


def test_wrong_form_forced_is_a_mismatch() -> None:
    code, out, _ = run("parse", str(S12 / "blank.docx"), "--form", "esao-3-1")
    data = json.loads(out)
    assert code == 1 and data["error"]["code"] == "form-mismatch" and data["record"] is None


def test_right_form_forced() -> None:
    code, out, _ = run("parse", str(S31 / "one-work.docx"), "--form", "esao-3-1")
    assert code == 0 and len(json.loads(out)["record"]["works"]) == 1


def test_inspect_tells_where_and_why() -> None:
    code, out, _ = run("inspect", str(S12 / "tracked-changes-comments.docx"))
    assert code == 0
    assert "form: esao-1-2" in out and "recognition phrases found" in out
    assert "level = " in out and "table 1" in out
    assert "ticked (" in out and "Wingdings" in out
    assert "[tracked-changes]" in out


def test_inspect_bad_file_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    code, out, _ = run("inspect", str(bad))
    assert code == 1 and "error: corrupt" in out


def test_python_dash_m_formkit() -> None:
    proc = subprocess.run([sys.executable, "-m", "formkit", "forms"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "esao-3-1" in proc.stdout


# -- outputs that cannot be written -----------------------------------------------------

def _output_commands(tmp_path: Path, target: Path) -> dict[str, list[str]]:
    """Each command writing to ``target`` (report: a folder)."""
    scores = tmp_path / "scores.jsonl"
    scores.write_text((S31 / "one-work.json").read_text("utf-8").replace("\n", " ") + "\n", "utf-8")
    return {
        "parse": ["parse", str(S12 / "over-dots.docx"), "-o", str(target)],
        "score": ["score", str(scores), "-o", str(target)],
        "report": ["report", str(scores), "-o", str(target)],
        "fill": ["fill", "esao-1-2", str(S12 / "record-1.json"), "-o", str(target)],
    }


def _one_clear_line(command: str, argv: list[str]) -> str:
    """Run in process: exit 1, no exception escaped, and the error is one line."""
    result = CliRunner().invoke(main, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
    assert result.exit_code == 1, (command, result.exit_code, result.stderr)
    said = [line for line in result.stderr.splitlines() if "[cannot-write]" in line]
    assert len(said) == 1 and "Traceback" not in result.stderr, (command, result.stderr)
    return said[0]


@pytest.mark.parametrize("command", ["parse", "score", "report", "fill"])
def test_an_output_under_a_file(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "results.txt"
    blocker.write_text("a file, not a folder")
    target = blocker / "out" / ("report" if command == "report" else "out.json")
    line = _one_clear_line(command, _output_commands(tmp_path, target)[command])
    assert f"a file stands where a folder is needed ({blocker} is a file)" in line and str(target.parent) in line
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.parametrize("command", ["parse", "score", "report", "fill"])
def test_a_read_only_file_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """Creating the temporary file beside the output fails with EROFS, as it
    does on a read-only mount (simulated: tests run as root, where a
    read-only folder is still writable). The old output stays."""
    import errno
    import tempfile

    out = tmp_path / "out"
    out.mkdir()
    old = out / ("report.xlsx" if command == "report" else "out.json")
    old.write_bytes(b"last week")
    argv = _output_commands(tmp_path, out if command == "report" else old)[command]

    def read_only(*args: object, **kwargs: object) -> object:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    line = _one_clear_line(command, argv)
    assert f"{old}: cannot be written: read-only file system" in line and "cannot be read" not in line
    assert old.read_bytes() == b"last week" and sorted(p.name for p in out.iterdir()) == [old.name]


def test_an_existing_read_only_output_is_replaced(tmp_path: Path) -> None:
    """The output is renamed over, never opened, so a read-only old file in a
    writable folder is no obstacle (click's writable check is not used)."""
    old = tmp_path / "out.json"
    old.write_text("last week")
    old.chmod(0o444)
    code, _, err = run("parse", str(S12 / "over-dots.docx"), "-o", str(old))
    assert code == 0, err
    assert json.loads(old.read_text("utf-8"))["form"] == "esao-1-2"


def test_parse_csv_never_holds_a_formula(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A returned form whose name and answers start like formulas: the CSV
    read back with the csv module has them as text with a leading single quote."""
    record = {"level": 3, "process": "=1+1", "problems": "+SUM(A1)", "suggestions": "@cmd",
              "other_evidence": ["-5", '=HYPERLINK("http://example.invalid","x")'], "office": "=cmd|' /C calc'!A0"}
    monkeypatch.chdir(tmp_path)
    Path("record.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    assert run("fill", "esao-1-2", "record.json", "-o", "=returned.docx")[0] == 0
    code, _, _ = run("parse", "=returned.docx", "--format", "csv", "-o", "out.csv")
    [row] = list(csv.DictReader(io.StringIO(Path("out.csv").read_text("utf-8-sig"))))
    assert code == 0 and row["level"] == "3" and row["file"] == "'=returned.docx"
    assert (row["process"], row["problems"], row["suggestions"]) == ("'=1+1", "'+SUM(A1)", "'@cmd")
    assert (row["other_evidence.1"], row["other_evidence.2"]) == ("'-5", "'" + record["other_evidence"][1])
    assert row["office"] == "'" + record["office"]
