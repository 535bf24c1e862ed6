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
