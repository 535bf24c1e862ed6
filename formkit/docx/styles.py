"""Style lookups the reader needs: a run's effective font and style numbering.

Only two facts are taken from the styles part (ECMA-376 Part 1, §17.7 styles):

* the font of a run, which decides whether its characters are symbol-font
  glyphs. Word resolves it from the run's own ``w:rFonts`` (§17.3.2.26), else
  its character style (``w:rStyle``) and that style's ``w:basedOn`` chain, else
  the paragraph style (``w:pStyle``, or the default paragraph style when the
  paragraph names none) and its chain, else ``w:docDefaults/w:rPrDefault``
  (§17.7.5). The first level that names ``w:ascii`` or ``w:hAnsi`` wins.
* whether a paragraph style numbers its paragraphs (``w:pPr/w:numPr``,
  §17.9 numbering; ``w:numId`` 0 removes numbering).

Theme fonts (``w:asciiTheme``) are not resolved: theme fonts are text fonts,
never symbol fonts.
"""
from __future__ import annotations

from lxml import etree

from formkit.docx.ns import qn
from formkit.values import NamedTuple, compare_by_type

_STYLE = qn("w:style")
_STYLE_ID = qn("w:styleId")
_TYPE = qn("w:type")
_DEFAULT = qn("w:default")
_BASED_ON = qn("w:basedOn")
_RPR = qn("w:rPr")
_PPR = qn("w:pPr")
_RFONTS = qn("w:rFonts")
_ASCII = qn("w:ascii")
_HANSI = qn("w:hAnsi")
_NUMPR = qn("w:numPr")
_NUMID = qn("w:numId")
_VAL = qn("w:val")
_DOC_DEFAULTS = qn("w:docDefaults")
_RPR_DEFAULT = qn("w:rPrDefault")

# A basedOn chain longer than this is a loop or garbage; Word itself caps
# inheritance depth far lower.
_MAX_CHAIN = 32
# Lookups remembered per Styles (shared by the documents of a batch whose
# styles part is the same): style ids come from documents, so the memo is
# bounded.
_MAX_MEMO = 4096


def rfonts_font(rpr: etree._Element | None) -> str | None:
    """The font a ``w:rPr`` names for Latin text (see :func:`font_name`)."""
    return font_name(rpr.find(_RFONTS)) if rpr is not None else None


def font_name(rfonts: etree._Element | None) -> str | None:
    """The font a ``w:rFonts`` names for Latin text: ``w:ascii``, else ``w:hAnsi``."""
    if rfonts is None:
        return None
    return rfonts.get(_ASCII) or rfonts.get(_HANSI) or None


def numbering_of(numpr: etree._Element | None) -> bool | None:
    """Numbering a ``w:numPr`` sets: True/False from its ``w:numId``, None if silent.

    ``w:numId w:val="0"`` explicitly removes numbering (§17.9); a ``w:numPr``
    without ``w:numId`` only sets the level and leaves the list to the style.
    """
    if numpr is None:
        return None
    numid = numpr.find(_NUMID)
    if numid is None:
        return None
    value = numid.get(_VAL)
    return bool(value) and value != "0"


class _Style(NamedTuple):
    based_on: str | None
    font: str | None
    numbered: bool | None


class Styles:
    """The styles part reduced to what the reader asks of it; lookups are cached."""

    def __init__(
        self,
        styles: dict[str, _Style],
        default_font: str | None = None,
        default_paragraph: str | None = None,
    ) -> None:
        self._styles = styles
        self._default_font = default_font
        self._default_paragraph = default_paragraph
        self._fonts: dict[tuple[str | None, str | None], str | None] = {}
        self._numbered: dict[str | None, bool] = {}

    @classmethod
    def from_xml(cls, root: etree._Element) -> Styles:
        """Read a ``w:styles`` element (the root of ``word/styles.xml``)."""
        styles: dict[str, _Style] = {}
        default_paragraph: str | None = None
        for el in root.iterchildren(_STYLE):
            style_id = el.get(_STYLE_ID)
            if not style_id:
                continue
            based = el.find(_BASED_ON)
            ppr = el.find(_PPR)
            styles[style_id] = _Style(
                based_on=based.get(_VAL) if based is not None else None,
                font=rfonts_font(el.find(_RPR)),
                numbered=numbering_of(ppr.find(_NUMPR)) if ppr is not None else None,
            )
            if (
                default_paragraph is None
                and el.get(_TYPE) == "paragraph"
                and el.get(_DEFAULT) in ("1", "true", "on")
            ):
                default_paragraph = style_id
        default_font = None
        defaults = root.find(_DOC_DEFAULTS)
        if defaults is not None:
            rpr_default = defaults.find(_RPR_DEFAULT)
            if rpr_default is not None:
                default_font = rfonts_font(rpr_default.find(_RPR))
        return cls(styles, default_font, default_paragraph)

    def run_font(self, char_style: str | None, para_style: str | None) -> str | None:
        """The inherited font of a run that names none itself (see module doc)."""
        key = (char_style, para_style)
        try:
            return self._fonts[key]
        except KeyError:
            pass
        font = self._chain_font(char_style) or self._chain_font(
            para_style or self._default_paragraph
        ) or self._default_font
        if len(self._fonts) >= _MAX_MEMO:
            self._fonts.clear()
        self._fonts[key] = font
        return font

    def numbered(self, para_style: str | None) -> bool:
        """True when the paragraph style (or a style it is based on) numbers paragraphs."""
        known = self._numbered.get(para_style)
        if known is not None:
            return known
        style_id = para_style or self._default_paragraph
        found = next((s.numbered for s in self._chain(style_id) if s.numbered is not None), False)
        if len(self._numbered) >= _MAX_MEMO:
            self._numbered.clear()
        self._numbered[para_style] = found
        return found

    def _chain_font(self, style_id: str | None) -> str | None:
        for style in self._chain(style_id):
            if style.font:
                return style.font
        return None

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(chain) < _MAX_CHAIN:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                break
            chain.append(style)
            style_id = style.based_on
        return chain


compare_by_type(_Style)
