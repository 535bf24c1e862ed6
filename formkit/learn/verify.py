"""What ``formkit learn`` writes is tried first: a draft is written to a
temporary folder, loaded, checked against its own original (every anchor
found, as ``formkit check`` does), its original must not read as holding
answers (fill would refuse it), and a few generated records are filled and
parsed back (``formkit check --roundtrip``). A field that fails one of these
is left out, named in a CHECK comment and in :attr:`Draft.left_out`, and the
draft is tried again; a draft that still fails is refused
(``cannot-learn``), and nothing is written.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Callable

from formkit.errors import FormkitError
from formkit.learn.model import Draft, Proposal

_ROUNDS = 6
_RECORDS = 5
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def verified(draft: Draft, data: bytes, render: Callable[[Draft], str]) -> str:
    """The form.yaml text of ``draft`` once it loads, passes check on
    ``data`` (its original) and round-trips; fields that do not are left out."""
    if all(f.kind == "header" for f in draft.fields):  # the office's place in a page header is no form by itself
        raise FormkitError("cannot-learn", "found nothing to fill in the original: no dotted or underlined blank, "
                           "no box, no table of empty cells, no form control")
    problems: dict[str, str] = {}
    for _ in range(_ROUNDS):
        text = render(draft)
        with tempfile.TemporaryDirectory(prefix="formkit-learn-") as tmp:
            folder = Path(tmp)
            (folder / "original.docx").write_bytes(data)
            (folder / "form.yaml").write_text(text, "utf-8")
            problems = _problems(draft, folder)
        if not problems:
            return text
        _leave_out(draft, problems)
    what = "; ".join(f"{k}: {v}" for k, v in problems.items())
    raise FormkitError("cannot-learn", f"no definition that passes check could be drafted ({what[:600]})")


def _problems(draft: Draft, folder: Path) -> dict[str, str]:
    """Top-level field name (or "phrase ..." / "heading ...") -> what is wrong."""
    from formkit.forms import load_path
    from formkit.learn.check import check

    try:
        form = load_path(folder)
    except FormkitError as exc:
        raise FormkitError("cannot-learn", f"the drafted definition does not load: {exc}") from None
    out: dict[str, str] = {}
    for finding in check(form):
        if finding.ok:
            continue
        what = finding.what
        if what.startswith(("phrase ", "heading ")) or what == "recognition":
            out[what] = finding.detail
        else:
            out[_top(what)] = f"{what}: {finding.detail}"
    if out:
        return out
    for held in _held(form):
        out[_top(held)] = "the blank original reads as holding an answer here"
    if out:
        return out
    return _roundtrip(form)


def _held(form: object) -> list[str]:
    from formkit.fill.answers import held_answers
    from formkit.forms import FormDef
    from formkit.locate import locate
    from formkit.read.parse import read_model

    assert isinstance(form, FormDef)
    doc = read_model(str(form.original), str(form.original))
    return held_answers(form, locate(form, doc))


def _roundtrip(form: object) -> dict[str, str]:
    from formkit.forms import FormDef
    from formkit.learn.roundtrip import roundtrip

    assert isinstance(form, FormDef)
    out: dict[str, str] = {}
    try:
        mismatches = roundtrip(form, _RECORDS)
    except FormkitError as exc:
        raise FormkitError("cannot-learn", f"the drafted definition cannot fill its original: {exc}") from None
    for m in mismatches:
        if m.field == "(document)":
            raise FormkitError("cannot-learn", f"a document filled from the drafted definition cannot be read: {m.got}")
        out.setdefault(_top(m.field), f"filled {m.expected!r}, read back {m.got!r}"[:200])
    return out


def _top(path: str) -> str:
    m = _NAME.match(path)
    return m.group() if m else path


def _leave_out(draft: Draft, problems: dict[str, str]) -> None:
    for what, why in problems.items():
        if what == "recognition" or what.startswith("phrase "):
            missing = [p for p in draft.phrases if f"phrase {p!r}" in problems]
            if what == "recognition" and not missing:
                raise FormkitError("cannot-learn", f"the drafted recognition phrases do not recognise the original ({why})")
            draft.phrases = [p for p in draft.phrases if p not in missing]
        elif what.startswith("heading "):
            draft.headings = [h for h in draft.headings if f"heading {h!r}" != what]
        else:
            kept = [f for f in draft.fields if f.name != what]
            if len(kept) == len(draft.fields):
                raise FormkitError("cannot-learn", f"{what}: {why}")
            draft.left_out.append(f"{what} ({_kind(draft.fields, what)}): {why}")
            gone = next(f for f in draft.fields if f.name == what)
            label = str(gone.spec.get("label") or "")
            if label and gone.kind != "year" and label not in draft.headings:
                draft.headings.append(label)  # its printed line still ends the answer above it
            draft.fields = kept
    if not any(f.kind != "header" for f in draft.fields):
        raise FormkitError("cannot-learn", "no field of the original could be placed: "
                           + "; ".join(draft.left_out)[:600])


def _kind(fields: list[Proposal], name: str) -> str:
    return next((f.kind for f in fields if f.name == name), "?")
