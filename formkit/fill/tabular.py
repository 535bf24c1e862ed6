"""Rows of records for ``formkit bulk``: CSV, Excel .xlsx and JSON Lines.

:func:`read_rows` checks the file and its header at once (raising
``not-found`` or ``bad-data`` for the whole file) and returns an iterator of
:class:`Row`: one per non-empty row, numbered as a person sees it (the
spreadsheet row, header = 1; for JSON Lines the line). A bad row carries its
error and never stops the others.

Columns are the record's fields with nested ones dotted, as ``parse --format
csv`` writes them: ``level``, ``evidence.km_plan``, ``other_evidence`` (items
split on newlines or ";") or ``other_evidence.1``, ``works.1.title``,
``works.1.photos`` (paths split on newlines or ";") or ``works.1.photos.1``.
Items are numbered from 1. Empty cells are "not given"; a work with every
cell empty is dropped; numbered items are taken in order, gaps closed.
Photo paths are relative to the data file's folder. The parse output's own
columns (file, form, saved_by, warnings, error_code, error_message) are ignored.

CSV is read strictly, as Thai offices save it (:mod:`formkit.fill.csvfile`);
.xlsx with limits (:mod:`formkit.fill.xlsx`); JSON Lines one bounded record per
line (:func:`formkit.fill.recordtext.load_json`). Row problems name the column
(``works.2.photos.1``); a broken CSV record or JSON line is a row error too.
Data files are stat-ed before they are read, at most
:data:`~formkit.fill.csvfile.MAX_DATA_BYTES` (CSV, JSON Lines) and
:data:`~formkit.fill.csvfile.MAX_ROWS` rows.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formkit.fill.csvfile import ENCODING_NAMES, MAX_LINE_CHARS, MAX_ROWS, Broken, csv_rows, detect_encoding, read_data
from formkit.errors import FormkitError
from formkit.fill import control_values
from formkit.locate import thaidate
from formkit.forms import FieldDef, FormDef
from formkit.fill.recordtext import PathSegments, bracket_path, load_json, suggest
from formkit.fill.records import BadData, PathNamer, unwrap, validate
from formkit.text import fold_digits
from formkit.values import NamedTuple

__all__ = ["ENCODING_NAMES", "Row", "csv_encoding", "detect_encoding", "read_rows", "tick"]
PARSE_COLUMNS = frozenset({"file", "form", "saved_by", "warnings", "error_code", "error_message"})
_TRUE = frozenset({"true", "1", "x", "✓", "✔", "☑", "☒", "ใช่", "yes", "y", "มี", "จริง"})
_FALSE = frozenset({"false", "0", "ไม่ใช่", "no", "n", "-", "☐", "ไม่มี", "เท็จ"})
_SPLIT = re.compile(r"\r\n|[\r\n;]")
_NUMBER = re.compile(r"[0-9๐-๙]{1,9}")  # an item number; a longer one is no number (int() refuses 4,300+ digits)


class Row(NamedTuple):
    """One data row: its number as the user sees it, and either the
    validated record or the error that row has."""

    number: int
    record: dict[str, Any] | None
    error: FormkitError | None


@dataclass(frozen=True)
class Column:
    """A header cell understood: where its value goes in the record.

    ``path`` holds field names and 1-based item numbers as written
    (``("works", 2, "photos", 1)``); ``mode`` is "scalar", "box", "list"
    (a whole list in one cell) or "item" (one numbered list item)."""

    name: str
    path: PathSegments
    field: FieldDef
    mode: str


def csv_encoding(path: Path) -> str:
    """The encoding :func:`read_rows` uses for the CSV file ``path`` (for the
    CLI to report; :data:`ENCODING_NAMES` has readable names)."""
    return detect_encoding(read_data(path))


def read_rows(path: Path, form: FormDef) -> Iterator[Row]:
    """The rows of ``path`` (.csv/.tsv/.txt, .xlsx/.xlsm or .jsonl) as
    validated records of ``form``. File-level problems (missing, unreadable,
    unknown columns in the header) raise at once; row problems are in
    :attr:`Row.error`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _table_rows(csv_rows(path), path, form)
    if suffix in (".xlsx", ".xlsm"):
        return _table_rows(xlsx_rows(path), path, form)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_rows(path, form)
    hint = " (save it as .xlsx or .csv)" if suffix in (".xls", ".ods", ".numbers") else ""
    raise FormkitError("bad-data", f"expected a .csv, .xlsx or .jsonl file{hint}", str(path))


# -- Excel ---------------------------------------------------------------------


def xlsx_rows(path: Path) -> Iterator[tuple[int, Sequence[Any] | Broken]]:
    """(row number, cells) of the first sheet, read with limits
    (:func:`formkit.fill.xlsx.read_sheet`); whole numbers as ints."""
    from formkit.fill.xlsx import read_sheet

    return iter(read_sheet(path))


# -- columns -------------------------------------------------------------------


def _number(text: str) -> int | None:
    """A 1-based item number in Thai or Arabic digits."""
    return int(fold_digits(text)) if _NUMBER.fullmatch(text) and int(fold_digits(text)) > 0 else None


def parse_column(name: str, fields: Sequence[FieldDef]) -> Column | None:
    """Understand one header cell, or None if it names no field."""
    found = _column(name.split("."), fields)
    return None if found is None else Column(name, *found)


def _column(parts: list[str], fields: Sequence[FieldDef]) -> tuple[PathSegments, FieldDef, str] | None:
    head, rest = parts[0], parts[1:]
    field = next((f for f in fields if f.name == head), None)
    if field is None:
        return None
    if field.kind == "boxes":
        keys = [key for key, _ in field.items]
        return ((head, rest[0]), field, "box") if len(rest) == 1 and rest[0] in keys else None
    if field.kind in ("lines", "images"):
        if not rest:
            return (head,), field, "list"
        n = _number(rest[0]) if len(rest) == 1 else None
        return None if n is None else ((head, n), field, "item")
    if field.kind == "signature":  # signer.name, signer.position ...
        part = _column(rest, field.fields) if rest else None
        return None if part is None else ((head, *part[0]), part[1], part[2])
    if field.kind in ("repeat", "grid") or field.control == "repeating":
        n = _number(rest[0]) if len(rest) >= 2 else None
        sub = _column(rest[1:], field.fields) if n is not None else None
        return None if n is None or sub is None else ((head, n, *sub[0]), sub[1], sub[2])
    return ((head,), field, "scalar") if not rest else None


class Header(NamedTuple):
    """A header row understood: one :class:`Column` (or None) per cell, and
    the cells to ignore (the parse output's own columns)."""

    columns: list[Column | None]
    ignored: frozenset[int]


def parse_header(cells: Sequence[Any], form: FormDef) -> Header:
    """Understand the header row. Raises one ``bad-data`` naming every
    unknown column, a repeated column, or a list given both whole and by
    numbered items."""
    columns: list[Column | None] = []
    unknown: list[str] = []
    ignored: set[int] = set()
    seen: set[PathSegments] = set()
    problems: list[str] = []
    for index, cell in enumerate(cells):
        name = "" if cell is None else str(cell).strip().casefold()
        column = parse_column(name, form.fields) if name else None
        if name in PARSE_COLUMNS:
            ignored.add(index)
        elif name and column is None:
            unknown.append(name)
        elif column is not None:
            _check_clash(column, seen, problems)
        columns.append(column)
    if unknown:
        hint = suggest(unknown[0].split(".")[0], [f.name for f in form.fields])
        problems.insert(0, f"unknown column(s) {', '.join(map(repr, unknown))}{hint}")
    if problems:
        raise FormkitError("bad-data", "header: " + "; ".join(problems))
    if not any(columns):
        raise FormkitError("bad-data", "no header row naming the form's fields")
    return Header(columns, frozenset(ignored))


def _check_clash(column: Column, seen: set[PathSegments], problems: list[str]) -> None:
    """A column given twice, or a list given whole and by items."""
    if column.path in seen:
        problems.append(f"column {column.name!r} given twice")
    whole = column.path[:-1] if column.mode == "item" else column.path
    if (column.mode == "item" and whole in seen) or (column.mode == "list" and (*whole, "#items") in seen):
        problems.append(f"{'.'.join(map(str, whole))} given both whole and by numbered items")
    seen.update({column.path, (*whole, "#items")} if column.mode == "item" else {column.path})


# -- cells -----------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def tick(value: Any) -> bool:
    """A box cell: true/false, 1/0, x, ✓ ✔ ☑ ☒, ใช่/ไม่ใช่, มี/ไม่มี, yes/no,
    y/n, "-" (any case); an empty cell is False. Raises ValueError."""
    if isinstance(value, bool):
        return value
    if _empty(value):
        return False
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    key = text.strip().casefold()
    if key in _TRUE or key in _FALSE:
        return key in _TRUE
    raise ValueError(f"expected a tick (x, ✓, 1, true, ใช่ ... or 0, false, ไม่ใช่, empty), got {text.strip()!r}")


def _text(value: Any, field: FieldDef) -> Any:
    """A cell for a text field: strings as they are, whole numbers without
    ".0"; a date only for a year (a Buddhist-era year: CE + 543 when below 2400)."""
    if isinstance(value, (dt.date, dt.datetime)) and field.kind == "date":  # as the form prints it
        return thaidate.from_date(value, field.label, field.between)
    if isinstance(value, (dt.date, dt.datetime)):
        if field.kind != "year":
            raise ValueError(f"expected text, got the date {value.isoformat()} (format the column as text)")
        return str(value.year + 543 if value.year < 2400 else value.year)
    if isinstance(value, bool):
        raise ValueError(f"expected text, got {str(value).upper()}")
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    text = str(value)
    return text.strip() if field.kind in ("year", "level") else text


def _cell(column: Column, value: Any) -> Any:
    """The record value of one non-empty cell. Raises ValueError."""
    kind = column.field.kind
    if column.mode == "box":
        return tick(value)
    if kind == "control":  # a check box a tick, a date a date cell or text
        return control_values.cell(column.field, value, tick, lambda v: _text(v, column.field))
    if kind == "level":
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else _text(value, column.field)
    if column.mode == "list":
        return [part.strip() for part in _SPLIT.split(_text(value, column.field)) if part.strip()]
    if column.mode == "item":
        return _text(value, column.field).strip()
    return _text(value, column.field)


def _put(record: dict[str, Any], column: Column, value: Any) -> None:
    """Store ``value`` at the column's path; repeat items and numbered list
    items are kept in dicts by their number until :func:`_finish`."""
    node: dict[Any, Any] = record
    for seg in column.path[:-1]:
        node = node.setdefault(seg, {})
    node[column.path[-1]] = value


def _finish(node: Any, path: PathSegments, numbers: dict[PathSegments, list[int]]) -> Any:
    """Numbered dicts to lists in number order, remembering the numbers."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        order = sorted(node)
        numbers[path] = order
        return [_finish(node[n], (*path, i), numbers) for i, n in enumerate(order)]
    return {k: _finish(v, (*path, k), numbers) for k, v in node.items()}


def _namer(numbers: dict[PathSegments, list[int]]) -> PathNamer:
    """Paths named as the columns: ``works.3.photos.2``, with the item
    numbers as written (a whole-cell list counts from 1)."""
    def name(path: PathSegments) -> str:
        out: list[str] = []
        for i, seg in enumerate(path):
            given = numbers.get(path[:i])
            out.append(str(given[seg] if given and isinstance(seg, int) else seg + 1) if isinstance(seg, int) else seg)
        return ".".join(out)

    return name


def build_record(header: Header, cells: Sequence[Any]) -> tuple[dict[str, Any], list[str], PathNamer]:
    """A row's cells as a nested record, the cell problems (naming the
    column), and a path namer giving validation problems column names."""
    record: dict[str, Any] = {}
    problems: list[str] = []
    for index, value in enumerate(cells):
        column = header.columns[index] if index < len(header.columns) else None
        if column is not None and column.mode == "box" and len(column.path) == 2 and _empty(value):
            value = False  # an empty top-level box cell is an unticked box (not "not given")
        if _empty(value) or index in header.ignored:
            continue
        if column is None:
            problems.append(f"a value in column {index + 1}, which has no header: {str(value)[:40]!r}")
            continue
        try:
            _put(record, column, _cell(column, value))
        except ValueError as exc:
            problems.append(f"{column.name}: {exc}")
    numbers: dict[PathSegments, list[int]] = {}
    finished = _finish(record, (), numbers)
    return finished, problems, _namer(numbers)


def _table_rows(rows: Iterator[tuple[int, Sequence[Any] | Broken]], path: Path, form: FormDef) -> Iterator[Row]:
    """Header checked now (raising for the file); the data rows lazily."""
    for number, header in rows:
        if isinstance(header, Broken):
            raise FormkitError("bad-data", f"the header row cannot be read: {header.problem}", str(path))
        if not all(_empty(cell) for cell in header):
            break
    else:
        raise FormkitError("bad-data", "empty: no header row", str(path))
    try:
        parsed = parse_header(header, form)
    except FormkitError as exc:
        raise exc.with_file(str(path)) from None
    return _data_rows(rows, parsed, path, form)


def _data_rows(rows: Iterator[tuple[int, Sequence[Any] | Broken]], header: Header, path: Path,
               form: FormDef) -> Iterator[Row]:
    for number, cells in rows:
        if isinstance(cells, Broken):
            yield Row(number, None, BadData([cells.problem], str(path), f"row {number}"))
            continue
        if all(_empty(cell) for cell in cells):
            continue
        record, problems, namer = build_record(header, cells)
        yield _validated(form, record, problems, path, number, namer)


def _validated(form: FormDef, record: Any, problems: list[str], path: Path, number: int, namer: PathNamer) -> Row:
    """Validate one row's record, adding ``problems`` found before."""
    prefix = f"{'line' if path.suffix.lower() in ('.jsonl', '.ndjson') else 'row'} {number}"
    try:
        clean = validate(form, record, path.parent, str(path), name_path=namer, prefix=prefix)
    except BadData as exc:
        problems = [*problems, *exc.problems]
        clean = None
    if problems:
        return Row(number, None, BadData(problems, str(path), prefix))
    return Row(number, clean, None)


# -- JSON Lines ------------------------------------------------------------------


def _jsonl_rows(path: Path, form: FormDef) -> Iterator[Row]:
    """UTF-8 and the number of lines checked now; then one :class:`Row` per
    non-blank line. A parse result envelope (``parse --format jsonl``) gives
    its record."""
    try:
        text = read_data(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormkitError("bad-data", f"not UTF-8 text (byte {exc.start})", str(path)) from None
    lines = text.split("\n")
    if sum(1 for line in lines if line.strip()) > MAX_ROWS:
        raise FormkitError("too-large", f"more than {MAX_ROWS:,} records, over the limit; split the file", str(path))
    return _jsonl_records(lines, path, form)


def _jsonl_record(line: str, form: FormDef, path: Path) -> tuple[Any, str]:
    """One line's record, or the problem that line has."""
    if len(line) > MAX_LINE_CHARS:
        return None, f"the line has {len(line):,} characters, over the limit of {MAX_LINE_CHARS:,}"
    try:
        record, form_id = unwrap(load_json(line, one_line=True), str(path))
    except FormkitError as exc:
        return None, exc.message
    if form_id not in (None, form.id):
        return None, f"a parse result of form {form_id}, not {form.id}"
    return record, ""


def _jsonl_records(lines: Iterable[str], path: Path, form: FormDef) -> Iterator[Row]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record, problem = _jsonl_record(line, form, path)
        if problem:
            yield Row(number, None, BadData([problem], str(path), f"line {number}"))
        else:
            yield _validated(form, record, [], path, number, bracket_path)
