"""The JSON Schema of the record ``fill`` accepts, generated from the form
definition (``formkit schema FORM --for fill``).

It says in JSON Schema (draft 2020-12) what :func:`formkit.fill.records.validate`
checks field by field, with the same limits: every field may be left out
(or null, except that a null level says "no level ticked"); a level is 1..5
as a number or as text in Thai or Arabic digits ("๔"); a year is "2565",
"2563 - 2564" or a whole number; ``lines`` a list of one-line strings or one
string of lines; boxes true, false or null, missing ones unticked; a photo a
path (relative to the record file) or ``{"path", "caption"?, "sha256"?,
"media_type"?}``, never ``{"sha256", "media_type"}`` alone (no picture to put
in the document); no text holds a character a Word document cannot hold
(XML 1.0, section 2.2, ``Char``). What a schema cannot say is checked by
``validate`` alone: that a photo file exists and is a picture (and matches its
sha256), and the limits on a whole record (characters, lines, photo bytes).
"""
from __future__ import annotations

from typing import Any

from formkit.fill.records import MAX_ITEMS, MAX_LINES, MAX_PHOTOS, MAX_TEXT
from formkit.fill.control_values import MAX_REPEATS
from formkit.forms import FieldDef, FormDef
from formkit.forms.controls import value_type
from formkit.forms.schema import DRAFT, END, SHA256

# Characters XML 1.0 (section 2.2, Char) has no place for: what records.not_xml
# refuses. Written as \u escapes, so the schema's JSON stays plain UTF-8.
_NOT_XML = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ud800-\\udfff\\ufffe\\uffff"
_TEXT: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT, "pattern": f"^[^{_NOT_XML}]*{END}"}
_LINE: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT, "pattern": f"^[^\\r\\n{_NOT_XML}]*{END}"}
_NULL: dict[str, Any] = {"type": "null"}
_PATH: dict[str, Any] = {
    "type": "string", "pattern": "\\S",
    "description": "an image file (PNG, JPEG, GIF or BMP), relative to the record file's folder "
                   "(to the working folder for a record given to the API)",
}
_PHOTO: dict[str, Any] = {
    "anyOf": [
        _PATH,
        {
            "type": "object",
            "properties": {
                "path": _PATH,
                "caption": {"type": "string"},
                "sha256": {**SHA256, "description": "when given, the file's SHA-256 must be this"},
                "media_type": {"type": "string"},
            },
            "required": ["path"],
            "additionalProperties": False,
        },
    ]
}


def _kind_schema(field: FieldDef) -> dict[str, Any]:
    """The values ``validate`` takes for one field, null (left out) aside."""
    kind = field.kind
    if kind in ("section", "header"):
        return dict(_TEXT)
    if kind == "value":
        return dict(_LINE)
    if kind == "date":
        return {**_LINE, "description": "the date as it is written, its pieces in the printed order: "
                "\"12 มกราคม 2567\" (after printed words such as เดือน, พ.ศ.) or \"12/01/2567\" (blanks "
                "separated by /)"}
    if kind == "signature":
        return _object(field.fields)
    if kind == "year":
        return {"anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999},
                          {"type": "string", "pattern": f"^[0-9๐-๙]{{4}}( ?[-–] ?[0-9๐-๙]{{4}})?{END}"}]}
    if kind == "lines":
        return {"anyOf": [_TEXT, {"type": "array", "maxItems": MAX_LINES, "items": _LINE}]}
    if kind == "boxes":
        props = {key: {"type": ["boolean", "null"], "title": label} for key, label in field.items}
        return {"type": "object", "properties": props, "additionalProperties": False}
    if kind == "images":
        return {"type": "array", "maxItems": MAX_PHOTOS, "items": _PHOTO}
    if kind == "control":
        return _control(field)
    return {"type": "array", "maxItems": MAX_ITEMS, "items": _object(field.fields)}


def _control(field: FieldDef) -> dict[str, Any]:
    """A ``control`` field (formkit.forms.controls): what formkit.fill.control_values.check takes."""
    kind = value_type(field.control)
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "picture":
        return _PHOTO
    if kind == "list":
        return {"type": "array", "maxItems": MAX_REPEATS, "items": _object(field.fields)}
    if kind == "date":
        return {"type": "string", "pattern": f"^([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})?{END}",
                "description": "a date, year-month-day"}
    if kind == "choice":
        return {"enum": [*field.choices, ""]}
    return dict(_LINE)


def field_schema(field: FieldDef) -> dict[str, Any]:
    """Schema of one field's value in a record given to fill."""
    if field.kind == "level":
        return {"title": field.title, "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 5},
            {"type": "string", "maxLength": 19, "pattern": f"^\\s*[0๐]*[1-5๑-๕]\\s*{END}"},
            _NULL,
        ]}
    kind = _kind_schema(field)
    return {"title": field.title, "anyOf": [*kind.get("anyOf", [kind]), _NULL]}


def _object(fields: tuple[FieldDef, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "additionalProperties": False,
    }


def fill_schema(form: FormDef) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a record ``fill`` accepts for ``form``."""
    return {
        "$schema": DRAFT,
        "$id": f"formkit:{form.id}:fill",
        "title": form.title,
        "description": f"{form.title_en}: a record formkit fill accepts (fields left out keep their "
                       "printed blank); a record file may also hold a parse result, whose record is taken",
        **_object(form.fields),
    }
