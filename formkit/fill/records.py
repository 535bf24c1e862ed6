"""Records given to ``formkit fill``: loading them and checking them against a form.

A record is what ``parse`` writes (README, "Records"), with one difference:
photos are image files to put into the document, given as paths (or
``{"path": ...}``, which ``parse --photos`` writes) relative to the data file. :func:`validate` checks a
record against the form definition field by field, reports every problem at
once with the field's path, and returns a clean copy:

* ``level``: an int 1..5 or None ("4", "๔" and 4.0 are accepted as 4);
* text kinds (section, value, header, year): strings, not normalized here
  (the fill engine normalizes); ``value`` is one line; a year is "2565" or
  "2563 - 2564" in Thai or Arabic digits (a whole number such as 2565 from
  YAML becomes "2565");
* ``lines``: a list of one-line strings (one string with newlines is split);
* ``boxes``: every item key present, as a bool (missing keys are False);
* ``images``: each photo a path, or ``{"path", "caption"?, "sha256"?,
  "media_type"?}`` (``parse --photos`` writes the last two; the file is then
  checked against its sha256): an absolute path string of a PNG, JPEG, GIF or
  BMP file that Pillow decodes (:func:`formkit.docx.images.check_photo`),
  kept as ``{"path", "caption"}`` when captioned; a photo read back by parse
  without ``--photos`` (``{"sha256", "media_type"}``) holds no picture and is
  refused, naming the field and saying to parse with ``--photos`` (unless a
  parse result is being checked: ``parsed_photos``);
* ``repeat``: a list of objects checked against the sub-fields.

Every text value must be one a Word document can hold: XML 1.0 (section
2.2, ``Char``) has no place for the C0 control characters other than tab,
line feed and carriage return, for U+FFFE and U+FFFF, or for a lone UTF-16
surrogate, so a value holding one is refused, naming the field and the
character (whether it came from JSON, YAML, a CSV or XLSX cell or JSON
Lines). Records are bounded (README, "Limits"): :data:`MAX_TEXT` characters
in one value, :data:`MAX_RECORD_TEXT` in all, :data:`MAX_LINES` lines,
:data:`MAX_ITEMS` items in a list, :data:`MAX_PHOTOS` photos; within them,
the document fill writes stays within what parse accepts (no part over
1 MiB, so never refused by the 200:1 compression-ratio check of
:class:`formkit.docx.package.Limits`: ``tests/test_record_limits.py`` fills the
largest records these limits allow and parses them back).

Reading a record file is bounded too: at most :data:`MAX_RECORD_BYTES`, and
(:mod:`formkit.fill.recordtext`) at most 16 levels of nesting and 20,000 values,
no YAML alias (``*name``: a 400-byte file of nested aliases stands for
billions of values).

Omitted fields stay omitted (fill leaves their printed blank); ``null`` for
any field but ``level`` counts as omitted. Unknown fields are errors with a
close-match suggestion. :func:`formkit.fill.schema.fill_schema` says the same
in JSON Schema (what a schema cannot say, photo files and record-wide
limits, is checked here alone).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError
from formkit.files import MiB, read_regular
from formkit.forms import FieldDef, FormDef
from formkit.docx.images import MAX_DOCUMENT_PHOTO_BYTES, PhotoError, check_photo, check_sha256, total_error
from formkit.fill.recordtext import PathSegments, bracket_path, load_json, load_yaml, quoted, show, suggest
from formkit.fill import control_values
from formkit.text import fold_digits

PathNamer = Callable[[PathSegments], str]

MAX_RECORD_BYTES = 4 * MiB  # a record file (.json, .yaml) for fill
MAX_TEXT = 10_000  # characters in one text value (about four pages of Thai text)
MAX_RECORD_TEXT = 60_000  # characters of text in one record
MAX_LINES = 1_000  # lines of the multi-line answers (section and lines fields) of one record
MAX_ITEMS = 30  # works (items of a repeated block) in one record
MAX_PHOTOS = 20  # photos in one photos field

_YEAR = re.compile(r"[0-9๐-๙]{4}( ?[-–] ?[0-9๐-๙]{4})?")
_DIGITS = re.compile(r"\s*[0-9๐-๙]+\s*")
_NEWLINE = re.compile(r"\r\n|[\r\n]")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LISTED = re.compile(r"sha256:[0-9a-f]{64}")  # a photo in parse's CSV without --photos
# What XML 1.0 (section 2.2, Char) cannot hold: C0 controls but tab, LF and CR;
# lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENVELOPE = {"file", "form", "saved_by", "record", "warnings", "error"}

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


def not_xml(text: str) -> str | None:
    """Why ``text`` cannot go into a Word document, or None when it can."""
    found = _NOT_XML.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return (f"holds U+{code:04X}, half of a UTF-16 surrogate pair on its own (not a character: "
                "the program that wrote the file damaged the text), which a Word document cannot hold")
    if code in (0xFFFE, 0xFFFF):
        return f"holds U+{code:04X}, which is not a character and which a Word document cannot hold"
    hint = " (a line break copied from Word: type it as a new line)" if code == 0x0B else ""
    return f"holds the control character U+{code:04X}, which a Word document cannot hold{hint}"


class _Checker:
    """Walks one record, collecting problems; each ``_kind`` method returns
    the clean value or ``_BAD``. It also counts what the record adds to the
    document (characters, lines, photo bytes) against the record limits."""

    def __init__(self, base_dir: Path, name_path: PathNamer, parsed_photos: bool) -> None:
        self.base_dir = base_dir
        self.name_path = name_path
        self.parsed_photos = parsed_photos
        self.problems: list[str] = []
        self.chars = self.lines = self.photo_bytes = 0

    def bad(self, path: PathSegments, message: str) -> object:
        self.problems.append(f"{self.name_path(path)}: {message}" if path else message)
        return _BAD

    def obj(self, fields: Sequence[FieldDef], value: Any, path: PathSegments) -> dict[str, Any] | object:
        if not isinstance(value, dict):
            return self.bad(path, f"expected an object, got {show(value)}")
        names = [f.name for f in fields]
        for key in value:
            if key not in names:
                where = f"{self.name_path(path)}: " if path else ""
                self.problems.append(f"{where}unknown field {quoted(key)}{suggest(str(key), names)}")
        out: dict[str, Any] = {}
        for field in fields:
            if field.name not in value or (value[field.name] is None and field.kind != "level"):
                continue
            clean = self.field(field, value[field.name], (*path, field.name))
            if clean is not _BAD:
                out[field.name] = clean
        return out

    def totals(self) -> None:
        """The record-wide limits, checked once every field was."""
        for count, limit, what in ((self.chars, MAX_RECORD_TEXT, "characters of text"),
                                   (self.lines, MAX_LINES, "lines of multi-line answers")):
            if count > limit:
                self.problems.append(f"the record has {count:,} {what}, over the limit of {limit:,} "
                                     "for one document")
        if self.photo_bytes > MAX_DOCUMENT_PHOTO_BYTES:
            self.problems.append(total_error(self.photo_bytes, MAX_DOCUMENT_PHOTO_BYTES))

    def field(self, field: FieldDef, value: Any, path: PathSegments) -> Any:
        kind = field.kind
        if kind == "level":
            return self.level(value, path)
        if kind in ("section", "header"):
            clean = self.text(value, path)
            if kind == "section" and clean is not _BAD:
                self.lines += len(_NEWLINE.findall(value)) + 1
            return clean
        if kind in ("value", "date"):
            return self.one_line(value, path)
        if kind == "signature":
            return self.obj(field.fields, value, path)
        if kind == "year":
            return self.year(value, path)
        if kind == "lines":
            return self.lines_field(value, path)
        if kind == "boxes":
            return self.boxes(field, value, path)
        if kind == "images":
            return self.images(value, path)
        if kind == "control":
            return control_values.check(self, field, value, path, _BAD)
        return self.repeat(field, value, path)

    def level(self, value: Any, path: PathSegments) -> int | None | object:
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and len(value) < 20 and _DIGITS.fullmatch(value):
            number = int(fold_digits(value.strip()))
        if value is None or (number is not None and 1 <= number <= 5):
            return number
        return self.bad(path, f"expected 1..5 or null, got {show(value)}")

    def text(self, value: Any, path: PathSegments) -> str | object:
        """A text value a Word document can hold, within :data:`MAX_TEXT`."""
        if not isinstance(value, str):
            return self.bad(path, f"expected text, got {show(value)}")
        problem = not_xml(value)
        if problem:
            return self.bad(path, problem)
        if len(value) > MAX_TEXT:
            return self.bad(path, f"{len(value):,} characters, over the limit of {MAX_TEXT:,} for one answer")
        self.chars += len(value)
        return value

    def one_line(self, value: Any, path: PathSegments) -> str | object:
        if isinstance(value, str) and _NEWLINE.search(value):
            return self.bad(path, f"expected one line, got {show(value)}")
        return self.text(value, path)

    def year(self, value: Any, path: PathSegments) -> str | object:
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return str(value)
        if isinstance(value, str) and _YEAR.fullmatch(value):
            return value
        return self.bad(path, f'expected a year such as "2565" or "2563 - 2564", got {show(value)}')

    def lines_field(self, value: Any, path: PathSegments) -> list[str] | object:
        if isinstance(value, str):
            clean = self.text(value, path)
            items: list[Any] = [] if clean is _BAD else [line for line in _NEWLINE.split(value) if line.strip()]
            self.lines += len(items)
            return _BAD if clean is _BAD else items
        if not isinstance(value, list):
            return self.bad(path, f"expected a list of lines, got {show(value)}")
        if len(value) > MAX_LINES:
            return self.bad(path, f"{len(value):,} lines, over the limit of {MAX_LINES:,}")
        items = [self.one_line(item, (*path, i)) for i, item in enumerate(value)]
        self.lines += len(items)
        return _BAD if any(item is _BAD for item in items) else items

    def boxes(self, field: FieldDef, value: Any, path: PathSegments) -> dict[str, bool] | object:
        if not isinstance(value, dict):
            return self.bad(path, f"expected an object of ticks, got {show(value)}")
        keys = [key for key, _ in field.items]
        for key in value:
            if key not in keys:
                self.bad(path, f"unknown box {quoted(key)}{suggest(str(key), keys)}")
        out: dict[str, bool] = {}
        for key in keys:
            tick = value.get(key, False)
            if tick is None:
                tick = False
            if not isinstance(tick, bool):
                self.bad((*path, key), f"expected true or false, got {show(tick)}")
            out[key] = bool(tick)
        return out

    def images(self, value: Any, path: PathSegments) -> list[Any] | object:
        if not isinstance(value, list):
            return self.bad(path, f"expected a list of image paths, got {show(value)}")
        if len(value) > MAX_PHOTOS:
            return self.bad(path, f"{len(value):,} photos, over the limit of {MAX_PHOTOS} for one field")
        items = [self.image(item, (*path, i)) for i, item in enumerate(value)]
        return _BAD if any(item is _BAD for item in items) else items

    def image(self, value: Any, path: PathSegments) -> Any:
        """One photo: a path, or ``{"path", "sha256"?, "media_type"?}`` (what
        ``parse --photos`` writes; a given sha256 must be the file's)."""
        if isinstance(value, dict) and "sha256" in value and (self.parsed_photos or "path" not in value):
            if self.parsed_photos:
                return self.parsed_image(value, path)
            return self.bad(path, 'a photo read back by parse ({"sha256", "media_type"}) holds no picture to put '
                            "in the document: parse the document again with --photos DIR (the record then names "
                            "each photo's file), or give the photo's file path")
        caption = self.caption(value, path)
        if caption is _BAD:
            return _BAD
        digest: str | None = None
        if isinstance(value, dict):
            entry = self.photo_entry(value, path)
            if entry is None:
                return _BAD
            value, digest = entry
        if not isinstance(value, str) or not value.strip():
            return self.bad(path, f'expected an image path or {{"path": ...}}, got {show(value)}')
        file = self.base_dir / value
        shown = quoted(value, 300) if file == Path(value) else f"{quoted(value, 300)} ({quoted(str(file), 300)})"
        try:
            info = check_photo(str(file), shown)
            if digest is not None:
                check_sha256(str(file), shown, digest)
        except PhotoError as exc:
            hint = " (a photo parse listed without --photos: parse the document again with --photos DIR)"
            return self.bad(path, f"{shown}: {exc.reason}" + (hint if _LISTED.fullmatch(value) else ""))
        self.photo_bytes += info.size
        clean = str(Path(os.path.abspath(file)))
        return {"path": clean, "caption": caption} if caption else clean

    def caption(self, value: Any, path: PathSegments) -> str | None | object:
        """A photo's optional ``caption``: one line of text (or null)."""
        text = value.get("caption") if isinstance(value, dict) else None
        return None if text is None else self.one_line(text, (*path, "caption"))

    def photo_entry(self, value: dict[Any, Any], path: PathSegments) -> tuple[Any, str | None] | None:
        """The path and the sha256 (or None) of a photo given as an object;
        None when it is wrong (the problem is recorded)."""
        digest, media = value.get("sha256"), value.get("media_type", "")
        if "path" not in value or any(key not in ("path", "caption", "sha256", "media_type") for key in value):
            problem = ('expected an image path or {"path": ..., "caption"?: ..., "sha256"?: ..., "media_type"?: ...}, '
                       f"got {show(value)}")
        elif "sha256" in value and (not isinstance(digest, str) or not _SHA256.fullmatch(digest)):
            problem = f"sha256 must be 64 lowercase hex digits, got {show(digest)}"
        elif not isinstance(media, str):
            problem = f'media_type must be text such as "image/png", got {show(media)}'
        else:
            return value["path"], digest
        self.bad(path, problem)
        return None

    def parsed_image(self, value: dict[str, Any], path: PathSegments) -> dict[str, Any] | object:
        sha, media = value.get("sha256"), value.get("media_type")
        if set(value) - {"caption", "path"} != {"sha256", "media_type"} or not isinstance(media, str):
            return self.bad(path, f'expected {{"sha256", "media_type"}}, got {show(value)}')
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            return self.bad(path, f"sha256 must be 64 lowercase hex digits, got {show(sha)}")
        if self.caption(value, path) is _BAD:
            return _BAD
        return dict(value)

    def repeat(self, field: FieldDef, value: Any, path: PathSegments, limit: int = MAX_ITEMS,
               noun: str = "", within: str = "document") -> list[Any] | object:
        """A list of ``field``'s items, each checked as an object of its
        fields: at most ``limit`` of them (``noun`` names them in messages;
        the field's name when empty)."""
        noun = noun or field.name
        if not isinstance(value, list):
            return self.bad(path, f"expected a list of {noun}, got {show(value)}")
        if len(value) > limit:
            return self.bad(path, f"{len(value):,} {noun}, over the limit of {limit} for one {within}")
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
    parsed_photos: bool = False,
) -> dict[str, Any]:
    """Check ``record`` against ``form`` and return a clean copy (see the
    module docstring). Photo paths are resolved against ``base_dir``;
    ``parsed_photos`` accepts photos as parse gives them back
    (``{"sha256", "media_type"}``, kept as they are: to check a parse result,
    not to fill).
    Raises :class:`BadData` (code ``bad-data``) listing every problem, named
    by ``name_path`` (``works[2].group``), with ``source`` as the file and
    ``prefix`` before the list ("row 7")."""
    checker = _Checker(Path(base_dir), name_path, parsed_photos)
    clean = checker.obj(form.fields, record, ())
    checker.totals()
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
    try:
        return load_json(text) if suffix == ".json" else load_yaml(text)
    except FormkitError as exc:
        raise exc.with_file(source) from None


def _load(path: Path) -> tuple[dict[str, Any], str | None]:
    source = str(path)
    raw = read_regular(path, MAX_RECORD_BYTES, source, "the record file size limit")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormkitError("bad-data", f"not UTF-8 text (byte {exc.start})", source) from None
    data, form_id = unwrap(_parse_text(text, path.suffix.lower(), source), source)
    if not isinstance(data, dict):
        raise FormkitError("bad-data", f"expected a record (an object of fields), got {show(data)}", source)
    return data, form_id


def load_record(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read one record from a .json file (JSON) or .yaml/.yml (YAML, safe
    loader; also used for any other suffix), stat-ed before it is opened,
    within :data:`MAX_RECORD_BYTES` and the nesting and value limits of
    :mod:`formkit.fill.recordtext`. A parse result envelope gives its record. Raises ``not-found``,
    ``too-large`` or ``bad-data`` naming the file (and, for syntax errors,
    line and column)."""
    return _load(Path(path))[0]


def read_record(path: str | os.PathLike[str], form: FormDef) -> dict[str, Any]:
    """:func:`load_record` then :func:`validate`, photos relative to the
    file's folder; a parse result of another form is refused."""
    file = Path(path)
    data, form_id = _load(file)
    if form_id is not None and form_id != form.id:
        raise FormkitError("bad-data", f"a parse result of form {form_id}, not {form.id}", str(file))
    return validate(form, data, file.parent, str(file))
