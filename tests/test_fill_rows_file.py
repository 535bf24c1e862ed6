"""fill takes one record; given a file of many (a spreadsheet, JSON Lines)
it says so and gives the bulk command to run instead."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import formkit
from formkit.cli import main
from formkit.errors import FormkitError
from tests.conftest import ROOT

S12, S31 = ROOT / "samples" / "esao-1-2", ROOT / "samples" / "esao-3-1"


@pytest.mark.parametrize("form, data", [("esao-1-2", S12 / "bulk.csv"), ("esao-3-1", S31 / "bulk.jsonl"),
                                        ("esao-1-2", Path("rows.xlsx"))])
def test_fill_given_rows_suggests_bulk(form: str, data: Path, tmp_path: Path) -> None:
    if not data.is_absolute():  # a workbook: fill never opens it
        data = tmp_path / data
        data.write_bytes(b"PK\x03\x04")
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["fill", form, str(data), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert f"formkit bulk {form} {data} -o DIR" in result.stderr
    assert data.suffix in result.stderr and ".json or .yaml" in result.stderr


def test_the_python_api_says_the_same() -> None:
    with pytest.raises(FormkitError) as caught:
        formkit.fill_bytes("esao-1-2", S12 / "bulk.csv")
    assert caught.value.code == "bad-data" and "bulk_fill" in caught.value.message
    assert "formkit bulk esao-1-2" in caught.value.message
