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
    assert {"evidence.km_plan", "works.1.title", "works.1.photos.1.sha256", "error_code"} <= set(rows[0])
    assert rows[1]["works.1.title"] and rows[0]["evidence.action_plan"] in ("true", "false")
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
