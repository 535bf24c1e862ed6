"""`formkit parse samples/` reproduces every expected JSON beside the samples,
recognizing each form with no --form."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import main
from tests.conftest import expected_samples, sample_dirs

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = expected_samples()


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict]:
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        folders = [str(d.relative_to(ROOT)) for d in sample_dirs()]  # samples/<form>/, not samples/learn/
        result = CliRunner().invoke(main, ["parse", *folders])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return {row["file"]: row for row in rows}


def test_every_sample_has_expected_json(parsed: dict[str, dict]) -> None:
    docx = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*/*.docx"))
    assert docx and sorted(parsed) == docx
    assert len(EXPECTED) == len(docx)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_sample(path: Path, parsed: dict[str, dict]) -> None:
    expected = json.loads(path.read_text("utf-8"))
    got = parsed[expected["file"]]
    assert got["error"] == expected["error"]
    assert got["form"] == expected["form"]  # recognized without --form
    assert got["record"] == expected["record"]
    assert sorted(w["code"] for w in got["warnings"]) == sorted(expected["warnings"])
