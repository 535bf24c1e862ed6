"""``formkit score``: parse results in, one scored line per file out.

Inputs are what ``formkit parse`` writes (a JSON object, a JSON list or
JSON Lines, detected; ``-`` is stdin) or documents and folders, parsed first
as ``parse`` parses them (:mod:`formkit.score.inputs`: a PDF or a workbook is
one error naming it); every entry is checked field by field before anything
here uses it. Each parse result is scored by its form's rubric
(:mod:`formkit.score.rubric`); the committee's judgments (``--judgments``,
JSON Lines or CSV) decide esao-1-2 style
rubrics, and without one the level is only proposed from the text. A
result that cannot be scored (its parse failed, it is not a well-typed parse
result, its form has no rubric) stays in the output with ``level`` and
``basis`` null and the reason, so a batch of 245 files always shows all 245. Score results given back are passed through,
which is what lets ``formkit report`` take either.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import posixpath
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeAlias

from formkit import forms
from formkit.score import rubric
from formkit.errors import FormkitError
from formkit.output import csv_text, to_json
from formkit.score.inputs import Input, load_inputs

NOT_SCORED = "not scored: "
MISSING = "missing evidence: "
WARNING = "parse warning: "
NO_JUDGMENT = "no committee judgment"
SCORE_KEYS = ("file", "form", "office", "self_assessed", "level", "basis", "reasons", "agrees")
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
    """One line of the judgments file: the file it names, where it was read."""

    file: str
    judgment: rubric.Judgment
    where: str


@dataclass(frozen=True, slots=True)
class Score:
    """One file scored (README "Scoring"): the file, its form and office, the
    level the office ticked (``self_assessed``), the scored ``level`` and its
    ``basis`` ("rubric", "judgments" or "auto"; both None when the file could
    not be scored, the first reason saying why), the ``reasons`` and whether
    the ticked level ``agrees``. :meth:`as_dict` is the documented JSON
    shape, key for key."""

    file: str
    form: str | None = None
    office: str | None = None
    self_assessed: int | None = None
    level: int | None = None
    basis: str | None = None
    reasons: tuple[str, ...] = ()
    agrees: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {key: list(self.reasons) if key == "reasons" else getattr(self, key) for key in SCORE_KEYS}


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
        differ = sum(1 for s in self.scores if s.agrees is False)
        out.append(
            f"formkit: {len(self.scores)} record(s): {len(self.scores) - self.failed} scored ({bases['rubric']} by "
            f"rubric, {bases['judgments']} by judgments, {bases['auto']} auto proposal(s)), {self.failed} not scored; "
            f"{differ} differ from the ticked level"
        )
        return out


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
    return _row(value.get("file"), value["done"], value["clear"], where)


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
        note = _judgment_note(score, row, source, orphans) if judgments is not None and score.basis else ""
        if note:
            notes.append(note)
            score = dataclasses.replace(score, reasons=(note, *score.reasons))
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
        what = "" if error.get("code") == "bad-input" else "the file could not be parsed: "
        return Score(file, reasons=(f"{NOT_SCORED}{what}{error.get('message')} [{error.get('code')}]",))
    record = result.get("record")
    form_id = result.get("form")
    if not isinstance(record, dict) or not isinstance(form_id, str):
        return Score(file, reasons=(f"{NOT_SCORED}no record and no error: not a parse result [bad-input]",))
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
        return dataclasses.replace(score, reasons=(f"{NOT_SCORED}{exc.message} [{exc.code}]",))
    reasons = (*outcome.reasons, *(MISSING + m for m in outcome.missing),
               *(WARNING + _warning(w) for w in result.get("warnings") or ()))
    agrees = None if ticked is None else ticked == outcome.level
    return dataclasses.replace(score, level=outcome.level, basis=outcome.basis, reasons=reasons, agrees=agrees)


def _warning(warning: Any) -> str:
    """A parse warning as text: ``{"code", "message"}`` or, as the samples'
    expected JSON has them, a bare code."""
    if isinstance(warning, dict):
        return f"{warning.get('message')} [{warning.get('code')}]"
    return f"[{warning}]"


def _judgment_note(score: Score, row: JudgmentRow | None, source: str, orphans: list[str]) -> str:
    """What to say when a judgment was not used, or a judgments form had none."""
    if row is not None and score.basis == "rubric":
        return f"the committee judgment for {score.file} ({row.where}) was not used: {score.form} is scored by its rubric"
    if row is None and score.basis == "auto":
        note = f"{NO_JUDGMENT} for {score.file} in {source or 'the judgments'}: the level is only proposed from the text"
        return note + (f" (unmatched: {'; '.join(orphans)})" if orphans else "")
    return ""


def _passed_through(item: dict[str, Any]) -> Score:
    values: dict[str, Any] = {key: item.get(key) for key in SCORE_KEYS[1:]}
    values["reasons"] = tuple(item.get("reasons") or ())
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
    if fmt == "csv":
        return csv_text([{**d, "reasons": " | ".join(d["reasons"])} for d in dicts])
    if fmt == "jsonl":
        return "".join(to_json(d, indent=None) + "\n" for d in dicts)
    return to_json(dicts[0] if len(dicts) == 1 else dicts) + "\n"
