"""What ``score`` and ``report`` read: parse or score results, checked field by field.

A results file may hold anything, so every value that scoring, the JSON and
CSV output, the workbook and the HTML page use is checked for the type they
expect before it is used: a damaged or hostile entry can neither stop the
run nor put text where a number or a yes/no belongs. An entry that fails a
check becomes a failed result (``bad-input``) whose message names the
results file, the entry (line or item) and the field; every other entry is
still scored and reported. The checks follow the documented shapes
(README "Output" and "Scoring"); a record is checked against its form's
field kinds, the way :mod:`formkit.fill.records` checks a record for ``fill``,
without reading any file a record may name.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias

from formkit import forms
from formkit.errors import FormkitError
from formkit.files import MiB, read_regular, size_text
from formkit.read.inputs import expand_inputs, is_word_name

if TYPE_CHECKING:
    from formkit.read.parse import ParseResult

RESULTS_LIMIT = 256 * MiB  # one results file (or stdin): parse output of about 25,000 returned forms
BASES = ("rubric", "judgments", "auto")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_TEXT_KINDS = frozenset({"section", "value", "header", "year"})
_SHOWN = 40  # characters of a wrong value quoted in a message


class ResultsError(FormkitError):
    """A RESULTS file cannot be read at all (missing, a folder, a FIFO, over
    the size limit): the run stops, a usage error (exit 2) on the command
    line, as README "Scoring" says. ``code`` says why (``not-found``,
    ``too-large`` ...)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(code, message)

    def __reduce__(self) -> tuple[type[ResultsError], tuple[str, str]]:  # type: ignore[override]
        return (type(self), (self.message, self.code))


@dataclass(frozen=True, slots=True)
class _NotJson:
    why: str


# What score and report take: a results file, a Word file or folder, or a result itself.
Input: TypeAlias = "str | os.PathLike[str] | Mapping[str, Any] | ParseResult"


def load_inputs(inputs: Iterable[Input], stdin: IO[bytes] | None = None) -> list[dict[str, Any]]:
    """Parse or score results from every input, in order. Word files and
    folders are parsed here; ``"-"`` reads ``stdin`` when one is given; a
    result given as a value (a dict, a :class:`~formkit.read.parse.ParseResult`)
    is checked as a file's entries are, named "result N". An entry that is
    no result, or has a field of the wrong type, becomes a failed result
    (``bad-input``) so it is listed, not lost. A results file that cannot be
    read raises :class:`ResultsError`."""
    items: list[dict[str, Any]] = []
    check = _Checks(escapes=True)
    for n, arg in enumerate(inputs, 1):
        if arg == "-" and stdin is not None:
            data = stdin.read(RESULTS_LIMIT + 1)
            if len(data) > RESULTS_LIMIT:
                raise ResultsError(f"<stdin>: more than {size_text(RESULTS_LIMIT)} of results; split the batch", "too-large")
            items += _from_text(data.decode("utf-8-sig", errors="replace"), "<stdin>")
        elif isinstance(arg, (str, os.PathLike)):
            items += _from_path(os.fspath(arg))
        else:  # a result itself: a dict, or a ParseResult (whose module is not imported here for the test)
            value = dict(arg) if isinstance(arg, Mapping) else arg.as_dict()
            items.append(check.entry(value, f"result {n}"))
    return items


def _from_path(arg: str) -> list[dict[str, Any]]:
    """A Word file or a folder parsed, or a results file read."""
    if Path(arg).is_dir() or is_word_name(arg):
        from formkit.read.parse import parse_file

        return [parse_file(path).as_dict() for path in expand_inputs([arg])]
    try:
        data = read_regular(arg, RESULTS_LIMIT, limit_name="a results file")
    except FormkitError as exc:
        raise ResultsError(str(exc), exc.code) from None
    return _from_text(data.decode("utf-8-sig", errors="replace"), arg)


def _from_text(text: str, name: str) -> list[dict[str, Any]]:
    """One JSON value (an object or a list of them), else JSON Lines. Lone
    surrogates can only come from \\u escapes (the text was decoded from
    UTF-8), so values are searched for them only when the text has one."""
    if not text.strip():
        return []
    check = _Checks(escapes=bool(_SURROGATE_ESCAPE.search(text)))
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        values = [(f"{name} line {n}", _json(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    else:
        values = [(f"{name} item {n}", v) for n, v in enumerate(whole if isinstance(whole, list) else [whole], 1)]
    return [check.entry(value, where) for where, value in values]


def _json(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return _NotJson(f"not JSON ({exc.msg})")
    except ValueError:  # an integer of more digits than Python converts
        return _NotJson("not JSON this program reads (a number of thousands of digits)")
    except RecursionError:
        return _NotJson("not JSON this program reads (nested too deeply)")


@dataclass(slots=True)
class _Checks:
    """The checks of one input: whether it may hold lone surrogates, and the
    forms its parse results name (each loaded once)."""

    escapes: bool
    known: dict[str, forms.FormDef | None] = field(default_factory=dict)

    def entry(self, value: Any, where: str) -> dict[str, Any]:
        """``value`` if it is a well-typed parse or score result, else a failed
        result naming ``where`` (the file and the line or item) and the field."""
        if isinstance(value, _NotJson):
            return _failed(where, where, value.why)
        shaped = isinstance(value, dict) and isinstance(value.get("file"), str) and (
            ("basis" in value and "reasons" in value) or "record" in value or bool(value.get("error")))
        if not shaped:
            file = value.get("file") if isinstance(value, dict) else None
            named = file if isinstance(file, str) and not _SURROGATE.search(file) else where
            return _failed(named, where, "not a parse or score result")
        unreadable = _lone_surrogate(value) if self.escapes else ""
        if unreadable:
            return _failed(where, where, f"{unreadable}: holds a lone surrogate (\\ud800-\\udfff), not a character")
        problem = score_problem(value) if "basis" in value else parse_problem(value, self.form(value.get("form")))
        return _failed(value["file"], where, problem) if problem else value

    def form(self, form_id: Any) -> forms.FormDef | None:
        """The form a parse result names, when it is a known one."""
        if not isinstance(form_id, str):
            return None
        if form_id not in self.known:
            try:
                self.known[form_id] = forms.load_id(form_id)
            except FormkitError:
                self.known[form_id] = None
        return self.known[form_id]


def _failed(file: str, where: str, why: str) -> dict[str, Any]:
    error = FormkitError("bad-input", f"{where}: {why}")
    return {"file": file, "form": None, "record": None, "warnings": [], "error": error.as_dict()}


def _lone_surrogate(value: Any) -> str:
    """The field (``record.works[2].title``) of the first text holding a lone
    surrogate, which JSON's \\u escapes allow and no UTF-8 output can hold."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str) and _SURROGATE.search(item):
            return f"field {path!r}" if path else "a key"
        if isinstance(item, dict):
            for key, sub in item.items():
                if _SURROGATE.search(key):
                    return f"a key of {path!r}" if path else "a key"
                stack.append((f"{path}.{key}" if path else key, sub))
        elif isinstance(item, list):
            stack += [(f"{path}[{n}]", sub) for n, sub in enumerate(item)]
    return ""


# -- the fields ---------------------------------------------------------------------

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
    if kind in _TEXT_KINDS:
        return isinstance(value, str), "text"
    if kind == "lines":
        return _is_texts(value), "a list of text"
    if kind == "boxes":
        return isinstance(value, dict) and all(isinstance(v, bool) for v in value.values()), "an object of true/false"
    ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return ok, 'a list of photos {"sha256", "media_type"}' if kind == "images" else "a list of objects"
