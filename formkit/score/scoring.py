"""``formkit score``: parse results in, one scored line per file out.

Inputs are what ``formkit parse`` writes (a JSON object, a JSON list or
JSON Lines, detected; ``-`` is stdin) or documents and folders, parsed first
as ``parse`` parses them (:mod:`formkit.score.inputs`: a PDF or a workbook is
one error naming it); every entry is checked field by field before anything
here uses it. Each parse result is scored by its form's rubric
(:mod:`formkit.score.rubric`); the committee's judgments (``--judgments``,
JSON Lines or CSV, :mod:`formkit.score.judgments`) decide esao-1-2 style
rubrics, and without one the level is only proposed from the text. A
result that cannot be scored (its parse failed, it is not a well-typed parse
result, its form has no rubric) stays in the output with ``level`` and
``basis`` null and the reason, so a batch of 245 files always shows all 245. Score results given back are passed through,
which is what lets ``formkit report`` take either.
"""
from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeAlias

from formkit import forms
from formkit.errors import FormkitError
from formkit.output import csv_text, to_json
from formkit.score import rubric
from formkit.score.inputs import Input, load_inputs
from formkit.score.judgments import JudgmentRow, JudgmentsError, judgment_rows, match_judgments, read_judgments
from formkit.score.reasons import NOT_SCORED, Reason, from_dict, text_reason

SCORE_KEYS = ("file", "form", "office", "self_assessed", "level", "basis", "reasons", "agrees", "details")


@dataclass(frozen=True, slots=True)
class Score:
    """One file scored (README "Scoring"): the file, its form and office, the
    level the office ticked (``self_assessed``), the scored ``level`` and its
    ``basis`` ("rubric", "judgments" or "auto"; both None when the file could
    not be scored, the first reason saying why), the ``reasons`` and whether
    the ticked level ``agrees``. ``details`` are the reasons as data
    (:class:`~formkit.score.reasons.Reason`), one per sentence of ``reasons``
    (:func:`said` keeps the two together). :meth:`as_dict` is the documented
    JSON shape, key for key."""

    file: str
    form: str | None = None
    office: str | None = None
    self_assessed: int | None = None
    level: int | None = None
    basis: str | None = None
    reasons: tuple[str, ...] = ()
    agrees: bool | None = None
    details: tuple[Reason, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out = {key: getattr(self, key) for key in SCORE_KEYS}
        out["reasons"] = list(self.reasons)
        out["details"] = [d.as_dict() for d in self.why()]
        return out

    def why(self) -> tuple[Reason, ...]:
        """The reasons as data: ``details``, or each sentence as a ``text``
        reason for a score read from a file that had no details."""
        if len(self.details) == len(self.reasons):
            return self.details
        return tuple(text_reason(r) for r in self.reasons)


def said(score: Score, details: Sequence[Reason]) -> Score:
    """``score`` with ``details`` as its reasons (and their sentences)."""
    return dataclasses.replace(score, details=tuple(details), reasons=tuple(d.sentence() for d in details))


@dataclass(frozen=True, slots=True)
class ScoreRun:
    """The scores of one run, in input order (iterate, index or ``len`` it
    like the list of them), and ``notes``: the files of a folder that were
    not read, each judgment that was not used or matched no file, and the
    files scored without one."""

    scores: tuple[Score, ...]
    notes: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Score]:
        return iter(self.scores)

    def __len__(self) -> int:
        return len(self.scores)

    def __getitem__(self, index: int) -> Score:
        return self.scores[index]

    @property
    def failed(self) -> int:
        """How many files could not be scored."""
        return sum(1 for s in self.scores if s.basis is None)

    def messages(self) -> list[str]:
        """What ``formkit score`` says on stderr: each file not scored, each
        note, then one summary line."""
        out = [f"error: {s.file}: {s.reasons[0] if s.reasons else NOT_SCORED}" for s in self.scores if s.basis is None]
        out += [f"formkit: warning: {note}" for note in self.notes]
        bases = Counter(s.basis for s in self.scores)
        judged = bases["rubric"] + bases["judgments"]
        differ = sum(1 for s in self.scores if s.agrees is False and s.basis in ("rubric", "judgments"))
        out.append(
            f"formkit: {len(self.scores)} record(s): {judged} scored ({bases['rubric']} by rubric, "
            f"{bases['judgments']} by judgments), {bases['auto']} automatic proposal(s) for the committee, "
            f"{self.failed} not scored; {differ} scored level(s) differ from the ticked level"
        )
        return out


# -- scoring ------------------------------------------------------------------

def score_items(items: Sequence[dict[str, Any]], judgments: Sequence[JudgmentRow] | None, source: str = "") -> ScoreRun:
    """Score parse results (score results pass through); match ``judgments``
    first so every mismatch is reported both in the notes and in the reasons."""
    parsed = [i for i in items if "basis" not in i]
    matched, orphans = match_judgments([str(i["file"]) for i in parsed], judgments or [])
    notes = list(orphans)
    scores = []
    for item in items:
        if "basis" in item:
            scores.append(_passed_through(item))
            continue
        row = matched.get(str(item["file"]))
        score = score_result(item, row.judgment if row else None)
        note = _judgment_note(score, row, source, orphans) if judgments is not None and score.basis else None
        if note is not None:
            notes.append(note.sentence())
            score = said(score, (note, *score.why()))
        if row is not None and row.note and score.basis in ("judgments", "auto"):
            why = score.why()
            score = said(score, (*why[:1], Reason("note", {"note": row.note}), *why[1:]))
        scores.append(score)
    proposals = sum(1 for s in scores if s.basis == "auto")
    if judgments is None and proposals:
        notes.append(f"{proposals} record(s) have no committee judgment (no --judgments given): "
                     "their levels are proposals from the text (basis auto)")
    return ScoreRun(tuple(scores), tuple(notes))


def score_result(result: dict[str, Any], judgment: rubric.Judgment | None = None) -> Score:
    """One parse result scored by its form's rubric, or listed as not scored."""
    file = str(result.get("file"))
    error = result.get("error")
    if error:
        return said(Score(file), [Reason("not-scored", {"message": error.get("message"), "error": error.get("code"),
                                                        "unreadable": error.get("code") != "bad-input"})])
    record = result.get("record")
    form_id = result.get("form")
    if not isinstance(record, dict) or not isinstance(form_id, str):
        return said(Score(file), [Reason("not-scored", {"message": "no record and no error: not a parse result",
                                                        "error": "bad-input"})])
    level = record.get("level")
    ticked = level if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 5 else None
    score = Score(file, form_id, record.get("office") or None, ticked)
    try:
        form = forms.load_id(form_id)
        rubric.check(form)
        wanted = rubric.considerations(form)
        if judgment is not None and wanted and len(judgment.done) != wanted:
            raise JudgmentsError(f"the judgment for {file} has {len(judgment.done)} values; {form_id} has {wanted} considerations")
        outcome = rubric.evaluate(form, record, judgment if wanted else None)
    except JudgmentsError:
        raise  # the judgments, not this file: the run stops
    except FormkitError as exc:
        return said(score, [Reason("not-scored", {"message": exc.message, "error": exc.code})])
    details = (*outcome.reasons, *outcome.missing, *(_warning(w) for w in result.get("warnings") or ()))
    agrees = None if ticked is None else ticked == outcome.level
    return said(dataclasses.replace(score, level=outcome.level, basis=outcome.basis, agrees=agrees), details)


def _warning(warning: Any) -> Reason:
    """A parse warning: ``{"code", "message"}`` or, as the samples' expected
    JSON has them, a bare code."""
    if isinstance(warning, dict):
        return Reason("warning", {"warning": warning.get("code"), "message": warning.get("message")})
    return Reason("warning", {"warning": warning, "message": None})


def _judgment_note(score: Score, row: JudgmentRow | None, source: str, orphans: list[str]) -> Reason | None:
    """What to say when a judgment was not used, or a judgments form had none
    (or a row without a mark: not judged yet)."""
    if row is not None and score.basis == "rubric":
        return Reason("judgment-unused", {"file": score.file, "where": row.where, "form": score.form})
    if row is None and score.basis == "auto":
        return Reason("no-judgment", {"file": score.file, "source": source or "the judgments", "unmatched": orphans})
    if row is not None and row.judgment is None and score.basis == "auto":
        return Reason("no-judgment", {"file": score.file, "where": row.where})
    return None


def _passed_through(item: dict[str, Any]) -> Score:
    values: dict[str, Any] = {key: item.get(key) for key in SCORE_KEYS[1:-1]}
    values["reasons"] = tuple(item.get("reasons") or ())
    details = [from_dict(d) for d in item.get("details") or ()]
    if [d.sentence() if d else None for d in details] == list(values["reasons"]):  # kept only when they agree
        values["details"] = tuple(d for d in details if d is not None)
    return Score(str(item["file"]), **values)


# -- runs -----------------------------------------------------------------------

Judgments: TypeAlias = "str | os.PathLike[str] | Iterable[JudgmentRow | Mapping[str, Any]]"


def score_inputs(inputs: Iterable[Input], judgments: Judgments | None, stdin: IO[bytes] | None = None, *,
                 convert: bool = True) -> ScoreRun:
    """Read, parse when needed (.doc/.rtf/.odt converted when ``convert``), and
    score: what ``score`` and ``report`` share. ``judgments`` is a judgments
    file or the rows themselves; ``"-"`` among the inputs reads ``stdin``. The
    notes say which files of a folder were not read. Raises
    :class:`JudgmentsError` or :class:`~formkit.score.inputs.ResultsError`
    when the run cannot start."""
    if judgments is None:
        rows, source = None, ""
    elif isinstance(judgments, (str, os.PathLike)):
        rows, source = read_judgments(judgments), Path(judgments).name
    else:
        rows, source = judgment_rows(judgments), ""
    skipped: list[str] = []
    run = score_items(load_inputs(inputs, stdin, convert=convert, notes=skipped), rows, source)
    return dataclasses.replace(run, notes=(*skipped, *run.notes))


def scores_text(run: ScoreRun, fmt: str) -> str:
    """The scores as ``formkit score`` writes them: ``json`` (one object, or a
    list of several), ``jsonl`` or ``csv`` (reasons joined by " | ")."""
    dicts = [s.as_dict() for s in run.scores]
    if fmt == "csv":  # the details are the reasons again, for programs: the sentences say it to people
        return csv_text([{**{k: v for k, v in d.items() if k != "details"}, "reasons": " | ".join(d["reasons"])}
                         for d in dicts])
    if fmt == "jsonl":
        return "".join(to_json(d, indent=None) + "\n" for d in dicts)
    return to_json(dicts[0] if len(dicts) == 1 else dicts) + "\n"
