"""The tags of a fill template, kept apart from everything the original holds.

A fill template is the original's XML with docxtpl-style tags added where
the locators found blanks and boxes. Nothing an original holds may ever
become template code, however its text is split into runs: an office copy
(or a hostile file) may hold ``{{``, ``{%`` or ``{#`` in any run, header,
attribute or field, and docxtpl's ``patch_xml`` would glue ``{`` | ``{ x }``
| ``}`` in three runs back into a live tag. So a tag never enters the XML as
Jinja text. Each is an opaque token (letters of a random per-template
nonce) in the tree, and:

1. each block tag element (a paragraph holding only a ``{%p ... %}`` tag, a
   run holding only a ``{{r ... }}`` tag, as docxtpl writes them) is
   replaced by its token, the way docxtpl removes their XML;
2. the tree is serialized once: :class:`Part`, static XML and tokens;
3. Jinja compiles a *skeleton*: formkit's tags, and between them
   ``{{ static[i] }}`` for the i-th piece of static XML, which is handed to
   the render as a value, already XML (markupsafe.Markup). The original's
   XML never reaches Jinja's lexer, whatever it holds, and a large original
   costs Jinja no more than a small one with the same blanks.

The same part also gives the template as an ordinary .docx with docxtpl's
tag syntax (``{%p``, ``{{r``), for a person to open in Word and see where
each value goes (:meth:`Part.docxtpl`).
"""
from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field

from lxml import etree

from formkit.docx.ns import NS

_NONCE_LETTERS = string.ascii_uppercase
_INDEX_LETTERS = "abcdefghij"  # a token's number, one letter per decimal digit
_END = "K"  # not an index letter: a token's end is never ambiguous


@dataclass(frozen=True, slots=True)
class _Tag:
    code: str  # Jinja source, e.g. "{% if f.level == 5 %}"
    flavor: str  # "" inline, "p" a paragraph of its own, "r" a run of its own


@dataclass(slots=True)
class Tags:
    """The tags of one template: tokens in the tree, Jinja code out of it.

    Tokens hold capital and small letters only (no digits, dots, spaces or
    Thai), so the template builder's own searches of a paragraph's text (a
    printed year, a leader of dots, a block number) never match inside one.
    """

    nonce: str = field(default_factory=lambda: "".join(secrets.choice(_NONCE_LETTERS) for _ in range(24)))
    tags: list[_Tag] = field(default_factory=list)
    blocks: list[etree._Element] = field(default_factory=list)

    def inline(self, code: str) -> str:
        """A token for ``code`` to put into text or an attribute value."""
        self.tags.append(_Tag(code, ""))
        digits = "".join(_INDEX_LETTERS[int(d)] for d in str(len(self.tags) - 1))
        return f"{self.nonce}{digits}{_END}"

    def block(self, element: etree._Element, text: etree._Element, code: str, flavor: str) -> etree._Element:
        """Make ``element`` (a paragraph or a run) a block tag: ``text`` (its
        w:t) holds the token, and the whole element gives way to ``code``."""
        text.text = self.inline(code)
        self.tags[-1] = _Tag(code, flavor)
        self.blocks.append(element)
        return element

    def part(self, root: etree._Element) -> Part:
        """Serialize the tagged part ``root`` (steps 1 and 2 of the module's
        docstring); the tree loses its comments and block tag elements."""
        strip_comments(root)
        for element in self.blocks:
            if element.getroottree().getroot() is root:
                _replace_by_text(element, element.findtext(".//{*}t") or "")
        xml = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)).decode("utf-8")
        pieces = re.compile(f"{self.nonce}([{_INDEX_LETTERS}]+){_END}").split(xml)
        static = tuple(pieces[0::2])
        tags = tuple(self.tags[int(n.translate(_DIGIT_OF))] for n in pieces[1::2])
        return Part(static, tags)


@dataclass(frozen=True, slots=True)
class Part:
    """A compiled part: pieces of static XML with a tag between each two."""

    static: tuple[str, ...]
    tags: tuple[_Tag, ...]

    def skeleton(self) -> str:
        """The Jinja source: tags, and a reference to each piece of static XML."""
        out = []
        for n, piece in enumerate(self.static):
            if piece:
                out.append(f"{{{{ static[{n}] }}}}")
            if n < len(self.tags):
                out.append(self.tags[n].code)
        return "".join(out)

    def docxtpl(self) -> bytes:
        """The part as docxtpl tags it: tag text escaped as XML, block tags as
        paragraphs or runs of their own flavoured ``{%p`` / ``{{r``."""
        out = []
        for n, piece in enumerate(self.static):
            out.append(piece)
            if n < len(self.tags):
                out.append(_docxtpl_tag(self.tags[n]))
        return "".join(out).encode("utf-8")


def _docxtpl_tag(tag: _Tag) -> str:
    if not tag.flavor:
        return _escape(tag.code).replace('"', "&quot;")  # an inline tag may stand in an attribute value
    text = _escape(tag.code[:2] + tag.flavor + tag.code[2:])
    run = f'<w:r xmlns:w="{NS["w"]}"><w:t xml:space="preserve">{text}</w:t></w:r>'
    if tag.flavor == "tr":  # a grid's added rows (formkit.fill.kinds)
        return f'<w:tr xmlns:w="{NS["w"]}"><w:tc><w:p>{run}</w:p></w:tc></w:tr>'
    return run if tag.flavor == "r" else f'<w:p xmlns:w="{NS["w"]}">{run}</w:p>'


def _escape(text: str) -> str:
    """Text as XML character data (what ``xml.sax.saxutils.escape`` does,
    without the network modules that module imports)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_DIGIT_OF = str.maketrans(_INDEX_LETTERS, "0123456789")


def _replace_by_text(element: etree._Element, text: str) -> None:
    """Put ``text`` where ``element`` stands (its tail kept), and remove it."""
    parent = element.getparent()
    if parent is None:
        return
    rest = text + (element.tail or "")
    before = element.getprevious()
    if before is not None:
        before.tail = (before.tail or "") + rest
    else:
        parent.text = (parent.text or "") + rest
    parent.remove(element)


def strip_comments(root: etree._Element) -> None:
    """XML comments and processing instructions out of a part to compile:
    character references mean nothing inside them (step 3 could not neutralise
    a ``{`` there), and Word gives them no meaning."""
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _replace_by_text(node, "")
