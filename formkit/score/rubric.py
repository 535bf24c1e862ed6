"""The rubric engine: a form's ``rubric:`` section evaluated generically.

The committee's rubric lives in ``forms/<id>/form.yaml`` as data, so a new
form whose rubric fits these rule kinds needs no Python:

* ``works``: count the repeated blocks (``field``) that meet ``counts_when``
  (``filled`` text fields, ``at_least`` N items in list fields) and the
  distinct groups (``group_field``, a leading ``group_prefixes`` word
  ignored) among them; facts ``works`` and ``groups``.
* ``judgments``: the committee's per-consideration judgments (carried out,
  clear); facts ``all_done``, ``done``, ``clear``. Without a judgment the
  level is only proposed from the text (basis ``auto``, see
  :mod:`formkit.score.proposal`):
  the committee's judgment is the real score, the proposal saves it reading
  time and shows which passage it rests on.

``levels`` maps facts to a level: rows are tried from the highest level
down, the first whose conditions all hold wins (``min_X``: fact X at least
the value; any other key: equal), else the ``otherwise`` row. Every
outcome carries readable reasons, so the committee can check any level.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from formkit.errors import FormkitError
from formkit.forms import FormDef
from formkit.score import proposal
from formkit.score.proposal import quote
from formkit.score.reasons import Reason
from formkit.text import fold_digits, normalize

Facts = dict[str, int]


@dataclass(frozen=True, slots=True)
class Judgment:
    """The committee's judgments for one file, one flag per consideration."""

    done: tuple[bool, ...]
    clear: tuple[bool, ...]


@dataclass(slots=True)
class Outcome:
    """A level with its basis and the reasons behind it; ``missing`` names
    required evidence the office did not supply (reported, never scored)."""

    level: int
    basis: str
    reasons: list[Reason]
    missing: list[Reason] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Kind:
    facts: frozenset[str]
    check: Callable[[Mapping[str, Any], FormDef], list[str]]
    evaluate: Callable[[Mapping[str, Any], FormDef, Mapping[str, Any], Judgment | None], Outcome]


def evaluate(form: FormDef, record: Mapping[str, Any], judgment: Judgment | None = None) -> Outcome:
    """Score one parsed ``record`` of ``form``; ``judgment`` only matters for
    the ``judgments`` kind. Raises ``no-rubric`` / ``bad-form-definition``."""
    spec = form.rubric
    kind = _kind(form)
    outcome = kind.evaluate(spec, form, record, judgment)
    outcome.missing.extend(_missing_boxes(spec, form, record))
    return outcome


def check(form: FormDef) -> None:
    """Validate ``form``'s rubric section at once, every problem in one error,
    so a wrong form.yaml fails loudly instead of scoring quietly wrong."""
    kind = _kind(form)
    spec = form.rubric
    problems = kind.check(spec, form) + _check_levels(spec.get("levels"), kind.facts)
    evidence = spec.get("evidence")
    if evidence is not None:
        problems += _check_evidence(evidence, form)
    if problems:
        raise FormkitError("bad-form-definition", f"{form.folder / 'form.yaml'}: rubric: " + "; ".join(problems))


def considerations(form: FormDef) -> int:
    """How many judgments a file of ``form`` needs (0 when not a judgments rubric)."""
    return len(form.rubric.get("considerations") or ()) if form.rubric.get("kind") == "judgments" else 0


def _kind(form: FormDef) -> _Kind:
    name = form.rubric.get("kind")
    if not form.rubric:
        raise FormkitError("no-rubric", f"form {form.id} has no rubric section in its form.yaml")
    if name not in KINDS:
        raise FormkitError(
            "bad-form-definition", f"{form.folder / 'form.yaml'}: rubric kind {name!r} is not one of {sorted(KINDS)}"
        )
    return KINDS[str(name)]


# -- levels -----------------------------------------------------------------

def pick_level(levels: Sequence[Mapping[str, Any]], facts: Facts) -> int:
    """The highest level whose conditions all hold, else the ``otherwise`` row."""
    rows = sorted((r for r in levels if not r.get("otherwise")), key=lambda r: -int(r["level"]))
    for row in rows:
        if all(_holds(key, want, facts) for key, want in row.items() if key != "level"):
            return int(row["level"])
    return next(int(r["level"]) for r in levels if r.get("otherwise"))


def _holds(key: str, want: Any, facts: Facts) -> bool:
    if key.startswith("min_"):
        return facts[key[4:]] >= int(want)
    return facts[key] == int(want)  # booleans are facts 0/1


def _check_levels(levels: Any, facts: frozenset[str]) -> list[str]:
    if not isinstance(levels, list) or not levels:
        return ["levels: a list of rows is needed"]
    problems: list[str] = []
    for n, row in enumerate(levels, 1):
        if not isinstance(row, dict) or not isinstance(row.get("level"), int) or not 1 <= row["level"] <= 5:
            problems.append(f"levels row {n}: needs level: 1..5")
            continue
        for key in row:
            if key not in ("level", "otherwise") and key.removeprefix("min_") not in facts:
                problems.append(f"levels row {n}: unknown condition {key!r} (facts: {', '.join(sorted(facts))})")
    if sum(1 for r in levels if isinstance(r, dict) and r.get("otherwise")) != 1:
        problems.append("levels: exactly one row needs otherwise: true")
    return problems


# -- evidence boxes -----------------------------------------------------------

def _box_labels(form: FormDef, field_name: str) -> dict[str, str]:
    try:
        return dict(form.field(field_name).items)
    except KeyError:
        return {}


def _missing_boxes(spec: Mapping[str, Any], form: FormDef, record: Mapping[str, Any]) -> list[Reason]:
    evidence = spec.get("evidence")
    if not evidence:
        return []
    labels = _box_labels(form, evidence["field"])
    ticked = record.get(evidence["field"]) or {}
    return [Reason("box-not-ticked", {"label": labels.get(name, name), "box": name})
            for name in evidence["required"] if not ticked.get(name)]


def _check_evidence(evidence: Any, form: FormDef) -> list[str]:
    if not isinstance(evidence, dict) or "field" not in evidence:
        return ["evidence: needs field and required"]
    labels = _box_labels(form, str(evidence["field"]))
    if not labels:
        return [f"evidence: {evidence['field']!r} is not a boxes field of the form"]
    return [f"evidence: no box {name!r}" for name in evidence.get("required", ()) if name not in labels]


# -- works ------------------------------------------------------------------

def group_key(name: str, prefixes: Sequence[str]) -> str:
    """A group name for comparison: normalized, digits folded, case and
    spacing ignored, one leading prefix word (กลุ่ม, หน่วย, ศูนย์) dropped, so
    "กลุ่มนโยบายและแผน" and "นโยบาย และแผน" are one group."""
    key = re.sub(r"\s+", "", fold_digits(normalize(name)).casefold())
    for prefix in prefixes:
        folded = re.sub(r"\s+", "", prefix.casefold())
        if key.startswith(folded):
            return key[len(folded):]
    return key


def _sub_title(form: FormDef, field_name: str, sub: str) -> str:
    try:
        return next(f.title for f in form.field(field_name).fields if f.name == sub)
    except (KeyError, StopIteration):
        return sub


def _work_problems(spec: Mapping[str, Any], form: FormDef, work: Mapping[str, Any]) -> list[Reason]:
    """Why one work does not count (empty when it does): ``too-few`` ones are
    also evidence the office did not supply."""
    when = spec.get("counts_when") or {}
    problems = [
        Reason("no-field", {"field": name, "title": _sub_title(form, spec["field"], name)})
        for name in when.get("filled", ())
        if not normalize(str(work.get(name) or ""))
    ]
    group_name = str(work.get(spec["group_field"]) or "")
    if group_name.strip() and not group_key(group_name, spec.get("group_prefixes", ())):
        problems.append(Reason("no-group", {"group": group_name}))
    for name, need in (when.get("at_least") or {}).items():
        have = len(work.get(name) or ())
        if have < int(need):
            problems.append(Reason("too-few", {"have": have, "field": name, "need": int(need)}))
    return problems


def _works(spec: Mapping[str, Any], form: FormDef, record: Mapping[str, Any], _: Judgment | None) -> Outcome:
    works = list(record.get(spec["field"]) or ())
    reasons: list[Reason] = []
    missing: list[Reason] = []
    first_of: dict[str, int] = {}
    counted = 0
    for n, work in enumerate(works, 1):
        title = quote(str(work.get("title") or ""))
        group = str(work.get(spec["group_field"]) or "")
        problems = _work_problems(spec, form, work)
        missing += [Reason("work-short", {"number": n, "title": title, "have": p.args["have"],
                                          "need": p.args["need"], "field": p.args["field"]})
                    for p in problems if p.code == "too-few"]
        said: dict[str, Any] = {"number": n, "title": title, "group": group, "counted": not problems,
                                "same_as": None, "problems": problems}
        if not problems:
            counted += 1
            key = group_key(group, spec.get("group_prefixes", ()))
            said["same_as"] = first_of.get(key)
            first_of.setdefault(key, n)
        reasons.append(Reason("work", said))
    facts = {"works": counted, "groups": len(first_of)}
    level = pick_level(spec["levels"], facts)
    reasons.insert(0, Reason("works-summary", {"counted": counted, "total": len(works), "groups": len(first_of),
                                               "level": level, "needs": _next_level(spec["levels"], level)}))
    return Outcome(level, "rubric", reasons, missing)


def _next_level(levels: Sequence[Mapping[str, Any]], level: int) -> list[list[Any]]:
    """What the level above ``level`` needs: [fact, "min" or "eq", value] each."""
    above = [r for r in levels if int(r["level"]) == level + 1 and not r.get("otherwise")]
    if not above:
        return []
    return [[k.removeprefix("min_"), "min" if k.startswith("min_") else "eq", v]
            for k, v in above[0].items() if k != "level"]


def _check_works(spec: Mapping[str, Any], form: FormDef) -> list[str]:
    problems = [f"works: needs {k}" for k in ("field", "group_field") if not spec.get(k)]
    if problems:
        return problems
    try:
        subs = {f.name for f in form.field(spec["field"]).fields}
    except KeyError:
        return [f"works: field {spec['field']!r} is not a field of the form"]
    when = spec.get("counts_when") or {}
    named = [spec["group_field"], *when.get("filled", ()), *(when.get("at_least") or {})]
    return [f"works: {name!r} is not a field of {spec['field']}" for name in named if name not in subs]


# -- judgments --------------------------------------------------------------

def _judgments(spec: Mapping[str, Any], form: FormDef, record: Mapping[str, Any], judgment: Judgment | None) -> Outcome:
    if judgment is None:
        return _auto(spec, form, record)
    names = [str(c.get("name", n)) for n, c in enumerate(spec["considerations"], 1)]
    done = [n for n, flag in enumerate(judgment.done, 1) if flag]
    clear = [n for n, (d, c) in enumerate(zip(judgment.done, judgment.clear), 1) if d and c]
    facts = {"all_done": int(len(done) == len(names)), "done": len(done), "clear": len(clear)}
    level = pick_level(spec["levels"], facts)
    reasons = [Reason("judged", {"done": done, "clear": clear, "level": level})]
    reasons += [Reason("not-carried-out", {"number": n, "name": names[n - 1]})
                for n in range(1, len(names) + 1) if n not in done]
    return Outcome(level, "judgments", reasons)


def _check_judgments(spec: Mapping[str, Any], form: FormDef) -> list[str]:
    items = spec.get("considerations")
    if not isinstance(items, list) or not items:
        return ["judgments: considerations: a list is needed"]
    if not all(isinstance(c, dict) and c.get("name") and c.get("keywords") for c in items):
        return ["judgments: every consideration needs name and keywords"]
    boxes = _box_labels(form, str((spec.get("evidence") or {}).get("field", "")))
    problems = [f"consideration {n}: no box {b!r} in the evidence field"
                for n, c in enumerate(items, 1) for b in c.get("boxes", ()) if b not in boxes]
    auto = spec.get("auto")
    if not isinstance(auto, dict) or not auto.get("passages"):
        return [*problems, "judgments: auto: needs passages (the fields a consideration is looked for in)"]
    names = {f.name for f in form.fields}
    named = [*auto["passages"], *([auto["documents"]] if auto.get("documents") else [])]
    return problems + [f"auto: {name!r} is not a field of the form" for name in named if name not in names]


# -- auto: a proposal from the text -------------------------------------------

def _auto(spec: Mapping[str, Any], form: FormDef, record: Mapping[str, Any]) -> Outcome:
    """A level proposed from the answer's text (:mod:`formkit.score.proposal`)."""
    box_field = (spec.get("evidence") or {}).get("field", "")
    ticked = record.get(box_field) or {}
    labels = _box_labels(form, box_field)
    findings = proposal.read(spec["auto"], spec["considerations"], record, ticked, labels)
    facts = {"all_done": int(all(f.done for f in findings)), "done": sum(f.done for f in findings),
             "clear": sum(f.done and f.clear for f in findings)}
    level = pick_level(spec["levels"], facts)
    head = Reason("proposal", {"level": level, "done": facts["done"], "total": len(findings), "clear": facts["clear"]})
    boxes = Reason("supporting-documents", {"boxes": [[name, bool(ticked.get(name))] for name in labels]})
    return Outcome(level, "auto", [head, *(f.reason for f in findings), boxes])


KINDS: dict[str, _Kind] = {
    "works": _Kind(frozenset({"works", "groups"}), _check_works, _works),
    "judgments": _Kind(frozenset({"all_done", "done", "clear"}), _check_judgments, _judgments),
}
