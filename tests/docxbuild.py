"""Build small .docx packages from WordprocessingML snippets, for tests.

    make_docx('<w:p><w:r><w:t>hello</w:t></w:r></w:p>')  -> bytes of a valid .docx

The snippet is the content of ``w:body`` (or of a header/footer); it may use
every prefix in :data:`NAMESPACES` (w, w14, w15, r, mc, wp, wp14, a, pic, wps,
wpg, v, o, w10, m) without declaring it. Parts and relationship ids are
predictable so snippets can refer to them:

* ``headers={"header1.xml": "<w:p>...</w:p>"}`` adds ``word/header1.xml``
  (a name starting with ``footer`` makes a ``w:ftr`` footer instead), related
  from the document as ``rId_header1`` (``rId_`` + the file stem);
* ``media={"image1.png": b"..."}`` adds ``word/media/image1.png`` related as
  ``rId_image1`` from the document *and* from every header/footer;
* ``styles_xml`` is either a whole ``styles.xml`` or just the children of
  ``w:styles`` (``<w:style>...``); it is related as ``rId_styles``;
* ``extra_rels`` adds relationships of the document part as they are written
  (:class:`RelSpec`: short types such as ``"image"`` expand to the
  officeDocument relationship namespace, targets are relative to ``word/``);
* ``parts`` adds raw package members as given (path -> bytes or str).

When headers or footers are given and the body snippet has no ``w:sectPr``,
a final ``w:sectPr`` is appended referencing each of them as ``default``;
write your own ``w:sectPr`` (with ``r:id="rId_header1"`` ...) to test types.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable, Mapping
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from formkit.docx.ns import NS

__all__ = ["NAMESPACES", "RelSpec", "make_docx", "p", "r", "rel_id"]

NAMESPACES: dict[str, str] = {
    **{k: v for k, v in NS.items() if k not in ("pr", "ct")},
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "w10": "urn:schemas-microsoft-com:office:word",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
_IGNORABLE = "w14 w15 wp14"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_MEDIA_TYPES = {
    "png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
    "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf",
    "wmf": "image/x-wmf", "svg": "image/svg+xml",
}


class RelSpec(NamedTuple):
    """A relationship of ``word/document.xml`` written as given."""

    id: str
    type: str  # "image", "header" ... or a full URI
    target: str  # relative to word/, or a URL when external
    external: bool = False


def rel_id(name: str) -> str:
    """The relationship id make_docx gives a header, footer or media file."""
    return "rId_" + posixpath.splitext(posixpath.basename(name))[0]


def _xmlns() -> str:
    decls = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())
    return f'{decls} mc:Ignorable="{_IGNORABLE}"'


def _root(tag: str, content: str) -> bytes:
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{tag} {_xmlns()}>{content}</{tag}>'
    return xml.encode("utf-8")


def _rels(rels: Iterable[RelSpec]) -> bytes:
    rows = []
    for rel in rels:
        rtype = rel.type if "/" in rel.type else _REL_NS + rel.type
        mode = ' TargetMode="External"' if rel.external else ""
        rows.append(
            f"<Relationship Id={quoteattr(rel.id)} Type={quoteattr(rtype)} "
            f"Target={quoteattr(rel.target)}{mode}/>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL_NS}">{"".join(rows)}</Relationships>'
    ).encode()


def _content_types(overrides: Mapping[str, str], extensions: Iterable[str]) -> bytes:
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml"}
    for ext in extensions:
        defaults.setdefault(ext, _MEDIA_TYPES.get(ext, "application/octet-stream"))
    rows = [f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults.items()]
    rows += [f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in overrides.items()]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'{"".join(rows)}</Types>'
    ).encode()


def _section(headers: Mapping[str, str]) -> str:
    refs = "".join(
        f'<w:{"footer" if _is_footer(n) else "header"}Reference w:type="default" r:id="{rel_id(n)}"/>'
        for n in headers
    )
    return f"<w:sectPr>{refs}</w:sectPr>"


def _is_footer(name: str) -> bool:
    return posixpath.basename(name).startswith("footer")


def make_docx(
    body_xml: str,
    *,
    headers: Mapping[str, str] | None = None,
    media: Mapping[str, bytes] | None = None,
    extra_rels: Iterable[RelSpec] = (),
    styles_xml: str | None = None,
    parts: Mapping[str, bytes | str] | None = None,
) -> bytes:
    """The bytes of a .docx whose body is ``body_xml`` (see the module doc)."""
    headers = dict(headers or {})
    media = dict(media or {})
    if headers and "<w:sectPr" not in body_xml:
        body_xml += _section(headers)
    members: dict[str, bytes] = {
        "_rels/.rels": _rels([RelSpec("rId1", "officeDocument", "word/document.xml")]),
        "word/document.xml": _root("w:document", f"<w:body>{body_xml}</w:body>"),
    }
    overrides = {"word/document.xml": f"{_WML}.document.main+xml"}
    media_rels = [RelSpec(rel_id(n), "image", f"media/{n}") for n in media]
    doc_rels = list(media_rels)
    for name, content in headers.items():
        kind = "footer" if _is_footer(name) else "header"
        members[f"word/{name}"] = _root("w:ftr" if kind == "footer" else "w:hdr", content)
        overrides[f"word/{name}"] = f"{_WML}.{kind}+xml"
        doc_rels.append(RelSpec(rel_id(name), kind, name))
        if media_rels:
            members[f"word/_rels/{name}.rels"] = _rels(media_rels)
    if styles_xml is not None:
        styles = styles_xml if "<w:styles" in styles_xml else None
        members["word/styles.xml"] = (
            styles.encode("utf-8") if styles else _root("w:styles", styles_xml)
        )
        overrides["word/styles.xml"] = f"{_WML}.styles+xml"
        doc_rels.append(RelSpec("rId_styles", "styles", "styles.xml"))
    for name, data in media.items():
        members[f"word/media/{name}"] = data
    doc_rels.extend(extra_rels)
    members["word/_rels/document.xml.rels"] = _rels(doc_rels)
    for path, raw in (parts or {}).items():
        members[path] = raw.encode("utf-8") if isinstance(raw, str) else raw
    extensions = {posixpath.splitext(n)[1].lstrip(".").lower() for n in media}
    members["[Content_Types].xml"] = _content_types(overrides, sorted(extensions))

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", members.pop("[Content_Types].xml"))
        for path, data in members.items():
            zf.writestr(path, data)
    return out.getvalue()


def r(text: str = "", *, font: str | None = None, props: str = "", content: str | None = None) -> str:
    """A run: ``text`` in a ``w:t`` (escaped, spaces kept), ``font`` as
    ``w:rFonts`` ascii/hAnsi, ``props`` more raw ``w:rPr`` children, or raw
    run ``content`` instead of the text."""
    rpr = props
    if font is not None:
        rpr = f'<w:rFonts w:ascii={quoteattr(font)} w:hAnsi={quoteattr(font)}/>' + rpr
    inner = content if content is not None else f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{inner}</w:r>"


def p(*content: str, style: str | None = None, ppr: str = "") -> str:
    """A paragraph of ``content``: a string starting with ``<`` is raw XML, any
    other becomes a run of that text; with an optional ``w:pStyle`` and more
    raw ``w:pPr`` children."""
    inner = "".join(c if c.lstrip().startswith("<") else r(c) for c in content)
    props = (f'<w:pStyle w:val={quoteattr(style)}/>' if style else "") + ppr
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{inner}</w:p>"
