"""``formkit report``: the committee's overview of a scored batch.

Two files in the output folder, both written atomically:

* ``report.html``: one self-contained page (inline CSS, JS and SVG; no
  network, so it opens from a file:// URL or an e-mail attachment), one row
  per office with its forms side by side and, beside them, each file's
  reasons one per line and the works it listed; a chart per form; a
  summary; the files that could not be scored (:mod:`formkit.score.report_html`);
* ``report.xlsx``: the same by office, by file, by work, the level
  distribution with a chart, and the files not scored
  (:mod:`formkit.score.report_xlsx`).

Thai first (``lang="th"``: Thai words, Buddhist Era dates, the reasons put
into Thai by :mod:`formkit.score.report_words`), English with ``lang="en"``;
the language is chosen when the report is written, so both files say the
same. Automatic proposals are kept apart from scored levels everywhere
(:mod:`formkit.score.report_model`). Inputs are anything ``formkit score``
takes; the parse results, when the report is made from them, add each
work's photo count.
"""
from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from formkit.output import atomic_write, atomic_write_bytes, write_error
from formkit.score.report_html import render_html
from formkit.score.report_model import Office, group_offices, names_of, to_row
from formkit.score.report_words import LANGS, words
from formkit.score.report_xlsx import xlsx_bytes
from formkit.score.scoring import Score


def write_report(scores: Iterable[Score], out_dir: str | os.PathLike[str], title: str | None = None,
                 lang: str = "th", results: Iterable[Mapping[str, Any]] = (),
                 when: dt.datetime | None = None) -> tuple[Path, Path]:
    """Write ``out_dir``/report.xlsx and report.html for ``scores`` in
    ``lang`` ("th" or "en"; ``title`` defaults to the language's); return
    their paths. ``results`` are the parse results scored, if at hand (their
    records give each work's photo count); ``when`` is the date the report
    says it was made (now). Both files are complete in their temporary
    files before either is renamed into place, so a full disk leaves the
    earlier pair as it was (``cannot-write`` naming the file)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    records = {str(r.get("file")): r.get("record") for r in results if isinstance(r.get("record"), Mapping)}
    names: dict[str | None, dict[str, str]] = {}  # each form's Thai titles, looked up once
    rows = []
    for score in scores:
        if score.form not in names:
            names[score.form] = names_of(score.form)
        rows.append(to_row(score, records.get(score.file), names[score.form]))
    offices = group_offices(rows)
    xlsx, page = Path(out_dir) / "report.xlsx", Path(out_dir) / "report.html"
    workbook = _workbook(offices, lang, xlsx)
    text = render_html(offices, title or words(lang)["title"], lang, Path(os.path.abspath(out_dir)),
                       when or dt.datetime.now())
    with ExitStack() as stack:
        stack.enter_context(atomic_write_bytes(xlsx)).write(workbook)
        stack.enter_context(atomic_write(page, newline="")).write(text)
    return xlsx, page


# -- xlsx ---------------------------------------------------------------------

def _workbook(offices: Sequence[Office], lang: str, target: Path) -> bytes:
    """:func:`xlsx_bytes`; openpyxl builds each sheet in a file in the
    temporary folder, so a full or read-only temporary folder is
    ``cannot-write`` for ``target`` too, saying where it happened. The
    half-built workbook's streams are dropped quietly (their finalizers
    would print "Exception ignored" tracebacks)."""
    from lxml import etree

    saved = sys.unraisablehook
    try:
        try:
            return xlsx_bytes(offices, lang)
        except (OSError, etree.SerialisationError) as exc:
            sys.unraisablehook = _quiet
            reason = exc.errno if isinstance(exc, OSError) else getattr(errno, str(exc).rpartition("IO_")[2], 0)
            said = exc.strerror if isinstance(exc, OSError) else str(exc)  # lxml says "IO_ENOSPC", "IO_EFBIG" ...
        gc.collect()
    finally:
        sys.unraisablehook = saved
    raise write_error(target, OSError(reason, said), f"in the temporary folder {tempfile.gettempdir()}, "
                      "where the workbook is built")


def _quiet(_: Any) -> None:
    """An unraisable-exception hook that says nothing."""
