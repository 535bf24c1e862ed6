"""Form definitions (formkit.forms): names are identifiers, whatever the YAML says."""
from __future__ import annotations

from pathlib import Path

import pytest

from formkit.errors import FormkitError
from formkit.forms import load_path

_FORM = """id: t
fields:
  {field}:
    kind: boxes
    items:
      {key}: "a box"
"""


@pytest.mark.parametrize("field, key, bad", [
    ("evidence", "plan", None),
    ("x }}{{ 7*7 }}", "plan", "field"),
    ("'a b'", "plan", "field"),
    ("'1st'", "plan", "field"),
    ("evidence", "'k) or cycler.__init__ or (k'", "box"),
    ("evidence", "Yes", "box"),  # YAML reads an unquoted Yes as the boolean True
    ("evidence", "'" + "k" * 65 + "'", "box"),
])
def test_field_names_and_box_keys_are_names(field: str, key: str, bad: str | None, tmp_path: Path) -> None:
    (tmp_path / "form.yaml").write_text(_FORM.format(field=field, key=key), "utf-8")
    if bad is None:
        assert load_path(tmp_path).fields[0].items[0][0] == key
        return
    with pytest.raises(FormkitError) as info:
        load_path(tmp_path)
    assert info.value.code == "bad-form-definition"
    assert f"{bad}" in info.value.message and "is not a name" in info.value.message


def _copy_form(src: str, folder: Path, new_id: str | None = None) -> Path:
    import shutil

    from tests.conftest import ROOT

    dest = folder / (new_id or src)
    shutil.copytree(ROOT / "forms" / src, dest)
    if new_id:
        yaml_path = dest / "form.yaml"
        yaml_path.write_text(yaml_path.read_text("utf-8").replace(f"id: {src}", f"id: {new_id}", 1), "utf-8")
    return dest


def test_formkit_forms_is_a_search_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders of FORMKIT_FORMS (os.pathsep-separated) come before the
    shipped forms; a folder that does not exist is passed over; a form
    added later is found (the listing is redone when a folder changes)."""
    import os

    from formkit import forms

    first, second = tmp_path / "office", tmp_path / "region"
    first.mkdir()
    second.mkdir()
    _copy_form("esao-1-2", first, "office-a")
    monkeypatch.setenv("FORMKIT_FORMS", os.pathsep.join([str(first), str(tmp_path / "missing"), "", str(second)]))
    assert forms.search_path() == (first, tmp_path / "missing", second, forms.shipped_dir())
    assert forms.available() == ["esao-1-2", "esao-3-1", "office-a"]
    assert forms.load("office-a").folder == (first / "office-a").resolve()
    _copy_form("esao-3-1", second, "region-b")
    assert forms.load_id("region-b").id == "region-b"
    assert [f.id for f in forms.load_all()] == ["esao-1-2", "esao-3-1", "office-a", "region-b"]


def test_two_forms_with_one_id_are_an_error_naming_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit import forms

    copy = _copy_form("esao-1-2", tmp_path)
    monkeypatch.setenv("FORMKIT_FORMS", str(tmp_path))
    for call in (forms.available, forms.load_all, lambda: forms.load("esao-3-1")):
        with pytest.raises(FormkitError) as info:
            call()
        assert info.value.code == "bad-form-definition"
        assert str(copy) in info.value.message and str(forms.shipped_dir() / "esao-1-2") in info.value.message
