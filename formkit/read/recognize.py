"""Which form is this? Decided from the document's own text.

Each form lists recognition phrases; a form's score is the share of its
phrases found in the document (compared by :func:`formkit.text.match_key`,
so spacing, digits and line breaks do not matter). The best form wins when
it reaches its ``min_score`` and no other form ties with it.
"""
from __future__ import annotations

from dataclasses import dataclass

from formkit.errors import FormkitError
from formkit.forms import FormDef
from formkit.locate.stream import Stream, paragraph_text
from formkit.docx.model import Block, Document, Paragraph
from formkit.text import match_key


@dataclass(frozen=True, slots=True)
class Recognition:
    form: FormDef
    score: float
    found: tuple[str, ...]
    missing: tuple[str, ...]

    def explain(self) -> str:
        return (
            f"{len(self.found)} of {len(self.found) + len(self.missing)} recognition phrases found"
            f" (score {self.score:.2f}, needs {self.form.min_score:.2f})"
        )


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
    found = tuple(p for p in form.phrases if match_key(p) in key)
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
    if forced is not None:
        mine = score(forced, key)
        sure = mine.score >= forced.min_score or not forced.phrases  # no phrases: nothing to check against
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
