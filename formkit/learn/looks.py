"""What ``formkit learn`` needs from the original's XML beyond the document
model: which paragraphs are printed bold (a heading over sub-prompts is bold
where its sub-prompts are not), and which draw a blank without typed dots:
a tab whose tab stop has a leader (``w:tabs/w:tab/@w:leader``, ECMA-376 Part 1
§17.3.1.37: Word draws the dots itself) or underlined spaces (``w:u``,
§17.3.2.40).

Bold comes from the run (``w:rPr/w:b`` or ``w:bCs``, ECMA-376 Part 1,
§17.3.2.1-2; Thai is complex-script text, so ``w:bCs`` is what shows), from
the run's character style, or from the paragraph's style and the styles it
is based on (§17.7.2). A toggle written ``w:val="0"``/``"false"``/``"off"``
switches it off.
"""
from __future__ import annotations

from lxml import etree

from formkit.docx.ns import qn
from formkit.docx.package import Package
from formkit.docx.reader import styles_part

_W_P, _W_R, _W_T = qn("w:p"), qn("w:r"), qn("w:t")
_OFF = ("0", "false", "off")


_LEADERS = ("dot", "hyphen", "underscore", "heavy", "middleDot")
_Styles = dict[str, tuple[bool | None, str | None, bool]]


def paragraph_looks(pkg: Package) -> tuple[list[bool], list[bool]]:
    """For each paragraph of the main part in XML order (the model's
    ``Paragraph.ref``), in one walk: is all its text bold; does it draw a
    blank (a tab to a leader tab stop, or underlined white space)."""
    styles = _styles(pkg)
    leader_styles = {sid for sid, (_b, _based, leader) in styles.items() if leader}
    bold: list[bool] = []
    drawn: list[bool] = []
    for p in pkg.xml(pkg.main_part).iter(_W_P):
        bold.append(_bold_paragraph(p, styles))
        drawn.append(_drawn(p, leader_styles))
    return bold, drawn


def _has_leader(ppr: etree._Element | None) -> bool:
    tabs = ppr.find(qn("w:tabs")) if ppr is not None else None
    return tabs is not None and any(t.get(qn("w:leader")) in _LEADERS for t in tabs)


def _drawn(p: etree._Element, leader_styles: set[str]) -> bool:
    ppr = p.find(qn("w:pPr"))
    pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
    leader = _has_leader(ppr) or (pstyle is not None and pstyle.get(qn("w:val")) in leader_styles)
    for run in p.iter(_W_R):
        tab = run.find(qn("w:tab")) is not None
        if tab and leader:
            return True
        u = run.find(f"{qn('w:rPr')}/{qn('w:u')}")
        if u is None or u.get(qn("w:val"), "single") == "none":
            continue
        text = "".join(t.text or "" for t in run.iter(_W_T))
        if tab or (len(text) >= 3 and not text.strip()):
            return True
    return False


def _styles(pkg: Package) -> _Styles:
    """style id -> (bold as the style sets it, or None; the style it is based
    on; whether its paragraph properties set a leader tab stop)."""
    part = styles_part(pkg)
    if part is None:
        return {}
    out: _Styles = {}
    for style in pkg.xml(part).iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if not sid:
            continue
        based = style.find(qn("w:basedOn"))
        out[sid] = (
            _toggle(style.find(qn("w:rPr"))),
            based.get(qn("w:val")) if based is not None else None,
            _has_leader(style.find(qn("w:pPr"))),
        )
    return out


def _toggle(rpr: etree._Element | None) -> bool | None:
    if rpr is None:
        return None
    for tag in ("w:bCs", "w:b"):
        el = rpr.find(qn(tag))
        if el is not None:
            return el.get(qn("w:val"), "1").lower() not in _OFF
    return None


def _style_bold(sid: str | None, styles: _Styles) -> bool:
    seen: set[str] = set()
    while sid and sid not in seen and sid in styles:
        seen.add(sid)
        value, sid_next, _leader = styles[sid]
        if value is not None:
            return value
        sid = sid_next
    return False


def _bold_paragraph(p: etree._Element, styles: _Styles) -> bool:
    ppr = p.find(qn("w:pPr"))
    pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
    base = _style_bold(pstyle.get(qn("w:val")) if pstyle is not None else None, styles)
    seen_text = False
    for run in p.iter(_W_R):
        if not any((t.text or "").strip() for t in run.iter(_W_T)):
            continue
        seen_text = True
        rpr = run.find(qn("w:rPr"))
        own = _toggle(rpr)
        if own is None and rpr is not None and (rstyle := rpr.find(qn("w:rStyle"))) is not None:
            own = _style_bold(rstyle.get(qn("w:val")), styles) or None
        if not (own if own is not None else base):
            return False
    return seen_text
