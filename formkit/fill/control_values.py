"""What a record may hold for a ``control`` field, and what parse reads back.

:func:`check` is the ``control`` kind of :mod:`formkit.fill.records`
(drop-downs keep to their list, a date is an ISO date, a check box true or
false, a repeating section a list of objects); :func:`canonical` is its
canonical value (:mod:`formkit.fill.filler`), the value
:mod:`formkit.locate.controls` reads from the filled document.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, Protocol

from formkit.forms import FieldDef
from formkit.forms.controls import value_type
from formkit.locate.controls import blank, empty
from formkit.locate.kinds import value_value

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_REPEATS = 200


class Checker(Protocol):
    """The part of :class:`formkit.fill.records._Checker` a control field uses."""

    def bad(self, path: Any, message: str) -> object: ...
    def one_line(self, value: Any, path: Any) -> Any: ...
    def obj(self, fields: Any, value: Any, path: Any) -> Any: ...
    def repeat(self, field: Any, value: Any, path: Any, limit: int, noun: str, within: str) -> Any: ...
    def image(self, value: Any, path: Any) -> Any: ...


def check(checker: Checker, f: FieldDef, value: Any, path: tuple[Any, ...], bad: object) -> Any:
    """The clean value of control field ``f``, or ``bad`` (the problem told to ``checker``)."""
    kind = value_type(f.control)
    if kind == "bool":
        if not isinstance(value, bool):
            return checker.bad(path, f"expected true or false, got {value!r:.60}")
        return value
    if kind == "picture":
        return checker.image(value, path)
    if kind == "list":
        return checker.repeat(f, value, path, MAX_REPEATS, "items", "section")
    text = checker.one_line(value, path)
    if text is bad or not text:
        return text
    if kind == "date":
        return _date(checker, text, path)
    if kind == "choice" and text not in f.choices:
        allowed = ", ".join(repr(c) for c in f.choices)
        return checker.bad(path, f"{text!r:.60} is not in the {f.control} list (allowed: {allowed})")
    return text


def _date(checker: Checker, text: str, path: tuple[Any, ...]) -> Any:
    try:
        if _ISO.fullmatch(text.strip()):
            return datetime.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        pass
    return checker.bad(path, f'expected a date written "2024-03-05" (year-month-day), got {text!r:.60}')


def canonical(f: FieldDef, value: Any, picture: Callable[[Any], dict[str, str]] | None = None) -> Any:
    """What parse reads back from a control filled with ``value``
    (``picture``: a record's photo as embedded, its digest and media type)."""
    kind = value_type(f.control)
    if kind == "bool":
        return bool(value)
    if kind == "picture":
        if not value or picture is None:
            return None
        ref = picture(value)
        return {"sha256": ref["sha256"], "media_type": ref["media_type"]}
    if kind == "list":
        items = [{sub.name: canonical(sub, (item or {}).get(sub.name)) for sub in f.fields} for item in value or []]
        return [item for item in items if not blank(f, item)]
    text = value_value(str(value if value is not None else ""))
    return text or empty(f)


def cell(f: FieldDef, value: Any, tick: Callable[[Any], bool], text: Callable[[Any], Any]) -> Any:
    """The record value of a spreadsheet cell for control field ``f``
    (:mod:`formkit.fill.tabular`): a check box takes a tick ("x", "1",
    "ใช่" ...), a date a date cell or its text; others text as any field."""
    kind = value_type(f.control)
    if kind == "bool":
        return tick(value)
    if kind == "date" and isinstance(value, (datetime.date, datetime.datetime)):
        return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
    return text(value)
