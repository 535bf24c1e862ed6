"""Documents that point outside themselves, one per way of linking, for the
tests of formkit.office.unlink and of LibreOffice's isolation.

    linked_documents("http://127.0.0.1:PORT") -> {"image-rel.docx": bytes, ...}

Every document names its own path under the URL (``/image-rel.png``), so a
request tells which document made it. ``make_odt`` builds a small .odt from
the children of ``office:text``.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import quoteattr

from tests.docxbuild import RelSpec, make_docx, p, r

ODF_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
_ODT = "application/vnd.oasis.opendocument.text"


def make_odt(body: str, *, members: dict[str, bytes] | None = None, settings: str = "") -> bytes:
    """An .odt whose ``office:text`` holds ``body``; ``members`` are added
    as given (pictures ...), ``settings`` is the content of settings.xml's
    ``office:settings``."""
    decls = " ".join(f"xmlns:{k}={quoteattr(v)}" for k, v in ODF_NS.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {decls} office:version="1.2">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    listed = [*(members or {}), *(["settings.xml"] if settings else [])]
    entries = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type=""/>'
                      for name in listed)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODT}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                f"{entries}</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), _ODT, zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
        if settings:
            zf.writestr("settings.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {decls}>'
                                        f"<office:settings>{settings}</office:settings></office:document-settings>")
        for name, data in (members or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def picture(attr: str, width: int = 914400, height: int = 914400) -> str:
    """A run holding an inline DrawingML picture whose ``a:blip`` carries ``attr``."""
    return ('<w:r><w:drawing><wp:inline><wp:extent cx="{w}" cy="{h}"/><wp:docPr id="1" name="P"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            '<pic:nvPicPr><pic:cNvPr id="1" name="x"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
            f'<a:blip {attr}/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
            '<a:off x="0" y="0"/><a:ext cx="{w}" cy="{h}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
            '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>').replace(
                "{w}", str(width)).replace("{h}", str(height))


def field(*instruction: str, result: str = "cached result") -> str:
    """A paragraph holding a complex field whose instruction is split over
    one run per piece of ``instruction``."""
    pieces = [r(content=f'<w:instrText xml:space="preserve">{part}</w:instrText>') for part in instruction]
    return p(r(content='<w:fldChar w:fldCharType="begin"/>'), *pieces, r(content='<w:fldChar w:fldCharType="separate"/>'),
             r(result), r(content='<w:fldChar w:fldCharType="end"/>'))


def _simple_field(instruction: str) -> str:
    return f"<w:fldSimple w:instr={quoteattr(instruction)}>{r('cached result')}</w:fldSimple>"


def _image_rel(url: str) -> list[RelSpec]:
    return [RelSpec("rIdOut", "image", url, external=True)]


def odt_picture(href: str) -> str:
    """An .odt paragraph holding a picture frame whose image is ``href``."""
    return ('<text:p>before<draw:frame draw:name="i" text:anchor-type="as-char" svg:width="2cm" '
            f'svg:height="2cm"><draw:image xlink:href={quoteattr(href)} xlink:type="simple" xlink:show="embed" '
            'xlink:actuate="onLoad"/></draw:frame>after</text:p>')


def linked_documents(url: str) -> dict[str, bytes]:
    """One document per kind of link LibreOffice could follow, each to
    ``url`` + ``/<its own stem>.<ext>``."""
    def to(name: str, ext: str = "png") -> str:
        return f"{url}/{name}.{ext}"

    docx = {
        "image-rel": (p("text", picture('r:link="rIdOut"')), _image_rel(to("image-rel"))),
        "image-embed-rel": (p("text", picture('r:embed="rIdOut"')), _image_rel(to("image-embed-rel"))),
        "includepicture": (field(" INCLUDE", f'PICTURE "{to("includepicture")}"', " \\d "), []),
        "includetext": (field(f' INCLUDETEXT "{to("includetext", "rtf")}" '), []),
        "fldsimple": (p(_simple_field(f' INCLUDEPICTURE "{to("fldsimple")}" ')), []),
        "vml-image": (p(r(content='<w:pict><v:shape style="width:50pt;height:50pt">'
                                  '<v:imagedata r:id="rIdOut" o:title=""/></v:shape></w:pict>')),
                      _image_rel(to("vml-image"))),
        "ole-link": (p(r(content='<w:object><v:shape id="s1" style="width:50pt;height:50pt"/><o:OLEObject '
                                 'Type="Link" ProgID="Word.Document.12" ShapeID="s1" DrawAspect="Content" '
                                 'r:id="rIdOut" UpdateMode="Always"><o:LinkType>EnhancedMetafile</o:LinkType>'
                                 '</o:OLEObject></w:object>')),
                     [RelSpec("rIdOut", "oleObject", to("ole-link", "docx"), external=True)]),
        "vml-src": (p(r(content=f'<w:pict><v:shape style="width:50pt;height:50pt"><v:imagedata '
                                f'src={quoteattr(to("vml-src"))} o:href={quoteattr(to("vml-src-href"))}/>'
                                '</v:shape></w:pict>')), []),
    }
    out = {f"{name}.docx": make_docx(body, extra_rels=rels) for name, (body, rels) in docx.items()}
    out["image.odt"] = make_odt(odt_picture(to("image")))
    out["object.odt"] = make_odt(
        '<text:p><draw:frame draw:name="o" text:anchor-type="as-char" svg:width="2cm" svg:height="2cm">'
        f'<draw:object xlink:href={quoteattr(to("object", "odt"))} xlink:type="simple" xlink:show="embed" '
        'xlink:actuate="onLoad"/></draw:frame></text:p>')
    out["section.odt"] = make_odt(
        f'<text:section text:name="S"><text:section-source xlink:href={quoteattr(to("section", "odt"))} '
        'xlink:type="simple" xlink:show="embed" text:filter-name="writer8"/><text:p>cached</text:p></text:section>',
        settings='<config:config-item-set config:name="ooo:configuration-settings"><config:config-item '
                 'config:name="LinkUpdateMode" config:type="short">2</config:config-item></config:config-item-set>')
    rtf_field = '{\\field{\\*\\fldinst {\\rtlch INCLUDEPICTURE "%s" \\\\d }}{\\fldrslt {cached result}}}'
    out["includepicture.rtf"] = (
        "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 before " + rtf_field % to("includepicture-rtf") + " after\\par}").encode()
    return out
