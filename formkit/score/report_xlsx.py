"""report.xlsx: the committee's workbook, Thai headers first.

Sheets: the offices (one row per office, its forms side by side), the files
(one row per file, every reason on a line of its own), the works of a
``works`` rubric, the level distribution per form (with a chart) and the
files not scored. Scored levels, automatic proposals and self-assessed
levels are separate columns and separate series, so a proposal is never
sorted, summed or charted as a score. Text cells wrap and every row's
height is set from its longest cell: LibreOffice Calc and Excel do not grow
a row whose height is stored (openpyxl writes none, and Calc then draws
wrapped lines over the next row), ECMA-376 Part 1 §18.3.1.73 ``row/@ht``
with ``customHeight``.
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from formkit.score.report_model import LEVELS, Office, Row, file_name, forms_of, tally
from formkit.score.report_words import reason_text, words

# What XML 1.0 cannot hold (section 2.2 Char): C0 controls but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF.
_ILLEGAL_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_POINTS = 17.0  # one wrapped line of 11 pt text, Thai marks above and below included
_FILL = 0.8  # of a column's width (in "0" characters) that a wrapped line fills, words kept whole


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        value = "\n".join(value)
    return _ILLEGAL_XLSX.sub("", value) if isinstance(value, str) else value


def put(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row. Text is always a text cell: openpyxl stores a string
    beginning with "=" as a formula and "#N/A" as an error (it infers the
    type on assignment), and a file name or an office from a document must
    never become a formula (=HYPERLINK, =cmd|...) in the committee's Excel."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        cell = Cell(sheet, value=_xlsx_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)  # the row's cells as made (sheet.max_row per cell was quadratic in the rows)


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters
    wide: each line of it by its spacing characters (Thai vowel and tone
    marks, Unicode category Mn, take no width of their own)."""
    room = max(1, int(width * _FILL))
    total = 0
    for line in text.split("\n"):
        wide = sum(1 for c in line if unicodedata.category(c) != "Mn")
        total += max(1, math.ceil(wide / room))
    return total


def _table(sheet: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
    """A sheet of ``rows`` under a bold, frozen, filterable ``header``; every
    cell wraps at the top, every row is as tall as its longest cell."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    put(sheet, header)
    for row in rows:
        put(sheet, row)
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    for number, line in enumerate(sheet.iter_rows(), 1):
        lines = 1
        for cell, width in zip(line, widths):
            cell.alignment = wrap
            if number == 1:
                cell.font = Font(bold=True)
            if cell.value is not None:
                lines = max(lines, text_lines(str(cell.value), width))
        sheet.row_dimensions[number].height = lines * LINE_POINTS + 4
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def xlsx_bytes(offices: Sequence[Office], lang: str) -> bytes:
    """The whole workbook; levels are numbers so a spreadsheet sorts them as numbers."""
    from openpyxl import Workbook

    w = words(lang)
    rows = [r for o in offices for r in o.rows]
    forms = forms_of(rows)
    book = Workbook()
    _offices_sheet(book.active, offices, forms, w)
    _files_sheet(book.create_sheet(w["files_sheet"]), offices, lang)
    _works_sheet(book.create_sheet(w["works_sheet"]), offices, lang)
    _levels_sheet(book.create_sheet(w["levels_sheet"]), offices, forms, w)
    failed = [(r.file, r.error) for r in rows if r.kind == "failed"]
    _table(book.create_sheet(w["failed_sheet"]), (w["file"], w["error"]), failed, (60, 90))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def office_label(office: Office, w: dict[str, str]) -> str:
    """The office's name, or the file's name saying that it stands for the office."""
    return office.name if office.named else f"{office.name}\n({w['no_office']})"


def _levels(rows: Sequence[Row], kind: str) -> Any:
    """The levels of ``kind`` among ``rows``: a number for one file, lines for several."""
    found = [r.level for r in rows if r.kind == kind]
    if not found:
        return None
    return found[0] if len(found) == 1 else [str(v) for v in found]


def _offices_sheet(sheet: Any, offices: Sequence[Office], forms: Sequence[str], w: dict[str, str]) -> None:
    """One row per office, each form's scored level, proposal, self-assessed level and status side by side."""
    sheet.title = w["offices_sheet"]
    header = [w["office"], w["files"]]
    for form in forms:
        header += [f"{form} {w['final']}", f"{form} {w['proposed']}", f"{form} {w['self']}", f"{form} {w['status']}"]
    lines = []
    for office in offices:
        line: list[Any] = [office_label(office, w), [file_name(r.file) for r in office.rows]]
        for form in forms:
            mine = office.of(form)
            ticked = [r.self_assessed for r in mine if r.self_assessed is not None]
            line += [_levels(mine, "final"), _levels(mine, "proposal"),
                     ticked[0] if len(ticked) == 1 else [str(t) for t in ticked] or None,
                     [w[r.status] for r in mine] or None]
        lines.append(line)
    _table(sheet, header, lines, (36, 30, *([14, 14, 12, 22] * len(forms))))


def _files_sheet(sheet: Any, offices: Sequence[Office], lang: str) -> None:
    """One row per file; each reason, warning and missing item on its own line."""
    w = words(lang)
    header = (w["file"], w["office"], w["form"], w["self"], w["final"], w["proposed"], w["kind"], w["status"],
              w["warnings"], w["missing"], w["reasons"], w["error"])
    lines = [(r.file, office_label(o, w), r.form, r.self_assessed,
              r.level if r.kind == "final" else None, r.level if r.kind == "proposal" else None,
              w[r.basis] if r.basis in w else "", w[r.status], [x.text() for x in r.warnings],
              [reason_text(m, lang, r.names) for m in r.missing], [reason_text(x, lang, r.names) for x in r.reasons], r.error)
             for o in offices for r in o.rows]
    _table(sheet, header, lines, (40, 30, 10, 10, 10, 10, 16, 18, 30, 40, 90, 40))


def _works_sheet(sheet: Any, offices: Sequence[Office], lang: str) -> None:
    w = words(lang)
    header = (w["file"], w["office"], w["form"], w["work_no"], w["work_title"], w["group"], w["counted"],
              w["why"], w["photos"])
    lines = [(r.file, office_label(o, w), r.form, x.number, x.title, x.group,
              w["yes"] if x.counted else w["no"], x.why(lang, r.names), x.photos)
             for o in offices for r in o.rows for x in r.works]
    _table(sheet, header, lines, (40, 30, 10, 6, 45, 30, 10, 50, 10))


def _levels_sheet(sheet: Any, offices: Sequence[Office], forms: Sequence[str], w: dict[str, str]) -> None:
    """Per level and form: files scored at it, proposals of it, offices ticking it; a bar chart of them."""
    from openpyxl.chart import BarChart, Reference

    header: list[str] = [w["level"]]
    counts = [tally(offices, f) for f in forms]
    for form in forms:
        header += [f"{form} {w['final']}", f"{form} {w['proposed']}", f"{form} {w['self']}"]
    lines = [[level, *(n for c in counts for n in (c.final[level], c.proposed[level], c.ticked[level]))]
             for level in LEVELS]
    _table(sheet, header, lines, (10, *([18] * (3 * len(forms)))))
    if forms:
        chart = BarChart()
        chart.title = w["chart_title"]
        chart.x_axis.title = w["level"]
        chart.y_axis.title = w["files_count"]
        chart.add_data(Reference(sheet, min_col=2, max_col=1 + 3 * len(forms), min_row=1, max_row=6),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=6))
        for n, series in enumerate(chart.series):
            if n % 3 == 1:  # a proposal: outlined, dashed, never a solid bar like a score
                series.graphicalProperties.noFill = True
                series.graphicalProperties.line.solidFill = "9A6700"
                series.graphicalProperties.line.prstDash = "dash"
        chart.width, chart.height = 24, 10
        sheet.add_chart(chart, "A9")
