"""``formkit check``: does a form definition fit an original (or an office's
copy of it)?

Every anchor of the definition is looked for with the same locators parse
uses: the recognition phrases, each field's label, the level column and its
boxes, each box of a group, the repeated block's start and the fields of its
first block, the printed headings. A missing anchor is reported with the
printed line nearest to it, so a person can correct the label in minutes.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from formkit.forms import FieldDef, FormDef
from formkit.locate import heading_hits, locate
from formkit.locate.kinds import Found
from formkit.locate.labels import make_label, search
from formkit.locate.stream import Stream, build
from formkit.read.parse import read_model
from formkit.read.recognize import score, stream_key
from formkit.text import match_key


@dataclass(frozen=True, slots=True)
class Finding:
    """One anchor: found (with where) or not (with the nearest printed line)."""

    what: str
    ok: bool
    detail: str

    def line(self) -> str:
        mark = "ok     " if self.ok else "MISSING"
        return f"{mark} {self.what}: {self.detail}"


def check(form: FormDef, original: Path | None = None) -> list[Finding]:
    """Every anchor of ``form`` looked for in ``original`` (default: the form's own)."""
    path = original or form.original
    doc = read_model(str(path), str(path))
    stream = build(doc.body)
    out: list[Finding] = []
    rec = score(form, stream_key(stream))
    total = len(form.phrases)
    if not total:  # never recognised on its own: parse --form FORM takes a document for it
        out.append(Finding("recognition", True, "no recognition phrases: documents are read as this form "
                           "only with --form"))
    else:
        out.append(Finding("recognition", rec.score >= form.min_score,
                           f"{len(rec.found)} of {total} phrases found (needs {form.min_score:.0%})"))
    for phrase in rec.missing:
        out.append(Finding(f"phrase {phrase!r}", False, nearest(stream, phrase)))
    located = locate(form, doc, stream)
    out += _fields(form.fields, located.where, stream, "")
    for heading in form.headings:
        out.append(_heading(heading, stream, 0, len(stream.paras), ""))
    return out


def _heading(text: str, stream: Stream, lo: int, hi: int, prefix: str) -> Finding:
    hits = heading_hits((text,), stream, lo, hi)
    what = f"{prefix}heading {text!r}"
    if not hits:
        return Finding(what, False, nearest(stream, text))
    return Finding(what, True, stream.paras[hits[0].index].where)


def _fields(fields: tuple[FieldDef, ...], where: dict[str, Found], stream: Stream, prefix: str) -> list[Finding]:
    out: list[Finding] = []
    for f in fields:
        found = where.get(f.name)
        if found is None:
            continue
        out += _field(f, found, stream, prefix + f.name)
    return out


def _field(f: FieldDef, found: Found, stream: Stream, path: str) -> list[Finding]:
    if f.kind == "level":
        levels = sorted(found.boxes)
        ok = len(levels) >= 2
        detail = f"{len(levels)} level boxes ({', '.join(map(str, levels))}) at {found.where}" if ok else (
            f"no column headed {f.header!r} with a box and a digit per row"
        )
        return [Finding(f"{path} (level)", ok, detail)]
    if f.kind == "header":
        return [Finding(f"{path} (header)", True, "the page header (one is added on fill when the original has none)")]
    if f.kind == "boxes":
        return _boxes(f, found, stream, path)
    if f.kind == "repeat":
        return _repeat(f, found, stream, path)
    if f.kind == "control":
        missing = found.warnings[0].message if found.warnings else "optional; not in this document"
        return [Finding(f"{path} (control)", bool(found.where) or f.optional, found.where or missing)]
    if f.kind == "grid":
        heads = " | ".join(c.label for c in f.fields)
        ok = found.hit is not None and len(found.cells) > 1
        detail = f"{len(found.cells) - 1} row(s) to fill under {found.where}" if ok else f"no table headed {heads!r} with rows under it"
        return [Finding(f"{path} (grid)", ok, detail)]
    if f.kind == "signature" and found.hit is not None and found.blocks:
        head = Finding(f"{path} (signature)", True, stream.paras[found.hit.index].where)
        return [head, *_fields(f.fields, found.blocks[0][2], stream, f"{path}.")]
    if found.hit is None:
        if f.optional:
            return [Finding(f"{path} ({f.kind})", True, f"optional; label {f.label!r} not printed here")]
        return [Finding(f"{path} ({f.kind}) label {f.label!r}", False, nearest(stream, f.label))]
    return [Finding(f"{path} ({f.kind})", True, stream.paras[found.hit.index].where)]


def _boxes(f: FieldDef, found: Found, stream: Stream, path: str) -> list[Finding]:
    out = [Finding(f"{path} (boxes)", len(found.boxes) == len(f.items),
                   f"{len(found.boxes)} of {len(f.items)} boxes found")]
    if f.after:
        anchor = search(make_label(f.after), stream, 0, len(stream.paras))
        out.append(Finding(f"{path} after {f.after!r}", anchor is not None,
                           stream.paras[anchor.index].where if anchor is not None else nearest(stream, f.after)))
    for key, label in f.items:
        at = found.boxes.get(key)
        if at is not None:
            out.append(Finding(f"{path}.{key}", True, stream.paras[at[0]].where))
        else:
            out.append(Finding(f"{path}.{key} box {label!r}", False, nearest(stream, label)))
    return out


def _repeat(f: FieldDef, found: Found, stream: Stream, path: str) -> list[Finding]:
    if not found.blocks:
        return [Finding(f"{path} (repeat) start {f.start!r}", False, nearest(stream, f.start))]
    out = [Finding(f"{path} (repeat)", True, f"{len(found.blocks)} printed block(s), the first at "
                   f"{stream.paras[found.blocks[0][0]].where}")]
    start, end, sub = found.blocks[0]
    out += _fields(f.fields, sub, stream, f"{path}[0].")
    out += [_heading(h, stream, start, end, f"{path}[0] ") for h in f.headings]
    return out


def nearest(stream: Stream, text: str) -> str:
    """The printed line most like ``text``, for a missing anchor."""
    key = match_key(text)
    best, best_ratio = None, 0.0
    for p in stream.paras:
        if not p.key:
            continue
        matcher = difflib.SequenceMatcher(None, key, p.key[: len(key) + 10], autojunk=False)
        if matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = p, ratio
    if best is None:
        return "not found, and nothing is printed here"
    return f"not found; nearest: {best.text.strip()[:80]!r} at {best.where} ({best_ratio:.0%} alike)"
