"""Filling Word's form controls: each ``control`` field's control in the
original's XML becomes tagged variants, as Word itself would write them.

A control is found as parse finds it (its tag, title or bookmark name) and
replaced by ``{% if value %}`` the control filled ``{% else %}`` the control
as the original has it ``{% endif %}`` (a check box: ticked / unticked; a
drop-down of a legacy field: one variant per entry). Filling a content
control removes its placeholder and clears ``w:showingPlcHdr`` (§17.5.2.39);
a date is written in the control's ``w:dateFormat`` with ``w:fullDate`` set
(§17.5.2.7); a check box gets ``w14:checked`` and the glyph and font its
``w14:checkedState``/``w14:uncheckedState`` declare; a repeating section
repeats its first item once per item of the record. A bound control
(``w:dataBinding``, §17.5.2.6) also gets its value in the custom XML part it
maps to: Word shows the part's value when it opens the document. Legacy
fields (§17.16): FORMTEXT's result runs, FORMCHECKBOX's ``w:checked``,
FORMDROPDOWN's ``w:result``.

Values reach the template only through Jinja expressions over the record
(autoescaped); a text of the original the template code must name (a list
entry) is written as a string literal of ``\\U`` escapes, so nothing the
document holds is ever read by Jinja's lexer as code.
"""
from __future__ import annotations

import copy

from lxml import etree

from formkit.docx import controls as cx
from formkit.docx.glyphs import is_symbol_font
from formkit.docx.ns import qn
from formkit.fill.bindings import Store, bound_code
from formkit.fill.dates import date_expression
from formkit.fill.edit import W_R, W_RPR, W_T, text_run
from formkit.fill.tags import Tags
from formkit.forms import FieldDef, FormDef
from formkit.forms.controls import value_type
from formkit.locate.controls import empty, fits

_W14_CHECKED_STATE, _W14_UNCHECKED_STATE = qn("w14:checkedState"), qn("w14:uncheckedState")
_W14_FONT = qn("w14:font")
_RFONTS, _RSTYLE, _SYM, _ID = qn("w:rFonts"), qn("w:rStyle"), qn("w:sym"), qn("w:id")
_PPR, _LAST_VALUE = qn("w:pPr"), qn("w:lastValue")
_SIZE = (qn("w:size"), qn("w:sizeAuto"))
_BLIP, _EMBED, _EXTENT, _A_EXT = qn("a:blip"), qn("r:embed"), qn("wp:extent"), qn("a:ext")
_DEFAULT_GLYPHS = {True: ("MS Gothic", 0x2612), False: ("MS Gothic", 0x2610)}


def jinja_string(text: str) -> str:
    """``text`` as a Jinja string literal of escapes only (the lexer decodes
    ``\\U`` escapes): no character of it reaches Jinja as written."""
    return "'" + "".join(f"\\U{ord(ch):08x}" for ch in text) + "'"


def apply_controls(form: FormDef, root: etree._Element, members: dict[str, bytes], tags: Tags,
                   notes: list[str]) -> dict[str, etree._Element]:
    """Tag every ``control`` field of ``form`` in the main part ``root``;
    return the custom XML parts bound controls write to (part -> tagged tree)."""
    filler = _Filler(tags, Store(members), notes)
    for f in form.fields:
        if f.kind == "control":
            filler.field(f, root, f"f[{f.name!r}]")
    return filler.store.trees


class _Filler:
    def __init__(self, tags: Tags, store: Store, notes: list[str]) -> None:
        self.tags = tags
        self.store = store
        self.notes = notes

    def marker(self, code: str) -> etree._Element:
        """An element that gives way to the Jinja ``code`` when compiled."""
        run = etree.Element(W_R)
        return self.tags.block(run, etree.SubElement(run, W_T), code, "r")

    def variants(self, element: etree._Element, branches: list[tuple[str, etree._Element]],
                 otherwise: etree._Element) -> None:
        """Replace ``element`` by ``{% if c1 %}e1{% elif c2 %}e2 ... {% else %}otherwise{% endif %}``."""
        parent = element.getparent()
        assert parent is not None
        at = parent.index(element)
        tail = element.tail
        parent.remove(element)
        out: list[etree._Element] = []
        for n, (condition, variant) in enumerate(branches):
            out += [self.marker(f"{{% {'if' if n == 0 else 'elif'} {condition} %}}"), variant]
        out += [self.marker("{% else %}"), otherwise, self.marker("{% endif %}")]
        for k, el in enumerate(out):
            parent.insert(at + k, el)
        out[-1].tail = tail

    def field(self, f: FieldDef, scope: etree._Element, expr: str) -> None:
        if f.bookmark:
            begin = _legacy_begin(scope, f)
            if begin is None:
                self.notes.append(f"no legacy {f.control} field named {f.bookmark!r} to fill {f.name}")
                return
            self.legacy(f, begin, expr)
            return
        sdt = _find_sdt(scope, f)
        if sdt is None:
            self.notes.append(f"no content control with the tag or title of {f.name} to fill")
            return
        kind = value_type(cx.control_type(sdt.find(cx.SDT_PR)) or "richtext")
        if kind == "list":
            self.repeating(f, sdt, expr)
        elif kind == "bool":
            self.checkbox(sdt, expr)
        elif kind == "picture":
            self.picture(f, sdt, expr)
        else:
            self.text(f, sdt, expr)
        binding = _first(sdt, cx.DATA_BINDING, cx.SDT_PR)
        if binding is not None:
            self.store.bind(binding, bound_code(f, expr), self.tags)

    # -- content controls ---------------------------------------------------------------
    def text(self, f: FieldDef, sdt: etree._Element, expr: str) -> None:
        filled = copy.deepcopy(sdt)
        props = filled.find(cx.SDT_PR)
        shown = f"{{{{ {expr} }}}}"
        if props is not None:
            for mark in props.findall(cx.SHOWING):
                props.remove(mark)
            date = props.find(cx.DATE)
            if date is not None:
                date.set(cx.FULL_DATE, self.tags.inline(f"{{{{ {expr} }}}}T00:00:00Z"))
                fmt = date.find(cx.DATE_FORMAT)
                shown = "{{ " + date_expression(fmt.get(cx.W_VAL) or "" if fmt is not None else "", expr,
                                                _val(date, qn("w:lid")), _val(date, cx.CALENDAR)) + " }}"
            for lst in (props.find(cx.DROPDOWN), props.find(cx.COMBOBOX)):
                if lst is not None and _LAST_VALUE in lst.attrib:
                    del lst.attrib[_LAST_VALUE]
        _set_content(filled, text_run(self.tags.inline(shown), _like_run(sdt)))
        if cx.showing_placeholder(sdt):
            blank = sdt
        else:
            blank = copy.deepcopy(sdt)
            _set_content(blank, text_run("", _like_run(sdt)))
        self.variants(sdt, [(expr, filled)], blank)

    def picture(self, f: FieldDef, sdt: etree._Element, expr: str) -> None:
        """The record's photo in place of the control's picture, fitted into
        its frame (``wp:extent``) with its proportions kept."""
        filled = copy.deepcopy(sdt)
        blip = next(filled.iter(_BLIP), None)
        extent = next(filled.iter(_EXTENT), None)
        if blip is None or extent is None:
            self.notes.append(f"picture control {f.name} holds no picture to replace: it is left as it is")
            return
        for mark in list(filled.iter(cx.SHOWING)):
            mark.getparent().remove(mark)
        blip.set(_EMBED, self.tags.inline(f"{{{{ {expr}['rid'] }}}}"))
        width, height = (_emu(extent.get(a)) for a in ("cx", "cy"))
        size = {
            "cx": f"{{{{ [{width}, ({height} * {expr}['width'] / {expr}['height'])|int]|min }}}}",
            "cy": f"{{{{ [{height}, ({width} * {expr}['height'] / {expr}['width'])|int]|min }}}}",
        }
        for el in [extent, *(e for e in filled.iter(_A_EXT) if e.get("cx") is not None)]:
            for attr, code in size.items():
                el.set(attr, self.tags.inline(code))
        self.variants(sdt, [(expr, filled)], sdt)

    def checkbox(self, sdt: etree._Element, expr: str) -> None:
        self.variants(sdt, [(expr, _ticked(sdt, True))], _ticked(sdt, False))

    def repeating(self, f: FieldDef, sdt: etree._Element, expr: str) -> None:
        content = sdt.find(cx.SDT_CONTENT)
        items = cx.repeat_items(content) if content is not None else []
        if not items:
            self.notes.append(f"repeating section {f.name} has no item to repeat")
            return
        first = items[0]
        for other in items[1:]:
            _remove(other)
        for props in first.iter(cx.SDT_PR):  # every copy would carry the same ids: Word gives new ones
            for ident in props.findall(_ID):
                props.remove(ident)
        var = f"item_{f.name}"
        for sub in f.fields:
            self.field(sub, first, f"{var}[{sub.name!r}]")
        blank = "{" + ", ".join(f"{sub.name!r}: {_literal(empty(sub))}" for sub in f.fields) + "}"
        first.addprevious(self.marker(f"{{% for {var} in ({expr} or [{blank}]) %}}"))
        first.addnext(self.marker("{% endfor %}"))

    # -- legacy form fields --------------------------------------------------------------
    def legacy(self, f: FieldDef, begin: etree._Element, expr: str) -> None:
        data = begin.find(f"{cx.FLD_CHAR}/{cx.FF_DATA}")
        assert data is not None
        kind = legacy_type(data)
        if kind == "formcheckbox":
            on, off = copy.deepcopy(begin), copy.deepcopy(begin)
            _set_checked(on, True)
            _set_checked(off, False)
            self.variants(begin, [(expr, on)], off)
        elif kind == "formdropdown":
            lst = data.find(cx.DD_LIST)
            entries = [e.get(cx.W_VAL) or "" for e in lst.findall(cx.LIST_ENTRY)] if lst is not None else []
            branches = [(f"{expr} == {jinja_string(entry)}", _with_result(begin, n)) for n, entry in enumerate(entries)]
            self.variants(begin, branches[1:] or [("false", _with_result(begin, 0))], _with_result(begin, 0))
        else:
            self.form_text(begin, expr)

    def form_text(self, begin: etree._Element, expr: str) -> None:
        """FORMTEXT: the value as the field's result; left empty, the result
        is the field's default text (five U+2002 spaces when it has none, as
        Word writes a new field), whatever an office's copy held there."""
        results, end = cx.field_runs(begin)
        if not end:
            self.notes.append("a legacy text field without its end mark was left as it is")
            return
        like = results[0] if results else begin
        first = results[0] if results else end[0]
        first.addprevious(self.marker(f"{{% if {expr} %}}"))
        first.addprevious(text_run(self.tags.inline(f"{{{{ {expr} }}}}"), like))
        first.addprevious(self.marker("{% else %}"))
        given = begin.find(f"{cx.FLD_CHAR}/{cx.FF_DATA}/{cx.TEXT_INPUT}")
        default = _val(given, cx.DEFAULT) if given is not None else ""
        shown = "".join(cx.shown_text(run) for run in results if run.find(cx.FLD_CHAR) is None)
        if shown.strip() and shown != default:
            for run in results:
                _remove(run)
            end[0].addprevious(text_run(default or "\u2002" * 5, like))
        end[0].addprevious(self.marker("{% endif %}"))


# -- finding controls ---------------------------------------------------------------------

def _find_sdt(scope: etree._Element, f: FieldDef) -> etree._Element | None:
    for sdt in scope.iter(cx.SDT):
        props = sdt.find(cx.SDT_PR)
        kind = cx.control_type(props)
        if kind is None or props is None:
            continue
        if (f.tag and _val(props, cx.TAG) == f.tag) or (f.alias and _val(props, cx.ALIAS) == f.alias):
            if fits(f, kind):
                return sdt
    return None


def legacy_type(data: etree._Element) -> str:
    """The control type of a legacy field's ``w:ffData``."""
    if data.find(cx.FF_CHECKBOX) is not None:
        return "formcheckbox"
    return "formdropdown" if data.find(cx.DD_LIST) is not None else "formtext"


def _legacy_begin(scope: etree._Element, f: FieldDef) -> etree._Element | None:
    for data in scope.iter(cx.FF_DATA):
        if _val(data, cx.FF_NAME) == f.bookmark and fits(f, legacy_type(data)):
            fld = data.getparent()
            run = fld.getparent() if fld is not None else None
            if run is not None and run.tag == W_R:
                return run
    return None


def _first(el: etree._Element, tag: str, under: str) -> etree._Element | None:
    props = el.find(under)
    return props.find(tag) if props is not None else None


def _val(el: etree._Element | None, tag: str) -> str:
    child = el.find(tag) if el is not None else None
    return (child.get(cx.W_VAL) or "") if child is not None else ""


def _emu(value: str | None) -> int:
    """An EMU length of the original (ST_PositiveCoordinate), as a number for the template."""
    try:
        return max(1, min(int(value or ""), 27273042316900))
    except ValueError:
        return 1905000  # 2 inches, Word's picture control


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _literal(value: object) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[]"
    return jinja_string(str(value))


# -- editing a control's content ----------------------------------------------------------

def _like_run(sdt: etree._Element) -> etree._Element:
    """A run with the properties the control's text is written in: the
    control's own ``w:rPr`` (what Word gives typed text), else its first
    run's without the PlaceholderText style."""
    props = sdt.find(cx.SDT_PR)
    rpr = props.find(W_RPR) if props is not None else None
    if rpr is None:
        content = sdt.find(cx.SDT_CONTENT)
        first = next(content.iter(W_R), None) if content is not None else None
        rpr = first.find(W_RPR) if first is not None else None
    run = etree.Element(W_R)
    if rpr is not None:
        rpr = copy.deepcopy(rpr)
        for style in rpr.findall(_RSTYLE):
            if (style.get(cx.W_VAL) or "").lower().startswith("placeholder"):
                rpr.remove(style)
        run.append(rpr)
    return run


def _set_content(sdt: etree._Element, run: etree._Element) -> None:
    """The control's content made ``run`` alone: in its first paragraph for a
    block or cell control, in place of every run for an inline one."""
    content = sdt.find(cx.SDT_CONTENT)
    if content is None:
        content = etree.SubElement(sdt, cx.SDT_CONTENT)
    paragraphs = [c for c in content if c.tag == cx.P]
    if not paragraphs and not any(c.tag in (qn("w:tc"), qn("w:tr"), qn("w:tbl")) for c in content):
        for child in list(content):
            content.remove(child)
        content.append(run)
        return
    first = paragraphs[0] if paragraphs else next(content.iter(cx.P), None)
    if first is None:
        return
    for extra in paragraphs[1:]:
        content.remove(extra)
    for child in [c for c in first if c.tag != _PPR]:
        first.remove(child)
    first.append(run)


def _ticked(sdt: etree._Element, checked: bool) -> etree._Element:
    """A copy of check box control ``sdt`` ticked or not, showing the glyph
    its checked/unchecked state declares (Word's ☒/☐ in MS Gothic when none)."""
    out = copy.deepcopy(sdt)
    box = _first(out, cx.CHECKBOX14, cx.SDT_PR)
    assert box is not None
    state = box.find(cx.W14_CHECKED)
    if state is None:
        state = etree.Element(cx.W14_CHECKED)
        box.insert(0, state)
    state.set(cx.W14_VAL, "1" if checked else "0")
    look = box.find(_W14_CHECKED_STATE if checked else _W14_UNCHECKED_STATE)
    font, code = _DEFAULT_GLYPHS[checked]
    if look is not None:
        font = look.get(_W14_FONT) or font
        try:
            code = int(look.get(cx.W14_VAL) or "", 16)
        except ValueError:
            pass
    if is_symbol_font(font) and (code <= 0xFF or 0xF000 <= code <= 0xF0FF):
        code = 0xF000 | (code & 0xFF)  # a symbol font's glyph, as Word types it
    run = _like_run(out)
    rpr = run.find(W_RPR)
    if rpr is None:
        rpr = etree.SubElement(run, W_RPR)
    fonts = rpr.find(_RFONTS)
    if fonts is None:
        fonts = etree.Element(_RFONTS)
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    text = etree.SubElement(run, W_T)
    text.text = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else ""
    _set_content(out, run)
    return out


def _set_checked(begin: etree._Element, checked: bool) -> None:
    box = begin.find(f"{cx.FLD_CHAR}/{cx.FF_DATA}/{cx.FF_CHECKBOX}")
    if box is None:
        return
    state = box.find(cx.CHECKED)
    if state is None:
        state = etree.Element(cx.CHECKED)
        after = [c for c in box if c.tag in _SIZE or c.tag == cx.DEFAULT]
        if after:
            after[-1].addnext(state)
        else:
            box.insert(0, state)
    state.set(cx.W_VAL, "1" if checked else "0")


def _with_result(begin: etree._Element, index: int) -> etree._Element:
    out = copy.deepcopy(begin)
    lst = out.find(f"{cx.FLD_CHAR}/{cx.FF_DATA}/{cx.DD_LIST}")
    if lst is not None:
        result = lst.find(cx.RESULT)
        if result is None:
            result = etree.Element(cx.RESULT)
            lst.insert(0, result)
        result.set(cx.W_VAL, str(index))
    return out
