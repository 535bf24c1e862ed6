"""``formkit report``: the committee's overview of a scored batch.

Two files in the output folder, both written atomically:

* ``report.xlsx``: sheet "Results" (one row per file, filterable), "Levels"
  (the level distribution per form, with a chart) and "Failed";
* ``report.html``: one self-contained page (inline CSS, JS and SVG; no
  network, so it opens from a file:// URL or an e-mail attachment) with the
  same rows, sortable by a click on a header and filterable, a chart per
  form, and the files that could not be scored with their error.

The rows are rendered here, not by the page's script, so the page reads
the same with scripting off; the script only sorts and filters. Inputs are
anything ``formkit score`` takes: its own output is used as it is, parse
output and Word files are scored first (:func:`formkit.score.scoring.score_inputs`),
then :func:`write_report` writes both files.
"""
from __future__ import annotations

import base64
import datetime as dt
import errno
import gc
import hashlib
import html
import io
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from formkit.output import atomic_write, atomic_write_bytes, write_error
from formkit.score.scoring import MISSING, NOT_SCORED, WARNING, Score

LEVELS = (1, 2, 3, 4, 5)
HEADERS = ("File", "Office", "Form", "Self-assessed", "Scored level", "Basis", "Agreement",
           "Warnings", "Missing evidence", "Reasons", "Error")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# What XML 1.0 cannot hold (section 2.2 Char): C0 controls but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF.
_ILLEGAL_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Row:
    """One file as the committee sees it: the score with its reasons sorted
    into warnings, missing evidence, the error (when not scored) and the rest."""

    file: str
    office: str
    form: str
    self_assessed: int | None
    level: int | None
    basis: str
    agrees: bool | None
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    error: str

    @property
    def agreement(self) -> str:
        if self.level is None:
            return "not scored"
        if self.agrees is None:
            return "nothing ticked"
        return "agrees" if self.agrees else "differs"


def to_row(score: Score) -> Row:
    """Split a score's reasons by their documented prefixes, which is what
    lets a report be made from ``formkit score`` output alone."""
    def pick(prefix: str) -> tuple[str, ...]:
        return tuple(r[len(prefix):] for r in score.reasons if r.startswith(prefix))

    rest = tuple(r for r in score.reasons if not r.startswith((NOT_SCORED, MISSING, WARNING)))
    error = "; ".join(pick(NOT_SCORED)) or ("" if score.basis else "not scored")
    return Row(score.file, score.office or "", score.form or "", score.self_assessed, score.level,
               score.basis or "", score.agrees, pick(WARNING), pick(MISSING), rest, error)


def write_report(scores: Iterable[Score], out_dir: str | os.PathLike[str], title: str) -> tuple[Path, Path]:
    """Write ``out_dir``/report.xlsx and report.html for ``scores``; return
    their paths. Both files are complete in their temporary files before
    either is renamed into place, so a full disk leaves the earlier pair as
    it was (``cannot-write`` naming the file)."""
    rows = [to_row(s) for s in scores]
    xlsx, page = Path(out_dir) / "report.xlsx", Path(out_dir) / "report.html"
    workbook = _workbook(rows, xlsx)
    with ExitStack() as stack:
        stack.enter_context(atomic_write_bytes(xlsx)).write(workbook)
        stack.enter_context(atomic_write(page, newline="")).write(render_html(rows, title))
    return xlsx, page


# -- xlsx ---------------------------------------------------------------------

def _workbook(rows: Sequence[Row], target: Path) -> bytes:
    """:func:`xlsx_bytes`; openpyxl builds each sheet in a file in the
    temporary folder, so a full or read-only temporary folder is
    ``cannot-write`` for ``target`` too, saying where it happened. The
    half-built workbook's streams are dropped quietly (their finalizers
    would print "Exception ignored" tracebacks)."""
    from lxml import etree

    saved = sys.unraisablehook
    try:
        try:
            return xlsx_bytes(rows)
        except (OSError, etree.SerialisationError) as exc:
            sys.unraisablehook = _quiet
            reason = exc.errno if isinstance(exc, OSError) else getattr(errno, str(exc).rpartition("IO_")[2], 0)
            words = exc.strerror if isinstance(exc, OSError) else str(exc)  # lxml says "IO_ENOSPC", "IO_EFBIG" ...
        gc.collect()
    finally:
        sys.unraisablehook = saved
    raise write_error(target, OSError(reason, words), f"in the temporary folder {tempfile.gettempdir()}, "
                      "where the workbook is built")


def _quiet(_: Any) -> None:
    """An unraisable-exception hook that says nothing."""


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        value = "\n".join(value)
    return _ILLEGAL_XLSX.sub("", value) if isinstance(value, str) else value


def _put(sheet: Any, values: Sequence[Any]) -> None:
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


def xlsx_bytes(rows: Sequence[Row]) -> bytes:
    """The workbook: Results (autofilter, frozen header), Levels (with a bar
    chart) and Failed; levels are numbers so Excel sorts them as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    _put(sheet, HEADERS)
    for row in rows:
        _put(sheet, (row.file, row.office, row.form, row.self_assessed, row.level, row.basis, row.agreement,
                     row.warnings, row.missing, row.reasons, row.error))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJK", (40, 36, 10, 8, 8, 10, 14, 40, 50, 90, 50)):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _levels_sheet(book, rows)
    failed = book.create_sheet("Failed")
    _put(failed, ("File", "Error"))
    for row in rows:
        if row.level is None:
            _put(failed, (row.file, row.error))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _levels_sheet(book: Any, rows: Sequence[Row]) -> None:
    from openpyxl.chart import BarChart, Reference

    sheet = book.create_sheet("Levels")
    forms = _forms(rows)
    _put(sheet, ["Level", *(f"{f} scored" for f in forms), *(f"{f} self-assessed" for f in forms)])
    for level in LEVELS:
        scored = [_count(rows, f, level, "level") for f in forms]
        ticked = [_count(rows, f, level, "self_assessed") for f in forms]
        _put(sheet, [level, *scored, *ticked])
    if forms:
        chart = BarChart()
        chart.title = "Scored level per form"
        chart.x_axis.title = "level"
        chart.y_axis.title = "files"
        chart.add_data(Reference(sheet, min_col=2, max_col=1 + len(forms), min_row=1, max_row=6), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=6))
        sheet.add_chart(chart, "A9")


def _forms(rows: Sequence[Row]) -> list[str]:
    return sorted({r.form for r in rows if r.form})


def _count(rows: Sequence[Row], form: str, level: int, attr: str) -> int:
    return sum(1 for r in rows if r.form == form and getattr(r, attr) == level)


# -- html ---------------------------------------------------------------------

def render_html(rows: Sequence[Row], title: str) -> str:
    """The whole page: the template with every placeholder filled in one pass
    (so text from a file can never be taken for a placeholder). Every value
    from a file is escaped (text and attribute values, SVG included); the
    page's Content-Security-Policy lets only its own script run (by hash),
    so markup that would slip through could still run nothing."""
    template = resources.files("formkit").joinpath("data/report.html").read_text("utf-8")
    failed = sum(1 for r in rows if r.level is None)
    differ = sum(1 for r in rows if r.agrees is False)
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = {
        "csp": _policy(template),
        "title": html.escape(title),
        "summary": html.escape(f"{len(rows)} ไฟล์ (files): {len(rows) - failed} scored, {failed} not scored; "
                               f"{differ} differ from the level the office ticked · {when}"),
        "charts": "\n".join(chart_svg(form, rows) for form in _forms(rows)) or "<p>no scored files</p>",
        "form_options": "".join(f'<option value="{html.escape(f)}">{html.escape(f)}</option>' for f in _forms(rows)),
        "count": f"{len(rows)} / {len(rows)}",
        "rows": "\n".join(_html_row(r) for r in rows),
        "failed": _failed_list(rows),
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def _policy(template: str) -> str:
    """Nothing fetched, no plugin, no form target; inline CSS; the one inline
    script allowed by its SHA-256 (CSP Level 2 hash source), so neither an
    injected script nor an event-handler attribute could run."""
    found = _SCRIPT.search(template)
    script = found.group(1) if found else ""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "base-uri 'none'; form-action 'none'")


def _cell(key: str, content: str, sort: str | None = None, cls: str = "") -> str:
    attrs = f' data-key="{key}"'
    if sort is not None:
        attrs += f' data-sort="{html.escape(sort)}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<td{attrs}>{content}</td>"


def _items(items: Sequence[str], cls: str = "") -> str:
    if not items:
        return ""
    mark = f' class="{cls}"' if cls else ""
    return f"<ul{mark}>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _html_row(row: Row) -> str:
    agrees = "" if row.agrees is None else "true" if row.agrees is True else "false"
    cls = {"agrees": "agrees", "differs": "differs", "not scored": "failed"}.get(row.agreement, "")
    reasons = row.reasons if row.level is not None else (row.error,)
    basis = "auto (proposal)" if row.basis == "auto" else row.basis
    cells = [
        _cell("file", _file(row.file), row.file, "file"),
        _cell("office", html.escape(row.office)),
        _cell("form", html.escape(row.form)),
        _cell("self", html.escape(_number(row.self_assessed)), _number(row.self_assessed), "num"),
        _cell("level", html.escape(_number(row.level)), _number(row.level), "num"),
        _cell("basis", html.escape(basis)),
        _cell("agree", html.escape(row.agreement), cls="agree"),
        _cell("warnings", _items(row.warnings, "warn"), str(len(row.warnings))),
        _cell("missing", _items(row.missing), str(len(row.missing))),
        _cell("reasons", f"<details><summary>{len(reasons)} reason(s)</summary>{_items(reasons)}</details>"),
    ]
    return (f'<tr data-form="{html.escape(row.form)}" data-agrees="{agrees}" class="{cls}">'
            + "".join(cells) + "</tr>")


def _file(path: str) -> str:
    """The file's name first (what the committee recognises), its folder small below."""
    folder, _, name = path.replace("\\", "/").rpartition("/")
    below = f"<small>{html.escape(folder)}/</small>" if folder else ""
    return f'<span class="name" title="{html.escape(path)}">{html.escape(name)}</span>{below}'


def _failed_list(rows: Sequence[Row]) -> str:
    failed = [r for r in rows if r.level is None]
    if not failed:
        return '<p id="failed">none: every file was scored</p>'
    items = "".join(f'<tr><td class="file">{html.escape(r.file)}</td><td class="error">{html.escape(r.error)}</td></tr>'
                    for r in failed)
    return f'<table id="failed"><thead><tr><th>ไฟล์ / file</th><th>ข้อผิดพลาด / error</th></tr></thead><tbody>{items}</tbody></table>'


def chart_svg(form: str, rows: Sequence[Row]) -> str:
    """Grouped bars per level: scored (dark) beside self-assessed (light), so
    a form where offices rate themselves higher than the rubric shows at once."""
    mine = [r for r in rows if r.form == form]
    scored = Counter(r.level for r in mine)
    ticked = Counter(r.self_assessed for r in mine)
    top = max([1, *scored.values(), *ticked.values()])
    width, height, base, span = 380, 210, 170, 130
    parts = [f'<line class="axis" x1="30" y1="{base}" x2="{width - 10}" y2="{base}"/>']
    for n, level in enumerate(LEVELS):
        x = 45 + n * 66
        for dx, counts, cls in ((0, scored, "scored"), (26, ticked, "ticked")):
            h = round(span * counts[level] / top)
            parts.append(f'<rect class="{cls}" x="{x + dx}" y="{base - h}" width="24" height="{h}">'
                         f"<title>{cls} level {level}: {counts[level]}</title></rect>")
            parts.append(f'<text x="{x + dx + 12}" y="{base - h - 4}" text-anchor="middle">{counts[level]}</text>')
        parts.append(f'<text x="{x + 25}" y="{base + 20}" text-anchor="middle">ระดับ {level}</text>')
    legend = ('<rect class="scored" x="30" y="6" width="12" height="12"/><text x="46" y="17">ระดับที่ได้ (scored)</text>'
              '<rect class="ticked" x="200" y="6" width="12" height="12"/><text x="216" y="17">ประเมินตนเอง (self)</text>')
    notes = [f"{n} {what}" for n, what in ((sum(r.basis == "auto" for r in mine), "auto proposal(s)"),
                                          (sum(r.level is None for r in mine), "not scored")) if n]
    caption = html.escape(f"{form}: {len(mine)} file(s)" + (f" ({', '.join(notes)})" if notes else ""))
    return (f'<figure class="chart" data-form="{html.escape(form)}"><figcaption>{caption}</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="level distribution of {html.escape(form)}">{legend}{"".join(parts)}</svg></figure>')
