"""The fields of a parse or score result, checked for the types they must have.

What :mod:`formkit.score.inputs` asks of every entry before scoring, the
JSON and CSV output, the workbook and the HTML page use it: each field of
the documented shapes (README "Output" and "Scoring") has the type those
expect, and a record's fields fit its form's field kinds, the way
:mod:`formkit.fill.records` checks a record for ``fill``, without reading
any file a record may name. Each check returns what is wrong, in words
naming the field, or "".
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from formkit import forms

BASES = ("rubric", "judgments", "auto")
_TEXT_KINDS = frozenset({"section", "value", "header", "year"})
_SHOWN = 40  # characters of a wrong value quoted in a message


def _show(value: Any) -> str:
    """A wrong value for a message, cut short before it is serialised."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        cut = value[:_SHOWN]
        return json.dumps(cut + ("…" if len(value) > _SHOWN else ""), ensure_ascii=False)
    text = json.dumps(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _is_level(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5)


def _is_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _wrong(checks: Sequence[tuple[str, Callable[[Any], bool], str]], value: Mapping[str, Any], prefix: str = "") -> str:
    """The first field of ``value`` failing its check, said with what it should be."""
    for key, ok, what in checks:
        if key in value and not ok(value[key]):
            return f"field {prefix + key!r}: expected {what}, got {_show(value[key])}"
    return ""


_SCORE_CHECKS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("form", _is_text, "text or null"),
    ("office", _is_text, "text or null"),
    ("self_assessed", _is_level, "a level 1..5 or null"),
    ("level", _is_level, "a level 1..5 or null"),
    ("basis", lambda v: v is None or v in BASES, f"one of {', '.join(BASES)} or null"),
    ("reasons", _is_texts, "a list of text"),
    ("agrees", lambda v: v is None or isinstance(v, bool), "true, false or null"),
    ("details", lambda v: v is None or (isinstance(v, list) and all(isinstance(d, dict) for d in v)),
     'a list of {"code", "args"}'),
)


def score_problem(value: Mapping[str, Any]) -> str:
    """What is wrong with a score result (README "Scoring"), or ""."""
    problem = _wrong(_SCORE_CHECKS, value)
    if not problem and (value.get("level") is None) != (value.get("basis") is None):
        problem = "fields 'level' and 'basis': both null (not scored) or both set"
    return problem


def _is_warning(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(value.get(k), str) for k in ("code", "message"))
    return isinstance(value, str)


_PARSE_CHECKS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("form", lambda v: v is None or (isinstance(v, str) and not forms.is_path(v)), "a form id or null"),
    ("saved_by", _is_text, "text or null"),
    ("record", lambda v: v is None or isinstance(v, dict), "an object or null"),
    ("warnings", lambda v: v is None or (isinstance(v, list) and all(map(_is_warning, v))),
     'a list of {"code", "message"}'),
    ("error", lambda v: v is None or (isinstance(v, dict) and _is_warning(v)), '{"code", "message"} or null'),
)


def parse_problem(value: Mapping[str, Any], form: forms.FormDef | None) -> str:
    """What is wrong with a parse result (README "Output"), its record
    checked against ``form`` when the form is known (an unknown form is
    reported by scoring, with its own code), or ""."""
    problem = _wrong(_PARSE_CHECKS, value)
    record = value.get("record")
    if problem or form is None or not isinstance(record, dict):
        return problem
    return next(_record_problems(form.fields, record, "record."), "")


def _record_problems(fields: Sequence[forms.FieldDef], record: Mapping[str, Any], prefix: str) -> Iterator[str]:
    """Each field of ``record`` whose value does not fit its kind."""
    for field in fields:
        value = record.get(field.name)
        if value is None:
            continue
        name = prefix + field.name
        ok, what = _fits(field, value)
        if not ok:
            yield f"field {name!r}: expected {what}, got {_show(value)}"
        elif field.kind == "repeat":
            for n, item in enumerate(value):
                yield from _record_problems(field.fields, item, f"{name}[{n}].")


def _fits(field: forms.FieldDef, value: Any) -> tuple[bool, str]:
    """Whether ``value`` has the type parse writes for ``field``'s kind."""
    kind = field.kind
    if kind == "level":
        return _is_level(value), "a level 1..5 or null"
    if kind in _TEXT_KINDS or kind == "date":
        return isinstance(value, str), "text"
    if kind == "signature":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values()), "an object of text"
    if kind == "lines":
        return _is_texts(value), "a list of text"
    if kind == "boxes":
        return isinstance(value, dict) and all(isinstance(v, bool) for v in value.values()), "an object of true/false"
    ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return ok, 'a list of photos {"sha256", "media_type"}' if kind == "images" else "a list of objects"
