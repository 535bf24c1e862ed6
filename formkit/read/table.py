"""Parse results as one CSV table (``parse --format csv``), in columns a
person can read and ``formkit bulk`` reads back (:mod:`formkit.fill.tabular`).

The columns come in a fixed order, whatever order the files come in:
``file``, ``form`` and ``saved_by`` (the program that last saved the file); then each form's fields (the forms in the order they
first appear), in the order of the form definition, nested ones dotted as
bulk names them: boxes item by item (``evidence.km_plan``), lists and
repeated blocks by item number in number order (``other_evidence.2`` before
``other_evidence.10``), a block's fields in definition order
(``works.1.title`` ... ``works.1.photos.4``, then ``works.2.title``); last
``warnings``, ``error_code`` and ``error_message``. A column two forms share
(``level``) stands in the group of the first.

A photo is one cell, ``works.1.photos.2``: its file's path when parse wrote
the photos (``--photos DIR``), relative to the table's folder as bulk reads
it; without ``--photos``, ``sha256:<digest>`` (bulk then says to parse with
``--photos``: the table holds no picture).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

from formkit.forms import FieldDef, FormDef
from formkit.output import write_csv

FIRST = ("file", "form", "saved_by")
LAST = ("warnings", "error_code", "error_message")

Key = tuple[int, ...]  # a column's place within its form: field index, item number, sub-field index ...
Cell = tuple[Key, str, Any]


def record_cells(fields: tuple[FieldDef, ...], record: Mapping[str, Any], prefix: str = "",
                 key: Key = ()) -> Iterator[Cell]:
    """Each value of ``record`` as (place, column, cell value)."""
    for index, field in enumerate(fields):
        if field.name in record:
            yield from _field_cells(field, record[field.name], prefix + field.name, (*key, index))


def _field_cells(field: FieldDef, value: Any, name: str, key: Key) -> Iterator[Cell]:
    if field.kind == "boxes" and isinstance(value, dict):
        for index, (item, _) in enumerate(field.items):
            if item in value:
                yield (*key, index), f"{name}.{item}", value[item]
    elif field.kind in ("lines", "images") and isinstance(value, list):
        for n, item in enumerate(value, 1):
            yield (*key, n), f"{name}.{n}", photo_cell(item) if field.kind == "images" else item
    elif field.kind == "control" and field.control == "picture" and isinstance(value, dict):
        yield key, name, photo_cell(value)
    elif field.kind == "signature" and isinstance(value, dict):
        yield from record_cells(field.fields, value, f"{name}.", key)
    elif field.kind in ("repeat", "control", "grid") and isinstance(value, list):  # a repeating section's items too
        for n, item in enumerate(value, 1):
            if isinstance(item, dict):
                yield from record_cells(field.fields, item, f"{name}.{n}.", (*key, n))
    else:
        yield key, name, value


def photo_cell(entry: Any) -> Any:
    """A photo as one cell: the path parse wrote it to, else ``sha256:<digest>``."""
    if isinstance(entry, dict):
        return entry["path"] if "path" in entry else f"sha256:{entry.get('sha256')}"
    return entry


def _envelope_end(result: Mapping[str, Any]) -> dict[str, Any]:
    error = result.get("error") or {}
    return {
        "warnings": " | ".join(w["message"] for w in result.get("warnings") or []),
        "error_code": error.get("code", ""),
        "error_message": error.get("message", ""),
    }


def write_table(results: Iterable[Mapping[str, Any]], out: IO[str], definition: Callable[[str], FormDef]) -> None:
    """Write parse results (``ParseResult.as_dict()``) as one CSV table;
    ``definition`` gives a form id's definition."""
    places: dict[str, dict[str, Key]] = {}  # form id -> column -> its place
    rows: list[dict[str, Any]] = []
    for result in results:
        row: dict[str, Any] = {"file": result["file"], "form": result["form"], "saved_by": result.get("saved_by")}
        if result.get("record") is not None:
            form = str(result["form"])
            columns = places.setdefault(form, {})
            for key, column, value in record_cells(definition(form).fields, result["record"]):
                columns.setdefault(column, key)
                row[column] = value
        rows.append({**row, **_envelope_end(result)})
    ordered: dict[str, None] = dict.fromkeys(FIRST)
    for columns in places.values():
        ordered.update(dict.fromkeys(sorted(columns, key=columns.__getitem__)))
    ordered.update(dict.fromkeys(LAST))
    write_csv(rows, out, list(ordered))
