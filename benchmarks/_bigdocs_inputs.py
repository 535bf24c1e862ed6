"""Large inputs within formkit's package limits, made from the shipped originals.

Each builder takes an original's bytes and returns a new .docx: the original's
``word/document.xml`` changed with lxml, every other member copied as it is.
Text is drawn from a seeded generator, so every run builds the same files.

* ``tables``: the body's tables repeated until the body holds ``count`` tables
  (the copies follow the original table);
* ``body``: the body's paragraphs and tables repeated ``times`` times;
* ``long_paragraph``: one paragraph of ``chars`` characters in one run after
  the form;
* ``many_runs``: one paragraph of ``runs`` one-word runs after the form;
* ``nested``: tables nested ``depth`` deep (formkit reads 64 at most), each
  level a cell with a paragraph, and a paragraph wrapped in ``sdt_depth``
  block content controls;
* ``many_paragraphs``: ``count`` short one-run paragraphs after the form;
* ``text``: ordinary text (paragraphs of a few formatted runs of Thai words)
  after the form until the compressed file reaches ``target_bytes``;
* ``without_tables``: the body's tables removed (the ESAO forms print their
  field labels in them): every label is then looked for through the whole
  document and not found;
* ``box_first``: an empty box (Wingdings 2 0xA3) opens the body: with the
  labels gone, the box groups read every box of the document, the last one
  labelled by all the text after it.
"""
from __future__ import annotations

import copy
import io
import random
import zipfile
from collections.abc import Callable

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = "word/document.xml"
_CONSONANTS = "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ"
_VOWELS = ["า", "ิ", "ี", "ึ", "ื", "ุ", "ู", "ั", "ำ", "", "", "่", "้", "็"]
_RPR = (f'<w:rPr xmlns:w="{W}"><w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK" '
        'w:cs="TH SarabunPSK"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>')


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def rewrite(original: bytes, edit: Callable[[etree._Element], None]) -> bytes:
    """``original`` with ``edit`` applied to its main document's root."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == MAIN:
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _body(root: etree._Element) -> etree._Element:
    body = root.find(w("body"))
    assert body is not None
    return body


def _content(body: etree._Element) -> list[etree._Element]:
    return [el for el in body if el.tag != w("sectPr")]


def _append(body: etree._Element, *els: etree._Element) -> None:
    """Insert before the final w:sectPr (which must stay last)."""
    sect = body.find(w("sectPr"))
    for el in els:
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)


def tables(original: bytes, count: int) -> bytes:
    def edit(root: etree._Element) -> None:
        found = _body(root).findall(w("tbl"))
        last = found[-1]
        for n in range(count - len(found)):
            clone = copy.deepcopy(found[n % len(found)])
            last.addnext(clone)
            last = clone
    return rewrite(original, edit)


def body(original: bytes, times: int) -> bytes:
    def edit(root: etree._Element) -> None:
        b = _body(root)
        content = _content(b)
        for _ in range(times - 1):
            _append(b, *(copy.deepcopy(el) for el in content))
    return rewrite(original, edit)


class Words:
    """Seeded pseudo-Thai words: syllables of a consonant and a vowel mark."""

    def __init__(self, seed: int = 1, vocabulary: int = 5000) -> None:
        self.rng = random.Random(seed)
        self.words = ["".join(self.rng.choice(_CONSONANTS) + self.rng.choice(_VOWELS)
                              for _ in range(self.rng.randint(1, 4))) for _ in range(vocabulary)]

    def text(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, k=n))


def paragraph(texts: list[str], formatted: bool = True) -> etree._Element:
    p = etree.Element(w("p"), nsmap={"w": W})
    for text in texts:
        r = etree.SubElement(p, w("r"))
        if formatted:
            r.append(etree.fromstring(_RPR))
        t = etree.SubElement(r, w("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def long_paragraph(original: bytes, chars: int) -> bytes:
    words = Words(2)
    text = words.text(chars // 5)[:chars]

    def edit(root: etree._Element) -> None:
        _append(_body(root), paragraph([text]))
    return rewrite(original, edit)


def many_runs(original: bytes, runs: int) -> bytes:
    words = Words(3)

    def edit(root: etree._Element) -> None:
        _append(_body(root), paragraph([words.text(1) + " " for _ in range(runs)]))
    return rewrite(original, edit)


def nested(original: bytes, depth: int, sdt_depth: int) -> bytes:
    words = Words(4)

    def edit(root: etree._Element) -> None:
        outer = holder = etree.Element(w("tbl"), nsmap={"w": W})
        for level in range(depth):
            cell = etree.SubElement(etree.SubElement(holder, w("tr")), w("tc"))
            cell.append(paragraph([f"{level + 1}. {words.text(6)}"]))
            if level + 1 < depth:
                holder = etree.SubElement(cell, w("tbl"))
                continue
            cell.append(etree.Element(w("p")))  # a cell ends with a paragraph
        sdt = top = etree.Element(w("sdt"), nsmap={"w": W})
        for _ in range(sdt_depth - 1):
            sdt = etree.SubElement(etree.SubElement(sdt, w("sdtContent")), w("sdt"))
        etree.SubElement(sdt, w("sdtContent")).append(paragraph([words.text(8)]))
        _append(_body(root), outer, top)
    return rewrite(original, edit)


def many_paragraphs(original: bytes, count: int) -> bytes:
    """``count`` short paragraphs (one run of 3-9 words, every other one
    formatted) after the form: about 16,000 of them make a .docx of some
    460 KiB, the size of an ordinary long report."""
    words = Words(6)

    def edit(root: etree._Element) -> None:
        _append(_body(root), *[paragraph([words.text(words.rng.randint(3, 9))], formatted=words.rng.random() < 0.5)
                               for _ in range(count)])
    return rewrite(original, edit)


def text(original: bytes, target_bytes: int) -> bytes:
    """Ordinary text after the form until the .docx is about ``target_bytes``."""
    words = Words(5)

    def block(n: int) -> list[etree._Element]:
        return [paragraph([words.text(words.rng.randint(3, 12)) for _ in range(words.rng.randint(1, 4))])
                for _ in range(n)]

    probe = len(rewrite(original, lambda root: _append(_body(root), *block(2000))))
    per = max(1, (probe - len(original)) // 2000)
    need = max(1, (target_bytes - len(original)) // per)

    def edit(root: etree._Element) -> None:
        _append(_body(root), *block(need))
    return rewrite(original, edit)


def without_tables(original: bytes) -> bytes:
    def edit(root: etree._Element) -> None:
        b = _body(root)
        for table in b.findall(w("tbl")):
            b.remove(table)
    return rewrite(original, edit)


def box_first(original: bytes) -> bytes:
    def edit(root: etree._Element) -> None:
        p = etree.Element(w("p"), nsmap={"w": W})
        sym = etree.SubElement(etree.SubElement(p, w("r")), w("sym"))
        sym.set(w("font"), "Wingdings 2")
        sym.set(w("char"), "F0A3")
        _body(root).insert(0, p)
    return rewrite(original, edit)
