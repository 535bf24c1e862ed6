"""``formkit score``: parse results in, one scored line per file out.

Inputs are what ``formkit parse`` writes (a JSON object, a JSON list or
JSON Lines, detected; ``-`` is stdin) or Word files and folders, parsed
first; every entry is checked field by field (:mod:`formkit.score_input`)
before anything here uses it. Each parse result is scored by its form's rubric
(:mod:`formkit.rubric`); the committee's judgments (``--judgments``, JSON
Lines or CSV) decide esao-1-2 style rubrics, and without one the level is
only proposed from the text. A result that cannot be scored (its parse
failed, it is not a well-typed parse result, its form has no rubric) stays in the
output with ``level`` and ``basis`` null and the reason, so a batch of 245
files always shows all 245. Score results given back are passed through,
which is what lets ``formkit report`` take either.
"""
from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from . import forms, rubric
from .errors import FormkitError
from .output import atomic_write, csv_text, to_json, write_error
from .score_input import load_inputs

NOT_SCORED = "not scored: "
MISSING = "missing evidence: "
WARNING = "parse warning: "
NO_JUDGMENT = "no committee judgment"
SCORE_KEYS = ("file", "form", "office", "self_assessed", "level", "basis", "reasons", "agrees")
_TRUE = frozenset({"true", "1", "x", "✓", "✔", "ใช่", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n", "ไม่", "ไม่ใช่"})
JUDGMENTS_LIMIT = 64 * 2**20  # 64 MiB: far more than judgments for every file of a season


class JudgmentsError(ValueError):
    """The judgments file cannot be used as given: a usage error (exit 2)."""


@dataclass(frozen=True, slots=True)
class JudgmentRow:
    """One line of the judgments file: the file it names, where it was read."""

    file: str
    judgment: rubric.Judgment
    where: str


@dataclass(slots=True)
class Score:
    """One output line; :meth:`as_dict` is the documented shape, key for key."""

    file: str
    form: str | None = None
    office: str | None = None
    self_assessed: int | None = None
    level: int | None = None
    basis: str | None = None
    reasons: list[str] = field(default_factory=list)
    agrees: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in SCORE_KEYS}


@dataclass(slots=True)
class ScoreRun:
    """Everything one run produced: the scores and what stderr must say."""

    scores: list[Score]
    notes: list[str]

    @property
    def failed(self) -> int:
        return sum(1 for s in self.scores if s.basis is None)


# -- judgments ----------------------------------------------------------------

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


def read_judgments(path: str) -> list[JudgmentRow]:
    """JSON Lines ``{"file", "done": [...], "clear": [...]}`` or CSV with
    columns file, done1..doneN, clear1..clearN (by extension, else by the
    first character). Every problem is a :class:`JudgmentsError`."""
    from .files import read_regular
    from .tabular import detect_encoding

    try:
        data = read_regular(path, JUDGMENTS_LIMIT, limit_name="a judgments file")
        text = data.decode(detect_encoding(data)).lstrip("\ufeff")
    except FormkitError as exc:
        raise JudgmentsError(str(exc.with_file(path))) from None
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
    rows = []
    for n, value in values:
        where = f"{name} line {n}"
        if not isinstance(value, dict) or not isinstance(value.get("done"), list) or not isinstance(value.get("clear"), list):
            raise JudgmentsError(f'{where}: expected {{"file": ..., "done": [...], "clear": [...]}}')
        rows.append(_row(value.get("file"), value["done"], value["clear"], where))
    return rows


def _judgments_csv(text: str, name: str) -> list[JudgmentRow]:
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
        done = [parse_bool(cell.get(f"done{i}"), f"{where}, done{i}") for i in range(1, count + 1)]
        clear = [parse_bool(cell.get(f"clear{i}"), f"{where}, clear{i}") for i in range(1, count + 1)]
        rows.append(_row(cell.get("file"), done, clear, where))
    return rows


def _row(file: Any, done: list[Any], clear: list[Any], where: str) -> JudgmentRow:
    if not isinstance(file, str) or not file.strip():
        raise JudgmentsError(f"{where}: no file named")
    if any("\ud800" <= c <= "\udfff" for c in file):
        raise JudgmentsError(f"{where}: the file name holds a lone surrogate (\\ud800-\\udfff), not a character")
    if len(done) != len(clear):
        raise JudgmentsError(f"{where}: {len(done)} done but {len(clear)} clear values")
    judgment = rubric.Judgment(tuple(parse_bool(v, f"{where}, done") for v in done),
                               tuple(parse_bool(v, f"{where}, clear") for v in clear))
    return JudgmentRow(file.strip(), judgment, where)


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


# -- scoring ------------------------------------------------------------------

def score_items(items: Sequence[dict[str, Any]], judgments: Sequence[JudgmentRow] | None, source: str = "") -> ScoreRun:
    """Score parse results (score results pass through); match ``judgments``
    first so every mismatch is reported both on stderr and in the reasons."""
    parsed = [i for i in items if "basis" not in i]
    matched, notes = match_judgments([str(i["file"]) for i in parsed], judgments or [])
    orphans = list(notes)
    scores = []
    for item in items:
        if "basis" in item:
            scores.append(_passed_through(item))
            continue
        row = matched.get(str(item["file"]))
        score = score_result(item, row.judgment if row else None)
        scores.append(score)
        if judgments is not None and score.basis is not None:
            notes += _judgment_notes(score, row, source, orphans)
    proposals = sum(1 for s in scores if s.basis == "auto")
    if judgments is None and proposals:
        notes.append(f"{proposals} record(s) have no committee judgment (no --judgments given): "
                     "their levels are proposals from the text (basis auto)")
    return ScoreRun(scores, notes)


def score_result(result: dict[str, Any], judgment: rubric.Judgment | None = None) -> Score:
    """One parse result scored by its form's rubric, or listed as not scored."""
    file = str(result.get("file"))
    error = result.get("error")
    if error:
        what = "" if error.get("code") == "bad-input" else "the file could not be parsed: "
        return Score(file, reasons=[f"{NOT_SCORED}{what}{error.get('message')} [{error.get('code')}]"])
    record = result.get("record")
    form_id = result.get("form")
    if not isinstance(record, dict) or not isinstance(form_id, str):
        return Score(file, reasons=[f"{NOT_SCORED}no record and no error: not a parse result [bad-input]"])
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
    except FormkitError as exc:
        score.reasons = [f"{NOT_SCORED}{exc.message} [{exc.code}]"]
        return score
    score.level, score.basis = outcome.level, outcome.basis
    score.reasons = outcome.reasons + [MISSING + m for m in outcome.missing]
    score.reasons += [WARNING + _warning(w) for w in result.get("warnings") or ()]
    score.agrees = None if score.self_assessed is None else score.self_assessed == score.level
    return score


def _warning(warning: Any) -> str:
    """A parse warning as text: ``{"code", "message"}`` or, as the samples'
    expected JSON has them, a bare code."""
    if isinstance(warning, dict):
        return f"{warning.get('message')} [{warning.get('code')}]"
    return f"[{warning}]"


def _judgment_notes(score: Score, row: JudgmentRow | None, source: str, orphans: list[str]) -> list[str]:
    """Say when a judgment was not used, or a judgments form had none."""
    if row is not None and score.basis == "rubric":
        note = f"the committee judgment for {score.file} ({row.where}) was not used: {score.form} is scored by its rubric"
    elif row is None and score.basis == "auto":
        note = f"{NO_JUDGMENT} for {score.file} in {source or 'the judgments'}: the level is only proposed from the text"
        if orphans:
            note += f" (unmatched: {'; '.join(orphans)})"
    else:
        return []
    score.reasons.insert(0, note)
    return [note]


def _passed_through(item: dict[str, Any]) -> Score:
    score = Score(str(item["file"]))
    for key in SCORE_KEYS[1:]:
        setattr(score, key, item.get(key))
    score.reasons = list(item.get("reasons") or ())
    return score


# -- the command ----------------------------------------------------------------

def score_inputs(inputs: Sequence[str], judgments: str | None) -> ScoreRun:
    """Read, parse when needed, and score: what ``score`` and ``report`` share.
    Raises :class:`JudgmentsError` or :class:`ResultsError` for usage problems."""
    rows = read_judgments(judgments) if judgments else None
    items = load_inputs(inputs, click.get_binary_stream("stdin"))
    return score_items(items, rows, Path(judgments).name if judgments else "")


def run_score(inputs: Sequence[str], judgments: str | None, output: str | None, fmt: str | None) -> int:
    """The ``score`` command: write the scores, report on stderr; return how
    many could not be scored."""
    run = score_inputs(inputs, judgments)
    dicts = [s.as_dict() for s in run.scores]
    fmt = fmt or ("json" if len(dicts) == 1 else "jsonl")
    if fmt == "csv":
        text = csv_text([{**d, "reasons": " | ".join(d["reasons"])} for d in dicts])
    elif fmt == "jsonl":
        text = "".join(to_json(d, indent=None) + "\n" for d in dicts)
    else:
        text = to_json(dicts[0] if len(dicts) == 1 else dicts) + "\n"
    if output:
        with atomic_write(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            fh.write(text)
    else:
        try:
            sys.stdout.write(("\ufeff" if fmt == "csv" else "") + text)
            sys.stdout.flush()
        except OSError as exc:  # a full disk, a closed pipe
            raise write_error("<stdout>", exc, atomic=False) from None
    report_run(run)
    return run.failed


def report_run(run: ScoreRun) -> None:
    """Every unscored file and judgment mismatch on stderr, then one summary line."""
    for score in run.scores:
        if score.basis is None:
            click.echo(f"error: {score.file}: {score.reasons[0] if score.reasons else NOT_SCORED}", err=True)
    for note in run.notes:
        click.echo(f"formkit: warning: {note}", err=True)
    bases = Counter(s.basis for s in run.scores)
    differ = sum(1 for s in run.scores if s.agrees is False)
    click.echo(
        f"formkit: {len(run.scores)} record(s): {len(run.scores) - run.failed} scored ({bases['rubric']} by rubric, "
        f"{bases['judgments']} by judgments, {bases['auto']} auto proposal(s)), {run.failed} not scored; "
        f"{differ} differ from the ticked level",
        err=True,
    )
