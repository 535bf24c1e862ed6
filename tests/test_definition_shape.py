"""A form.yaml of the wrong shape is refused naming what is missing, never
with a bare Python message; learn on a document with nothing to fill says so."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit import forms
from formkit.cli import main
from formkit.errors import FormkitError
from tests.docxbuild import make_docx, p, r


@pytest.mark.parametrize("text, said", [
    ("id: x\nfields:\n", "'fields' must map each field's name to its definition (none given)"),
    ("id: x\nfields: {}\n", "'fields' must map each field's name to its definition (none given)"),
    ("id: x\nfields: [a, b]\n", "'fields' must map each field's name to its definition"),
    ("fields:\n  a: {kind: value, label: A}\n", "no 'id'"),
    ("id: x\n", "no 'fields'"),
    ("- a\n- b\n", "a mapping of keys (id, fields ...) is needed"),
    ("", "a mapping of keys (id, fields ...) is needed"),
])
def test_a_definition_of_the_wrong_shape_says_what_is_missing(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "form.yaml").write_text(text, "utf-8")
    with pytest.raises(FormkitError) as info:
        forms.load_path(tmp_path)
    assert info.value.code == "bad-form-definition" and said in info.value.message
    assert "NoneType" not in info.value.message and "object has no attribute" not in info.value.message


def test_learn_on_a_document_with_nothing_to_fill_says_so(tmp_path: Path) -> None:
    (tmp_path / "letter.docx").write_bytes(make_docx(p(r("Dear colleagues,")) + p(r("The meeting is on Monday."))))
    result = CliRunner().invoke(main, ["learn", str(tmp_path / "letter.docx"), "--id", "letter", "-o", str(tmp_path / "f")])
    assert result.exit_code == 1
    assert "found nothing to fill in the original" in result.output and "[cannot-learn]" in result.output
    assert "NoneType" not in result.output and not (tmp_path / "f").exists()
