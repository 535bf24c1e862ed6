"""Editing styles: the XML that Word, LibreOffice and WPS write when a person fills an ESAO form.

Every function here works on an lxml tree of ``word/document.xml`` (or on the package around
it, for parts such as comments, headers and images) and reproduces one habit of the offices
that return the forms (see /work/shared/FORMS.md, "How people fill them in"):

* where the answer text lands (over the dots, before them, below the prompt, on the prompt
  line) -- the ``type_*`` placements;
* how the keystrokes are stored (one run, many runs split mid-word, a content control, a
  tracked insertion) -- the ``Typist`` classes;
* how a box is ticked (a Wingdings glyph, a Unicode character, a content-control checkbox,
  a legacy form field, a mark typed beside the box, a WPS/LibreOffice private-use glyph) --
  the ``tick_*`` and ``mark_*`` functions, collected in ``TICKS``;
* the rest of an office's copy: a comment, the office name in the header, a changed year,
  extra empty rows and paragraphs, copies of the esao-3-1 attachment block and photos.

The module deliberately knows nothing about formkit's parser: it is written from the forms'
printed layout and the record contract only, so samples made with it check the parser
independently.
"""
from __future__ import annotations

import copy
import hashlib
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import count

from lxml import etree
from lxml.etree import _Element

NS: dict[str, str] = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
DOCUMENT = "word/document.xml"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

LEADER = re.compile(r"\.{3,}|…+|_{3,}")
"""A printed line to write on: 3+ dots, any ellipsis, 3+ underscores (as in the contract)."""


def q(name: str) -> str:
    """Clark name of a prefixed name: ``q("w:p")`` -> ``{http://...main}p``."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def el(name: str, attrs: Mapping[str, str] | None = None, *children: _Element) -> _Element:
    """A new element with prefixed attribute names (``{"w:val": "1"}``) and children."""
    node = etree.Element(q(name))
    for key, value in (attrs or {}).items():
        node.set(q(key) if ":" in key else key, value)
    node.extend(children)
    return node


# --------------------------------------------------------------------------- the package


@dataclass
class Package:
    """The parts of a .docx, in archive order; written back deterministically."""

    parts: dict[str, bytes]

    @classmethod
    def from_bytes(cls, data: bytes) -> Package:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return cls({name: archive.read(name) for name in archive.namelist()})

    @classmethod
    def open(cls, path: str) -> Package:
        with open(path, "rb") as handle:
            return cls.from_bytes(handle.read())

    def xml(self, name: str) -> _Element:
        return etree.fromstring(self.parts[name])

    def put_xml(self, name: str, root: _Element) -> None:
        self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def to_bytes(self) -> bytes:
        """The zip, [Content_Types].xml first, every entry dated 1980-01-01 so reruns give equal bytes."""
        names = sorted(self.parts, key=lambda name: name != "[Content_Types].xml")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                info = zipfile.ZipInfo(name, ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, self.parts[name])
        return buffer.getvalue()


def add_default_content_type(pkg: Package, extension: str, content_type: str) -> None:
    """``<Default Extension=... ContentType=...>`` in [Content_Types].xml (needed once per image type)."""
    types = pkg.xml("[Content_Types].xml")
    if any(d.get("Extension") == extension for d in types.iter(f"{{{CT_NS}}}Default")):
        return
    default = etree.Element(f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type)
    types.insert(0, default)
    pkg.put_xml("[Content_Types].xml", types)


def add_override_content_type(pkg: Package, part: str, content_type: str) -> None:
    """``<Override PartName="/word/..." ...>`` for a new XML part such as comments.xml."""
    types = pkg.xml("[Content_Types].xml")
    types.append(etree.Element(f"{{{CT_NS}}}Override", PartName="/" + part, ContentType=content_type))
    pkg.put_xml("[Content_Types].xml", types)


def _rels_name(source: str) -> str:
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", base + ".rels")


def add_relationship(pkg: Package, source: str, rel_type: str, target: str) -> str:
    """A relationship from ``source`` (e.g. word/document.xml) to ``target``; returns the new rId."""
    rels = pkg.xml(_rels_name(source))
    taken = {r.get("Id") for r in rels}
    rid = next(f"rId{n}" for n in count(1) if f"rId{n}" not in taken)
    rels.append(etree.Element(f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=REL + rel_type, Target=target))
    pkg.put_xml(_rels_name(source), rels)
    return rid


def relationship_target(pkg: Package, source: str, rel_type: str) -> str:
    """The part that ``source`` refers to with the first relationship of ``rel_type``."""
    for rel in pkg.xml(_rels_name(source)):
        if rel.get("Type") == REL + rel_type:
            return posixpath.normpath(posixpath.join(posixpath.dirname(source), rel.get("Target", "")))
    raise LookupError(f"{source} has no {rel_type} relationship")


def load_document(pkg: Package) -> _Element:
    """word/document.xml, re-rooted with the namespace declarations Word writes on every save.

    Word always declares w14, mc, wp, a, pic, v, o, w10 on ``w:document``; doing the same up front
    lets later edits (checkbox content controls, pictures) use their prefixes.
    """
    old = pkg.xml(DOCUMENT)
    root = etree.Element(old.tag, nsmap={**NS, **{k: v for k, v in old.nsmap.items() if k}})
    root.attrib.update(old.attrib)
    root.extend(list(old))
    return root


def save_document(pkg: Package, root: _Element) -> None:
    pkg.put_xml(DOCUMENT, root)


def mark_ignorable(root: _Element, prefix: str) -> None:
    """Add ``prefix`` to ``mc:Ignorable`` on the root, as Word does for w14 content."""
    names = root.get(q("mc:Ignorable"), "").split()
    if prefix not in names:
        root.set(q("mc:Ignorable"), " ".join([*names, prefix]))


def next_annotation_id(root: _Element) -> int:
    """One more than the largest ``w:id`` attribute in use (comments, bookmarks, revisions)."""
    used = [int(v) for v in root.xpath("//@w:id", namespaces=NS) if str(v).lstrip("-").isdigit()]
    return max(used, default=-1) + 1


def _signed_id(seed: bytes) -> str:
    """A negative 32-bit id derived from ``seed``, like the random ids Word gives content controls."""
    return str(-(int.from_bytes(hashlib.sha256(seed).digest()[:4], "big") >> 1) - 1)


def new_sdt_id(root: _Element, seed: bytes) -> str:
    """A content-control ``w:id`` not yet used in the document."""
    used = set(root.xpath("//w:sdtPr/w:id/@w:val", namespaces=NS))
    return next(v for v in (_signed_id(seed + str(n).encode()) for n in count()) if v not in used)


def register_rsids(pkg: Package, rsids: Iterable[str]) -> None:
    """List edit-session ids in settings.xml ``w:rsids`` (after ``w:compat``), as Word keeps them."""
    settings = pkg.xml("word/settings.xml")
    block = settings.find(q("w:rsids"))
    if block is None:
        block = el("w:rsids")
        anchor = settings.find(q("w:compat"))
        if anchor is not None:
            anchor.addnext(block)
        else:
            settings.append(block)
    known = {r.get(q("w:val")) for r in block}
    for rsid in rsids:
        if rsid not in known:
            block.append(el("w:rsid", {"w:val": rsid}))
            known.add(rsid)
    pkg.put_xml("word/settings.xml", settings)


# --------------------------------------------------------------------------- finding things


def collapse(text: str) -> str:
    """Whitespace runs to one space, ends trimmed: how printed labels are compared."""
    return " ".join(text.split())


def paragraph_text(p: _Element) -> str:
    """The visible text of a paragraph: w:t (not w:delText), tabs as spaces, breaks as newlines."""
    parts: list[str] = []
    for node in p.iter(q("w:t"), q("w:tab"), q("w:br")):
        if node.tag == q("w:t"):
            parts.append(node.text or "")
        elif node.getparent() is not None and node.getparent().tag == q("w:r"):
            parts.append("\t" if node.tag == q("w:tab") else "\n")
    return "".join(parts)


def paragraphs(scope: _Element | Iterable[_Element]) -> Iterator[_Element]:
    """Every w:p inside ``scope`` (an element, or a list of body children) in document order."""
    items = [scope] if isinstance(scope, _Element) else list(scope)
    for item in items:
        yield from item.iter(q("w:p"))


def find_paragraph(scope: _Element | Iterable[_Element], prefix: str) -> _Element:
    """The first paragraph whose text (whitespace collapsed) starts with ``prefix``."""
    want = collapse(prefix)
    for p in paragraphs(scope):
        if collapse(paragraph_text(p)).startswith(want):
            return p
    raise LookupError(f"no paragraph starts with {prefix!r}")


def next_paragraph(p: _Element) -> _Element | None:
    """The paragraph right after ``p`` in the same container, if the next sibling is one."""
    sibling = p.getnext()
    return sibling if sibling is not None and sibling.tag == q("w:p") else None


def cell_of(p: _Element) -> _Element:
    """The table cell holding ``p``."""
    for ancestor in p.iterancestors(q("w:tc")):
        return ancestor
    raise LookupError("paragraph is not in a table cell")


def quality_table(root: _Element) -> _Element:
    """The quality-level table: the first table whose header row says ระดับคุณภาพ."""
    for tbl in root.iter(q("w:tbl")):
        if "ระดับคุณภาพ" in paragraph_text(tbl.find(q("w:tr")).find(q("w:tc")).find(q("w:p"))):
            return tbl
    raise LookupError("no quality table")


def level_box(root: _Element, level: int) -> _Element:
    """The run holding the printed box of ``level`` in the first column of the quality table.

    Each data row's first cell holds a paragraph with the box glyph (w:sym) and one with the digit.
    """
    for tr in quality_table(root).findall(q("w:tr"))[1:]:
        first = tr.find(q("w:tc"))
        if any(collapse(paragraph_text(p)) == str(level) for p in first.iter(q("w:p"))):
            for run in first.iter(q("w:r")):
                if run.find(q("w:sym")) is not None:
                    return run
    raise LookupError(f"no box for level {level}")


def evidence_box(root: _Element, label: str) -> _Element:
    """The run holding the printed ❒ (Wingdings w:sym) in front of an evidence label.

    Only paragraphs that start with a glyph run count: the narrative cell of esao-3-1 has a
    paragraph with the same words and no box.
    """
    want = collapse(label)
    for p in quality_table(root).iter(q("w:p")):
        runs = p.findall(q("w:r"))
        if runs and runs[0].find(q("w:sym")) is not None and collapse(paragraph_text(p)).startswith(want):
            return runs[0]
    raise LookupError(f"no box before {label!r}")


def leader_run(p: _Element) -> _Element:
    """The first run of ``p`` whose text holds a dotted leader."""
    for run in p.iter(q("w:r")):
        t = run.find(q("w:t"))
        if t is not None and t.text and LEADER.search(t.text):
            return run
    raise LookupError(f"no dotted line in {paragraph_text(p)[:40]!r}")


# --------------------------------------------------------------------------- the forms' printed anchors


@dataclass(frozen=True)
class TextField:
    """A printed prompt an answer belongs to, and where its dotted line is.

    ``dots`` is "same" when the label's own paragraph holds the dots ("ชื่อผลงาน......"), "next"
    when the dotted line is the following paragraph, None when the form prints no line.
    """

    key: str
    prompt: str
    dots: str | None


ESAO_1_2_TEXT = (
    TextField("process", "1. กระบวนการ วิธีการดำเนินงาน", "next"),
    TextField("problems", "2. ปัญหา อุปสรรค", "next"),
    TextField("suggestions", "3. ข้อเสนอแนะเพื่อการพัฒนา", "next"),
)
ESAO_1_2_BOXES = {
    "action_plan": "แผนปฏิบัติการประจำปีงบประมาณ",
    "km_plan": "แผนการจัดการความรู้ประจำปีงบประมาณ",
    "km_report": "รายงานสรุปผลการดำเนินงานจัดการความรู้",
    "other": "หลักฐานอื่น",
}
ESAO_1_2_EVIDENCE_CELL = "เอกสารที่ต้องนำส่งในระบบ"
OTHER_EVIDENCE_LINE = re.compile(r"^\d+\. (?:\.{3,}|…+|_{3,})$")
ESAO_3_1_WORK = (
    TextField("title", "ชื่อผลงาน", "same"),
    TextField("group", "กลุ่ม", "same"),
    TextField("background", "ความเป็นมา", None),
    TextField("method", "วิธีการดำเนินงาน/กระบวนการ", "next"),
    TextField("technique", "รูปแบบ/เทคนิค ที่ทำให้เกิดความสำเร็จ", "next"),
    TextField("quantitative", "เชิงปริมาณ", "next"),
    TextField("qualitative", "เชิงคุณภาพ", None),
    TextField("success_factors", "ปัจจัยส่งผลให้เกิดความสำเร็จ", "next"),
    TextField("dissemination", "การเผยแพร่/ประชาสัมพันธ์/หน่วยงานที่มาศึกษาดูงาน", "next"),
)
ESAO_3_1_BOXES = {"works_detail": "รายละเอียดของผลงาน"}
PHOTOS_PROMPT = "ตัวอย่างภาพกิจกรรม"


def resolve_field(scope: _Element | Iterable[_Element], text_field: TextField) -> tuple[_Element, _Element | None]:
    """(prompt paragraph, dotted paragraph or None) of a field, found in ``scope``."""
    prompt = find_paragraph(scope, text_field.prompt)
    if text_field.dots == "same":
        return prompt, prompt
    if text_field.dots == "next":
        dots = next_paragraph(prompt)
        if dots is None or not LEADER.search(paragraph_text(dots)):
            raise LookupError(f"no dotted line after {text_field.prompt!r}")
        return prompt, dots
    return prompt, None


def evidence_cell(root: _Element) -> _Element:
    """The evidence cell of the quality table (the one listing the documents to submit)."""
    return cell_of(find_paragraph(quality_table(root), ESAO_1_2_EVIDENCE_CELL))


def other_evidence_lines(root: _Element) -> list[_Element]:
    """The numbered dotted lines ("1. ......") under "หลักฐานอื่น ๆ" in the evidence cell."""
    return [p for p in evidence_cell(root).iter(q("w:p"))
            if OTHER_EVIDENCE_LINE.match(collapse(paragraph_text(p)))]


# --------------------------------------------------------------------------- runs and paragraphs


def set_text(t: _Element, text: str) -> None:
    """Text of a w:t/w:delText, with xml:space="preserve" when ends or inner runs of spaces matter."""
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(XML_SPACE, "preserve")


def make_run(rpr: _Element | None, text: str | None = None) -> _Element:
    """A w:r with a copy of ``rpr`` and, if given, one w:t."""
    run = el("w:r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    if text is not None:
        t = etree.SubElement(run, q("w:t"))
        set_text(t, text)
    return run


def run_props(run: _Element) -> _Element | None:
    return run.find(q("w:rPr"))


def unbold(rpr: _Element | None) -> _Element | None:
    """A copy of run properties without bold: a person typing after a bold label unbolds."""
    if rpr is None:
        return None
    plain = copy.deepcopy(rpr)
    for tag in ("w:b", "w:bCs"):
        for node in plain.findall(q(tag)):
            plain.remove(node)
    return plain


def new_paragraph_like(ref: _Element) -> _Element:
    """An empty paragraph with ``ref``'s paragraph properties, as Word makes on Enter.

    Page breaks and keep-with-next stay with the original; bold is dropped from the mark.
    """
    p = el("w:p")
    ppr = ref.find(q("w:pPr"))
    if ppr is not None:
        ppr = copy.deepcopy(ppr)
        for tag in ("w:pageBreakBefore", "w:keepNext"):
            for node in ppr.findall(q(tag)):
                ppr.remove(node)
        mark = ppr.find(q("w:rPr"))
        if mark is not None:
            ppr.replace(mark, unbold(mark))
        p.append(ppr)
    return p


def insert_empty_paragraph_after(p: _Element) -> _Element:
    """An extra empty paragraph after ``p`` (the Enter pressed once too often)."""
    blank = new_paragraph_like(p)
    p.addnext(blank)
    return blank


def split_at_leader(run: _Element) -> tuple[_Element | None, _Element, _Element | None]:
    """Cut a run into (text before the dots, the dots, text after), each a run with the same rPr.

    Word splits a run exactly like this when part of its text is selected and typed over or
    when the cursor is placed inside it and text is typed.
    """
    t = run.find(q("w:t"))
    text = t.text or ""
    match = LEADER.search(text)
    if match is None:
        raise ValueError("run has no leader")
    pieces = (text[: match.start()], match.group(0), text[match.end():])
    rpr = run_props(run)
    made = [make_run(rpr, piece) if piece else None for piece in pieces]
    for node in reversed([m for m in made if m is not None]):
        run.addnext(node)
    run.getparent().remove(run)
    leader = made[1]
    assert leader is not None
    return made[0], leader, made[2]


def _replace(old: _Element, new: Sequence[_Element]) -> None:
    for node in new:
        old.addprevious(node)
    old.getparent().remove(old)


# --------------------------------------------------------------------------- typists


class Typist:
    """Plain typing: all lines of one paragraph go in one run, soft line breaks as ``w:br``."""

    def runs(self, lines: Sequence[str], rpr: _Element | None) -> list[_Element]:
        run = make_run(rpr)
        for index, line in enumerate(lines):
            if index:
                run.append(el("w:br"))
            set_text(etree.SubElement(run, q("w:t")), line)
        return [run]

    def delete(self, run: _Element) -> list[_Element]:
        """What stays in the XML of a run the person deleted: nothing."""
        return []

    def mark_new_paragraph(self, p: _Element) -> None:
        """Hook for paragraphs the person created with Enter (tracked typing marks them)."""

    def delete_paragraph(self, p: _Element) -> None:
        """The person deleted a whole paragraph (e.g. an unused dotted line)."""
        p.getparent().remove(p)


@dataclass
class SplitRunsTypist(Typist):
    """Word's many-runs text: every few characters a new run with its edit-session ``w:rsidR``.

    Word starts a run wherever an editing session (rsid) or the proofing state changes, so a
    sentence ends up cut mid-word, with ``w:proofErr`` spell/grammar markers between runs.
    """

    rsids: tuple[str, ...] = ("00A41C2E", "005B7F19", "00D3E0A4", "0071B2C8")
    sizes: tuple[int, ...] = (5, 2, 9, 3, 7, 1, 11, 4)

    def runs(self, lines: Sequence[str], rpr: _Element | None) -> list[_Element]:
        out: list[_Element] = []
        k = 0
        for index, line in enumerate(lines):
            if index:
                out.append(make_run(rpr))
                out[-1].append(el("w:br"))
            pos = 0
            while pos < len(line):
                chunk = line[pos: pos + self.sizes[k % len(self.sizes)]]
                pos += len(chunk)
                run = make_run(rpr, chunk)
                run.set(q("w:rsidR"), self.rsids[k % len(self.rsids)])
                if k % 3 == 0:
                    run.set(q("w:rsidRPr"), self.rsids[(k + 1) % len(self.rsids)])
                if k % 4 == 1:
                    out += [el("w:proofErr", {"w:type": "spellStart"}), run, el("w:proofErr", {"w:type": "spellEnd"})]
                elif k % 5 == 2:
                    out += [el("w:proofErr", {"w:type": "gramStart"}), run, el("w:proofErr", {"w:type": "gramEnd"})]
                else:
                    out.append(run)
                k += 1
        return out


@dataclass
class ContentControlTypist(Typist):
    """Text typed into a plain-text content control (``w:sdt`` with ``w:text``).

    Word writes ``w:sdtPr`` (``w:alias`` = the control's title, ``w:tag``, a random ``w:id``, and
    ``w:text``, multi-line when the text holds soft breaks) and the runs inside ``w:sdtContent``.
    """

    alias: str
    tag: str

    def runs(self, lines: Sequence[str], rpr: _Element | None) -> list[_Element]:
        sdt_id = _signed_id(("\n".join(lines) + self.tag).encode())
        text_attrs = {"w:multiLine": "1"} if len(lines) > 1 else {}
        props = el(
            "w:sdtPr",
            None,
            *([copy.deepcopy(rpr)] if rpr is not None else []),
            el("w:alias", {"w:val": self.alias}),
            el("w:tag", {"w:val": self.tag}),
            el("w:id", {"w:val": sdt_id}),
            el("w:text", text_attrs),
        )
        content = el("w:sdtContent", None, *Typist().runs(lines, rpr))
        return [el("w:sdt", None, props, el("w:sdtEndPr"), content)]


@dataclass
class Revisions:
    """The author, date and id counter of one document's tracked changes."""

    author: str = "สมศรี ใจดี"
    date: str = "2022-09-15T10:24:00Z"
    ids: Iterator[int] = field(default_factory=lambda: count(1))

    def attrs(self) -> dict[str, str]:
        return {"w:id": str(next(self.ids)), "w:author": self.author, "w:date": self.date}


def as_deleted(run: _Element) -> _Element:
    """A run turned into deleted text: ``w:t`` becomes ``w:delText`` (Word's tracked deletion)."""
    for t in run.findall(q("w:t")):
        t.tag = q("w:delText")
    for t in run.findall(q("w:instrText")):
        t.tag = q("w:delInstrText")
    return run


def tracked_deletion(runs: Sequence[_Element], revisions: Revisions) -> _Element:
    """``<w:del w:id w:author w:date>`` around runs whose text became w:delText."""
    return el("w:del", revisions.attrs(), *(as_deleted(r) for r in runs))


def _mark_paragraph(p: _Element, tag: str, revisions: Revisions) -> None:
    ppr = p.find(q("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    mark = ppr.find(q("w:rPr"))
    if mark is None:
        mark = el("w:rPr")
        ppr.append(mark)
    mark.insert(0, el(tag, revisions.attrs()))


@dataclass
class TrackedTypist(Typist):
    """Typing with Track Changes on: new runs inside ``w:ins``, deleted runs inside ``w:del``.

    ``retract`` is a wrong answer typed earlier and deleted under tracking: it is written as a
    ``w:del`` (w:delText) before the new text and must never reach the record.
    """

    revisions: Revisions
    base: Typist = field(default_factory=Typist)
    retract: str | None = None

    def runs(self, lines: Sequence[str], rpr: _Element | None) -> list[_Element]:
        out: list[_Element] = []
        if self.retract:
            out.append(tracked_deletion([make_run(rpr, self.retract)], self.revisions))
            self.retract = None
        out.append(el("w:ins", self.revisions.attrs(), *self.base.runs(lines, rpr)))
        return out

    def delete(self, run: _Element) -> list[_Element]:
        return [tracked_deletion([run], self.revisions)]

    def mark_new_paragraph(self, p: _Element) -> None:
        _mark_paragraph(p, "w:ins", self.revisions)

    def delete_paragraph(self, p: _Element) -> None:
        for run in p.findall(q("w:r")):
            _replace(run, self.delete(copy.deepcopy(run)))
        _mark_paragraph(p, "w:del", self.revisions)


# --------------------------------------------------------------------------- text placements


def _paragraphs_after(anchor: _Element, ref: _Element, lines: Sequence[str], typist: Typist,
                      rpr: _Element | None) -> list[_Element]:
    """One new paragraph per line after ``anchor``, shaped like ``ref`` (Enter, then typing)."""
    made: list[_Element] = []
    for line in lines:
        p = new_paragraph_like(ref)
        p.extend(typist.runs([line], rpr))
        typist.mark_new_paragraph(p)
        (made[-1] if made else anchor).addnext(p)
        made.append(p)
    return made


def type_over_dots(dots_p: _Element, lines: Sequence[str], typist: Typist,
                   soft_breaks: bool = False) -> list[_Element]:
    """Style (a): the dots are selected and typed over.

    The dotted run is split (a printed label before the dots, e.g. "ชื่อผลงาน" or "1. ", stays in
    its own run); the dots go (or become a tracked deletion) and the answer takes their place
    with the same rPr. Further lines become new paragraphs after it with the same pPr, or soft
    breaks inside it when ``soft_breaks``. Returns the paragraphs holding the answer.
    """
    _, leader, _ = split_at_leader(leader_run(dots_p))
    rpr = run_props(leader)
    first = list(lines) if soft_breaks else list(lines[:1])
    _replace(leader, typist.delete(copy.deepcopy(leader)) + typist.runs(first, rpr))
    rest = [] if soft_breaks else _paragraphs_after(dots_p, dots_p, lines[1:], typist, rpr)
    return [dots_p, *rest]


def type_before_dots(dots_p: _Element, lines: Sequence[str], typist: Typist,
                     soft_breaks: bool = False) -> list[_Element]:
    """Style (b): typed at the start of the dotted line, the dots left after the answer.

    The answer is its own run between the printed label (if any) and the dots run, as Word
    stores text typed inside a run. With several lines and Enter pressed between them the
    paragraph splits: the label and first lines move into new paragraphs above, and the last
    line stays in front of the remaining dots.
    """
    before, leader, _ = split_at_leader(leader_run(dots_p))
    rpr = run_props(leader)
    if soft_breaks or len(lines) == 1:
        for node in typist.runs(lines, rpr):
            leader.addprevious(node)
        return [dots_p]
    heads: list[_Element] = []
    for index, line in enumerate(lines[:-1]):
        p = new_paragraph_like(dots_p)
        if index == 0 and before is not None:
            p.append(before)
        p.extend(typist.runs([line], rpr))
        typist.mark_new_paragraph(p)
        dots_p.addprevious(p)
        heads.append(p)
    for node in typist.runs(lines[-1:], rpr):
        leader.addprevious(node)
    return [*heads, dots_p]


def type_below_prompt(prompt: _Element, lines: Sequence[str], typist: Typist, dots_p: _Element | None = None,
                      keep_dots: bool = True, soft_breaks: bool = False) -> list[_Element]:
    """Style (c): new paragraphs typed right under the prompt.

    The printed dotted paragraph (``dots_p``) is either left in place below the answer or
    deleted (``keep_dots=False``). New paragraphs take the dotted line's pPr/rPr when there is
    one, else the prompt's without bold.
    """
    ref = dots_p if dots_p is not None else prompt
    rpr = run_props(leader_run(dots_p)) if dots_p is not None else unbold(_last_run_props(prompt))
    groups = [list(lines)] if soft_breaks else [[line] for line in lines]
    made: list[_Element] = []
    for group in groups:
        p = new_paragraph_like(ref)
        p.extend(typist.runs(group, rpr))
        typist.mark_new_paragraph(p)
        (made[-1] if made else prompt).addnext(p)
        made.append(p)
    if dots_p is not None and not keep_dots:
        typist.delete_paragraph(dots_p)
    return made


def type_on_prompt_line(prompt: _Element, lines: Sequence[str], typist: Typist,
                        soft_breaks: bool = True) -> list[_Element]:
    """Style (d): typed on the prompt line after the label ("2.  ปัญหา อุปสรรค ขาดงบประมาณ").

    A space is typed first unless the label already ends with one; the answer run drops the
    label's bold. Further lines are soft breaks (Shift+Enter) in the same paragraph, or new
    paragraphs when ``soft_breaks`` is false.
    """
    rpr = unbold(_last_run_props(prompt))
    lead = "" if paragraph_text(prompt).endswith((" ", "\t")) else " "
    first = [lead + lines[0], *lines[1:]] if soft_breaks else [lead + lines[0]]
    prompt.extend(typist.runs(first, rpr))
    rest = [] if soft_breaks else _paragraphs_after(prompt, prompt, lines[1:], typist, rpr)
    return [prompt, *rest]


def _last_run_props(p: _Element) -> _Element | None:
    runs = p.findall(q("w:r"))
    return run_props(runs[-1]) if runs else None


# --------------------------------------------------------------------------- ticks

Tick = Callable[..., None]
"""``tick(box_run, checked=True)``: what a person does to the printed box of a choice."""


def _sym(box: _Element) -> _Element:
    sym = box.find(q("w:sym"))
    if sym is None:
        raise ValueError("box run has no w:sym glyph")
    return sym


def _set_fonts(rpr: _Element, font: str, hint: str | None = None) -> None:
    fonts = rpr.find(q("w:rFonts"))
    if fonts is None:
        fonts = el("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(q(key), font)
    if hint:
        fonts.set(q("w:hint"), hint)


def _glyph_as_text(box: _Element, text: str, font: str, hint: str | None = None) -> None:
    """Replace the box's w:sym by ``text`` in a run whose fonts are all ``font``."""
    box.remove(_sym(box))
    rpr = run_props(box)
    if rpr is None:
        rpr = el("w:rPr")
        box.insert(0, rpr)
    _set_fonts(rpr, font, hint)
    set_text(etree.SubElement(box, q("w:t")), text)


def tick_wingdings2(box: _Element, checked: bool = True) -> None:
    """Word, Insert > Symbol > Wingdings 2 0x52 (☑ box with a tick): ``w:sym w:char="F052"``.

    The Thai office habit: the printed ☐ (Wingdings 2 0xA3) is replaced by the ticked box.
    """
    if checked:
        _sym(box).set(q("w:font"), "Wingdings 2")
        _sym(box).set(q("w:char"), "F052")


def tick_wingdings(box: _Element, checked: bool = True) -> None:
    """Word, Insert > Symbol > Wingdings 0xFE (☑): ``w:sym w:font="Wingdings" w:char="F0FE"``."""
    if checked:
        _sym(box).set(q("w:font"), "Wingdings")
        _sym(box).set(q("w:char"), "F0FE")


def tick_unicode(box: _Element, checked: bool = True, char: str = "☑", font: str = "Segoe UI Symbol") -> None:
    """The box replaced by a Unicode mark (☑ ☒ ✓) typed as text in a symbol font run."""
    if checked:
        _glyph_as_text(box, char, font, "eastAsia" if font == "MS Gothic" else None)


def tick_content_control(box: _Element, checked: bool = True) -> None:
    """A Word 2010+ checkbox content control in place of the printed box (checked or not).

    ``w:sdt`` / ``w:sdtPr`` with ``w14:checkbox`` (``w14:checked``, checkedState 2612 ☒ and
    uncheckedState 2610 ☐, both MS Gothic) and the current glyph as text in ``w:sdtContent``.
    Word declares xmlns:w14 and lists it in ``mc:Ignorable`` on the root.
    """
    root = box.getroottree().getroot()
    mark_ignorable(root, "w14")
    rpr = copy.deepcopy(run_props(box)) if run_props(box) is not None else el("w:rPr")
    _set_fonts(rpr, "MS Gothic", "eastAsia")
    props = el(
        "w:sdtPr",
        None,
        copy.deepcopy(rpr),
        el("w:id", {"w:val": new_sdt_id(root, b"checkbox")}),
        el(
            "w14:checkbox",
            None,
            el("w14:checked", {"w14:val": "1" if checked else "0"}),
            el("w14:checkedState", {"w14:val": "2612", "w14:font": "MS Gothic"}),
            el("w14:uncheckedState", {"w14:val": "2610", "w14:font": "MS Gothic"}),
        ),
    )
    content = el("w:sdtContent", None, make_run(rpr, "☒" if checked else "☐"))
    box.getparent().replace(box, el("w:sdt", None, props, el("w:sdtEndPr"), content))


def tick_form_field(box: _Element, checked: bool = True) -> None:
    """A legacy (Word 97) FORMCHECKBOX field in place of the printed box, checked or not.

    Word writes a bookmark named after the field around three runs: ``w:fldChar begin`` with
    ``w:ffData`` (name, enabled, calcOnExit 0, ``w:checkBox`` with sizeAuto, default 0 and
    ``w:checked`` when ticked), the instruction `` FORMCHECKBOX `` and ``w:fldChar end``.
    """
    root = box.getroottree().getroot()
    names = {n.get(q("w:val")) for n in root.iter(q("w:name"))}
    name = next(f"Check{n}" for n in count(1) if f"Check{n}" not in names)
    box_props = el("w:checkBox", None, el("w:sizeAuto"), el("w:default", {"w:val": "0"}))
    if checked:
        box_props.append(el("w:checked"))
    ff = el("w:ffData", None, el("w:name", {"w:val": name}), el("w:enabled"),
            el("w:calcOnExit", {"w:val": "0"}), box_props)
    rpr = run_props(box)
    begin = make_run(rpr)
    begin.append(el("w:fldChar", {"w:fldCharType": "begin"}, ff))
    instr = make_run(rpr)
    set_text(etree.SubElement(instr, q("w:instrText")), " FORMCHECKBOX ")
    end = make_run(rpr)
    end.append(el("w:fldChar", {"w:fldCharType": "end"}))
    bid = str(next_annotation_id(root))
    _replace(box, [el("w:bookmarkStart", {"w:id": bid, "w:name": name}), begin, instr, end,
                   el("w:bookmarkEnd", {"w:id": bid})])


def _mark_run(box: _Element, mark: str) -> _Element:
    rpr = copy.deepcopy(run_props(box)) if run_props(box) is not None else None
    return make_run(rpr, mark)


def mark_after(box: _Element, checked: bool = True, mark: str = "✓") -> None:
    """A mark typed right after the still-empty box, in its own run ("☐✓", "☐X")."""
    if checked:
        box.addnext(_mark_run(box, mark))


def mark_before(box: _Element, checked: bool = True, mark: str = "/") -> None:
    """A mark typed right before the still-empty box, in its own run ("/☐")."""
    if checked:
        box.addprevious(_mark_run(box, mark))


def tick_private_use(box: _Element, checked: bool = True) -> None:
    """WPS/LibreOffice: the ticked-box glyph as private-use text U+F052 in a Wingdings 2 run."""
    if checked:
        _glyph_as_text(box, "\uf052", "Wingdings 2", "default")


def tick_letter_r(box: _Element, checked: bool = True) -> None:
    """The letter "R" typed in a Wingdings 2 run, which the font draws as ☑."""
    if checked:
        _glyph_as_text(box, "R", "Wingdings 2")


TICKS: dict[str, Tick] = {
    "wingdings2-F052": tick_wingdings2,
    "wingdings-F0FE": tick_wingdings,
    "unicode-☑": partial(tick_unicode, char="☑", font="Segoe UI Symbol"),
    "unicode-☒": partial(tick_unicode, char="☒", font="MS Gothic"),
    "unicode-✓": partial(tick_unicode, char="✓", font="Segoe UI Symbol"),
    "content-control": tick_content_control,
    "form-field": tick_form_field,
    "mark-✓-after": partial(mark_after, mark="✓"),
    "mark-/-before": partial(mark_before, mark="/"),
    "mark-X-after": partial(mark_after, mark="X"),
    "wps-private-use": tick_private_use,
    "wps-letter-R": tick_letter_r,
}
"""Every way of ticking a box, by name. Controls (content-control, form-field) are also written
unchecked when ``checked=False``; the glyph and mark styles leave an unticked box as printed."""


# --------------------------------------------------------------------------- comments, header, table


def add_comment(pkg: Package, root: _Element, anchored: Sequence[_Element], text: str,
                author: str = "ผู้ตรวจ", initials: str = "ผต", date: str = "2022-09-20T09:00:00Z") -> int:
    """A reviewer's comment on the paragraphs ``anchored`` (their text stays the answer).

    Word writes ``w:commentRangeStart`` / ``w:commentRangeEnd`` around the commented text and a
    run with ``w:commentReference``; the comment itself lives in word/comments.xml, which needs a
    relationship from the document and a content-type override.
    """
    cid = str(next_annotation_id(root))
    first, last = anchored[0], anchored[-1]
    ppr = first.find(q("w:pPr"))
    first.insert(0 if ppr is None else first.index(ppr) + 1, el("w:commentRangeStart", {"w:id": cid}))
    last.append(el("w:commentRangeEnd", {"w:id": cid}))
    last.append(el("w:r", None, el("w:commentReference", {"w:id": cid})))
    name = "word/comments.xml"
    if name in pkg.parts:
        comments = pkg.xml(name)
    else:
        comments = etree.Element(q("w:comments"), nsmap={"w": NS["w"], "r": NS["r"]})
        add_relationship(pkg, DOCUMENT, "comments", "comments.xml")
        add_override_content_type(pkg, name, CT_COMMENTS)
    body = el("w:p", None, el("w:r", None, el("w:annotationRef")), make_run(None, text))
    comments.append(el("w:comment", {"w:id": cid, "w:author": author, "w:date": date, "w:initials": initials}, body))
    pkg.put_xml(name, comments)
    return int(cid)


def set_header_text(pkg: Package, text: str) -> None:
    """The office's name typed into the page header: one run in the header's paragraph."""
    name = relationship_target(pkg, DOCUMENT, "header")
    header = pkg.xml(name)
    p = header.find(q("w:p"))
    mark = p.find(f"{q('w:pPr')}/{q('w:rPr')}")
    p.append(make_run(mark, text))
    pkg.put_xml(name, header)


def replace_printed_text(scope: _Element, old: str, new: str) -> int:
    """Retype part of the printed text in ``scope`` (e.g. a year); returns how many w:t changed."""
    changed = 0
    for t in scope.iter(q("w:t")):
        if t.text and old in t.text:
            set_text(t, t.text.replace(old, new))
            changed += 1
    return changed


def append_empty_row(tbl: _Element) -> _Element:
    """An empty row added at the end of a table (Tab pressed in the last cell).

    Cells keep their widths; vertical merges and content are not carried over.
    """
    row = copy.deepcopy(tbl.findall(q("w:tr"))[-1])
    for tc in row.findall(q("w:tc")):
        tcpr = tc.find(q("w:tcPr"))
        for merge in [] if tcpr is None else tcpr.findall(q("w:vMerge")):
            tcpr.remove(merge)
        first = tc.find(q("w:p"))
        blank = new_paragraph_like(first)
        for node in [n for n in tc if n.tag != q("w:tcPr")]:
            tc.remove(node)
        tc.append(blank)
    tbl.append(row)
    return row


def add_numbered_line(last: _Element, number: int) -> _Element:
    """A new numbered dotted line ("3. ......") after ``last``, made like it (an office adding a line)."""
    text = collapse(paragraph_text(last))
    match = LEADER.search(text)
    dots = match.group(0) if match else "." * 60
    p = new_paragraph_like(last)
    p.append(make_run(run_props(leader_run(last)) if match else None, f"{number}. {dots}"))
    last.addnext(p)
    return p


# --------------------------------------------------------------------------- esao-3-1 attachment blocks

WORK_HEADING = re.compile(r"^ผลงานชิ้นที่\s*(\d+)")


def work_blocks(root: _Element) -> list[list[_Element]]:
    """The attachment blocks: body children from each "ผลงานชิ้นที่ N" paragraph to the next one
    (the last block ends before ``w:sectPr``)."""
    body = root.find(q("w:body"))
    blocks: list[list[_Element]] = []
    for child in body:
        if child.tag == q("w:sectPr"):
            break
        if child.tag == q("w:p") and WORK_HEADING.match(collapse(paragraph_text(child))):
            blocks.append([])
        if blocks:
            blocks[-1].append(child)
    return blocks


def duplicate_work_block(root: _Element, total: int) -> None:
    """Copy the (still blank) first attachment block until there are ``total`` blocks.

    Offices copy the whole "ผลงานชิ้นที่ 1" block and paste it at the end, retyping the number;
    each copy starts on a new page.
    """
    blocks = work_blocks(root)
    template = blocks[0]
    anchor = blocks[-1][-1]
    for number in range(len(blocks) + 1, total + 1):
        copies = [copy.deepcopy(node) for node in template]
        heading = copies[0]
        for t in heading.iter(q("w:t")):
            if t.text and WORK_HEADING.match(t.text.strip()):
                set_text(t, re.sub(r"\d+", str(number), t.text, count=1))
        ppr = heading.find(q("w:pPr"))
        if ppr is not None and ppr.find(q("w:pageBreakBefore")) is None:
            ppr.insert(0, el("w:pageBreakBefore"))
        for node in copies:
            anchor.addnext(node)
            anchor = node


# --------------------------------------------------------------------------- pictures

PNG = "image/png"
EMU_PER_INCH = 914400


def solid_png(rgb: tuple[int, int, int], width: int = 64, height: int = 48) -> bytes:
    """A solid-colour RGB PNG made with zlib and struct only (8-bit, no filter)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def add_image(pkg: Package, png: bytes) -> str:
    """Store a PNG as word/media/imageN.png, related from the document; returns its rId."""
    number = next(n for n in count(1) if f"word/media/image{n}.png" not in pkg.parts)
    pkg.parts[f"word/media/image{number}.png"] = png
    add_default_content_type(pkg, "png", PNG)
    return add_relationship(pkg, DOCUMENT, "image", f"media/image{number}.png")


def next_drawing_id(root: _Element) -> int:
    """One more than the largest ``wp:docPr/@id`` (Word needs them unique in the document)."""
    used = [int(v) for v in root.xpath("//wp:docPr/@id", namespaces=NS)]
    return max(used, default=0) + 1


def drawing_run(rid: str, pic_id: int, cx: int, cy: int) -> _Element:
    """A DrawingML inline picture run, as Word writes Insert > Pictures (``wp:inline``...``a:blip``)."""
    name = f"Picture {pic_id}"
    pic = el(
        "pic:pic", None,
        el("pic:nvPicPr", None, el("pic:cNvPr", {"id": "0", "name": f"{name}.png"}), el("pic:cNvPicPr")),
        el("pic:blipFill", None, el("a:blip", {"r:embed": rid}), el("a:stretch", None, el("a:fillRect"))),
        el("pic:spPr", None,
           el("a:xfrm", None, el("a:off", {"x": "0", "y": "0"}), el("a:ext", {"cx": str(cx), "cy": str(cy)})),
           el("a:prstGeom", {"prst": "rect"}, el("a:avLst"))),
    )
    inline = el(
        "wp:inline", {"distT": "0", "distB": "0", "distL": "0", "distR": "0"},
        el("wp:extent", {"cx": str(cx), "cy": str(cy)}),
        el("wp:effectExtent", {"l": "0", "t": "0", "r": "0", "b": "0"}),
        el("wp:docPr", {"id": str(pic_id), "name": name}),
        el("wp:cNvGraphicFramePr", None, el("a:graphicFrameLocks", {"noChangeAspect": "1"})),
        el("a:graphic", None, el("a:graphicData", {"uri": "http://schemas.openxmlformats.org/drawingml/2006/picture"}, pic)),
    )
    return el("w:r", None, el("w:rPr", None, el("w:noProof")), el("w:drawing", None, inline))


VML_FORMULAS = (
    "if lineDrawn pixelLineWidth 0", "sum @0 1 0", "sum 0 0 @1", "prod @2 1 2", "prod @3 21600 pixelWidth",
    "prod @3 21600 pixelHeight", "sum @0 0 1", "prod @6 1 2", "prod @7 21600 pixelWidth", "sum @8 21600 0",
    "prod @7 21600 pixelHeight", "sum @10 21600 0",
)


def vml_shapetype() -> _Element:
    """Word's picture frame type ``_x0000_t75``, declared once before the first VML picture."""
    return el(
        "v:shapetype",
        {"id": "_x0000_t75", "coordsize": "21600,21600", "o:spt": "75", "o:preferrelative": "t",
         "path": "m@4@5l@4@11@9@11@9@5xe", "filled": "f", "stroked": "f"},
        el("v:stroke", {"joinstyle": "miter"}),
        el("v:formulas", None, *(el("v:f", {"eqn": eqn}) for eqn in VML_FORMULAS)),
        el("v:path", {"o:extrusionok": "f", "gradientshapeok": "t", "o:connecttype": "rect"}),
        el("o:lock", {"v:ext": "edit", "aspectratio": "t"}),
    )


def vml_run(rid: str, shape_no: int, width_pt: float, height_pt: float, declare_type: bool = False) -> _Element:
    """A legacy VML picture run (``w:pict`` / ``v:shape`` / ``v:imagedata r:id``), as older Word
    and compatibility-mode documents keep pasted pictures."""
    shape = el("v:shape", {"id": f"_x0000_i{1024 + shape_no}", "type": "#_x0000_t75",
                           "style": f"width:{width_pt:g}pt;height:{height_pt:g}pt"},
               el("v:imagedata", {"r:id": rid, "o:title": ""}))
    pict = el("w:pict", None, *([vml_shapetype()] if declare_type else []), shape)
    return el("w:r", None, el("w:rPr", None, el("w:noProof")), pict)


def picture_runs(pkg: Package, root: _Element, pngs: Sequence[bytes], kind: str = "drawing",
                 width_in: float = 2.8) -> list[_Element]:
    """Add the images to the package and make one picture run each (``drawing`` or ``vml``)."""
    first_id = next_drawing_id(root)
    first_shape = len(root.xpath("//v:shape", namespaces=NS)) + 1
    has_type = bool(root.xpath("//v:shapetype[@id='_x0000_t75']", namespaces=NS))
    runs: list[_Element] = []
    for index, png in enumerate(pngs):
        rid = add_image(pkg, png)
        if kind == "vml":
            runs.append(vml_run(rid, first_shape + index, width_in * 72, width_in * 54,
                                declare_type=index == 0 and not has_type))
        else:
            cx = int(width_in * EMU_PER_INCH)
            runs.append(drawing_run(rid, first_id + index, cx, cx * 3 // 4))
    return runs


def photos_in_paragraphs(after: _Element, runs: Sequence[_Element]) -> list[_Element]:
    """Pictures two per paragraph (a space between them) after ``after``."""
    made: list[_Element] = []
    for start in range(0, len(runs), 2):
        p = new_paragraph_like(after)
        for index, run in enumerate(runs[start: start + 2]):
            if index:
                p.append(make_run(None, " "))
            p.append(run)
        (made[-1] if made else after).addnext(p)
        made.append(p)
    return made


def photos_in_table(after: _Element, runs: Sequence[_Element], width_twips: int = 4666) -> _Element:
    """Pictures in a borderless two-column table after ``after`` (a common photo-page layout)."""
    none = {"w:val": "nil"}
    borders = el("w:tblBorders", None, *(el(f"w:{side}", none) for side in
                                          ("top", "left", "bottom", "right", "insideH", "insideV")))
    tbl = el("w:tbl", None,
             el("w:tblPr", None, el("w:tblW", {"w:w": str(2 * width_twips), "w:type": "dxa"}), borders,
                el("w:tblLayout", {"w:type": "fixed"})),
             el("w:tblGrid", None, *(el("w:gridCol", {"w:w": str(width_twips)}) for _ in range(2))))
    for start in range(0, len(runs), 2):
        row = el("w:tr")
        for index in range(2):
            p = el("w:p", None, el("w:pPr", None, el("w:jc", {"w:val": "center"})))
            if start + index < len(runs):
                p.append(runs[start + index])
            row.append(el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:w": str(width_twips), "w:type": "dxa"})), p))
        tbl.append(row)
    after.addnext(tbl)
    return tbl


# --------------------------------------------------------------------------- what a document holds


def has_revisions(root: _Element) -> bool:
    """Tracked changes present: any w:ins, w:del, w:moveFrom or w:moveTo."""
    return any(True for _ in root.iter(q("w:ins"), q("w:del"), q("w:moveFrom"), q("w:moveTo")))


def has_comments(pkg: Package, root: _Element) -> bool:
    """Comments present: a comments part with w:comment, or a comment reference in the body."""
    if "word/comments.xml" in pkg.parts and pkg.xml("word/comments.xml").find(q("w:comment")) is not None:
        return True
    return any(True for _ in root.iter(q("w:commentReference")))
