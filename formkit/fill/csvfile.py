"""CSV files for ``formkit bulk``, read strictly and with limits.

CSV is read as Thai offices save it: UTF-8 (with or without BOM), UTF-16
with BOM (Excel's "Unicode Text") and Windows-874 / TIS-620 (see
:func:`detect_encoding`); the delimiter (",", ";" or tab) is sniffed from the
header, and Excel's ``sep=`` first line is honoured (and, as in Excel, not
counted as a row).

Python's csv module, left lenient, reads a cell that opens a quote and never
closes it to the end of the file: every later row silently becomes part of
one cell. Here it is strict (RFC 4180, section 2): a broken record (a quote
never closed, text after a closing quote, a NUL, a cell over the csv
module's field limit, a line over :data:`MAX_LINE_CHARS`) is a
:class:`Broken` row naming its line, every row before it is read as usual,
and reading goes on at the line after the broken record (after a quote never
closed, that is the end of the file, and the message says which lines were
lost). The file is at most :data:`MAX_DATA_BYTES`, :data:`MAX_ROWS` rows and
:data:`MAX_COLUMNS` columns with a value.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError
from formkit.files import MiB, read_regular
from formkit.output import csv_unmark
from formkit.values import NamedTuple

MAX_DATA_BYTES = 64 * MiB  # a CSV or JSON Lines file for bulk
MAX_LINE_CHARS = 1_000_000  # one line of a CSV or JSON Lines file
MAX_ROWS = 100_000  # rows (records) of one data file
MAX_COLUMNS = 1_000  # the last column a value may be in

ENCODING_NAMES = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "utf-16": "UTF-16", "cp874": "Windows-874 (TIS-620)"}
_NEWLINE = re.compile(r"\r\n|\r|\n")
_SEP_LINE = re.compile(r'"?sep=(.)"?[^\r\n]*(\r\n|\r|\n)', re.IGNORECASE)


class Broken(NamedTuple):
    """A record that could not be read as CSV: what is wrong, for the row's error."""

    problem: str


def read_data(path: Path) -> bytes:
    """The bytes of a bulk data file, stat-ed first, within :data:`MAX_DATA_BYTES`."""
    return read_regular(path, MAX_DATA_BYTES, str(path), "the data file size limit")


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV file's bytes: a BOM decides (``utf-8-sig``,
    ``utf-16``); else ``utf-8`` if it decodes strictly, else ``cp874``
    (Windows-874, a superset of TIS-620). Raises ``bad-data`` if neither fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "cp874"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            error = exc
    raise FormkitError("bad-data", f"not UTF-8 or Windows-874 text (byte {error.start} is invalid in both)")


def csv_rows(path: Path) -> Iterator[tuple[int, Sequence[Any] | Broken]]:
    """(row number, cells or :class:`Broken`) for every CSV record, the
    header first (row 1). The whole file is read now: file-level problems
    (encoding, size, row count) are raised before any row is used."""
    data = read_data(path)
    try:
        text = data.decode(detect_encoding(data))
    except FormkitError as exc:
        raise exc.with_file(str(path)) from None
    except UnicodeDecodeError as exc:  # UTF-16 with a BOM, then an odd byte
        raise FormkitError("bad-data", f"not valid UTF-16 text (byte {exc.start})", str(path)) from None
    sep = _SEP_LINE.match(text)
    if sep:
        text, delimiter = text[sep.end():], sep.group(1)
    else:
        delimiter = _sniff_delimiter(text)
    rows = []
    for number, cells in enumerate(_records(io.StringIO(text, newline="").readlines(), delimiter), 1):
        if number > MAX_ROWS:
            raise FormkitError("too-large", f"more than {MAX_ROWS:,} rows, over the limit; split the file",
                               str(path))
        rows.append((number, cells if isinstance(cells, Broken) else _columns([csv_unmark(c) for c in cells])))
    return iter(rows)


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the header line into the most cells."""
    first = _NEWLINE.split(text[: MAX_LINE_CHARS + 2], maxsplit=1)[0]
    counts = {d: _cells(first, d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _cells(line: str, delimiter: str) -> int:
    """How many cells ``line`` has with ``delimiter`` (0 when it is no CSV line)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return 0


def _columns(cells: list[str]) -> Sequence[str] | Broken:
    """Cells within :data:`MAX_COLUMNS` (empty cells past it are dropped)."""
    if len(cells) <= MAX_COLUMNS:
        return cells
    extra = next((i for i, cell in enumerate(cells[MAX_COLUMNS:], MAX_COLUMNS + 1) if cell.strip()), None)
    if extra is not None:
        return Broken(f"a value in column {extra:,}, beyond the limit of {MAX_COLUMNS:,} columns")
    return cells[:MAX_COLUMNS]


class _Lines:
    """The file's lines fed to csv.reader one at a time (it reads no further
    than the record it returns), counting them and refusing a long one."""

    def __init__(self, lines: list[str], start: int) -> None:
        self.lines, self.next = lines, start

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.next >= len(self.lines):
            raise StopIteration
        line = self.lines[self.next]
        self.next += 1
        if len(line) > MAX_LINE_CHARS:
            raise csv.Error(f"the line has {len(line):,} characters, over the limit of {MAX_LINE_CHARS:,}")
        return line


def _records(lines: list[str], delimiter: str) -> Iterator[list[str] | Broken]:
    """Every record, a broken one as :class:`Broken`, reading on after it."""
    feed = _Lines(lines, 0)
    while feed.next < len(lines):
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        start = feed.next
        try:
            for cells in reader:
                yield cells
                start = feed.next
            return
        except csv.Error as exc:
            yield Broken(_problem(str(exc), start + 1, feed.next, len(lines)))


def _problem(error: str, first: int, last: int, total: int) -> str:
    """The csv module's error, said for the person holding the file."""
    if "unexpected end of data" in error:
        lost = f"lines {first:,}-{total:,} were read as one cell and not used" if total > first else \
            "it is the last line"
        return (f"line {first:,}: a cell opens a quote (\") that is never closed ({lost}); close the quote, "
                'and write a quote inside a quoted cell as ""')
    where = f"line {first:,}" if last <= first else f"lines {first:,}-{last:,}"
    if "expected after" in error:
        return f'{where}: text after the closing quote of a cell; write a quote inside a quoted cell as ""'
    if "field larger than field limit" in error:
        return f"{where}: a cell holds more than {csv.field_size_limit():,} characters"
    if "NUL" in error:
        return f"{where}: holds a NUL character (U+0000), which is no text"
    return f"{where}: {error}"
