"""Records given to ``formkit fill``: loading them and checking them against a form.

A record is what ``parse`` writes (README, "Records"), with one difference:
photos are image files to put into the document, given as paths (or
``{"path": ...}``) relative to the data file. :func:`validate` checks a
record against the form definition field by field, reports every problem at
once with the field's path, and returns a clean copy:

* ``level``: an int 1..5 or None ("4", "๔" and 4.0 are accepted as 4);
* text kinds (section, value, header, year): strings, not normalized here
  (the fill engine normalizes); ``value`` is one line; a year is "2565" or
  "2563 - 2564" in Thai or Arabic digits (a whole number such as 2565 from
  YAML becomes "2565");
* ``lines``: a list of one-line strings (one string with newlines is split);
* ``boxes``: every item key present, as a bool (missing keys are False);
* ``images``: each photo an absolute path string of an existing PNG, JPEG,
  GIF or BMP file, or, kept as it is, an already-parsed
  ``{"sha256", "media_type"}`` (no image to write: see :func:`photo_path`);
* ``repeat``: a list of objects checked against the sub-fields.

Omitted fields stay omitted (fill leaves their printed blank); ``null`` for
any field but ``level`` counts as omitted. Unknown fields are errors with a
close-match suggestion. The checks agree with :func:`formkit.schema.form_schema`
(a record valid here is valid there once its photo paths are written out).
"""
from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import FormkitError
from .forms import FieldDef, FormDef
from .text import fold_digits

PathSegments = tuple[str | int, ...]
PathNamer = Callable[[PathSegments], str]

_YEAR = re.compile(r"[0-9๐-๙]{4}( ?[-–] ?[0-9๐-๙]{4})?")
_DIGITS = re.compile(r"\s*[0-9๐-๙]+\s*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NEWLINE = re.compile(r"\r\n|[\r\n]")
_ENVELOPE = {"file", "form", "record", "warnings", "error"}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)


_BAD = object()  # a value that failed its check (the problem is recorded)


class BadData(FormkitError):
    """A record that does not fit its form. ``problems`` lists each one
    ("works[2].group: expected text, got 5"); ``message`` joins them with
    "; "; ``prefix`` says which record of the file ("row 7") and is shown by
    ``str()`` between the file and the message (the message itself stays
    without it, for callers that print the row number themselves)."""

    def __init__(self, problems: Sequence[str], file: str | None = None, prefix: str = "") -> None:
        self.problems = tuple(problems)
        self.prefix = prefix
        super().__init__("bad-data", "; ".join(self.problems), file)

    def __reduce__(self) -> tuple[type[BadData], tuple[tuple[str, ...], str | None, str]]:  # type: ignore[override]
        return (type(self), (self.problems, self.file, self.prefix))

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.prefix) if part)
        return f"{where}: {self.message}" if where else self.message


def bracket_path(path: PathSegments) -> str:
    """A field path as in JSON: ``works[2].photos[0]`` (0-based items)."""
    out = ""
    for seg in path:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else seg)
    return out


def image_type(path: Path) -> str | None:
    """The media type of an image file by its magic bytes (PNG, JPEG, GIF,
    BMP), or None for anything else."""
    with path.open("rb") as fh:
        head = fh.read(8)
    return next((media for magic, media in _MAGIC if head.startswith(magic)), None)


def photo_path(item: Any) -> Path | None:
    """The file to write for one photo of a validated record, or None when
    the photo is an already-parsed ``{"sha256", "media_type"}`` (no image)."""
    return Path(item) if isinstance(item, str) else None


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def suggest(name: str, known: Sequence[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``known``, or ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close and close[0] != name else ""


class _Checker:
    """Walks one record, collecting problems; each ``_kind`` method returns
    the clean value or ``_BAD``."""

    def __init__(self, base_dir: Path, name_path: PathNamer) -> None:
        self.base_dir = base_dir
        self.name_path = name_path
        self.problems: list[str] = []

    def bad(self, path: PathSegments, message: str) -> object:
        self.problems.append(f"{self.name_path(path)}: {message}" if path else message)
        return _BAD

    def obj(self, fields: Sequence[FieldDef], value: Any, path: PathSegments) -> dict[str, Any] | object:
        if not isinstance(value, dict):
            return self.bad(path, f"expected an object, got {_show(value)}")
        names = [f.name for f in fields]
        for key in value:
            if key not in names:
                where = f"{self.name_path(path)}: " if path else ""
                self.problems.append(f"{where}unknown field {str(key)!r}{suggest(str(key), names)}")
        out: dict[str, Any] = {}
        for field in fields:
            if field.name not in value or (value[field.name] is None and field.kind != "level"):
                continue
            clean = self.field(field, value[field.name], (*path, field.name))
            if clean is not _BAD:
                out[field.name] = clean
        return out

    def field(self, field: FieldDef, value: Any, path: PathSegments) -> Any:
        kind = field.kind
        if kind == "level":
            return self.level(value, path)
        if kind in ("section", "header"):
            return value if isinstance(value, str) else self.bad(path, f"expected text, got {_show(value)}")
        if kind == "value":
            return self.one_line(value, path)
        if kind == "year":
            return self.year(value, path)
        if kind == "lines":
            return self.lines(value, path)
        if kind == "boxes":
            return self.boxes(field, value, path)
        if kind == "images":
            return self.images(value, path)
        return self.repeat(field, value, path)

    def level(self, value: Any, path: PathSegments) -> int | None | object:
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and _DIGITS.fullmatch(value):
            number = int(fold_digits(value.strip()))
        if value is None or (number is not None and 1 <= number <= 5):
            return number
        return self.bad(path, f"expected 1..5 or null, got {_show(value)}")

    def one_line(self, value: Any, path: PathSegments) -> str | object:
        if not isinstance(value, str):
            return self.bad(path, f"expected text, got {_show(value)}")
        if _NEWLINE.search(value):
            return self.bad(path, f"expected one line, got {_show(value)}")
        return value

    def year(self, value: Any, path: PathSegments) -> str | object:
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return str(value)
        if isinstance(value, str) and _YEAR.fullmatch(value):
            return value
        return self.bad(path, f'expected a year such as "2565" or "2563 - 2564", got {_show(value)}')

    def lines(self, value: Any, path: PathSegments) -> list[str] | object:
        if isinstance(value, str):
            return [line for line in _NEWLINE.split(value) if line.strip()]
        if not isinstance(value, list):
            return self.bad(path, f"expected a list of lines, got {_show(value)}")
        items = [self.one_line(item, (*path, i)) for i, item in enumerate(value)]
        return _BAD if any(item is _BAD for item in items) else items

    def boxes(self, field: FieldDef, value: Any, path: PathSegments) -> dict[str, bool] | object:
        if not isinstance(value, dict):
            return self.bad(path, f"expected an object of ticks, got {_show(value)}")
        keys = [key for key, _ in field.items]
        for key in value:
            if key not in keys:
                self.bad(path, f"unknown box {str(key)!r}{suggest(str(key), keys)}")
        out: dict[str, bool] = {}
        for key in keys:
            tick = value.get(key, False)
            if tick is None:
                tick = False
            if not isinstance(tick, bool):
                self.bad((*path, key), f"expected true or false, got {_show(tick)}")
            out[key] = bool(tick)
        return out

    def images(self, value: Any, path: PathSegments) -> list[Any] | object:
        if not isinstance(value, list):
            return self.bad(path, f"expected a list of image paths, got {_show(value)}")
        items = [self.image(item, (*path, i)) for i, item in enumerate(value)]
        return _BAD if any(item is _BAD for item in items) else items

    def image(self, value: Any, path: PathSegments) -> Any:
        if isinstance(value, dict) and "path" not in value and "sha256" in value:
            return self.parsed_image(value, path)
        if isinstance(value, dict) and set(value) == {"path"}:
            value = value["path"]
        if not isinstance(value, str) or not value.strip():
            return self.bad(path, f'expected an image path or {{"path": ...}}, got {_show(value)}')
        file = self.base_dir / value
        shown = repr(value) if file == Path(value) else f"{value!r} ({file})"
        try:
            media = image_type(file)
        except FileNotFoundError:
            return self.bad(path, f"no such file {shown}")
        except OSError as exc:
            return self.bad(path, f"cannot read {shown}: {exc.strerror or exc}")
        if media is None:
            return self.bad(path, f"{shown} is not a PNG, JPEG, GIF or BMP image")
        return str(Path(os.path.abspath(file)))

    def parsed_image(self, value: dict[str, Any], path: PathSegments) -> dict[str, Any] | object:
        sha, media = value.get("sha256"), value.get("media_type")
        if set(value) != {"sha256", "media_type"} or not isinstance(media, str):
            return self.bad(path, f'expected {{"sha256", "media_type"}}, got {_show(value)}')
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            return self.bad(path, f"sha256 must be 64 lowercase hex digits, got {_show(sha)}")
        return dict(value)

    def repeat(self, field: FieldDef, value: Any, path: PathSegments) -> list[Any] | object:
        if not isinstance(value, list):
            return self.bad(path, f"expected a list of {field.name}, got {_show(value)}")
        items = [self.obj(field.fields, item, (*path, i)) for i, item in enumerate(value)]
        return _BAD if any(item is _BAD for item in items) else items



def validate(
    form: FormDef,
    record: Any,
    base_dir: Path | str = ".",
    source: str = "",
    *,
    name_path: PathNamer = bracket_path,
    prefix: str = "",
) -> dict[str, Any]:
    """Check ``record`` against ``form`` and return a clean copy (see the
    module docstring). Photo paths are resolved against ``base_dir``.
    Raises :class:`BadData` (code ``bad-data``) listing every problem, named
    by ``name_path`` (``works[2].group``), with ``source`` as the file and
    ``prefix`` before the list ("row 7")."""
    checker = _Checker(Path(base_dir), name_path)
    clean = checker.obj(form.fields, record, ())
    if checker.problems or not isinstance(clean, dict):
        raise BadData(checker.problems, source or None, prefix)
    return clean


def unwrap(data: Any, source: str) -> tuple[Any, str | None]:
    """A parse result envelope ``{"file", "form", "record", ...}`` gives its
    record and form id; anything else is returned as it is, with no form."""
    if isinstance(data, dict) and {"form", "record"} <= set(data) <= _ENVELOPE:
        if data["record"] is None:
            raise FormkitError("bad-data", "a parse result without a record (its parse failed)", source)
        return data["record"], str(data["form"])
    return data, None


def _parse_text(text: str, suffix: str, source: str) -> Any:
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormkitError(
                "bad-data", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", source
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FormkitError("bad-data", f"not valid YAML: {problem}{where}", source) from None


def _load(path: Path) -> tuple[dict[str, Any], str | None]:
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FormkitError("not-found", "no such file", source) from None
    except OSError as exc:
        raise FormkitError("not-found", f"cannot be read: {exc.strerror or exc}", source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormkitError("bad-data", f"not UTF-8 text (byte {exc.start})", source) from None
    data, form_id = unwrap(_parse_text(text, path.suffix.lower(), source), source)
    if not isinstance(data, dict):
        raise FormkitError("bad-data", f"expected a record (an object of fields), got {_show(data)}", source)
    return data, form_id


def load_record(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read one record from a .json file (JSON) or .yaml/.yml (YAML, safe
    loader; also used for any other suffix). A parse result envelope gives
    its record. Raises ``not-found`` or ``bad-data`` naming the file (and, for
    syntax errors, line and column)."""
    return _load(Path(path))[0]


def read_record(path: str | os.PathLike[str], form: FormDef) -> dict[str, Any]:
    """:func:`load_record` then :func:`validate`, photos relative to the
    file's folder; a parse result of another form is refused."""
    file = Path(path)
    data, form_id = _load(file)
    if form_id is not None and form_id != form.id:
        raise FormkitError("bad-data", f"a parse result of form {form_id}, not {form.id}", str(file))
    return validate(form, data, file.parent, str(file))
