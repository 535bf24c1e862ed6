"""Word's form controls read as :class:`formkit.docx.model.Control` values.

Content controls (``w:sdt``, ECMA-376 Part 1 §17.5.2) of every type Word
2016+ writes: plain text (``w:text``), rich text (``w:richText`` or no type
at all), date (``w:date``: ``w:fullDate``, ``w:dateFormat``), drop-down list
and combo box (``w:dropDownList``/``w:comboBox`` with ``w:listItem``
display text and value), check box (``w14:checkbox``, Word 2010), picture
(``w:picture``) and repeating section (``w15:repeatingSection`` holding
``w15:repeatingSectionItem`` controls, Word 2013). A control showing its
placeholder (``w:showingPlcHdr``, §17.5.2.39) holds no answer. Bound controls
(``w:dataBinding``, §17.5.2.6) are marked: fill writes their custom XML item
too (:mod:`formkit.fill.controls`).

Legacy form fields (§17.16): a field whose begin ``w:fldChar`` holds
``w:ffData`` with ``w:textInput`` (FORMTEXT: the result between the
separate and end marks; its ``w:default`` is the printed blank),
``w:checkBox`` (FORMCHECKBOX: ``w:checked``, else ``w:default``) or
``w:ddList`` (FORMDROPDOWN: ``w:result`` indexes ``w:listEntry``, else
``w:default``, else the first entry). Its name (``w:ffData/w:name``) is the
bookmark Word puts around it.

Other controls (building-block galleries, citations, groups) are not
fields and are not listed. The XML names here are shared with the filling
side (:mod:`formkit.fill.controls`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from formkit.docx.model import Control, Image
from formkit.docx.ns import qn

W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
SDT, SDT_PR, SDT_CONTENT = qn("w:sdt"), qn("w:sdtPr"), qn("w:sdtContent")
TAG, ALIAS, SHOWING = qn("w:tag"), qn("w:alias"), qn("w:showingPlcHdr")
_PLACEHOLDER = qn("w:placeholder")
TEXT, RICH, DATE = qn("w:text"), qn("w:richText"), qn("w:date")
DROPDOWN, COMBOBOX, LIST_ITEM = qn("w:dropDownList"), qn("w:comboBox"), qn("w:listItem")
CHECKBOX14, PICTURE = qn("w14:checkbox"), qn("w:picture")
REPEATING, REPEATING_ITEM = f"{{{W15}}}repeatingSection", f"{{{W15}}}repeatingSectionItem"
DATA_BINDING = qn("w:dataBinding")
DATE_FORMAT, FULL_DATE, CALENDAR = qn("w:dateFormat"), qn("w:fullDate"), qn("w:calendar")
DISPLAY_TEXT, VALUE = qn("w:displayText"), qn("w:value")
W14_CHECKED, W14_VAL = qn("w14:checked"), qn("w14:val")
W_VAL = qn("w:val")
P, R, T = qn("w:p"), qn("w:r"), qn("w:t")
_TC, _TR = qn("w:tc"), qn("w:tr")
FLD_CHAR, FLD_TYPE, FF_DATA = qn("w:fldChar"), qn("w:fldCharType"), qn("w:ffData")
FF_NAME, TEXT_INPUT, FF_CHECKBOX, DD_LIST = qn("w:name"), qn("w:textInput"), qn("w:checkBox"), qn("w:ddList")
DEFAULT, CHECKED, RESULT, LIST_ENTRY = qn("w:default"), qn("w:checked"), qn("w:result"), qn("w:listEntry")
_TAB, _PTAB, _BR, _CR = qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_DEAD = frozenset((qn("w:del"), qn("w:moveFrom")))
_BLIP, _EMBED = qn("a:blip"), qn("r:embed")

_TYPES = ((TEXT, "text"), (RICH, "richtext"), (DATE, "date"), (DROPDOWN, "dropdown"),
          (COMBOBOX, "combobox"), (CHECKBOX14, "checkbox"), (PICTURE, "picture"), (REPEATING, "repeating"))
# sdtPr children of controls that are no field: galleries, citations, equations, groups.
_NOT_FIELDS = frozenset(qn(f"w:{t}") for t in ("docPartObj", "docPartList", "group", "bibliography",
                                                "citation", "equation"))
_ON = frozenset(("1", "true", "on"))
#: How many controls one document may list (a hostile file could nest
#: thousands); more are not read.
MAX_CONTROLS = 5000

ImageOf = Callable[[str], "Image | None"]  # relationship id -> the picture


def on(value: str | None) -> bool:
    """ST_OnOff: absent means on."""
    return value is None or value.lower() in _ON


def control_type(props: etree._Element | None) -> str | None:
    """The type of the control whose ``w:sdtPr`` is ``props`` (§17.5.2: a
    control naming no type is rich text), or None when it is no field."""
    if props is None:
        return "richtext"
    found = "richtext"
    for child in props:
        if child.tag in _NOT_FIELDS or child.tag == REPEATING_ITEM:
            return None
        for tag, name in _TYPES:
            if child.tag == tag:
                found = name
    return found


def showing_placeholder(sdt: etree._Element) -> bool:
    """Whether the content control ``sdt`` shows its placeholder text."""
    props = sdt.find(SDT_PR)
    mark = props.find(SHOWING) if props is not None else None
    return mark is not None and on(mark.get(W_VAL))


def placeholder_hidden(sdt: etree._Element) -> bool:
    """Whether the reader leaves out the content of ``sdt``: it shows its
    placeholder, and holds runs or paragraphs. A control around table cells
    or rows keeps them (the grid stays true), its placeholder read as text."""
    if not showing_placeholder(sdt):
        return False
    content = sdt.find(SDT_CONTENT)
    return content is None or not any(child.tag in (_TC, _TR) for child in content)


# The placeholder texts Word 2007-2021 gives a new control (English UI).
# LibreOffice 7 saves a control's placeholder as its content without
# w:showingPlcHdr (its w:placeholder reference kept): such a text is a blank.
WORD_PLACEHOLDERS = frozenset((
    "Click or tap here to enter text.", "Click here to enter text.", "Click or tap to enter a date.",
    "Click here to enter a date.", "Choose an item.",
))


def placeholder_left(props: etree._Element | None, text: str) -> bool:
    """Whether ``text`` is the placeholder of a control that names one
    (``w:placeholder``) but no longer says it shows it."""
    return props is not None and props.find(_PLACEHOLDER) is not None and text.strip() in WORD_PLACEHOLDERS


def shown_text(el: etree._Element) -> str:
    """The text ``el`` shows: ``w:t``, tabs and breaks, a new line between
    paragraphs; deleted runs and field instructions left out."""
    out: list[str] = []
    stack: list[Iterator[etree._Element]] = [iter(el)]
    paragraphs = 0
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag == T:
                out.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag in _DEAD or not isinstance(tag, str):
                continue
            else:
                if tag == P:
                    if paragraphs:
                        out.append("\n")
                    paragraphs += 1
                stack.append(iter(child))
                break
        else:
            stack.pop()
    return "".join(out)


def read_controls(body: etree._Element | None, image_of: ImageOf,
                  refs: dict[etree._Element, int] | None = None) -> tuple[Control, ...]:
    """The controls of ``body`` in document order; those inside an item of a
    repeating section belong to that item, not to the list."""
    if body is None:
        return ()
    reader = _Reader(image_of, refs)
    return tuple(reader.controls(body))


class _Reader:
    def __init__(self, image_of: ImageOf, refs: dict[etree._Element, int] | None) -> None:
        self.image_of = image_of
        self.refs = refs
        self.count = 0
        self._lines: dict[etree._Element, tuple[dict[etree._Element, str], dict[etree._Element, str]]] = {}

    def controls(self, scope: etree._Element, nested: bool = False) -> list[Control]:
        """The controls in ``scope``; ``nested``: inside an item of a
        repeating section, whose own repeating sections are not read (a
        definition has none there, and a hostile nest would be read again at
        every level)."""
        out: list[Control] = []
        inside: set[etree._Element] = set()
        for el in scope.iter(SDT, FLD_CHAR):
            if self.count >= MAX_CONTROLS:
                break
            if el in inside:
                continue
            if el.tag == SDT:
                control = self.sdt(el, nested)
                if control is not None and control.type != "richtext":
                    inside.update(el.iter(SDT, FLD_CHAR))  # its own content is read with it
            else:
                control = self.form_field(el)
            if control is not None:
                self.count += 1
                out.append(control)
        return out

    def line(self, el: etree._Element) -> tuple[dict[etree._Element, str], dict[etree._Element, str]]:
        """:func:`line_facts` of the paragraph holding ``el``, once per paragraph."""
        p = next(el.iterancestors(P), None)
        if p is None:
            return {}, {}
        facts = self._lines.get(p)
        if facts is None:
            facts = self._lines[p] = line_facts(p)
        return facts

    def paragraphs(self, el: etree._Element) -> tuple[int, ...]:
        if self.refs is None:
            return ()
        found = [self.refs[p] for p in el.iter(P) if p in self.refs]
        if not found:
            found = [self.refs[p] for p in el.iterancestors(P) if p in self.refs][:1]
        return tuple(found)

    def sdt(self, el: etree._Element, nested: bool = False) -> Control | None:
        props = el.find(SDT_PR)
        kind = control_type(props)
        if kind is None:
            return None
        assert props is not None or kind == "richtext"
        content = el.find(SDT_CONTENT)
        if kind == "richtext" and content is not None and (
            next(content.iter(SDT), None) is not None or next(content.iter(FF_DATA), None) is not None
        ):
            return None  # a rich text control around other controls groups them; they are the fields
        placeholder = showing_placeholder(el)
        text = "" if placeholder or content is None or kind in ("repeating", "picture") else shown_text(content)
        if text and placeholder_left(props, text):
            text, placeholder = "", True
        fields: dict[str, object] = {}
        if props is not None:
            fields = _properties(props, kind)
        if kind == "picture" and content is not None and not placeholder:
            fields["image"] = self.picture(content)
        if kind == "repeating" and content is not None and not nested:
            fields["repeats"] = tuple(tuple(self.controls(item, True)) for item in repeat_items(content))
        return Control(kind, _val(props, TAG), _val(props, ALIAS), "", text, placeholder,
                       paragraphs=self.paragraphs(el), before=self.line(el)[0].get(el, ""), **fields)  # type: ignore[arg-type]

    def picture(self, content: etree._Element) -> Image | None:
        blip = next(content.iter(_BLIP), None)
        rid = blip.get(_EMBED) if blip is not None else None
        return self.image_of(rid) if rid else None

    def form_field(self, fld_char: etree._Element) -> Control | None:
        data = fld_char.find(FF_DATA)
        if data is None or fld_char.get(FLD_TYPE) != "begin":
            return None
        name = _val(data, FF_NAME)
        run = fld_char.getparent()
        paragraphs = self.paragraphs(run) if run is not None else ()
        labels, results = self.line(run) if run is not None else ({}, {})
        before = labels.get(run, "") if run is not None else ""
        box = data.find(FF_CHECKBOX)
        if box is not None:
            state = box.find(CHECKED)
            state = state if state is not None else box.find(DEFAULT)
            checked = state is not None and on(state.get(W_VAL))
            return Control("formcheckbox", bookmark=name, checked=checked, paragraphs=paragraphs, before=before)
        lst = data.find(DD_LIST)
        if lst is not None:
            entries = tuple(e.get(W_VAL) or "" for e in lst.findall(LIST_ENTRY))
            index = _index(lst.find(RESULT), _index(lst.find(DEFAULT), 0))
            shown = entries[index] if 0 <= index < len(entries) else ""
            return Control("formdropdown", bookmark=name, text=shown, items=tuple((e, e) for e in entries),
                           paragraphs=paragraphs, before=before)
        given = data.find(TEXT_INPUT)
        default = _val(given, DEFAULT) if given is not None else ""
        text = results.get(run, "") if run is not None else ""
        blank = not text.strip() or text == default
        return Control("formtext", bookmark=name, text="" if blank else text, placeholder=blank,
                       paragraphs=paragraphs, before=before)


def line_facts(p: etree._Element) -> tuple[dict[etree._Element, str], dict[etree._Element, str]]:
    """One walk of paragraph ``p``: the text printed before each content
    control and field-begin run in it, after any control or field before it
    (its label on the line; the last 200 characters), and the result text of
    each field (between its ``separate`` and ``end`` marks). A content
    control's own content is no label."""
    labels: dict[etree._Element, str] = {}
    results: dict[etree._Element, str] = {}
    label: list[str] = []
    fields: list[tuple[etree._Element, list[str]]] = []  # open fields: begin run, result so far
    separated: list[bool] = []
    stack: list[Iterator[etree._Element]] = [iter(p)]
    while stack:
        for node in stack[-1]:
            tag = node.tag
            if tag == SDT:
                labels[node] = "".join(label)[-200:]
                label = []
                continue
            if tag == FLD_CHAR:
                kind = node.get(FLD_TYPE)
                run = node.getparent()
                if kind == "begin" and run is not None:
                    labels[run] = "".join(label)[-200:]
                    fields.append((run, []))
                    separated.append(False)
                elif kind == "separate" and separated:
                    separated[-1] = True
                elif kind == "end" and fields:
                    run, texts = fields.pop()
                    separated.pop()
                    results[run] = "".join(texts)
                    label = []
                continue
            text = (node.text or "") if tag == T else "\t" if tag in (_TAB, _PTAB) else None
            if text is not None:
                label.append(text)
                for (_run, texts), shown in zip(fields, separated):
                    if shown:
                        texts.append(text)
            elif tag not in _DEAD and isinstance(tag, str) and len(node):
                stack.append(iter(node))
                break
        else:
            stack.pop()
    return labels, results


def field_runs(begin_run: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    """The runs of the field that ``begin_run`` opens, within its paragraph:
    (its result runs between ``separate`` and ``end``, and the run holding
    the ``end`` mark as a list of zero or one). Nested fields stay inside."""
    p = next(begin_run.iterancestors(P), None)
    if p is None:
        return [], []
    runs = list(p.iter(R))
    try:
        start = runs.index(begin_run)
    except ValueError:
        return [], []
    depth, result = 0, False
    out: list[etree._Element] = []
    for run in runs[start:]:
        mark = run.find(FLD_CHAR)
        kind = mark.get(FLD_TYPE) if mark is not None else None
        if kind == "begin":
            depth += 1
        elif kind == "end":
            depth -= 1
            if depth == 0:
                return out, [run]
        elif kind == "separate" and depth == 1:
            result = True
            continue
        if result and run is not begin_run and depth >= 1:
            out.append(run)
    return out, []


def repeat_items(content: etree._Element) -> list[etree._Element]:
    """The ``w15:repeatingSectionItem`` controls of a repeating section's
    content, those inside another item left out. The walk is in document
    order, so whatever lies inside an item comes right after it: the
    controls of the last item taken are set aside at once, and no control
    walks up its ancestors (quadratic in a hostile nest of items)."""
    out: list[etree._Element] = []
    inside: set[etree._Element] = set()  # the controls of the last item taken
    for sdt in content.iter(SDT):
        if sdt in inside:
            continue
        props = sdt.find(SDT_PR)
        if props is not None and props.find(REPEATING_ITEM) is not None:
            out.append(sdt)
            inside = set(sdt.iter(SDT))
    return out


def _properties(props: etree._Element, kind: str) -> dict[str, object]:
    out: dict[str, object] = {"bound": props.find(DATA_BINDING) is not None}
    if kind == "date":
        date = props.find(DATE)
        if date is not None:
            full = date.get(FULL_DATE) or ""
            out["date"] = full[:10] if len(full) >= 10 else ""
            out["date_format"] = _val(date, DATE_FORMAT)
    elif kind in ("dropdown", "combobox"):
        lst = props.find(DROPDOWN if kind == "dropdown" else COMBOBOX)
        if lst is not None:
            out["items"] = tuple(list_items(lst))
    elif kind == "checkbox":
        box = props.find(CHECKBOX14)
        state = box.find(W14_CHECKED) if box is not None else None
        out["checked"] = state is not None and on(state.get(W14_VAL))
    return out


def list_items(lst: etree._Element) -> Iterator[tuple[str, str]]:
    """A list's (display text, value) pairs; a missing display text shows the value."""
    for item in lst.findall(LIST_ITEM):
        value = item.get(VALUE) or ""
        shown = item.get(DISPLAY_TEXT)
        yield (shown if shown is not None else value), value


def _val(el: etree._Element | None, tag: str) -> str:
    child = el.find(tag) if el is not None else None
    return (child.get(W_VAL) or "") if child is not None else ""


def _index(el: etree._Element | None, default: int) -> int:
    try:
        return int(el.get(W_VAL) or "") if el is not None else default
    except ValueError:
        return default
