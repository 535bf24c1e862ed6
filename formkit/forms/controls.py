"""The ``control`` kind of a form definition: a field that is one of Word's
form controls, named by the control rather than by a printed label.

    name:
      kind: control
      control: dropdown        # the control's type (CONTROL_TYPES)
      tag: grade               # or alias: (the control's Title), or bookmark: (a legacy field)
      choices: [A, B, C]       # dropdown, combobox, formdropdown: the list's display texts
      fields: {...}            # repeating: the controls of one item, each kind control

The value a record holds follows the type (:data:`VALUE_TYPES`): text, an
ISO date ("2024-03-05"), one of the choices, true/false, a picture, or a
list of items. Imports only the base modules.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from formkit.errors import FormkitError

#: control type -> the value a record holds for it
VALUE_TYPES: dict[str, str] = {
    "text": "text",
    "richtext": "text",
    "combobox": "text",
    "formtext": "text",
    "date": "date",
    "dropdown": "choice",
    "formdropdown": "choice",
    "checkbox": "bool",
    "formcheckbox": "bool",
    "picture": "picture",
    "repeating": "list",
}
CONTROL_TYPES = tuple(VALUE_TYPES)
_SELECTORS = ("tag", "alias", "bookmark")


def value_type(control: str) -> str:
    """What a record holds for a control of type ``control``."""
    return VALUE_TYPES.get(control, "text")


def control_keys(name: str, spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The FieldDef keys of a ``control`` field (none for another kind),
    checked: a known type, one selector, choices for a drop-down, controls
    inside a repeating section."""
    if spec.get("kind") != "control":
        return {}
    where = f"{folder / 'form.yaml'}: field {name!r} (control)"
    control = spec.get("control")
    if control not in VALUE_TYPES:
        raise FormkitError("bad-form-definition", f"{where}: control {control!r} is not one of "
                           f"{', '.join(CONTROL_TYPES)}")
    given = [key for key in _SELECTORS if spec.get(key) not in (None, "")]
    if len(given) != 1:
        raise FormkitError("bad-form-definition", f"{where} needs exactly one of tag, alias or bookmark "
                           "to find the control by")
    choices = spec.get("choices")
    if choices is not None and not isinstance(choices, list):
        raise FormkitError("bad-form-definition", f"{where}: choices is a list of texts")
    out: dict[str, Any] = {
        "control": control,
        given[0]: str(spec[given[0]]),
        "choices": tuple(str(c) for c in choices or ()),
    }
    if control in ("dropdown", "formdropdown") and not out["choices"]:
        raise FormkitError("bad-form-definition", f"{where}: a {control} needs its choices")
    subs = spec.get("fields") or {}
    if control == "repeating":
        if not isinstance(subs, dict) or not subs:
            raise FormkitError("bad-form-definition", f"{where}: a repeating section needs the fields "
                               "of one item")
        bad = [n for n, s in subs.items() if not isinstance(s, dict) or s.get("kind") != "control"
               or s.get("control") in ("repeating", "picture")]
        if bad:
            raise FormkitError("bad-form-definition", f"{where}: the fields of a repeating section are "
                               f"controls other than repeating sections and pictures ({', '.join(map(str, bad))})")
    elif subs:
        raise FormkitError("bad-form-definition", f"{where}: only a repeating section has fields")
    return out
