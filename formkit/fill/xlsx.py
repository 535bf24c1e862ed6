"""The first sheet of an Excel workbook (.xlsx), read with limits.

A workbook is untrusted input: a 116 KB file can declare a cell in column
1,000,000, a 300 KB one a shared-string table of millions of entries, a
4 MB one thirty million rows. So, like a returned .docx
(:mod:`formkit.docx.package`), it is checked before anything is inflated: the
file's size from ``os.stat``, then the zip directory against
:data:`XLSX_LIMITS` (entries, declared sizes, their total, the compression
ratio). The parts are then streamed through lxml's ``iterparse`` (entities
never resolved, no DTD loaded, no network), each element dropped once read,
counting as it goes: at most :data:`MAX_SHARED_STRINGS` shared strings,
:data:`MAX_CELL_CHARS` characters in a cell (Excel's own limit),
:data:`MAX_ROWS` rows and :data:`MAX_CELLS` cells with a value, and values
only in the first :data:`MAX_COLUMNS` columns. Going past a limit is
``too-large``, a damaged workbook ``bad-data``; both name the file.

Only what a record needs is read (ECMA-376 Part 1, SpreadsheetML): the
workbook's first worksheet (§18.2.19 ``sheet``, in the order of
``sheets``), its shared strings (§18.4.8 ``si``, phonetic runs left out, the
``_xHHHH_`` escapes of §22.9.2.19 ST_Xstring undone), and the number
formats of the cell styles (§18.8.30 ``numFmt``, §18.8.10 ``cellXfs``), to
tell a date from a number. Cached values are taken as they are (a formula's
last result); a cell is a str, int, float, bool or datetime, as openpyxl
gives them.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from formkit.fill.csvfile import MAX_COLUMNS, MAX_ROWS
from formkit.errors import FormkitError
from formkit.files import MiB, open_regular
from formkit.docx.package import resolve_target
from formkit.docx.zipread import Limits, directory_size

XLSX_LIMITS = Limits(max_file_bytes=50 * MiB, max_members=1000, max_member_bytes=64 * MiB,
                     max_total_bytes=256 * MiB, max_ratio=200)
MAX_CELLS = 1_000_000  # cells with a value
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_SHARED_STRINGS = 1_000_000
MAX_STYLES = 65_536  # cell formats (Excel allows about 64,000)

_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_DATE_TOKENS = re.compile(r"[dmyhsebDMYHSBวดปชนท]")
# Built-in number formats that are dates or times: §18.8.30, and the locale ones
# Excel documents for East Asian (27-36, 50-58) and Thai (71-81) systems.
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)])
_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET = "/worksheet"


def _error(code: str, path: Path, message: str) -> FormkitError:
    return FormkitError(code, message, str(path))


def _unreadable(path: Path, why: str) -> FormkitError:
    return _error("bad-data", path, f"not a readable Excel workbook ({why}); open it in Excel and save it again "
                  "as Excel Workbook (.xlsx)")


def _too_large(path: Path, what: str, limit: int, hint: str = "split it into smaller workbooks") -> FormkitError:
    return _error("too-large", path, f"{what}, over the limit of {limit:,}; {hint}")


class _Book:
    """The zip of one workbook, its directory checked against :data:`XLSX_LIMITS`."""

    def __init__(self, path: Path, stream: BinaryIO) -> None:
        self.path = path
        limits = XLSX_LIMITS
        sizes = directory_size(stream)
        if sizes is not None and sizes[0] > limits.max_members:
            raise _too_large(path, f"the workbook has {sizes[0]:,} zip entries", limits.max_members)
        try:
            self.zip = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, UnicodeDecodeError,
                NotImplementedError):
            raise _unreadable(path, "its zip container is damaged, or it is not an .xlsx file") from None
        self.index = {info.filename.lstrip("/").lower(): info for info in self.zip.infolist()}
        self._check(limits)

    def _check(self, limits: Limits) -> None:
        infos = self.zip.infolist()
        if len(infos) > limits.max_members:
            raise _too_large(self.path, f"the workbook has {len(infos):,} zip entries", limits.max_members)
        for info in infos:
            if info.flag_bits & 0x41:
                raise _error("bad-data", self.path, "the workbook is password-protected; remove the password "
                             "in Excel and save it again")
            if info.file_size > limits.max_member_bytes:
                raise _too_large(self.path, f"the part {info.filename} would unpack to {info.file_size:,} bytes",
                                 limits.max_member_bytes)
            if info.file_size > MiB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise _error("too-large", self.path, f"the part {info.filename} is compressed more than "
                             f"{limits.max_ratio}:1, as in a zip bomb; it was not unpacked")
        total = sum(info.file_size for info in infos)
        if total > limits.max_total_bytes:
            raise _too_large(self.path, f"the parts would unpack to {total:,} bytes", limits.max_total_bytes)

    def has(self, part: str) -> bool:
        return part.lower() in self.index

    def elements(self, part: str, *names: str) -> Iterator[etree._Element]:
        """The elements of ``part`` named ``names`` (any namespace), each
        dropped with what precedes it once the caller has read it."""
        info = self.index.get(part.lower())
        if info is None:
            raise _unreadable(self.path, f"it has no part {part}")
        try:
            with self.zip.open(info) as fh:
                events = etree.iterparse(fh, events=("end",), tag=[f"{{*}}{n}" for n in names],
                                         resolve_entities=False, no_network=True, load_dtd=False,
                                         huge_tree=False)
                checked = False
                for _, el in events:
                    if not checked:
                        docinfo = el.getroottree().docinfo
                        if docinfo.doctype or docinfo.internalDTD is not None:
                            raise _unreadable(self.path, f"its part {part} declares a DTD, which Excel never writes")
                        checked = True
                    yield el
                    el.clear(keep_tail=False)
                    while el.getprevious() is not None:
                        del el.getparent()[0]
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError) as exc:  # RuntimeError: an encrypted member
            raise _unreadable(self.path, f"its part {part} is damaged: {' '.join(str(exc).split())[:120]}") from None


def _local(el: etree._Element) -> str:
    """An element's name without its namespace ("" for a comment or PI)."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _rid(el: etree._Element) -> str | None:
    """A ``r:id`` attribute, transitional or strict namespace."""
    return next((v for k, v in el.attrib.items() if str(k).endswith("}id")), None)


def _rels(book: _Book, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, resolved target) of ``part`` (OPC §9.3)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if not book.has(rels):
        return {}
    return {el.get("Id", ""): (el.get("Type", ""), resolve_target(part, el.get("Target", "")))
            for el in book.elements(rels, "Relationship") if el.get("TargetMode", "") != "External"}


def _first_sheet(book: _Book) -> tuple[str, str, bool]:
    """(workbook part, first worksheet part, 1904 date system)."""
    workbook = next((target for kind, target in _rels(book, "").values() if kind.endswith(_OFFICE_DOCUMENT)),
                    "xl/workbook.xml")
    rels = _rels(book, workbook)
    date1904, sheet = False, None
    for el in book.elements(workbook, "workbookPr", "sheet"):
        if _local(el) == "workbookPr":
            date1904 = el.get("date1904", "0").lower() in ("1", "true")
        elif sheet is None:
            kind, target = rels.get(_rid(el) or "", ("", ""))
            sheet = target if kind.endswith(_WORKSHEET) and book.has(target) else None
    if sheet is None:
        raise _unreadable(book.path, "it has no worksheet")
    return workbook, sheet, date1904


def _text(el: etree._Element) -> str:
    """The text of an ``si`` or ``is`` element: its ``t``, or its runs' ``t``
    (phonetic ``rPh`` runs left out), ST_Xstring escapes undone."""
    parts: list[str] = []
    for child in el:
        name = _local(child)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t) == "t")
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), "".join(parts))


def _shared_strings(book: _Book, workbook: str) -> list[str]:
    part = next((target for kind, target in _rels(book, workbook).values() if kind.endswith("/sharedStrings")), None)
    if part is None or not book.has(part):
        return []
    strings: list[str] = []
    for el in book.elements(part, "si"):
        if len(strings) >= MAX_SHARED_STRINGS:
            raise _too_large(book.path, f"the workbook has more than {MAX_SHARED_STRINGS:,} shared strings",
                             MAX_SHARED_STRINGS)
        strings.append(_cell_text(book, _text(el), f"shared string {len(strings) + 1:,}"))
    return strings


def _cell_text(book: _Book, text: str, where: str) -> str:
    if len(text) > MAX_CELL_CHARS:
        raise _too_large(book.path, f"{where} holds {len(text):,} characters", MAX_CELL_CHARS,
                         "Excel itself cannot hold more in a cell")
    return text


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time (day, month, year,
    hour, second letters outside quoted text, escapes and [...] sections;
    Thai codes use ว ด ป ช น ท, Buddhist-era years b and e)."""
    bare = _FORMAT_LITERALS.sub("", code)
    return "general" not in bare.lower() and bool(_DATE_TOKENS.search(bare))


def _date_styles(book: _Book, workbook: str) -> frozenset[int]:
    """The indexes of the cell formats (``cellXfs``) that show dates."""
    part = next((target for kind, target in _rels(book, workbook).values() if kind.endswith("/styles")), None)
    if part is None or not book.has(part):
        return frozenset()
    custom: dict[int, bool] = {}
    dates: set[int] = set()
    index = 0
    for el in book.elements(part, "numFmt", "xf"):
        if _local(el) == "numFmt":
            custom[_int(el.get("numFmtId"))] = is_date_format(el.get("formatCode", ""))
            continue
        parent = el.getparent()
        if parent is None or _local(parent) != "cellXfs":
            continue
        if index >= MAX_STYLES:
            raise _too_large(book.path, f"the workbook has more than {MAX_STYLES:,} cell formats", MAX_STYLES)
        fmt = _int(el.get("numFmtId"))
        if custom.get(fmt, fmt in _BUILTIN_DATES):
            dates.add(index)
        index += 1
    return frozenset(dates)


def _int(text: str | None, default: int = -1) -> int:
    return int(text) if text is not None and text.isdigit() and len(text) < 10 else default


def _column(ref: str | None) -> int:
    """The 1-based column of a cell reference such as ``AB12``, or -1."""
    found = _CELL_REF.fullmatch(ref or "")
    if found is None:
        return -1
    number = 0
    for letter in found.group(1):
        number = number * 26 + ord(letter) - 64
    return number


def _from_serial(value: float, date1904: bool) -> dt.datetime | float:
    """An Excel date serial as a datetime (1900 system: serials below 60
    count from 31 December 1899, Excel's Lotus-compatible 29 February 1900
    is skipped), or the number itself when no date has it."""
    if not 0 <= value < 2_958_466:  # 2,958,465: 31 December 9999
        return value
    if date1904:
        return dt.datetime(1904, 1, 1) + dt.timedelta(days=value)
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=value + (1 if value < 60 else 0))


def _number(text: str) -> int | float | str:
    """A numeric cell's value: an int when whole (as openpyxl gives it), a
    float, or the text itself when it is no number."""
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


class _Cells:
    """What a worksheet's cells mean: shared strings, date styles, date system."""

    def __init__(self, book: _Book, strings: list[str], dates: frozenset[int], date1904: bool) -> None:
        self.book, self.strings, self.dates, self.date1904 = book, strings, dates, date1904

    def value(self, cell: etree._Element) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find("{*}is")
            return None if inline is None else _cell_text(self.book, _text(inline), f"cell {cell.get('r')}")
        v = cell.find("{*}v")
        text = None if v is None else v.text
        if text is None:
            return None
        if kind == "s":
            index = _int(text.strip())
            if not 0 <= index < len(self.strings):
                raise _unreadable(self.book.path, f"cell {cell.get('r')} names shared string {text[:20]!r}, "
                                  "which the workbook does not have")
            return self.strings[index]
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind in ("str", "e"):
            return _cell_text(self.book, text, f"cell {cell.get('r')}")
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(text.strip())
            except ValueError:
                return text
        number = _number(text.strip())
        if _int(cell.get("s"), 0) in self.dates and isinstance(number, (int, float)):
            return _from_serial(number, self.date1904)
        return number


def _rows(book: _Book, sheet: str, cells: _Cells) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of every row with a value, within the limits."""
    number = count = rows = 0
    for row in book.elements(sheet, "row"):
        number = _int(row.get("r"), number + 1)
        values: dict[int, Any] = {}
        position = 0
        for cell in row.iterchildren("{*}c"):
            ref = cell.get("r")
            position = _column(ref) if ref else position + 1
            value = cells.value(cell)
            if value is None or value == "":
                continue
            if not 0 < position <= MAX_COLUMNS:
                raise _too_large(book.path, f"cell {ref or position} holds a value beyond column "
                                 f"{MAX_COLUMNS:,}", MAX_COLUMNS, "keep the data in the first columns")
            values[position] = value
        if not values:
            continue
        rows += 1
        count += len(values)
        if rows > MAX_ROWS or count > MAX_CELLS:
            what = f"the sheet has more than {MAX_ROWS:,} rows" if rows > MAX_ROWS else \
                f"the sheet has more than {MAX_CELLS:,} cells with a value"
            raise _too_large(book.path, what, MAX_ROWS if rows > MAX_ROWS else MAX_CELLS)
        yield number, [values.get(col) for col in range(1, max(values) + 1)]


def read_sheet(path: Path) -> list[tuple[int, list[Any]]]:
    """(row number, cell values) of every row with a value in the first
    worksheet of ``path``, numbered as Excel shows them; values run from
    column A to the last one with a value (``None`` for empty cells). The
    whole sheet is read now, so every problem with the file is raised before
    the first row is used."""
    path = Path(path)
    with open_regular(path, XLSX_LIMITS.max_file_bytes, str(path), "the workbook size limit") as stream:
        head = stream.read(4)
        stream.seek(0)
        if head[:2] != b"PK":
            raise _unreadable(path, "it is not a zip package: an old .xls, or not a workbook at all")
        book = _Book(path, stream)
        try:
            workbook, sheet, date1904 = _first_sheet(book)
            cells = _Cells(book, _shared_strings(book, workbook), _date_styles(book, workbook), date1904)
            return list(_rows(book, sheet, cells))
        finally:
            book.zip.close()
