"""LibreOffice's repeated text fields read once (formkit/docx/repeats.py), and
ODF text-input / drop-down fields made plain text before conversion
(formkit/office/odf_fields.py). The shapes are the ones LibreOffice 7.4
writes (the client matrix, tests/test_clients.py, shows them end to end)."""
from __future__ import annotations

import zipfile
from io import BytesIO

from lxml import etree

from formkit.office.odf_fields import plain_fields, rewrite
from formkit.read.parse import read_model
from tests.docxbuild import make_docx, p, r

S = "การนิเทศแบบ Coaching ผสานกับ PLC"


def _sdt(text: str, alias: str = "ปัญหา", ident: int = 1) -> str:
    return (f'<w:sdt><w:sdtPr><w:id w:val="{ident}"/><w:alias w:val="{alias}"/><w:text/></w:sdtPr>'
            f"<w:sdtContent>{r(text)}</w:sdtContent></w:sdt>")


def _field(text: str, instr: str = ' FILLIN ""') -> str:
    return (r(content='<w:fldChar w:fldCharType="begin"/>') + r(content=f'<w:instrText xml:space="preserve">{instr}</w:instrText>')
            + r(content='<w:fldChar w:fldCharType="separate"/>') + r(text) + r(content='<w:fldChar w:fldCharType="end"/>'))


def _texts(body: str) -> list[str]:
    doc = read_model(make_docx(body), "t.docx")
    return [b.text for b in doc.body if hasattr(b, "text")]


def test_content_controls_repeating_the_answer_are_read_once() -> None:
    # LibreOffice: [S] [S S] [S] for an answer typed in one piece
    body = p(_sdt(S, ident=1), _sdt(S + S, ident=2), _sdt(S, ident=3))
    assert _texts(body) == [S]


def test_controls_holding_the_pieces_before_the_answer() -> None:
    a, b, c = "การนิเทศแบบ ", "Coaching ผสานกับ", " PLC"
    body = p(r("ตอบ: "), _sdt(S, ident=1), _sdt(a + S, ident=2), _sdt(b + S, ident=3), _sdt(c + S, ident=4),
             _sdt(S, ident=5), r(" (จบ)"))
    assert _texts(body) == [f"ตอบ: {S} (จบ)"]


def test_fillin_fields_around_stray_pieces_are_read_once() -> None:
    a, b = "การนิเทศแบบ Coaching ", "ผสานกับ PLC"
    body = p(_field(S), r(a), _field(S), r(b), _field(S), _field(S))
    assert _texts(body) == [S]


def test_formtext_fields_of_an_rtf_with_the_end_mark() -> None:
    body = p(_field(S, " FORMTEXT "), r(S), _field(S, " FORMTEXT "), r("0"), _field(S, " FORMTEXT "))
    assert _texts(body) == [S]


def test_a_persons_own_repeats_stay() -> None:
    # two controls only, the same text: not LibreOffice's shape
    assert _texts(p(_sdt("ใช่", ident=1), _sdt("ใช่", ident=2))) == ["ใช่ใช่"]
    # three controls, but the pieces do not make the answer again
    assert _texts(p(_sdt(S, ident=1), _sdt("อื่น" + S, ident=2), _sdt(S, ident=3))) == [S + "อื่น" + S + S]
    # different controls (aliases) showing the same text
    body = p(_sdt(S, "ก", 1), _sdt(S + S, "ข", 2), _sdt(S, "ค", 3))
    assert _texts(body) == [S * 4]
    # a line break between them: not one field
    assert _texts(p(_field(S), r(S), '<w:r><w:br/></w:r>', _field(S), _field(S))) == [S + S + "\n" + S + S]


_ODT_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
    '<text:p>ตอบ: <text:text-input text:description="">แรก<text:span>กลาง</text:span><text:line-break/>'
    "ท้าย</text:text-input> จบ</text:p>"
    '<text:p><text:drop-down text:name="d"><text:label text:value="A"/><text:label text:value="B" '
    'text:current-selected="true"/>B</text:drop-down>.</text:p>'
    "</office:text></office:body></office:document-content>")


def test_odf_fields_become_their_text_in_place() -> None:
    root = etree.fromstring(_ODT_CONTENT.encode())
    assert plain_fields(root) == 2
    paras = root.findall(".//{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p")
    assert "".join(paras[0].itertext()) == "ตอบ: แรกกลางท้าย จบ"
    assert paras[0].find("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}line-break") is not None
    assert "".join(paras[1].itertext()) == "B."
    assert b"text-input" not in etree.tostring(root) and b"label" not in etree.tostring(root)


def test_rewrite_touches_only_odf_text_documents() -> None:
    members = [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", _ODT_CONTENT.encode())]
    out = dict(rewrite(members))
    assert b"text-input" not in out["content.xml"] and "แรก".encode() in out["content.xml"] and "ท้าย".encode() in out["content.xml"]
    docx = [("[Content_Types].xml", b"<Types/>"), ("content.xml", _ODT_CONTENT.encode())]
    assert rewrite(docx) == docx
    # a .docx made into a zip the way the converter stages it is still one
    with zipfile.ZipFile(BytesIO(make_docx(p(r("x"))))) as zf:
        staged = [(n, zf.read(n)) for n in zf.namelist()]
    assert rewrite(staged) == staged


def test_breaks_moved_in_front_of_a_repeated_field_are_a_doubt() -> None:
    body = p('<w:r><w:br/><w:br/></w:r>', _sdt(S, ident=1), _sdt(S + S, ident=2), _sdt(S, ident=3))
    doc = read_model(make_docx(body), "t.docx")
    assert [d.kind for d in doc.doubts] == ["moved-breaks"] and doc.doubts[0].text == S
    # a repeated field after text is no such case
    doc = read_model(make_docx(p(r("ตอบ "), _sdt(S, ident=1), _sdt(S + S, ident=2), _sdt(S, ident=3))), "t.docx")
    assert doc.doubts == ()


def test_an_odf_field_after_line_breaks_only_is_left_a_field() -> None:
    content = _ODT_CONTENT.replace("<text:p>ตอบ: ", "<text:p><text:line-break/><text:line-break/>")
    root = etree.fromstring(content.encode())
    assert plain_fields(root) == 1  # the drop-down only
    assert b"text-input" in etree.tostring(root)
