"""The parts of a .docx around document.xml, as Microsoft Word 2016+ writes
them: its namespace declarations, styles (docDefaults in TH SarabunPSK 16 pt,
Normal, heading 1 bold by style, Table Grid), settings with the session rsids,
webSettings, fontTable, relationships and docProps, in Word's zip order.
Used by build_third.py (formkit's own test form, not an official text).
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from build_originals import FONT, SIZE

DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'

# Word's rsids: the root session, then the editing sessions the runs carry.
RSID_ROOT = "00D51A2E"
RSIDS = ("003E6F91", "0062B0C7", "007A4D15", "00C93E88", "00F1729B")

_MS, _OX = "http://schemas.microsoft.com/office/", "http://schemas.openxmlformats.org/"
NAMESPACES = tuple(pair.split("=", 1) for pair in (  # Word 2016's declarations, in its order
    f"wpc={_MS}word/2010/wordprocessingCanvas mc={_OX}markup-compatibility/2006 "
    f"o=urn:schemas-microsoft-com:office:office r={_OX}officeDocument/2006/relationships "
    f"m={_OX}officeDocument/2006/math v=urn:schemas-microsoft-com:vml "
    f"wp14={_MS}word/2010/wordprocessingDrawing wp={_OX}drawingml/2006/wordprocessingDrawing "
    f"w10=urn:schemas-microsoft-com:office:word w={_OX}wordprocessingml/2006/main "
    f"w14={_MS}word/2010/wordml w15={_MS}word/2012/wordml w16se={_MS}word/2015/wordml/symex "
    f"wpg={_MS}word/2010/wordprocessingGroup wpi={_MS}word/2010/wordprocessingInk "
    f"wne={_MS}word/2006/wordml wps={_MS}word/2010/wordprocessingShape"
).split())
ALL_NS = " ".join(f'xmlns:{p}="{u}"' for p, u in NAMESPACES) + ' mc:Ignorable="w14 w15 w16se wp14"'
W_NS = ' '.join(f'xmlns:{p}="{u}"' for p, u in NAMESPACES if p in ("mc", "r", "w", "w14", "w15", "w16se"))
W_NS += ' mc:Ignorable="w14 w15 w16se"'


def styles_xml() -> str:
    fonts = f'<w:rFonts w:ascii="{FONT}" w:eastAsia="Calibri" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    defaults = (f'<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val="{SIZE}"/><w:szCs w:val="{SIZE}"/>'
                '<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="th-TH"/></w:rPr></w:rPrDefault>'
                '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                '</w:pPrDefault></w:docDefaults>')
    latent = ('<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0"'
              ' w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="376">'
              '<w:lsdException w:name="Normal" w:uiPriority="0" w:qFormat="1"/>'
              '<w:lsdException w:name="heading 1" w:uiPriority="9" w:qFormat="1"/>'
              '<w:lsdException w:name="Table Grid" w:uiPriority="39"/></w:latentStyles>')
    styles = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="Heading1Char"/>'
        '<w:uiPriority w:val="9"/><w:qFormat/><w:rsid w:val="' + RSIDS[2] + '"/>'
        '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="120"/><w:outlineLvl w:val="0"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/></w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        '<w:style w:type="character" w:customStyle="1" w:styleId="Heading1Char"><w:name w:val="Heading 1 Char"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="Heading1"/><w:uiPriority w:val="9"/>'
        f'<w:rPr>{fonts}<w:b/><w:bCs/><w:sz w:val="{SIZE}"/><w:szCs w:val="{SIZE}"/></w:rPr></w:style>'
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:rsid w:val="' + RSIDS[1] + '"/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                  for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders></w:tblPr></w:style>"
    )
    return f"{DECL}<w:styles {W_NS}>{defaults}{latent}{styles}</w:styles>"


def settings_xml() -> str:
    rsids = f'<w:rsidRoot w:val="{RSID_ROOT}"/>' + "".join(
        f'<w:rsid w:val="{r}"/>' for r in sorted((RSID_ROOT,) + RSIDS))
    m = "http://schemas.openxmlformats.org/officeDocument/2006/math"
    return (
        f'{DECL}<w:settings {W_NS} xmlns:m="{m}"><w:zoom w:percent="110"/><w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
        + "".join(f'<w:compatSetting w:name="{n}" w:uri="http://schemas.microsoft.com/office/word" w:val="{v}"/>'
                  for n, v in (("compatibilityMode", 15), ("overrideTableStyleFontSizeAndJustification", 1),
                               ("enableOpenTypeFeatures", 1), ("doNotFlipMirrorIndents", 1)))
        + f'</w:compat><w:rsids>{rsids}</w:rsids>'
        '<m:mathPr><m:mathFont m:val="Cambria Math"/><m:brkBin m:val="before"/><m:brkBinSub m:val="--"/>'
        '<m:smallFrac m:val="0"/><m:dispDef/><m:lMargin m:val="0"/><m:rMargin m:val="0"/>'
        '<m:defJc m:val="centerGroup"/><m:wrapIndent m:val="1440"/><m:intLim m:val="subSup"/>'
        '<m:naryLim m:val="undOvr"/></m:mathPr>'
        '<w:themeFontLang w:val="en-US" w:bidi="th-TH"/><w:decimalSymbol w:val="."/>'
        '<w:listSeparator w:val=","/><w14:docId w14:val="5E3A1C27"/><w15:chartTrackingRefBased/>'
        '<w15:docId w15:val="{8F4E2B61-0C3D-4A57-9E1B-6D2F7A9C3E15}"/></w:settings>'
    )


def web_settings_xml() -> str:
    return f"{DECL}<w:webSettings {W_NS}><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>"


FONTS = (  # name, panose, charset, family, usb0, usb1, csb0
    (FONT, "020B0500040200020003", "00", "swiss", "A100006F", "5000205A", "00010183"),
    ("Wingdings 2", "05020102010507070707", "02", "roman", "00000000", "10000000", "80000000"),
    ("Times New Roman", "02020603050405020304", "00", "roman", "E0002EFF", "C000785B", "000001FF"),
    ("Calibri", "020F0502020204030204", "00", "swiss", "E4002EFF", "C000247B", "0000019F"),
)


def font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name={quoteattr(name)}><w:panose1 w:val="{pan}"/><w:charset w:val="{cs}"/>'
        f'<w:family w:val="{fam}"/><w:pitch w:val="variable"/><w:sig w:usb0="{u0}" w:usb1="{u1}"'
        f' w:usb2="00000000" w:usb3="00000000" w:csb0="{c0}" w:csb1="00000000"/></w:font>'
        for name, pan, cs, fam, u0, u1, c0 in FONTS
    )
    return f"{DECL}<w:fonts {W_NS}>{fonts}</w:fonts>"


def content_types_xml() -> str:
    ct = "application/vnd.openxmlformats-officedocument."
    wml = ct + "wordprocessingml."
    overrides = (
        ("/word/document.xml", wml + "document.main+xml"),
        ("/word/styles.xml", wml + "styles+xml"),
        ("/word/settings.xml", wml + "settings+xml"),
        ("/word/webSettings.xml", wml + "webSettings+xml"),
        ("/word/fontTable.xml", wml + "fontTable+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", ct + "extended-properties+xml"),
    )
    body = ('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>')
    body += "".join(f'<Override PartName="{n}" ContentType="{c}"/>' for n, c in overrides)
    return f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{body}</Types>'


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def rels_xml(rels: tuple[tuple[str, str, str], ...]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
    return f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


def core_xml(title: str, date: str) -> str:
    return (
        f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>formkit build_third</dc:creator>"
        "<cp:lastModifiedBy>formkit build_third</cp:lastModifiedBy><cp:revision>7</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>'
    )


def app_xml() -> str:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    props = (("Template", "Normal.dotm"), ("TotalTime", "42"), ("Pages", "2"), ("Words", "318"),
             ("Characters", "1813"), ("Application", "Microsoft Office Word"), ("DocSecurity", "0"),
             ("Lines", "15"), ("Paragraphs", "4"), ("ScaleCrop", "false"), ("Company", ""),
             ("LinksUpToDate", "false"), ("CharactersWithSpaces", "2127"), ("SharedDoc", "false"),
             ("HyperlinksChanged", "false"), ("AppVersion", "16.0000"))
    body = "".join(f"<{k}/>" if not v else f"<{k}>{v}</{k}>" for k, v in props)
    return f'{DECL}<Properties xmlns="{ns}" xmlns:vt="{vt}">{body}</Properties>'


def package(document: str, title: str, date: str) -> list[tuple[str, bytes]]:
    """The zip members in the order Word writes them, around ``document`` (document.xml)."""
    members = [
        ("[Content_Types].xml", content_types_xml()),
        ("_rels/.rels", rels_xml((
            ("rId3", REL + "extended-properties", "docProps/app.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
             "docProps/core.xml"),
            ("rId1", REL + "officeDocument", "word/document.xml"),
        ))),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", rels_xml((
            ("rId3", REL + "webSettings", "webSettings.xml"),
            ("rId2", REL + "settings", "settings.xml"),
            ("rId1", REL + "styles", "styles.xml"),
            ("rId4", REL + "fontTable", "fontTable.xml"),
        ))),
        ("word/settings.xml", settings_xml()),
        ("word/styles.xml", styles_xml()),
        ("word/webSettings.xml", web_settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
        ("docProps/core.xml", core_xml(title, date)),
        ("docProps/app.xml", app_xml()),
    ]
    return [(name, text.encode("utf-8")) for name, text in members]
