"""Plain paragraphs: the walk's result without the walk.

Most paragraphs of a long document are runs of text and nothing else. For
those, the walk of :mod:`formkit.docx.story` (a frame, a dispatch and a
handler call for every run and every ``w:t``) comes to joining the text of
the paragraph's ``w:r/w:t`` children. :func:`plain_text` does that join in one
tight loop, following exactly the children the walk would follow, and gives
up (None: walk it) at the first thing the walk would treat otherwise:

* a child of the paragraph that the walk acts on other than ``w:r``
  (hyperlinks, fields, content controls, revisions, comment anchors ...);
  any other child (``w:pPr``, bookmarks, proofing marks, equations) is
  skipped whole, as the walk skips it;
* a child of a run that the walk acts on other than ``w:t`` (symbols, tabs,
  breaks, field characters, pictures ...); ``w:rPr`` and unknown children
  are skipped, as the walk skips them;
* a run that is hidden, or in a symbol font while its text holds characters
  such a font shows as glyphs (below U+0100 but the space, or U+F0xx), or any
  text holding a private-use U+F0xx character: the run's properties are read
  only then, or for every run when the story holds a ``w:vanish`` at all.
"""
from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from formkit.docx.ns import qn
from formkit.docx.inline import SYMBOL_FONT_CHARS, find_private_use

_R, _T = qn("w:r"), qn("w:t")


def plain_text(
    paragraph: etree._Element,
    walked: tuple[frozenset[str], frozenset[str]],
    plain_run: Callable[[etree._Element], bool],
    every_run: bool,
) -> str | None:
    """The paragraph's text when the walk would read it as one plain text,
    else None. ``walked``: the tags the walk acts on in a paragraph and in a
    run, runs and ``w:t`` left out; ``plain_run(run)``: the run is shown and
    in a text font; ``every_run``: ask it of every run, not only of runs
    whose text a symbol font would change."""
    in_paragraph, in_run = walked
    parts: list[str] = []
    for child in paragraph:
        tag = child.tag
        if tag != _R:
            if tag in in_paragraph:
                return None
            continue
        checked = False
        if every_run:
            if not plain_run(child):
                return None
            checked = True
        for item in child:
            tag = item.tag
            if tag == _T:
                text = item.text
                if not text:
                    continue
                if not checked:
                    # The symbol-font characters include every private-use
                    # U+F0xx one: text without them needs no second look.
                    if SYMBOL_FONT_CHARS.search(text):
                        if not plain_run(child) or find_private_use(text):
                            return None
                        checked = True
                elif find_private_use(text):
                    return None
                parts.append(text)
            elif tag in in_run:
                return None
    return "".join(parts)
