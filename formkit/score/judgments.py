"""The committee's judgments: the file read, each row matched to its file
(the template a committee fills in is :mod:`formkit.score.judgments_template`).

A judgments file is JSON Lines ``{"file", "done": [...], "clear": [...],
"note"}`` or CSV with columns ``file, done1..doneN, clear1..clearN`` and an
optional ``note`` (README "Scoring"). A row is matched to its file by the
path as given, else by the base name when exactly one file has it.

A CSV row without a single mark is "not judged yet" (a template given back
unfilled must not turn proposals into judgments): the file keeps its
proposal and the run says so; a row with some marks is judged, an empty
cell read as no.
"""
from __future__ import annotations

import csv
import io
import json
import os
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError
from formkit.output import csv_cell
from formkit.score import rubric

_TRUE = frozenset({"true", "1", "x", "✓", "✔", "ใช่", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n", "ไม่", "ไม่ใช่"})
JUDGMENTS_LIMIT = 64 * 2**20  # 64 MiB: far more than judgments for every file of a season


class JudgmentsError(FormkitError):
    """The judgments cannot be used as given (``bad-input``, or why the file
    could not be read): the whole run stops, a usage error (exit 2) on the
    command line."""

    def __init__(self, message: str, code: str = "bad-input") -> None:
        super().__init__(code, message)

    def __reduce__(self) -> tuple[type[JudgmentsError], tuple[str, str]]:  # type: ignore[override]
        return (type(self), (self.message, self.code))


@dataclass(frozen=True, slots=True)
class JudgmentRow:
    """One row of the judgments: the file it names, the judgment (None for
    a CSV row without a mark: not judged yet), where it was read, and the
    committee's note."""

    file: str
    judgment: rubric.Judgment | None
    where: str
    note: str = ""


def parse_bool(value: Any, where: str) -> bool:
    """A yes/no as committees type it: true/false, 1/0, x, ✓, ใช่, yes/no; an
    empty CSV cell is false, so a sheet can be filled with x marks only."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE or text == "":
        return False
    raise JudgmentsError(f"{where}: {value!r} is not a yes/no value (true/false, 1/0, x, ✓, ใช่, yes/no)")


def read_judgments(path: str | os.PathLike[str]) -> list[JudgmentRow]:
    """JSON Lines ``{"file", "done": [...], "clear": [...]}`` or CSV with
    columns file, done1..doneN, clear1..clearN (by extension, else by the
    first character). Every problem is a :class:`JudgmentsError`."""
    from formkit.files import read_regular
    from formkit.fill.tabular import detect_encoding

    path = os.fspath(path)
    try:
        data = read_regular(path, JUDGMENTS_LIMIT, limit_name="a judgments file")
        text = data.decode(detect_encoding(data)).lstrip("\ufeff")
    except FormkitError as exc:
        raise JudgmentsError(str(exc.with_file(path)), exc.code) from None
    except UnicodeDecodeError as exc:
        raise JudgmentsError(f"{path}: not text in its encoding ({exc.encoding}, byte {exc.start})") from None
    name = Path(path).name
    try:
        if path.lower().endswith(".csv") or not text.lstrip().startswith(("{", "[")):
            return _judgments_csv(text, name)
        return _judgments_json(text, name)
    except JudgmentsError:
        raise
    except csv.Error as exc:
        raise JudgmentsError(f"{name}: not CSV this program reads ({exc})") from None
    except (ValueError, RecursionError) as exc:  # what json.loads refuses beyond syntax
        why = "nested too deeply" if isinstance(exc, RecursionError) else "a number of thousands of digits"
        raise JudgmentsError(f"{name}: not JSON this program reads ({why})") from None


def _judgments_json(text: str, name: str) -> list[JudgmentRow]:
    try:
        whole = json.loads(text)
        values = list(enumerate(whole if isinstance(whole, list) else [whole], 1))
    except json.JSONDecodeError:
        values = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    values.append((n, json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise JudgmentsError(f"{name} line {n}: not JSON ({exc.msg})") from None
    return [_json_row(value, f"{name} line {n}") for n, value in values]


def judgment_rows(rows: Iterable[JudgmentRow | Mapping[str, Any]]) -> list[JudgmentRow]:
    """Judgments given as values: :class:`JudgmentRow` as they are, objects
    ``{"file", "done": [...], "clear": [...]}`` checked as a judgments file's
    lines are (numbered "judgment N")."""
    return [row if isinstance(row, JudgmentRow) else _json_row(row, f"judgment {n}") for n, row in enumerate(rows, 1)]


def _json_row(value: Any, where: str) -> JudgmentRow:
    if not isinstance(value, Mapping) or not isinstance(value.get("done"), list) or not isinstance(value.get("clear"), list):
        raise JudgmentsError(f'{where}: expected {{"file": ..., "done": [...], "clear": [...]}}')
    note = value.get("note")
    if note is not None and not isinstance(note, str):
        raise JudgmentsError(f"{where}: the note is not text")
    return JudgmentRow(_file(value.get("file"), where), _judgment(value["done"], value["clear"], where), where,
                       (note or "").strip())


def _judgments_csv(text: str, name: str) -> list[JudgmentRow]:
    """Rows of ``file, done1..doneN, clear1..clearN`` and, when there, ``note``.
    A row without a single mark is not judged yet (its judgment is None)."""
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().casefold() for h in next(reader, [])]
    count = sum(1 for h in header if h.startswith("done"))
    needed = ["file", *(f"done{i}" for i in range(1, count + 1)), *(f"clear{i}" for i in range(1, count + 1))]
    absent = [h for h in needed if h not in header]
    if absent or not count:
        raise JudgmentsError(f"{name}: the header needs columns file, done1..doneN, clear1..clearN (missing: {', '.join(absent) or 'done1'})")
    rows = []
    for n, cells in enumerate(reader, 2):
        if not any(c.strip() for c in cells):
            continue
        cell = dict(zip(header, cells))
        where = f"{name} line {n}"
        file, note = _file(_unquoted(cell.get("file")), where), _unquoted(cell.get("note")).strip()
        if not any(str(cell.get(h) or "").strip() for h in needed[1:]):
            rows.append(JudgmentRow(file, None, where, note))
            continue
        done = [parse_bool(cell.get(f"done{i}"), f"{where}, done{i}") for i in range(1, count + 1)]
        clear = [parse_bool(cell.get(f"clear{i}"), f"{where}, clear{i}") for i in range(1, count + 1)]
        rows.append(JudgmentRow(file, _judgment(done, clear, where), where, note))
    return rows


def _unquoted(cell: str | None) -> str:
    """A cell as it was before formkit's CSV writing quoted it
    (:func:`formkit.output.csv_cell`: "'=x" for "=x"), so a file name given
    back from a template matches its file."""
    text = cell or ""
    return text[1:] if text.startswith("'") and csv_cell(text[1:]) == text else text


def _file(file: Any, where: str) -> str:
    if not isinstance(file, str) or not file.strip():
        raise JudgmentsError(f"{where}: no file named")
    if any("\ud800" <= c <= "\udfff" for c in file):
        raise JudgmentsError(f"{where}: the file name holds a lone surrogate (\\ud800-\\udfff), not a character")
    return file.strip()


def _judgment(done: list[Any], clear: list[Any], where: str) -> rubric.Judgment:
    if len(done) != len(clear):
        raise JudgmentsError(f"{where}: {len(done)} done but {len(clear)} clear values")
    return rubric.Judgment(tuple(parse_bool(v, f"{where}, done") for v in done),
                           tuple(parse_bool(v, f"{where}, clear") for v in clear))


def match_judgments(files: Sequence[str], rows: Sequence[JudgmentRow]) -> tuple[dict[str, JudgmentRow], list[str]]:
    """Judgments by the file they name: the path as given, else the base name
    when exactly one file has it. Returns the matches and, for every row
    that names no file (or several), why; two rows for one file are an error."""
    exact = {os.path.normpath(f): f for f in files}
    by_base: dict[str, list[str]] = {}
    for f in dict.fromkeys(files):
        by_base.setdefault(_base(f), []).append(f)
    matched: dict[str, JudgmentRow] = {}
    orphans: list[str] = []
    for row in rows:
        target = exact.get(os.path.normpath(row.file))
        candidates = [target] if target else by_base.get(_base(row.file), [])
        if len(candidates) != 1:
            why = "names no parsed file" if not candidates else f"matches {len(candidates)} files by name; give the path"
            orphans.append(f"judgment for {row.file!r} ({row.where}) {why}")
            continue
        if candidates[0] in matched:
            raise JudgmentsError(f"{row.where}: a second judgment for {candidates[0]} (the first: {matched[candidates[0]].where})")
        matched[candidates[0]] = row
    return matched, orphans


def _base(path: str) -> str:
    return posixpath.basename(path.replace("\\", "/"))
