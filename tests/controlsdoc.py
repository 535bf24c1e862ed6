"""A blank form made of Word's form controls, in the XML Word 2016+ writes
(content controls: ECMA-376 Part 1 §17.5.2 with the w14 check box and the w15
repeating section; legacy form fields: §17.16), for the control tests.

Each control is written as Word writes it when inserted from the Developer
tab and given a title and tag in its Properties: ``w:sdtPr`` with
``w:rPr``, ``w:alias``, ``w:tag``, ``w:id``, ``w:placeholder`` and
``w:showingPlcHdr``, then the type element; ``w:sdtEndPr``; ``w:sdtContent``
holding the placeholder run in the PlaceholderText style. Legacy fields are
a bookmark around begin (with ``w:ffData``) / instruction / separate /
result / end runs, the text field's empty result five U+2002 spaces in runs
marked ``w:noProof``.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from tests.docxbuild import RelSpec, make_docx


def _a(text: str) -> str:
    """``text`` escaped for an attribute value in double quotes."""
    return escape(text, {'"': "&quot;"})

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201b2d4a2"
    "a20000000049454e44ae426082"
)
NAMESPACES_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STORE_ID = "{6C3C8BC8-F283-45AE-878A-BAB7291924A1}"
CUSTOM_NS = "urn:formkit:test:staff"

_PLACEHOLDER_RPR = '<w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
_THAI_RPR = '<w:rPr><w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK" w:cs="TH SarabunPSK"/>' \
            '<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>'
_ids = iter(range(-1712337925, 2**31, 7919))


def _sdt(alias: str, tag: str, type_xml: str, shown: str, placeholder: bool = True,
         docpart: str = "DefaultPlaceholder_-1854013440", extra: str = "") -> str:
    plc = (f'<w:placeholder><w:docPart w:val="{docpart}"/></w:placeholder><w:showingPlcHdr/>'
           if placeholder else "")
    rpr = _PLACEHOLDER_RPR if placeholder else ""
    return (f'<w:sdt><w:sdtPr>{_THAI_RPR}<w:alias w:val="{_a(alias)}"/><w:tag w:val="{_a(tag)}"/>'
            f'<w:id w:val="{next(_ids)}"/>{plc}{extra}{type_xml}</w:sdtPr><w:sdtEndPr/>'
            f'<w:sdtContent><w:r w:rsidRPr="00B62F2C">{rpr}<w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>')


def plain_text(alias: str, tag: str, extra: str = "") -> str:
    return _sdt(alias, tag, "<w:text/>", "Click or tap here to enter text.", extra=extra)


def rich_text(alias: str, tag: str) -> str:
    return _sdt(alias, tag, "", "Click or tap here to enter text.")


def date(alias: str, tag: str, fmt: str = "d/M/yyyy", extra: str = "") -> str:
    type_xml = (f'<w:date><w:dateFormat w:val="{fmt}"/><w:lid w:val="en-GB"/>'
                '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    return _sdt(alias, tag, type_xml, "Click or tap to enter a date.", docpart="DefaultPlaceholder_-1854013437",
                extra=extra)


def dropdown(alias: str, tag: str, items: list[str]) -> str:
    listed = "".join(f'<w:listItem w:displayText="{_a(i)}" w:value="{_a(i)}"/>' for i in items)
    return _sdt(alias, tag, f'<w:dropDownList><w:listItem w:value=""/>{listed}</w:dropDownList>'.replace(
        '<w:listItem w:value=""/>', '<w:listItem w:displayText="Choose an item." w:value=""/>'),
        "Choose an item.", docpart="DefaultPlaceholder_-1854013438")


def combobox(alias: str, tag: str, items: list[str]) -> str:
    listed = "".join(f'<w:listItem w:displayText="{_a(i)}" w:value="{_a(i)}"/>' for i in items)
    return _sdt(alias, tag, f"<w:comboBox>{listed}</w:comboBox>", "Choose an item.",
                docpart="DefaultPlaceholder_-1854013438")


def checkbox(alias: str, tag: str, checked: bool = False, wingdings: bool = False) -> str:
    """A check box; ``wingdings``: its own glyphs (Wingdings 0xFE ticked, 0xA8 empty), as set in its
    Properties dialog, else Word's default MS Gothic ☒ / ☐."""
    if wingdings:
        states = ('<w14:checkedState w14:val="00FE" w14:font="Wingdings"/>'
                  '<w14:uncheckedState w14:val="00A8" w14:font="Wingdings"/>')
        font, shown = "Wingdings", chr(0xF0FE if checked else 0xF0A8)
    else:
        states = ('<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
                  '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>')
        font, shown = "MS Gothic", "☒" if checked else "☐"
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:hint="eastAsia"/></w:rPr>'
    return (f'<w:sdt><w:sdtPr>{rpr}<w:alias w:val="{_a(alias)}"/><w:tag w:val="{_a(tag)}"/><w:id w:val="{next(_ids)}"/>'
            f'<w14:checkbox><w14:checked w14:val="{int(checked)}"/>{states}</w14:checkbox></w:sdtPr>'
            f'<w:sdtEndPr/><w:sdtContent><w:r>{rpr}<w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>')


def repeating(alias: str, tag: str, item_paragraphs: str) -> str:
    return (f'<w:sdt><w:sdtPr><w:alias w:val="{_a(alias)}"/><w:tag w:val="{_a(tag)}"/><w:id w:val="{next(_ids)}"/>'
            '<w15:repeatingSection/></w:sdtPr><w:sdtEndPr/><w:sdtContent>'
            f'<w:sdt><w:sdtPr><w:id w:val="{next(_ids)}"/><w15:repeatingSectionItem/></w:sdtPr><w:sdtEndPr/>'
            f'<w:sdtContent>{item_paragraphs}</w:sdtContent></w:sdt></w:sdtContent></w:sdt>')


def picture(alias: str, tag: str) -> str:
    drawing = (
        '<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="1905000" cy="1905000"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="1" name="Picture 1"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="Picture 1"/><pic:cNvPicPr/></pic:nvPicPr>'
        '<pic:blipFill><a:blip r:embed="rId_image1"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1905000" cy="1905000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing>'
    )
    return (f'<w:sdt><w:sdtPr><w:alias w:val="{_a(alias)}"/><w:tag w:val="{_a(tag)}"/><w:id w:val="{next(_ids)}"/>'
            f'<w:showingPlcHdr/><w:picture/></w:sdtPr><w:sdtEndPr/><w:sdtContent>'
            f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:noProof/></w:rPr>{drawing}</w:r></w:p>'
            '</w:sdtContent></w:sdt>')


def bound(xpath: str) -> str:
    """The ``w:dataBinding`` Word writes for a control mapped in the XML Mapping pane."""
    return (f'<w:dataBinding w:prefixMappings="xmlns:ns0=\'{CUSTOM_NS}\' " w:xpath="{xpath}" '
            f'w:storeItemID="{STORE_ID}"/>')


_BOOKMARK_IDS = iter(range(10**9))


def _legacy(name: str, ff: str, instr: str, result: str) -> str:
    n = next(_BOOKMARK_IDS)
    return (f'<w:bookmarkStart w:id="{n}" w:name="{name}"/><w:r><w:fldChar w:fldCharType="begin"><w:ffData>'
            f'<w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>{ff}</w:ffData></w:fldChar></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r><w:bookmarkEnd w:id="{n}"/>')


def formtext(name: str, default: str = "") -> str:
    ff = f'<w:textInput><w:default w:val="{default}"/></w:textInput>' if default else "<w:textInput/>"
    shown = (f'<w:r><w:rPr><w:noProof/></w:rPr><w:t>{default}</w:t></w:r>' if default else
             "".join('<w:r><w:rPr><w:noProof/></w:rPr><w:t>\u2002</w:t></w:r>' for _ in range(5)))
    return _legacy(name, ff, "FORMTEXT", shown)


def formcheckbox(name: str, checked: bool = False) -> str:
    return _legacy(name, f'<w:checkBox><w:sizeAuto/><w:default w:val="{int(checked)}"/></w:checkBox>',
                   "FORMCHECKBOX", "")


def formdropdown(name: str, entries: list[str]) -> str:
    listed = "".join(f'<w:listEntry w:val="{_a(e)}"/>' for e in entries)
    return _legacy(name, f"<w:ddList>{listed}</w:ddList>", "FORMDROPDOWN", "")


def para(*content: str) -> str:
    return "<w:p>" + "".join(c if c.startswith("<") else f'<w:r><w:t xml:space="preserve">{c}</w:t></w:r>'
                             for c in content) + "</w:p>"


def custom_xml_parts() -> dict[str, str]:
    """The custom XML part the bound controls map to, with its properties part."""
    item = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?><staff xmlns="{CUSTOM_NS}">'
            '<name></name><started></started><member>false</member></staff>')
    props = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
             f'<ds:datastoreItem ds:itemID="{STORE_ID}" '
             'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
             f'<ds:schemaRefs><ds:schemaRef ds:uri="{CUSTOM_NS}"/></ds:schemaRefs></ds:datastoreItem>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'customXmlProps" Target="itemProps1.xml"/></Relationships>')
    return {"customXml/item1.xml": item, "customXml/itemProps1.xml": props, "customXml/_rels/item1.xml.rels": rels}


def form_body() -> str:
    """A staff form of every control type, labels in English and Thai."""
    member = para("ชื่อ ", plain_text("ชื่อ", "member_name"), "  ตำแหน่ง ", plain_text("Position", "position"))
    return "".join([
        para("Staff Record แบบบันทึกข้อมูลบุคลากร"),
        para("Full name: ", plain_text("Full name", "full_name")),
        para("Notes: ", rich_text("Notes", "notes")),
        para("Start date: ", date("Start date", "start_date")),
        para("วันที่รายงาน: ", date("วันที่รายงาน", "report_date", "dd MMMM yyyy")),
        para("Grade: ", dropdown("Grade", "grade", ["Excellent", "Good", "Fair"])),
        para("Unit: ", combobox("Unit", "unit", ["Primary", "Secondary"])),
        para("Agree: ", checkbox("Agree", "agree")),
        para("Trained: ", checkbox("Trained", "trained", checked=True, wingdings=True)),
        para("Photo:"),
        picture("Photo", "photo"),
        para("Members:"),
        repeating("Members", "members", member),
        para("Bound name: ", plain_text("Bound name", "bound_name", bound("/ns0:staff[1]/ns0:name[1]"))),
        para("Bound start: ", date("Bound start", "bound_start", "yyyy-MM-dd",
                                   bound("/ns0:staff[1]/ns0:started[1]"))),
        para("Office: ", formtext("Office")),
        para("Phone: ", formtext("Phone", "0-0000-0000")),
        para("Full time ", formcheckbox("FullTime"), " Part time ", formcheckbox("PartTime", checked=True)),
        para("Shift: ", formdropdown("Shift", ["Morning", "Afternoon", "Night"])),
    ])


def form_docx() -> bytes:
    return make_docx(
        form_body(),
        media={"image1.png": PNG_1X1},
        extra_rels=[RelSpec("rId_custom1", "customXml", "../customXml/item1.xml")],
        parts=custom_xml_parts(),
    )


def _cell(xml: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>{xml}</w:tc>'


def table_form_docx() -> bytes:
    """A grid whose rows are a repeating section (Word's "repeating section
    content control" over a table row) and a control around a whole cell."""
    item = (f'<w:sdt><w:sdtPr><w:id w:val="{next(_ids)}"/><w15:repeatingSectionItem/></w:sdtPr><w:sdtContent><w:tr>'
            + _cell(para(plain_text("Course", "course"))) + _cell(para(date("Finished", "finished")))
            + _cell(para(checkbox("Passed", "passed"))) + "</w:tr></w:sdtContent></w:sdt>")
    rows = (f'<w:sdt><w:sdtPr><w:alias w:val="Courses"/><w:tag w:val="courses"/><w:id w:val="{next(_ids)}"/>'
            f'<w15:repeatingSection/></w:sdtPr><w:sdtContent>{item}</w:sdtContent></w:sdt>')
    remark = (f'<w:sdt><w:sdtPr><w:tag w:val="remark"/><w:id w:val="{next(_ids)}"/><w:showingPlcHdr/></w:sdtPr>'
              '<w:sdtContent>' + _cell('<w:p><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
                                       '<w:t>Click or tap here to enter text.</w:t></w:r></w:p>')
              + "</w:sdtContent></w:sdt>")
    grid = "".join('<w:gridCol w:w="3000"/>' for _ in range(3))
    table = (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
             + "<w:tr>" + "".join(_cell(para(h)) for h in ("Course", "Finished", "Passed")) + "</w:tr>" + rows
             + "<w:tr>" + _cell(para("Remark")) + remark + _cell(para("")) + "</w:tr></w:tbl>")
    return make_docx(para("Training record of the teacher") + table)
