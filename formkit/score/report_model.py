"""What the committee report shows, before it is written as HTML or XLSX.

A :class:`Row` is one scored file; its ``kind`` keeps apart what the
committee may read as a score from what it may not: ``final`` (basis
"rubric" or "judgments"), ``proposal`` (basis "auto": a level proposed from
the text, awaiting the committee's judgment, README "Scoring") and
``failed`` (not scored); its reasons are the score's reasons as data
(:mod:`formkit.score.reasons`), sorted into the report's sections. A
proposal is never counted as a scored level and never said to differ from
the ticked level. Rows are grouped into one
:class:`Office` each (the office the parse read, compared as
:func:`office_key` folds it; a file naming no office is an office of its
own, named by the file). The works of a ``works`` rubric are the rubric's
``work`` reasons, their photo counts from the parse record when the report
was given one.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from formkit import forms
from formkit.errors import FormkitError
from formkit.score import reasons as said
from formkit.score.reasons import Reason
from formkit.score.scoring import Score
from formkit.text import fold_digits, normalize

LEVELS = (1, 2, 3, 4, 5)
FINAL_BASES = ("rubric", "judgments")
# Abbreviations offices write for their own name (สพป. = สำนักงานเขตพื้นที่การศึกษาประถมศึกษา ...).
_ABBREVIATIONS = (("สพป.", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"), ("สพม.", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา"))


@dataclass(frozen=True, slots=True)
class Work:
    """One work of a ``works`` rubric: whether it counted and, in
    :meth:`why`, why not (or why it added no group)."""

    number: int
    title: str
    group: str
    counted: bool
    reason: Reason
    photos: int | None

    def why(self, lang: str, names: Mapping[str, str] | None = None) -> str:
        return said.why(self.reason, lang, names)


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
    warnings: tuple[Reason, ...]
    missing: tuple[Reason, ...]
    reasons: tuple[Reason, ...]
    error: str
    works: tuple[Work, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """"final", "proposal" or "failed"."""
        if self.level is None:
            return "failed"
        return "final" if self.basis in FINAL_BASES else "proposal"

    @property
    def status(self) -> str:
        """A key of the report's words: agrees, differs, unticked (final),
        awaiting (a proposal) or failed."""
        if self.kind != "final":
            return "awaiting" if self.kind == "proposal" else "failed"
        if self.agrees is None:
            return "unticked"
        return "agrees" if self.agrees else "differs"


def to_row(score: Score, record: Mapping[str, object] | None = None, names: Mapping[str, str] | None = None) -> Row:
    """Sort a score's reasons into the report's sections (a score read from
    ``formkit score`` output has them as data, so a report is made from that
    output alone); ``record`` (the parse record, when known) adds the photo
    count of each work, ``names`` (:func:`names_of` the form) the Thai titles
    the reasons are told with."""
    why = score.why()

    def pick(section: str) -> tuple[Reason, ...]:
        return tuple(r for r in why if r.section == section)

    rest = pick("reason")
    error = "; ".join(r.text() for r in pick("error")) or ("" if score.basis else "not scored")
    return Row(score.file, score.office or "", score.form or "", score.self_assessed, score.level,
               score.basis or "", score.agrees, pick("warning"), pick("missing"), rest, error,
               works_of(rest, score.form, record), names or {})


def names_of(form_id: str | None) -> dict[str, str]:
    """The Thai titles of a known form's fields, boxes and considerations by
    the names its reasons use (``process``, ``action_plan``, a
    consideration's English ``name``); empty for an unknown form."""
    try:
        form = forms.load_id(str(form_id))
    except FormkitError:
        return {}
    names: dict[str, str] = {}
    for one in form.fields:
        boxes = {key: label.partition(" (")[0] for key, label in one.items}  # the label without its "(...)" note
        names.update({one.name: one.title, **boxes, **{sub.name: sub.title for sub in one.fields}})
    for item in form.rubric.get("considerations") or ():
        if isinstance(item, Mapping) and item.get("name") and item.get("title"):
            names[str(item["name"])] = str(item["title"])
    return names


# -- works ----------------------------------------------------------------------

def works_of(reasons: Sequence[Reason], form_id: str | None, record: Mapping[str, object] | None) -> tuple[Work, ...]:
    """The works a ``works`` rubric gave a ``work`` reason each, completed
    from the parse ``record`` of ``form_id`` (full title, group, photo count)
    when given; a reason whose values are not of the documented shape (a
    score file edited by hand) stays among the reasons, not made a work."""
    found = [work for work in map(_work, reasons) if work is not None]
    blocks = _record_works(form_id, record) if found and record is not None else {}
    return tuple(_completed(w, blocks.get(w.number)) for w in found)


def _work(reason: Reason) -> Work | None:
    a = reason.args
    number = a.get("number")
    if reason.code != "work" or not isinstance(number, int) or isinstance(number, bool):
        return None
    problems = a.get("problems") or []
    if not isinstance(problems, list) or not all(isinstance(p, Reason) for p in problems):
        return None
    short = next((p.args.get("have") for p in problems if p.code == "too-few"), None)
    return Work(number, str(a.get("title") or ""), str(a.get("group") or ""), bool(a.get("counted")), reason,
                short if isinstance(short, int) and not isinstance(short, bool) else None)


def is_work_reason(reason: Reason) -> bool:
    """Whether ``reason`` is one work's, which the works table says again."""
    return _work(reason) is not None


def _completed(work: Work, block: tuple[str, str, int] | None) -> Work:
    if block is None:
        return work
    title, group, photos = block
    return Work(work.number, title or work.title, group or work.group, work.counted, work.reason, photos)


def _record_works(form_id: str | None, record: Mapping[str, object]) -> dict[int, tuple[str, str, int]]:
    """Title, group and photo count of each work of ``record``, by number,
    read by the field names of the form's ``works`` rubric."""
    try:
        form = forms.load_id(str(form_id))
    except FormkitError:
        return {}
    spec = form.rubric
    try:
        repeat = form.field(str(spec.get("field")))
    except KeyError:
        return {}
    images = next((f.name for f in repeat.fields if f.kind == "images"), "")
    blocks = record.get(repeat.name)
    out: dict[int, tuple[str, str, int]] = {}
    for n, block in enumerate(blocks if isinstance(blocks, list) else [], 1):
        if isinstance(block, Mapping):
            photos = block.get(images)
            out[n] = (_text(block.get("title")), _text(block.get(str(spec.get("group_field")))),
                      len(photos) if isinstance(photos, list) else 0)
    return out


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


# -- offices ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Office:
    """The files of one office, in input order. ``named`` is False when no
    file named an office and ``name`` is the file's name instead."""

    name: str
    named: bool
    rows: tuple[Row, ...]

    def forms(self) -> list[str]:
        return list(dict.fromkeys(r.form for r in self.rows if r.form))

    def of(self, form: str) -> list[Row]:
        return [r for r in self.rows if r.form == form]


def office_key(name: str) -> str:
    """An office name for comparison: normalized, Thai digits folded, the
    usual abbreviations written out, spacing and case ignored, so "สพป.
    ขอนแก่น เขต ๑" and "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1" are one office."""
    key = fold_digits(normalize(name))
    for short, full in _ABBREVIATIONS:
        key = key.replace(short, full)
    return re.sub(r"\s+", "", key).casefold()


def file_name(path: str) -> str:
    """The last part of a file's path (either separator)."""
    return path.replace("\\", "/").rpartition("/")[2] or path


def group_offices(rows: Iterable[Row]) -> list[Office]:
    """One :class:`Office` per office named (in the order first seen; the
    name as the first file wrote it), and one per file that names none."""
    groups: dict[str, list[Row]] = {}
    for n, row in enumerate(rows):
        key = office_key(row.office) if row.office.strip() else ""
        groups.setdefault(f"office:{key}" if key else f"file:{n}", []).append(row)
    return [Office(rows[0].office.strip() if key.startswith("office:") else file_name(rows[0].file),
                   key.startswith("office:"), tuple(rows)) for key, rows in groups.items()]


def forms_of(rows: Iterable[Row]) -> list[str]:
    """The forms of ``rows``, sorted."""
    return sorted({r.form for r in rows if r.form})


# -- counts ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Tally:
    """Counts over some rows: scored levels (final only), proposed levels
    and ticked levels per level, and how many rows of each basis."""

    files: int
    offices: int
    final: Counter[int]
    proposed: Counter[int]
    ticked: Counter[int]
    bases: Counter[str]
    failed: int
    differ: int


def tally(offices: Sequence[Office], form: str = "") -> Tally:
    """The counts of every row of ``offices`` (of ``form`` only, when given)."""
    rows = [r for o in offices for r in o.rows if not form or r.form == form]
    return Tally(
        files=len(rows),
        offices=sum(1 for o in offices if any(not form or r.form == form for r in o.rows)),
        final=Counter(r.level for r in rows if r.kind == "final" and r.level is not None),
        proposed=Counter(r.level for r in rows if r.kind == "proposal" and r.level is not None),
        ticked=Counter(r.self_assessed for r in rows if r.self_assessed is not None),
        bases=Counter(r.basis for r in rows if r.kind != "failed"),
        failed=sum(1 for r in rows if r.kind == "failed"),
        differ=sum(1 for r in rows if r.status == "differs"),
    )
