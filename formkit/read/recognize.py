"""Which form is this? Decided from the document's own text.

Each form lists recognition phrases; a form's score is the share of its
phrases found in the document (compared by :func:`formkit.text.match_key`,
so spacing, digits and line breaks do not matter). The best form wins when
it reaches its ``min_score`` and no other form ties with it.

Offices delete what they have nothing to put in (a works attachment, a
section), taking recognition phrases with it. When no form reaches its
minimum, a form is still recognised from what remains (:func:`_remains`):
some of its phrases (its title, as a rule), every quality table of its
level fields (the column header and the table's other headers), and at
least half of the printed anchors of its fields (labels, box-group
headings, a repeated block's start), with more phrases found than any other
form so placed. The recognition then carries a ``form-incomplete`` warning
naming the phrases and anchors not found.
"""
from __future__ import annotations

from formkit.errors import FormkitError
from formkit.forms import FieldDef, FormDef
from formkit.locate.stream import Stream, paragraph_text
from formkit.docx.model import Block, Document, Paragraph
from formkit.text import match_key, short_key
from formkit.values import NamedTuple, compare_by_type
from formkit.warnings import Warning


class Recognition(NamedTuple):
    form: FormDef
    score: float
    found: tuple[str, ...]
    missing: tuple[str, ...]
    partial: tuple[str, ...] | None = None  # recognised from what remains: the anchors not found

    def explain(self) -> str:
        text = (
            f"{len(self.found)} of {len(self.found) + len(self.missing)} recognition phrases found"
            f" (score {self.score:.2f}, needs {self.form.min_score:.2f})"
        )
        if self.partial is not None:
            text += "; recognised from what remains (its quality table and printed labels)"
        return text

    @property
    def warnings(self) -> list[Warning]:
        """``form-incomplete`` when the form was recognised from what remains."""
        if self.partial is None:
            return []
        gone = [*self.missing, *(a for a in self.partial if a not in self.missing)]
        shown = "; ".join(repr(g) for g in gone[:8]) + (f" and {len(gone) - 8} more" if len(gone) > 8 else "")
        return [Warning.of("form-incomplete", None,
                           f"recognised as {self.form.id} from what remains of it ({len(self.found)} of "
                           f"{len(self.found) + len(self.missing)} recognition phrases); not found, perhaps "
                           f"deleted: {shown}")]


def document_key(doc: Document) -> str:
    """All body text as one comparison key (paragraph boundaries ignored)."""
    parts: list[str] = []
    _collect(doc.body, parts)
    return match_key("".join(parts))


def _collect(blocks: tuple[Block, ...], out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(paragraph_text(block))
        else:
            for row in block.rows:
                for cell in row.cells:
                    _collect(cell.blocks, out)


def score(form: FormDef, key: str) -> Recognition:
    found = tuple(p for p in form.phrases if short_key(p) in key)
    missing = tuple(p for p in form.phrases if p not in found)
    total = len(form.phrases) or 1
    return Recognition(form, len(found) / total, found, missing)


def recognize(doc: Document, forms: list[FormDef], forced: FormDef | None = None) -> Recognition:
    """The form ``doc`` is, or FormkitError ``unknown-form`` / ``form-mismatch``."""
    return recognize_key(document_key(doc), forms, forced)


def stream_key(stream: Stream) -> str:
    """The document key from an already built stream (no second walk)."""
    return "".join(p.key for p in stream.paras)


def recognize_key(key: str, forms: list[FormDef], forced: FormDef | None = None) -> Recognition:
    """:func:`recognize` over a document key."""
    ranked = sorted((score(f, key) for f in forms), key=lambda r: -r.score)
    best = [r for r in ranked if r.score >= r.form.min_score]
    if not best:
        candidates = ranked + ([score(forced, key)] if forced is not None and forced not in forms else [])
        best = _remains(candidates, key)
    if forced is not None:
        mine = score(forced, key)
        sure = mine.score >= forced.min_score or not forced.phrases  # no phrases: nothing to check against
        if not sure and best and best[0].form is forced and best[0].partial is not None:
            return best[0]
        if sure and (not best or mine.score >= best[0].score):
            return mine
        if best:
            raise FormkitError(
                "form-mismatch",
                f"this is form {best[0].form.id} ({best[0].explain()}), not {forced.id}"
                f" ({mine.explain()})",
            )
        raise FormkitError("unknown-form", f"this does not look like form {forced.id} ({mine.explain()})")
    if not best:
        top = ranked[0].explain() if ranked else "no forms are installed"
        raise FormkitError("unknown-form", f"this document is none of the known forms (best: {top})")
    if len(best) > 1 and best[1].score == best[0].score:
        ids = ", ".join(r.form.id for r in best if r.score == best[0].score)
        raise FormkitError("unknown-form", f"this document matches several forms equally ({ids})")
    return best[0]


def anchors(form: FormDef) -> tuple[str, ...]:
    """The printed texts a form's top-level fields are anchored on: labels,
    box-group headings, a repeated block's start, the quality table's headers."""
    out: list[str] = []
    for f in form.fields:
        out.extend(_anchors(f))
    return tuple(dict.fromkeys(a for a in out if match_key(a)))


def _anchors(f: FieldDef) -> list[str]:
    if f.kind == "level":
        return [f.header, *f.table]
    if f.kind == "boxes":
        return [f.after] if f.after else [text for _, text in f.items]
    if f.kind == "repeat":
        return [f.start]
    return [f.label] if f.label else []


def _remains(ranked: list[Recognition], key: str) -> list[Recognition]:
    """The form recognised from what remains of it (see the module's
    docstring), as a one-item list; empty when none is, or two tie."""
    placed: list[Recognition] = []
    for rec in ranked:
        marks = anchors(rec.form)
        missing = tuple(a for a in marks if match_key(a) not in key)
        tables = [a for f in rec.form.fields if f.kind == "level" for a in (f.header, *f.table)]
        if not rec.found or not marks or 2 * len(missing) > len(marks):
            continue
        if any(match_key(t) not in key for t in tables):
            continue
        placed.append(Recognition(rec.form, rec.score, rec.found, rec.missing, missing))
    placed.sort(key=lambda r: -len(r.found))
    if not placed or (len(placed) > 1 and len(placed[1].found) == len(placed[0].found)):
        return []
    return placed[:1]


compare_by_type(Recognition)
