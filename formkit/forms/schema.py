"""The JSON Schema of a form's record, generated from its definition.

The same schema describes what ``parse`` writes and what ``fill`` accepts:
photos are ``{"sha256", "media_type"}`` when read back, and a path (or
``{"path": ...}``) when given to fill.
"""
from __future__ import annotations

from typing import Any

from formkit.forms import FieldDef, FormDef

_PHOTO: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "description": "path of an image file, relative to the data file"},
        {
            "type": "object",
            "properties": {"path": {"type": "string"}},
            "required": ["path"],
        },
        {
            "type": "object",
            "properties": {
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "media_type": {"type": "string"},
            },
            "required": ["sha256", "media_type"],
        },
    ]
}


def field_schema(field: FieldDef) -> dict[str, Any]:
    """Schema of one field's value."""
    base: dict[str, Any] = {"title": field.title}
    kind = field.kind
    if kind == "level":
        base.update(type=["integer", "null"], minimum=1, maximum=5)
    elif kind in ("section", "header"):
        base.update(type="string")
    elif kind == "value":
        base.update(type="string", pattern="^[^\\n]*$")
    elif kind == "year":
        base.update(type="string", pattern="^[0-9๐-๙]{4}( ?[-–] ?[0-9๐-๙]{4})?$")
    elif kind == "lines":
        base.update(type="array", items={"type": "string", "pattern": "^[^\\n]*$"})
    elif kind == "boxes":
        props = {key: {"type": "boolean", "title": label} for key, label in field.items}
        base.update(type="object", properties=props, required=list(props), additionalProperties=False)
    elif kind == "images":
        base.update(type="array", items=_PHOTO)
    elif kind == "repeat":
        base.update(type="array", items=_object(field.fields))
    return base


def _object(fields: tuple[FieldDef, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "required": [f.name for f in fields if not f.optional],
        "additionalProperties": False,
    }


def form_schema(form: FormDef) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``form``'s record."""
    schema = _object(form.fields)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"formkit:{form.id}",
        "title": form.title,
        "description": form.title_en,
        **schema,
    }
