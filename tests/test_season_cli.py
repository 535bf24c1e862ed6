"""The season's commands: offices, users, ingest, export (formkit/season/commands.py)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the season extra is missing: pip install -e '.[test]'")

from click.testing import CliRunner  # noqa: E402

from formkit import api  # noqa: E402
from formkit.cli import main  # noqa: E402
from tests.conftest import ROOT, sample_dirs  # noqa: E402
from tests import test_season_store  # noqa: E402

database_url = test_season_store.database_url
postgres_server = test_season_store.postgres_server  # the fixture, shared

SAMPLE_FILES = sorted(p for d in sample_dirs() for p in d.glob("*.docx"))


@pytest.fixture(params=["sqlite", "postgres"])
def db_args(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    for url in database_url(request, request.param):
        yield ["--db", url] if url else []


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_ingest_then_export_gives_what_parse_gives_office_by_office(tmp_path: Path, db_args: list[str]) -> None:
    data = str(tmp_path / "data")
    offices = tmp_path / "offices.csv"
    offices.write_text("code,name\n" + "".join(f"S{n:02},สำนักงาน {n}\n" for n in range(len(SAMPLE_FILES))), "utf-8")
    run("offices", "--data", data, *db_args, "import", str(offices))
    listed = run("offices", "--data", data, *db_args, "list")
    assert listed.splitlines()[0] == "S00\tสำนักงาน 0\t"
    for n, path in enumerate(SAMPLE_FILES):
        run("ingest", "--data", data, *db_args, "--office", f"S{n:02}", "--jobs", "1", str(path))
    out = tmp_path / "season.jsonl"
    run("export", "--data", data, *db_args, "-o", str(out))
    exported = {r["office_code"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    parsed = [r.as_dict() for r in api.parse_files(SAMPLE_FILES)]
    assert len(exported) == len(parsed) == len(SAMPLE_FILES)
    for n, (path, expected) in enumerate(zip(SAMPLE_FILES, parsed)):
        got = exported[f"S{n:02}"]
        assert got["file"] == path.name
        assert {k: got[k] for k in ("form", "record", "warnings")} == {k: expected[k] for k in ("form", "record", "warnings")}
        assert (got["error"] or {}).get("code") == (expected["error"] or {}).get("code")
        assert got["corrections"] == [] and len(got["sha256"]) == 64
        score = api.score_results([expected])[0]
        assert (got["level"], got["basis"], got["self_assessed"]) == (score.level, score.basis, score.self_assessed)


def test_ingest_matches_by_the_page_header_and_says_why_not(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    offices = tmp_path / "offices.csv"
    offices.write_text("code,name\nKK1,สพป.ขอนแก่น เขต ๑\n", "utf-8")
    run("offices", "--data", data, "import", str(offices))
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    out = run("ingest", "--data", data, "--jobs", "1", str(ROOT / "samples/esao-1-2/office-copy.docx"),
              str(ROOT / "samples/esao-1-2/over-dots.docx"), str(bad), code=1)
    lines = out.splitlines()
    (failed,) = [line for line in lines if line.startswith("failed\t")]
    assert failed.startswith("failed\tbroken.docx\t") and failed.endswith(("[corrupt]", "[not-docx]"))
    assert "matched\toffice-copy.docx\tesao-1-2\tKK1" in lines
    assert any(line.startswith("unmatched\tover-dots.docx\tesao-1-2\t") and "names no office" in line for line in lines)
    again = run("ingest", "--data", data, "--jobs", "1", str(ROOT / "samples/esao-1-2/office-copy.docx"))
    assert again.startswith("again\toffice-copy.docx")
    run("ingest", "--data", data, "--office", "NOPE", str(bad), code=2)


def test_export_csv_and_xlsx_escape_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = str(tmp_path / "data")
    offices = tmp_path / "offices.csv"
    offices.write_text("code,name\n=cmd,สพป.ขอนแก่น เขต 1\n", "utf-8")
    run("offices", "--data", data, "import", str(offices))
    run("ingest", "--data", data, "--jobs", "1", str(ROOT / "samples/esao-1-2/office-copy.docx"))
    run("export", "--data", data, "--format", "csv", "-o", str(tmp_path / "out.csv"))
    (row,) = csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"), newline=""))
    assert row["office_code"] == "'=cmd" and row["form"] == "esao-1-2"
    (parsed,) = api.parse_files([ROOT / "samples/esao-1-2/office-copy.docx"])
    score = api.score_results([parsed.as_dict()])[0]
    assert parsed.record is not None and score.level is not None
    assert (row["level"], row["scored_level"], row["basis"]) == (str(parsed.record["level"]), str(score.level), "auto")
    run("export", "--data", data, "--format", "xlsx", code=2)
    run("export", "--data", data, "--format", "xlsx", "-o", str(tmp_path / "out.xlsx"))
    sheet = load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("office_code") + 1)
    assert cell.value == "=cmd" and cell.data_type == "s"


def test_users_add_and_a_short_password_is_refused(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    run("users", "--data", data, "add", "ann", env={"FORMKIT_USER_PASSWORD": "long-enough"})
    run("users", "--data", data, "add", "bob", env={"FORMKIT_USER_PASSWORD": "short"}, code=2)
    run("users", "--data", data, "add", "ann", env={"FORMKIT_USER_PASSWORD": "long-enough"}, code=1)


def test_users_passwd_disable_enable_and_list(tmp_path: Path) -> None:
    from formkit.season.store.db import open_store
    from formkit.season.store.models import Audit, User
    from formkit.season.store.people import authenticate

    data = str(tmp_path / "data")
    pw = {"FORMKIT_USER_PASSWORD": "long-enough"}
    run("users", "--data", data, "add", "boss", "--role", "admin", env=pw)
    run("users", "--data", data, "add", "ann", env=pw)
    run("users", "--data", data, "passwd", "ann", env={"FORMKIT_USER_PASSWORD": "another-one"})
    run("users", "--data", data, "passwd", "ann", env={"FORMKIT_USER_PASSWORD": "short"}, code=2)
    run("users", "--data", data, "passwd", "nobody", env=pw, code=2)
    run("users", "--data", data, "disable", "ann")
    run("users", "--data", data, "disable", "boss", code=2)  # the last admin
    listed = run("users", "--data", data, "list").splitlines()
    assert listed[0].split("\t")[:3] == ["ann", "reviewer", ""] and "disabled" in listed[0]
    assert listed[1].split("\t") == ["boss", "admin", "", "enabled"]
    store = open_store(Path(data))
    with store.session() as session:
        assert authenticate(session, "ann", "another-one") is None  # disabled
    run("users", "--data", data, "enable", "ann")
    with store.session() as session:
        assert authenticate(session, "ann", "another-one") is not None
        assert authenticate(session, "ann", "long-enough") is None
        actions = [a.action for a in session.query(Audit).order_by(Audit.id)]
        assert session.query(User).count() == 2
    assert actions[-3:] == ["reset-password", "disable-user", "enable-user"]


def test_without_the_season_extra_the_command_says_what_to_install(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "flask", None)  # import flask now raises ImportError
    out = run("export", "--data", str(tmp_path), code=1)
    assert "pip install 'formkit[season]'" in out


def test_the_season_commands_are_named_where_they_are_loaded_lazily() -> None:
    from formkit.cli import COMMANDS as TABLE
    from formkit.season.commands import COMMANDS

    assert sorted(n for n, (module, _) in TABLE.items() if module == "formkit.season.commands") == sorted(
        c.name for c in COMMANDS)
    code = ("import sys, runpy\nsys.argv = ['formkit', 'forms']\n"
            "try:\n    runpy.run_module('formkit', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('formkit.season.commands' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "False"


def test_other_commands_never_load_the_web_stack() -> None:
    code = ("import sys, runpy\nsys.argv = ['formkit', 'forms']\n"
            "try:\n    runpy.run_module('formkit', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'alembic', 'werkzeug') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "esao-1-2" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_the_season_is_shown_and_changed_from_the_command_line(tmp_path: Path, db_args: list[str]) -> None:
    data = str(tmp_path / "data")
    shown = run("season", "--data", data, *db_args)
    assert "deadline\tnone" in shown and "esao-1-2" in shown
    changed = run("season", "--data", data, *db_args, "--year", "2570", "--deadline", "2027-03-31",
                  "--forms", "esao-3-1")
    assert changed.splitlines() == ["fiscal year\t2570", "deadline\t2027-03-31 23:59", "forms\tesao-3-1"]
    assert run("season", "--data", data, *db_args) == changed  # kept in the store
    for bad, said in ((["--forms", "esao-9-9"], "esao-9-9"), (["--deadline", "31/03/2027"], "YYYY-MM-DD"),
                      (["--year", "2027"], "Buddhist Era"), (["--forms", ","], "at least one form")):
        assert said in run("season", "--data", data, *db_args, *bad, code=2)
    assert run("season", "--data", data, *db_args) == changed  # a refused change changes nothing
    assert "deadline\tnone" in run("season", "--data", data, *db_args, "--deadline", "none")
    from formkit.season.store.db import open_store
    from formkit.season.store.models import Audit
    from sqlalchemy import select

    store = open_store(data, db_args[1] if db_args else None)
    with store.session() as session:
        actions = [a.action for a in session.scalars(select(Audit).order_by(Audit.id))]
    store.close()
    assert actions.count("set-season") == 2
