"""WordprocessingML -> the document model (:mod:`formkit.docx.model`).

:func:`read_document` is the only entry point. It reads, once each and in one
pass: the main document body, every header and footer part the sections
reference, and the styles part (for run fonts and style numbering). Below this
module only :mod:`formkit.docx.package` knows the zip; above it nobody knows XML.

The work is split by concern:

* :mod:`formkit.docx.story`: the walk over one story (blocks, paragraphs,
  runs, content controls, revisions, text boxes), with
  :mod:`formkit.docx.runs` (run content, fields) and
  :mod:`formkit.docx.plain` (paragraphs of plain runs, read in one loop);
* :mod:`formkit.docx.inline`: single-element rules (``w:sym``, checkboxes,
  drawings, symbol-font text);
* :mod:`formkit.docx.tables`: the table grid and its merges;
* :mod:`formkit.docx.styles`: font and numbering inheritance.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol, TypeVar

from lxml import etree

from formkit.docx.checkboxes import lone_marks
from formkit.docx.controls import read_controls
from formkit.docx.model import Block, Document, Image, Story
from formkit.docx.repeats import read_once
from formkit.docx.strike import struck
from formkit.docx.ns import REL_FOOTER, REL_HEADER, REL_STYLES, qn
from formkit.docx.story import StoryReader
from formkit.docx.styles import Styles

__all__ = ["collector_paused", "read_document"]

_BODY, _P = qn("w:body"), qn("w:p")
_STORY_RELS = {"header": REL_HEADER, "footer": REL_FOOTER}
_T = TypeVar("_T")


class _Rel(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def external(self) -> bool: ...


class PackageLike(Protocol):
    """The part of :class:`formkit.docx.package.Package` the reader uses."""

    @property
    def main_part(self) -> str: ...
    def xml(self, part: str) -> etree._Element: ...
    def rels(self, part: str) -> Mapping[str, _Rel]: ...
    def read(self, part: str) -> bytes: ...
    def has(self, part: str) -> bool: ...
    def content_type(self, part: str) -> str: ...
    def derived(self, part: str, build: Callable[[etree._Element, str], _T], context: str = "") -> _T: ...


class ImageCache:
    """Pictures of one package, read and hashed once per media part.

    A relationship id is resolved against the rels of the part that holds the
    picture (body, header or footer). External targets (``TargetMode=
    "External"``, i.e. linked pictures) and targets missing from the package
    give no image rather than an error: the document still reads.
    """

    def __init__(self, pkg: PackageLike) -> None:
        self._pkg = pkg
        self._rels: dict[str, Mapping[str, _Rel]] = {}
        self._images: dict[str, Image | None] = {}

    def resolve(self, part: str, rid: str) -> Image | None:
        """The picture relationship ``rid`` of ``part`` points at, if readable."""
        rels = self._rels.get(part)
        if rels is None:
            rels = self._rels[part] = self._pkg.rels(part)
        rel = rels.get(rid)
        if rel is None or rel.external:
            return None
        target = rel.target
        if target not in self._images:
            image = None
            if self._pkg.has(target):
                import hashlib  # only for documents with pictures

                digest = hashlib.sha256(self._pkg.read(target)).hexdigest()
                image = Image(digest, self._pkg.content_type(target), target)
            self._images[target] = image
        return self._images[target]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document model is
    built. The model is a great many small objects without cycles, and every
    full collection on the way would scan all of them again: a third of the
    time of reading a 25 MB part. Nested pauses are fine; collection resumes
    as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_document(pkg: PackageLike, refs: bool = False, boxes: bool = False) -> Document:
    """Read a .docx package into an immutable :class:`~formkit.docx.model.Document`.

    Body blocks come in document order. Headers and footers are the parts
    referenced by ``w:sectPr/w:headerReference|w:footerReference`` (ECMA-376
    Part 1, §17.10), resolved through the main part's rels (a reference whose
    relationship is missing, external or not of the header/footer type is
    skipped); each part is read
    once even when several sections share it, as a :class:`Story` whose kind is
    the reference's ``w:type`` (``default`` when absent). ``tracked_changes``
    is set when any story holds a revision mark (§17.13.5); ``comments`` counts
    the distinct comments anchored in the body (§17.13.4). With ``boxes``,
    glyph boxes and marks are decided as each paragraph is read: the result
    is :func:`formkit.docx.checkboxes.convert_document` of the document read
    without, in one pass.
    """
    with collector_paused():
        return _read(pkg, refs, boxes)


def _read(pkg: PackageLike, refs: bool, boxes: bool) -> Document:
    main = pkg.main_part
    rels = pkg.rels(main)
    styles = _styles(pkg)
    images = ImageCache(pkg)

    root = pkg.xml(main)
    doubts = read_once(root)  # LibreOffice's repeated text fields (formkit.docx.repeats)
    doubts += struck(root)  # struck-through text and boxes (formkit.docx.strike)
    index = {el: n for n, el in enumerate(root.iter(_P))} if refs else None
    body_reader = StoryReader(main, styles, images, index, boxes)
    body_el = root.find(_BODY)
    body = body_reader.read(body_el)

    tracked = body_reader.tracked
    stories: dict[str, list[Story]] = {"header": [], "footer": []}
    seen: set[str] = set()
    for kind, story_type, rid in body_reader.section_refs:
        rel = rels.get(rid)
        if (
            rel is None
            or rel.external
            or not rel.type.endswith(_STORY_RELS[kind])
            or rel.target in seen
            or not pkg.has(rel.target)
        ):
            continue
        seen.add(rel.target)
        reader = StoryReader(rel.target, styles, images, boxes=boxes)
        story = pkg.xml(rel.target)
        doubts += read_once(story) + struck(story)
        blocks: tuple[Block, ...] = reader.read(story)
        tracked = tracked or reader.tracked
        stories[kind].append(Story(story_type, blocks))

    doc = Document(
        body=body,
        headers=tuple(stories["header"]),
        footers=tuple(stories["footer"]),
        tracked_changes=tracked,
        comments=len(body_reader.comment_ids),
        controls=read_controls(body_el, lambda rid: images.resolve(main, rid), index) if body_reader.controls else (),
        doubts=tuple(doubts),
    )
    return lone_marks(doc) if boxes and not body_reader.whole_box else doc


def styles_part(pkg: PackageLike) -> str | None:
    """The styles part the main part's relationships name (§17.7), when the
    package holds it."""
    for rel in pkg.rels(pkg.main_part).values():
        if rel.type.endswith(REL_STYLES) and not rel.external and pkg.has(rel.target):
            return rel.target
    return None


def _styles(pkg: PackageLike) -> Styles:
    """The styles of the styles part, or no styles at all; read once for
    every document whose styles part holds the same bytes."""
    part = styles_part(pkg)
    return pkg.derived(part, _styles_from) if part is not None else Styles({})


def _styles_from(root: etree._Element, context: str) -> Styles:
    return Styles.from_xml(root)
