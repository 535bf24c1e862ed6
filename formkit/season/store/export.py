"""The season's export: one record per (office, form) that has a file, as
JSON Lines, CSV (columns as ``parse --format csv`` names them, formula-like
text escaped) or XLSX (text cells always text)."""
from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from formkit.season.store.current import SCORE_KEYS

FIRST = ("office_code", "file", "form")
# the score's level is "scored_level": the record's own "level" is the level the office ticked
TABLE_SCORE = {"level": "scored_level", "basis": "basis", "reasons": "reasons", "self_assessed": "self_assessed",
               "agrees": "agrees"}
LAST = ("warnings", "error_code", "error_message", "sha256", "received_at", "corrections", *TABLE_SCORE.values())


def jsonl_text(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def table_rows(records: Sequence[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and one flat row per record."""
    from formkit import api
    from formkit.read.table import record_cells

    places: dict[str, dict[str, Any]] = {}
    rows = []
    for r in records:
        row: dict[str, Any] = {"office_code": r["office_code"], "file": r["file"], "form": r["form"]}
        if r.get("record") is not None and r.get("form"):
            columns = places.setdefault(r["form"], {})
            for key, column, value in record_cells(api.open_form(r["form"]).fields, r["record"]):
                columns.setdefault(column, key)
                row[column] = value
        error = r.get("error") or {}
        row.update({"warnings": " | ".join(w["message"] for w in r.get("warnings") or []),
                    "error_code": error.get("code", ""), "error_message": error.get("message", ""),
                    "sha256": r["sha256"], "received_at": r["received_at"], "corrections": "; ".join(r["corrections"]),
                    **{TABLE_SCORE[k]: r.get(k) for k in SCORE_KEYS}})
        row["reasons"] = " | ".join(r.get("reasons") or [])
        rows.append(row)
    ordered: dict[str, None] = dict.fromkeys(FIRST)
    for columns in places.values():
        ordered.update(dict.fromkeys(sorted(columns, key=columns.__getitem__)))
    ordered.update(dict.fromkeys(LAST))
    return list(ordered), rows


def csv_text(records: Sequence[dict[str, Any]]) -> str:
    from formkit.output import write_csv

    columns, rows = table_rows(records)
    buf = io.StringIO()
    write_csv(rows, buf, columns)
    return buf.getvalue()


def xlsx_bytes(records: Sequence[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    from formkit.score.report_xlsx import put

    columns, rows = table_rows(records)
    book = Workbook()
    sheet = book.active
    sheet.title = "season"
    put(sheet, columns)
    for row in rows:
        put(sheet, [row.get(c) for c in columns])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
