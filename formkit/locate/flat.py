"""Answer areas of a form whose tables are gone.

A program that cannot keep a table (or a person copying the form into a
plain document) leaves its cells as paragraphs, one after another. Within a
table, an answer ends with its cell; without one it would run on into the
next row: the evidence column, the next quality level, the notes under the
table. Where a document has no table at all, a paragraph holding nothing
but a box (the quality level's box, alone in its cell as the form prints it)
therefore ends the answer above it, as a printed heading does; and the
quality level is read from the boxes each followed by their level's digit
(:func:`level_without_table`), with a warning. A document that kept its
tables is read exactly as before.
"""
from __future__ import annotations

from formkit.docx.model import Checkbox, Text
from formkit.locate.kinds import Found
from formkit.locate.labels import Hit
from formkit.locate.stream import Stream
from formkit.text import parse_int
from formkit.warnings import Warning

__all__ = ["level_without_table", "lone_box_stops"]

_MIN_LEVELS = 3  # as many level rows as the table's own fallback asks for


def lone_box_stops(stream: Stream) -> list[Hit]:
    """A stop at each paragraph that holds a box and no text, when the
    stream has no table; none otherwise."""
    if stream.tables:
        return []
    return [Hit(p.index, 0, 0) for p in stream.paras if _lone_box(p.paragraph.inlines)]


def _lone_box(inlines: tuple[object, ...]) -> bool:
    boxes = [i for i in inlines if isinstance(i, Checkbox)]
    text = "".join(i.text for i in inlines if isinstance(i, Text))
    return bool(boxes) and not text.strip()


def level_without_table(stream: Stream, name: str) -> Found | None:
    """The level of a document with no table: each paragraph holding only a
    box, followed by a paragraph holding only a level digit 1..5 (the
    level cell as the form prints it, flattened). None when the stream has a
    table, or fewer than three such levels."""
    if stream.tables:
        return None
    paras = stream.paras
    rows: dict[int, tuple[bool, int]] = {}
    for n, para in enumerate(paras[:-1]):
        if not _lone_box(para.paragraph.inlines):
            continue
        number = parse_int(paras[n + 1].text)
        if number is not None and 1 <= number <= 5 and number not in rows:
            boxes = [i for i in para.paragraph.inlines if isinstance(i, Checkbox)]
            rows[number] = (any(b.checked for b in boxes), para.index)
    if len(rows) < _MIN_LEVELS:
        return None
    ticked = sorted(k for k, (checked, _) in rows.items() if checked)
    found = Found(ticked[0] if len(ticked) == 1 else None, "paragraphs (no table)",
                  boxes={k: (index, 0) for k, (_, index) in rows.items()})
    if len(ticked) > 1:
        found.warnings.append(Warning.of("multiple-levels-ticked", name,
                                         f"levels {', '.join(map(str, ticked))} are all ticked; none taken"))
    found.warnings.append(Warning.of("table-gone", name, "the document has no table: the level was read "
                                     "from its boxes and digits as paragraphs"))
    return found
