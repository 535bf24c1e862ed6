"""formkit.docx.xmlsafe: plain XML parses; DTDs, entities and odd encodings are refused."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from lxml import etree

from formkit.docx import xmlsafe
from formkit.errors import FormkitError
from formkit.docx.xmlsafe import parse_xml

PART = "word/document.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Été ✓</w:t></w:r></w:p></w:body></w:document>'


def encode(text: str, how: str) -> bytes:
    """``text`` in one of the byte forms a part may arrive in."""
    if how == "utf-8":
        return text.encode("utf-8")
    if how == "utf-8-bom":
        return text.encode("utf-8-sig")
    if how == "utf-16-bom":
        return text.encode("utf-16")  # BOM, native order
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if how in ("utf-16-le", "utf-16-be"):  # no BOM: detected from "<?" (needs a declaration)
        return text.encode(how)
    raise AssertionError(how)


ENCODINGS = ["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be"]


def declared(body: str, how: str) -> str:
    enc = "UTF-16" if how.startswith("utf-16") else "UTF-8"
    return f'<?xml version="1.0" encoding="{enc}" standalone="yes"?>\n{body}'


def raises(data: bytes, code: str) -> FormkitError:
    with pytest.raises(FormkitError) as info:
        parse_xml(data, PART)
    assert info.value.code == code
    assert PART in info.value.message
    return info.value


def prescan_refuses(data: bytes) -> None:
    """The scan alone (before libxml2 sees the bytes) must already refuse."""
    with pytest.raises(FormkitError) as info:
        xmlsafe._refuse_dtd_in_prolog(data, PART)
    assert info.value.code == "unsafe-xml"


# -- good XML ------------------------------------------------------------------

@pytest.mark.parametrize("how", ENCODINGS)
def test_good_xml_parses_in_every_allowed_encoding(how: str) -> None:
    root = parse_xml(encode(declared(GOOD, how), how), PART)
    assert root.tag == f"{{{W}}}document"
    assert root.findtext(f".//{{{W}}}t") == "Été ✓"


@pytest.mark.parametrize(
    "prolog",
    [
        "",
        '<?xml version="1.0"?>',
        '<?xml version="1.0" encoding="ISO-8859-1"?>',
        '<?xml version="1.0"?><!-- a comment --><?mso-application progid="Word.Document"?>',
        "<!-- <fake-root> and <!DOCTYPE in a comment are only text -->",
        "<?pi <!ENTITY inside a processing instruction?>",
    ],
)
def test_prolog_comments_and_pis_are_fine(prolog: str) -> None:
    root = parse_xml((prolog + "\n<root a='1'>x</root>").encode("latin-1"), PART)
    assert (root.tag, root.get("a"), root.text) == ("root", "1", "x")


def test_whitespace_big_text_and_deep_nesting_are_kept() -> None:
    big = "y" * (11 * 2**20)  # over libxml2's 10 MB text-node limit: huge_tree is on
    root = parse_xml(f"<r>  <a> </a>{big}</r>".encode(), PART)
    assert root.text == "  " and root[0].text == " " and len(root[0].tail) == len(big)
    deep = parse_xml(b"<a>" * 300 + b"</a>" * 300, PART)  # libxml2's default cap is 256
    assert sum(1 for _ in deep.iter()) == 300


def test_one_parser_per_thread() -> None:
    mine = xmlsafe._parser()
    assert xmlsafe._parser() is mine
    theirs: list[etree.XMLParser] = []
    thread = threading.Thread(target=lambda: theirs.append(xmlsafe._parser()))
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not mine


def test_parallel_parses_do_not_interfere() -> None:
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for _ in range(200):
                assert parse_xml(f"<r{i}>{i}</r{i}>".encode(), PART).text == str(i)
                with pytest.raises(FormkitError):
                    parse_xml(b"<broken>", PART)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# -- DTDs and entities -----------------------------------------------------------

@pytest.mark.parametrize("how", ENCODINGS)
def test_doctype_is_refused_in_every_encoding(how: str) -> None:
    body = '<!DOCTYPE w:document [<!ENTITY x "boo">]>' + GOOD.replace("Été", "&x;")
    data = encode(declared(body, how), how)
    exc = raises(data, "unsafe-xml")
    assert "DOCTYPE" in exc.message
    prescan_refuses(data)


@pytest.mark.parametrize(
    "prolog",
    [
        "<!DOCTYPE root>",
        "<!doctype root>",
        '<!ENTITY x "y">',
        "<!-- <root> --><!DOCTYPE root>",  # a fake root inside a comment
        "<!--" + "c" * 70_000 + "--><!DOCTYPE root>",  # past the first scan windows
        "<?pi " + "p" * 5000 + "?>\n<!DOCTYPE root>",
    ],
)
def test_dtd_anywhere_in_the_prolog_is_refused(prolog: str) -> None:
    data = f'<?xml version="1.0"?>{prolog}<root/>'.encode()
    raises(data, "unsafe-xml")
    prescan_refuses(data)
    prescan_refuses(data.decode().encode("utf-16"))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-7731")
    return path


def xxe_payloads(secret: Path) -> list[str]:
    uri = secret.as_uri()
    return [
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{uri}">]><r>&x;</r>',
        f'<!DOCTYPE r SYSTEM "{uri}"><r>&x;</r>',
        f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{uri}"> %p;]><r/>',
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{uri}">]><r a="&x;">&x;</r>',
    ]


@pytest.mark.parametrize("which", range(4))
@pytest.mark.parametrize("how", ["utf-8", "utf-16-bom"])
def test_external_entities_never_read_the_file(secret: Path, which: int, how: str) -> None:
    data = encode(xxe_payloads(secret)[which], how)
    exc = raises(data, "unsafe-xml")
    assert "TOP-SECRET" not in str(exc)
    prescan_refuses(data)


@pytest.mark.parametrize("which", range(4))
def test_parser_alone_never_resolves_even_without_the_prescan(
    secret: Path, which: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Belt and braces: with the prolog scan disabled, the parser still loads
    nothing, and the post-parse DTD check (or a well-formedness error) refuses."""
    monkeypatch.setattr(xmlsafe, "_refuse_dtd_in_prolog", lambda data, part: None)
    with pytest.raises(FormkitError) as info:
        parse_xml(xxe_payloads(secret)[which].encode(), PART)
    assert info.value.code in ("unsafe-xml", "bad-xml")
    assert "TOP-SECRET" not in str(info.value)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]><lolz>&lol9;</lolz>"
)


@pytest.mark.parametrize("prescan", [True, False])
def test_billion_laughs_is_refused_quickly(prescan: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not prescan:
        monkeypatch.setattr(xmlsafe, "_refuse_dtd_in_prolog", lambda data, part: None)
    start = time.perf_counter()
    with pytest.raises(FormkitError) as info:
        parse_xml(BILLION_LAUGHS.encode(), PART)
    # libxml2 alone stops it too ("entity amplification factor exceeded")
    assert info.value.code == "unsafe-xml" if prescan else info.value.code in ("unsafe-xml", "bad-xml")
    assert time.perf_counter() - start < 1.0


# -- encodings that would hide markup from the scan ---------------------------------

@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE r+AD4-<r/>',
        b'<?xml version="1.0" encoding="UTF-16"?><r/>',  # 8-bit bytes claiming UTF-16
        b'<?xml version="1.0" encoding="EBCDIC-US"?><r/>',
        "<r/>".encode("utf-32"),
        b"\x4c\x6f\xa7\x94\x93\x40",  # EBCDIC "<?xml "
    ],
)
def test_encodings_outside_opc_are_refused(data: bytes) -> None:
    exc = raises(data, "bad-xml")
    assert "UTF-8 or UTF-16" in exc.message


# -- malformed XML ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"<a>\n<b>\n</a>", 3, "mismatch"),
        (b"", 1, "empty"),
        (b"<a>&undefined;</a>", 1, "undefined"),
        (b"text<a/>", 1, "Start tag expected"),
        (b"<a/>\n<b/>", 2, "Extra content"),
        (b"<a><b>", 1, ""),
        (b"<a>\xff\xfe</a>", 1, ""),
        ("<r/>".encode("utf-16-le"), 1, "invalid character"),  # no BOM, no "<?": not UTF-16
    ],
)
def test_malformed_xml_is_bad_xml_with_line(data: bytes, line: int, reason: str) -> None:
    exc = raises(data, "bad-xml")
    assert f"part {PART} is not well-formed XML (line {line}: " in exc.message
    assert reason.lower() in exc.message.lower()
    assert ", column" not in exc.message  # libxml2's position suffix is folded into "line N"
    assert "\n" not in exc.message
