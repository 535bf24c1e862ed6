"""The judgments template (``formkit score --judgments-template``): one row
per file of a form whose rubric the committee judges, with the columns
:func:`formkit.score.judgments.read_judgments` reads and the marks left
blank: a proposal read from the text is no judgment, and a template given
back unfilled must not turn proposals into judgments.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable

from formkit import forms
from formkit.errors import FormkitError
from formkit.output import atomic_write, csv_cell
from formkit.score import rubric
from formkit.score.scoring import Score


def template_rows(scores: Iterable[Score]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the judgments template: one row per score of a
    form whose rubric has considerations for the committee to judge (decided
    from the rubric data, :func:`formkit.score.rubric.considerations`), in
    order, with the columns :func:`read_judgments` reads; every cell through
    :func:`formkit.output.csv_cell`, the marks and the note left blank."""
    counts: dict[str, int] = {}
    files: list[tuple[str, int]] = []
    for score in scores:
        if score.form is not None and score.form not in counts:
            counts[score.form] = _considerations(score.form)
        if score.form is not None and counts[score.form]:
            files.append((score.file, counts[score.form]))
    width = max((n for _, n in files), default=0) or max(map(rubric.considerations, forms.load_all()), default=0)
    header = ["file", *(f"done{i}" for i in range(1, width + 1)), *(f"clear{i}" for i in range(1, width + 1)), "note"]
    return header, [[str(csv_cell(file)), *[""] * (2 * width + 1)] for file, _ in files]


def _considerations(form_id: str) -> int:
    try:
        return rubric.considerations(forms.load_id(form_id))
    except FormkitError:
        return 0


def write_template(scores: Iterable[Score], path: str | os.PathLike[str]) -> int:
    """Write the judgments template (:func:`template_rows`) to ``path``,
    atomically, as UTF-8 with a BOM (Excel on Windows then reads the Thai as
    UTF-8) and CRLF lines; return how many rows it has."""
    header, rows = template_rows(scores)
    with atomic_write(path, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)
