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

from .ns import REL_STYLES, qn
from .package import Package

_W_P, _W_R, _W_T = qn("w:p"), qn("w:r"), qn("w:t")
_OFF = ("0", "false", "off")


def bold_paragraphs(pkg: Package) -> list[bool]:
    """For each paragraph of the main part in XML order (the model's
    ``Paragraph.ref``): True when all its text is bold."""
    styles = _styles(pkg)
    root = pkg.xml(pkg.main_part)
    return [_bold_paragraph(p, styles) for p in root.iter(_W_P)]


_LEADERS = ("dot", "hyphen", "underscore", "heavy", "middleDot")


def drawn_blanks(pkg: Package) -> list[bool]:
    """For each paragraph of the main part in XML order: True when it draws a
    blank (a tab to a leader tab stop, or underlined white space)."""
    leader_styles = _leader_styles(pkg)
    root = pkg.xml(pkg.main_part)
    return [_drawn(p, leader_styles) for p in root.iter(_W_P)]


def _has_leader(ppr: etree._Element | None) -> bool:
    tabs = ppr.find(qn("w:tabs")) if ppr is not None else None
    return tabs is not None and any(t.get(qn("w:leader")) in _LEADERS for t in tabs)


def _leader_styles(pkg: Package) -> set[str]:
    part = next((r.target for r in pkg.rels(pkg.main_part).values() if r.type.endswith(REL_STYLES)), None)
    if part is None or not pkg.has(part):
        return set()
    return {
        style.get(qn("w:styleId"), "")
        for style in pkg.xml(part).iter(qn("w:style"))
        if _has_leader(style.find(qn("w:pPr")))
    }


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


def _styles(pkg: Package) -> dict[str, tuple[bool | None, str | None]]:
    """style id -> (bold as the style sets it, or None; the style it is based on)."""
    part = next((r.target for r in pkg.rels(pkg.main_part).values() if r.type.endswith(REL_STYLES)), None)
    if part is None or not pkg.has(part):
        return {}
    out: dict[str, tuple[bool | None, str | None]] = {}
    for style in pkg.xml(part).iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if not sid:
            continue
        based = style.find(qn("w:basedOn"))
        out[sid] = (_toggle(style.find(qn("w:rPr"))), based.get(qn("w:val")) if based is not None else None)
    return out


def _toggle(rpr: etree._Element | None) -> bool | None:
    if rpr is None:
        return None
    for tag in ("w:bCs", "w:b"):
        el = rpr.find(qn(tag))
        if el is not None:
            return el.get(qn("w:val"), "1").lower() not in _OFF
    return None


def _style_bold(sid: str | None, styles: dict[str, tuple[bool | None, str | None]]) -> bool:
    seen: set[str] = set()
    while sid and sid not in seen and sid in styles:
        seen.add(sid)
        value, sid_next = styles[sid]
        if value is not None:
            return value
        sid = sid_next
    return False


def _bold_paragraph(p: etree._Element, styles: dict[str, tuple[bool | None, str | None]]) -> bool:
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
