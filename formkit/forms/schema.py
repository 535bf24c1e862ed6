"""The JSON Schema of what ``parse`` writes as a form's record, generated
from its definition (``formkit schema FORM``, ``--for parse``).

It describes a parse result's ``record`` exactly as the locators give it:
every field the definition does not mark optional is present (a level not
ticked is null, a year not found is null), boxes hold every item, and a
photo is ``{"sha256", "media_type"}``, with ``"path"`` first when parse wrote
the photos out (``parse --photos DIR``). What ``fill`` accepts is wider (paths,
omitted fields, "๔" for 4): :mod:`formkit.fill.schema` generates that one.
"""
from __future__ import annotations

from typing import Any

from formkit.forms import FieldDef, FormDef
from formkit.forms.controls import value_type

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# The end of the text, in ECMA-262 and in Python alike (Python's $ also matches
# before a final newline, so "2565\n" would pass as a year).
END = "(?![\\s\\S])"
SHA256: dict[str, Any] = {"type": "string", "pattern": f"^[0-9a-f]{{64}}{END}"}

_PHOTO: dict[str, Any] = {
    "type": "object",
    "description": "a photo of the document: its SHA-256 and media type; with parse --photos DIR, "
                   "also the path of the file written for it; the caption under it when there is one",
    "properties": {
        "path": {"type": "string", "minLength": 1},
        "caption": {"type": "string", "minLength": 1},
        "sha256": SHA256,
        "media_type": {"type": "string"},
    },
    "required": ["sha256", "media_type"],
    "additionalProperties": False,
}


def field_schema(field: FieldDef) -> dict[str, Any]:
    """Schema of one field's value as parse gives it."""
    base: dict[str, Any] = {"title": field.title}
    kind = field.kind
    if kind == "level":
        base.update(type=["integer", "null"], minimum=1, maximum=5)
    elif kind in ("section", "header"):
        base.update(type="string")
    elif kind == "value":
        base.update(type="string", pattern=f"^[^\\n]*{END}")
    elif kind == "year":
        base.update(type=["string", "null"], pattern=f"^[0-9๐-๙]{{4}}( - [0-9๐-๙]{{4}})?{END}")
    elif kind == "lines":
        base.update(type="array", items={"type": "string", "pattern": f"^[^\\n]*{END}"})
    elif kind == "boxes":
        props = {key: {"type": "boolean", "title": label} for key, label in field.items}
        base.update(type="object", properties=props, required=list(props), additionalProperties=False)
    elif kind == "images":
        base.update(type="array", items=_PHOTO)
    elif kind in ("repeat", "grid"):
        base.update(type="array", items=_object(field.fields))
    elif kind == "control":
        base.update(_control(field))
    elif kind == "signature":
        base.update(_object(field.fields))
    elif kind == "date":
        base.update(type="string", pattern=f"^[^\\n]*{END}",
                    description="the date as typed into its blanks, in the printed order")
    return base


def _control(field: FieldDef) -> dict[str, Any]:
    """A ``control`` field's value by its control's type (formkit.forms.controls)."""
    kind = value_type(field.control)
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "picture":
        return {"anyOf": [_PHOTO, {"type": "null"}]}
    if kind == "list":
        return {"type": "array", "items": _object(field.fields)}
    if kind == "date":
        return {"type": "string", "description": "an ISO date (year-month-day) or as typed; empty when not given"}
    if kind == "choice":
        return {"enum": [*field.choices, *([] if field.control == "formdropdown" else [""])]}
    return {"type": "string", "pattern": f"^[^\\n]*{END}"}


def _object(fields: tuple[FieldDef, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "required": [f.name for f in fields if not f.optional],
        "additionalProperties": False,
    }


def form_schema(form: FormDef) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``form``'s record as parse writes it."""
    return {
        "$schema": DRAFT,
        "$id": f"formkit:{form.id}",
        "title": form.title,
        "description": f"{form.title_en}: the record formkit parse writes",
        **_object(form.fields),
    }
