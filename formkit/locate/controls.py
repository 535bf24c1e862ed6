"""The ``control`` locator kind: a field read from one of Word's form
controls (:class:`formkit.docx.model.Control`), found by its tag, title
(alias) or a legacy field's bookmark name rather than by a printed label.

Values by the control's type (:mod:`formkit.forms.controls`): text on one
line (a placeholder or a legacy field's default is ""), a date as ISO
"YYYY-MM-DD" (from ``w:fullDate``; a date typed without one is kept as
typed), a list's display text, a check box's state, a picture as its
digest and media type (or None), a repeating section's items (items whose
every control is empty are left out, as fill leaves them).
"""
from __future__ import annotations

from typing import Any

from formkit.docx.model import Control
from formkit.forms import FieldDef
from formkit.forms.controls import value_type
from formkit.locate.kinds import Found, value_value
from formkit.text import match_key
from formkit.warnings import Warning


def find(f: FieldDef, controls: tuple[Control, ...]) -> Control | None:
    """The first control ``f`` names (its tag, alias or bookmark) of its type
    family; else, when ``f`` has a ``label``, the first such control printed
    after that label on its line (a copy saved again by a program that
    dropped the names: LibreOffice 7 keeps no tag)."""
    for control in controls:
        if (f.tag and control.tag == f.tag) or (f.alias and control.alias == f.alias) or (
            f.bookmark and control.bookmark == f.bookmark
        ):
            if fits(f, control.type):
                return control
    key = match_key(f.label) if f.label else ""
    if key:
        for control in controls:
            if fits(f, control.type) and match_key(control.before).endswith(key):
                return control
    return None


def fits(f: FieldDef, control_type: str) -> bool:
    """Whether field ``f`` may read a control of ``control_type``: the same
    kind of value, or text of any kind (a date or a list read as text)."""
    return value_type(control_type) == value_type(f.control) or {control_type, f.control} <= _TEXTS


_TEXTS = frozenset(("text", "richtext", "combobox", "formtext", "date", "dropdown"))


def empty(f: FieldDef) -> Any:
    """A control field's value when it holds nothing."""
    kind = value_type(f.control)
    if kind == "bool":
        return False
    if kind == "picture":
        return None
    if kind == "list":
        return []
    if f.control == "formdropdown" and f.choices:
        return f.choices[0]  # Word always shows an entry: the first unless one was chosen
    return ""


def value(f: FieldDef, control: Control) -> Any:
    """The value of field ``f`` read from ``control``."""
    kind = value_type(f.control)
    if kind == "bool":
        return control.checked
    if kind == "picture":
        image = control.image
        return None if image is None else {"sha256": image.sha256, "media_type": image.media_type}
    if kind == "list":
        return items(f, control)
    if control.placeholder:
        return empty(f)
    if kind == "date" and control.date:
        return control.date
    return value_value(control.text)


def items(f: FieldDef, control: Control) -> list[dict[str, Any]]:
    """The items of a repeating section holding anything, each as its fields."""
    out = []
    for inner in control.repeats:
        item = {}
        for sub in f.fields:
            found = find(sub, inner)
            item[sub.name] = value(sub, found) if found is not None else empty(sub)
        if not blank(f, item):
            out.append(item)
    return out


def blank(f: FieldDef, item: dict[str, Any]) -> bool:
    """Whether a repeating section's item holds nothing (each control as left empty)."""
    return all(item.get(sub.name) == empty(sub) for sub in f.fields)


def locate_controls(fields: tuple[FieldDef, ...], controls: tuple[Control, ...], prefix: str = "") -> dict[str, Found]:
    """Every ``control`` field of ``fields`` read from ``controls``."""
    out: dict[str, Found] = {}
    for f in fields:
        if f.kind != "control":
            continue
        control = find(f, controls)
        selector = f"tag {f.tag!r}" if f.tag else f"title {f.alias!r}" if f.alias else f"bookmark {f.bookmark!r}"
        if control is None:
            warnings = [] if f.optional else [
                Warning.of("field-not-found", prefix + f.name, f"no {f.control} control with the {selector}")
            ]
            out[f.name] = Found(empty(f), "", warnings)
            continue
        out[f.name] = Found(value(f, control), f"{f.control} control with the {selector}")
    return out
