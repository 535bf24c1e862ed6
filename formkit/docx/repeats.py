"""LibreOffice's repeated text fields, read once.

LibreOffice (7.x) writes an ODF text-input field, when it saves .docx or
converts an .odt or .rtf to .docx, as one Word field per piece of text the
field held, and each repeats the whole answer. A field whose answer S was
typed in pieces f1, f2, f3 (f1 + f2 + f3 == S) comes out, in one paragraph,
as

    F(S) f1 F(S) f2 F(S) f3 F(S) F(S)

where F(S) is a FILLIN or FORMTEXT complex field (ECMA-376 Part 1
§17.16.5.22, §17.16.5.20) or a
plain-text content control (``w:sdt`` with ``w:text``, §17.5.2.44) showing S,
and for a content control the piece sits inside the control: ``F(f1 S)``.
Its .rtf export writes the same, with a field-end mark (U+0005, read back
as "0") before the last field.
Word shows S several times over, and a reader would return it so, with no
sign of anything wrong.

:func:`read_once` finds that exact shape, in every paragraph that holds a
field or a control, and removes everything after the first F(S): the same
key (the field instruction, or the control's alias and tag) on at least
three fields, every one showing S, the pieces between them joining into S
again. Anything else, including a person's own repeated answer, stays.
"""
from __future__ import annotations


from lxml import etree

from formkit.docx.ancestors import Nearest
from formkit.docx.model import Doubt
from formkit.docx.ns import qn

__all__ = ["read_once"]

_P, _R, _T = qn("w:p"), qn("w:r"), qn("w:t")
_SDT, _SDT_PR, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtPr"), qn("w:sdtContent")
_TEXT_CONTROL, _ALIAS, _TAG, _VAL = qn("w:text"), qn("w:alias"), qn("w:tag"), qn("w:val")
_FLD_CHAR, _INSTR, _TYPE, _RPR = qn("w:fldChar"), qn("w:instrText"), qn("w:fldCharType"), qn("w:rPr")
_BR, _PPR = qn("w:br"), qn("w:pPr")
_BREAK = "\x00br"  # a line break: no group spans it
_MIN_FIELDS = 3
_END_MARKS = ("0", "\x05")


class _Unit:
    """A field or control showing ``text`` (or a plain-text piece when ``key`` is None)."""

    __slots__ = ("key", "text", "leaves")

    def __init__(self, key: str | None, text: str, leaves: list[etree._Element] | None = None) -> None:
        self.key = key
        self.text = text
        self.leaves = leaves if leaves is not None else []


def read_once(root: etree._Element) -> list[Doubt]:
    """Remove LibreOffice's repeats from the story under ``root``. Where a
    repeated field opens its paragraph after line breaks only, LibreOffice
    moved the answer's own line breaks out in front of it (their places are
    lost): a ``moved-breaks`` doubt with the answer's text says so."""
    paragraphs: dict[etree._Element, None] = {}
    paragraph_of = Nearest(_P).of
    for el in root.iter(_SDT, _INSTR):
        par = paragraph_of(el)
        if par is not None:
            paragraphs[par] = None
    return [d for p in paragraphs for d in _paragraph(p)]


def _paragraph(par: etree._Element) -> list[Doubt]:
    units = _units(par)
    doubts: list[Doubt] = []
    i = 0
    while i < len(units):
        end = _group_end(units, i)
        if end > i:
            if i > 0 and all(u.text == _BREAK for u in units[:i]):
                doubts.append(Doubt("moved-breaks", units[i].text))
            for unit in units[i + 1:end + 1]:
                for leaf in unit.leaves:
                    parent = leaf.getparent()
                    if parent is not None:
                        _remove_keeping_tail(leaf)
            i = end + 1
        else:
            i += 1
    return doubts


def _group_end(units: list[_Unit], start: int) -> int:
    """The index of the last unit of the repeat group that begins at
    ``start``, or ``start`` when none does."""
    first = units[start]
    if first.key is None or not first.text.strip():
        return start
    whole, pieces, pending, fields, end = first.text, "", "", 1, start
    for j in range(start + 1, len(units)):
        unit = units[j]
        if unit.key is None:
            if "\x00" in unit.text:
                break
            pending += unit.text
            continue
        if unit.key != first.key or not unit.text.endswith(whole):
            break
        if pending in _END_MARKS and _same(pieces, whole):
            pending = ""  # the field-end mark of LibreOffice's .rtf, read back as "0"
        pieces += pending + unit.text[: len(unit.text) - len(whole)]  # a control holds its own piece
        pending, fields = "", fields + 1
        if fields >= _MIN_FIELDS and _same(pieces, whole):
            end = j
    return end


def _same(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def _units(par: etree._Element) -> list[_Unit]:
    """The paragraph as fields, controls and plain-text pieces, in order; a
    break, a tab, a picture or any other content ends a run of pieces (it
    becomes an empty unit of key None that no group can span)."""
    units: list[_Unit] = []
    state: _Unit | None = None  # an open FILLIN field
    in_result = False
    for child in par:
        if child.tag == _SDT:
            pr = child.find(_SDT_PR)
            content = child.find(_SDT_CONTENT)
            if pr is not None and content is not None and pr.find(_TEXT_CONTROL) is not None:
                key = f"sdt:{_val(pr, _ALIAS)}\x00{_val(pr, _TAG)}"
                units.append(_Unit(key, "".join(t.text or "" for t in content.iter(_T)), [child]))
            else:
                units.append(_Unit(None, "\x00"))
            continue
        if child.tag != _R:
            if child.tag != _PPR and not isinstance(child, etree._Comment):
                units.append(_Unit(None, "\x00"))
            continue
        for leaf in child:
            tag = leaf.tag
            if tag == _RPR:
                continue
            if tag == _FLD_CHAR:
                kind = leaf.get(_TYPE)
                if kind == "begin":
                    if state is not None:  # a nested field: not the shape we look for
                        units.append(_Unit(None, "\x00"))
                    state, in_result = _Unit("", "", [leaf]), False
                elif state is not None:
                    state.leaves.append(leaf)
                    if kind == "separate":
                        in_result = True
                    elif kind == "end":
                        instr = " ".join(state.key.split()) if state.key else ""
                        is_fillin = instr.upper().startswith(("FILLIN", "FORMTEXT"))
                        units.append(_Unit(f"fld:{instr}" if is_fillin else None,
                                           state.text if is_fillin else "\x00", state.leaves))
                        state = None
            elif state is not None:
                state.leaves.append(leaf)
                if tag == _INSTR and not in_result:
                    state.key = (state.key or "") + (leaf.text or "")
                elif tag == _T and in_result:
                    state.text += leaf.text or ""
            elif tag == _T:
                units.append(_Unit(None, leaf.text or "", [leaf]))
            elif tag == _BR:
                units.append(_Unit(None, _BREAK))
            else:
                units.append(_Unit(None, "\x00"))
    return _join_pieces(units)


def _join_pieces(units: list[_Unit]) -> list[_Unit]:
    """Neighbouring plain-text pieces as one."""
    out: list[_Unit] = []
    for unit in units:
        if unit.key is None and out and out[-1].key is None and "\x00" not in unit.text + out[-1].text:
            out[-1].text += unit.text
            out[-1].leaves.extend(unit.leaves)
        else:
            out.append(unit)
    return out


def _val(pr: etree._Element, tag: str) -> str:
    el = pr.find(tag)
    return (el.get(_VAL) or "") if el is not None else ""


def _remove_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
