"""Parse one XML part of a returned package, refusing anything but plain XML.

A returned .docx is untrusted input, and XML carries its own attack surface
through the document type declaration (DTD): internal entities allow
exponential expansion ("billion laughs"), external entities and external DTD
subsets make the parser read local files or fetch URLs (XXE). ECMA-376 Part 2
(Open Packaging Conventions, 2nd edition numbering, ISO/IEC 29500-2:2008)
§9.1.4 "XML Usage" closes that door for every OPC part:

* [M1.17] XML content is UTF-8 or UTF-16; an encoding declaration names no
  other encoding.
* [M1.18] DTD declarations shall not be used, and a package reader "shall treat
  the presence of DTD declarations as an error".

Word never writes a DOCTYPE, so a part that has one was produced or altered by
something else, and we refuse it with ``unsafe-xml`` *before* libxml2 sees it.
The parser is additionally configured never to resolve entities, never to load
a DTD and never to touch the network, and the parsed tree is checked once more
for any DTD (belt and braces).

libxml2 behaviours this module relies on or guards against:

* it auto-detects UTF-16 from a byte-order mark or from the ``<?`` pattern
  ``3C 00 3F 00`` / ``00 3C 00 3F``; the pre-scan decodes the prolog the same
  way, so a UTF-16 DOCTYPE cannot slip past a byte-level search;
* it also honours declarations such as ``encoding="UTF-7"`` or EBCDIC, in
  which ``<!DOCTYPE`` is not visible as ASCII bytes; those encodings are
  refused (OPC [M1.17] forbids them anyway); only ASCII-compatible encodings
  (UTF-8, and single-byte ISO-8859-x / windows-125x written by some tools)
  and UTF-16 are accepted;
* ``huge_tree=True`` lifts libxml2's 10 MB text-node and depth limits: large
  valid documents exist, and the package layer already bounds every part's
  size (see :class:`formkit.docx.package.Limits`);
* an ``XMLParser`` is not thread-safe, so each thread gets its own.
"""
from __future__ import annotations

import codecs
import re
import threading

from lxml import etree

from formkit.errors import FormkitError

__all__ = ["parse_xml"]

# Encodings whose bytes for "<", "!", "?" and ASCII letters are the ASCII ones,
# so the prolog can be scanned after a lossless latin-1 decoding.
# Both compiled on first use (re's cache): a UTF-16 part is rare.
_ASCII_COMPATIBLE = r"(?i)(utf-?8|(us-)?ascii|iso[-_]?8859-\d{1,2}|latin-?1|windows-125\d|cp125\d)"
_UTF16_NAMES = r"(?i)(utf-?16|utf-?16le|utf-?16be|ucs-?2)"
_ENCODING_DECL = re.compile(
    r"""\A<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']"""
)
# Markup declarations that only exist inside (or as) a DTD.
_DTD_KEYWORDS = ("DOCTYPE", "ENTITY", "ELEMENT", "ATTLIST", "NOTATION")
_FIRST_WINDOW = 4096
_local = threading.local()


def _parser() -> etree.XMLParser:
    """This thread's parser: lxml parsers keep state and must not be shared."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=True,
            remove_blank_text=False,
        )
        _local.parser = parser
    return parser


def _unsafe(part: str, what: str) -> FormkitError:
    return FormkitError(
        "unsafe-xml",
        f"part {part} contains {what}; XML with a document type declaration "
        "or entities is refused and never resolved (ECMA-376 Part 2 §9.1.4). "
        "Word never writes this, so the file was altered by another program: "
        "open the original in Word, save it as .docx and send it again",
    )


def _bad_encoding(part: str, encoding: str) -> FormkitError:
    return FormkitError(
        "bad-xml",
        f"part {part} is encoded as {encoding}; Word documents use UTF-8 or "
        "UTF-16 only (ECMA-376 Part 2 §9.1.4). Open the document in Word, "
        "save it as .docx and send it again",
    )


def _detect_codec(data: bytes, part: str) -> tuple[str, int]:
    """Return (Python codec, bytes to skip) for scanning the prolog.

    Mirrors libxml2's auto-detection (XML 1.0 Appendix F): a byte-order mark,
    else the ``<?`` pattern in UTF-16, else an ASCII-compatible encoding.
    UTF-32 and EBCDIC, which libxml2 would also accept, are refused.
    """
    head = data[:4]
    if head in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"<\x00\x00\x00", b"\x00\x00\x00<"):
        raise _bad_encoding(part, "UTF-32")
    if head == b"\x4c\x6f\xa7\x94":
        raise _bad_encoding(part, "EBCDIC")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    if head == b"<\x00?\x00":
        return "utf-16-le", 0
    if head == b"\x00<\x00?":
        return "utf-16-be", 0
    return "latin-1", 0


def _check_declared_encoding(text: str, codec: str, part: str) -> None:
    """Refuse an encoding declaration that would hide markup from the scan."""
    match = _ENCODING_DECL.match(text)
    if match is None:
        return
    declared = match.group(1).strip()
    allowed = _UTF16_NAMES if codec.startswith("utf-16") else _ASCII_COMPATIBLE
    if not re.fullmatch(allowed, declared):
        raise _bad_encoding(part, repr(declared))


def _scan_prolog(text: str, complete: bool, part: str) -> bool:
    """Walk the prolog (XML 1.0 §2.8) up to the root element's start tag.

    Comments and processing instructions are skipped whole, so a ``<`` inside
    them is not taken for the root. Raises ``unsafe-xml`` at any DTD markup
    declaration. Returns False when ``text`` ends before the prolog does and
    more of the document is needed (only when not ``complete``).
    """
    i = 0
    while True:
        j = text.find("<", i)
        if j < 0:
            return complete
        head = text[j : j + 10]
        if not complete and len(head) < 10:
            return False
        if head.startswith("<?") or head.startswith("<!--"):
            close = "?>" if head.startswith("<?") else "-->"
            end = text.find(close, j + 2)
            if end < 0:
                return complete
            i = end + len(close)
            continue
        if head.startswith("<!"):
            word = head[2:].upper()
            for keyword in _DTD_KEYWORDS:
                if word.startswith(keyword):
                    raise _unsafe(part, f"a <!{keyword} declaration")
        return True  # the root start tag (or malformed markup: the parser says)


def _refuse_dtd_in_prolog(data: bytes, part: str) -> None:
    """Refuse a DOCTYPE/ENTITY before parsing, decoding only the prolog.

    The window grows geometrically until the root start tag is seen, so a long
    run of comments costs linear time and a normal part decodes 4 KiB.
    """
    codec, skip = _detect_codec(data, part)
    body = data[skip:]
    window = _FIRST_WINDOW
    while True:
        chunk = body[:window]
        complete = len(chunk) == len(body)
        if codec.startswith("utf-16") and len(chunk) % 2:
            chunk = chunk[:-1]
        text = chunk.decode(codec, errors="replace")
        if window == _FIRST_WINDOW:
            _check_declared_encoding(text, codec, part)
        if _scan_prolog(text, complete, part):
            return
        window *= 4


_POSITION_SUFFIX = r",\s*line \d+, column \d+\s*$"  # compiled on first use: XML that is not well-formed


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse the bytes of package part ``part`` and return its root element.

    Raises :class:`FormkitError` ``unsafe-xml`` for any DTD/entity declaration
    (checked before and after parsing), ``bad-xml`` for a disallowed encoding
    or XML that is not well-formed. Never resolves an entity, never reads a
    file, never opens a network connection.
    """
    _refuse_dtd_in_prolog(data, part)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        reason = " ".join(re.sub(_POSITION_SUFFIX, "", str(exc.msg or "syntax error")).split())
        raise FormkitError(
            "bad-xml",
            f"part {part} is not well-formed XML (line {exc.lineno}: {reason}); "
            "the file is damaged: open it in Word, save it again and resend it",
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _unsafe(part, "a <!DOCTYPE declaration")
    return root
