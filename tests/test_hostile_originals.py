"""Originals whose static text looks like template code: nothing is ever evaluated.

An office copy (or a hostile file) given as ``--original`` may hold Jinja or
docxtpl tag syntax anywhere: in the body, a table cell, a text box, the page
header (where fill writes the office), a footer, a field instruction, an
attribute, an XML comment; whole in one run or split over several runs with
other XML between them (the way docxtpl's ``patch_xml`` would glue the pieces
back into a live tag). Every payload must print literally and no expression
may run (one of them would create a file).
"""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from formkit import forms
from formkit.cli import main
from formkit.fill.filler import Filler
from formkit.docx.ns import NS, qn
from tests.conftest import ROOT

W = NS["w"]
ORIGINAL = ROOT / "forms" / "esao-1-2" / "original.docx"
RECORD = json.loads((ROOT / "samples" / "esao-1-2" / "record-1.json").read_text("utf-8"))
PWNED = "formkit-pwned.txt"

PAYLOADS = [
    "{{ 7*7 }}",
    "{% if true %}IF-RAN{% endif %}",
    "{# a comment #}",
    "{%p if false %}",
    "{%p endif %}",
    "{{r 7*7 }}",
    "{%tr for x in [1] %}",
    "{%tc endfor %}",
    "{{p 7*7 }}",
    "{_{ 7*7 }_} {_% x %_}",
    "{% raw %}{{ 6*7 }}{% endraw %}",
    "{{ '{' }} {{ \"}}\" }}",
    "{{ cycler.__init__.__globals__.os.system('touch " + PWNED + "') }}",
    "{{ self.__init__.__globals__.__builtins__.open('" + PWNED + "', 'w') }}",
    "{% for x in range(10**9) %}{% endfor %}",
    "lone { and } and %} and }} and {",
]


def _chunks(text: str, k: int) -> list[str]:
    """``text`` cut into ``k`` pieces, the cuts right after each "{" where
    possible (the split docxtpl would re-glue)."""
    cuts = [i + 1 for i, ch in enumerate(text) if ch == "{"][: k - 1]
    cuts += [len(text) * (n + 1) // k for n in range(k - 1 - len(cuts))]
    cuts = sorted(set(c for c in cuts if 0 < c < len(text)))
    edges = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(edges, edges[1:]) if b > a]


def _runs(text: str, k: int) -> list[etree._Element]:
    """Runs holding ``text`` in ``k`` pieces, with the XML Word puts between
    runs (proofing marks, bookmarks) in between."""
    out: list[etree._Element] = []
    for n, piece in enumerate(_chunks(text, k)):
        if n:
            out.append(etree.Element(qn("w:proofErr"), {qn("w:type"): "spellStart"}))
            out.append(etree.Element(qn("w:bookmarkStart"), {qn("w:id"): str(900 + n), qn("w:name"): f"b{n}"}))
        run = etree.Element(qn("w:r"))
        t = etree.SubElement(run, qn("w:t"))
        t.text = piece
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        out.append(run)
    return out


def _marked(n: int, payload: str) -> str:
    return f"<<{n}|{payload}|{n}>>"


def _paragraph(text: str, k: int) -> etree._Element:
    p = etree.Element(qn("w:p"))
    for el in _runs(text, k):
        p.append(el)
    return p


def _text(xml: bytes) -> str:
    """Every w:t and w:instrText of a part, paragraph by paragraph."""
    root = etree.fromstring(xml)
    lines = []
    for p in root.iter(qn("w:p")):
        lines.append("".join(t.text or "" for t in p.iter(qn("w:t"), qn("w:instrText"))))
    return "\n".join(lines)


def _hostile_original(k: int, answer: bool = False) -> tuple[bytes, list[str]]:
    """The real esao-1-2 original with every payload, split into ``k`` runs,
    in the body, a table cell, a text box, the header, an attribute, a field
    instruction and an XML comment; with ``answer``, also typed before a
    dotted blank's dots (an answer: fill refuses such an original unless
    cleared, tests/test_fill_copies.py). Returns the .docx and the texts that
    must come out literally."""
    with zipfile.ZipFile(ORIGINAL) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    doc = etree.fromstring(members["word/document.xml"])
    head = etree.fromstring(members["word/header1.xml"])
    body = doc.find(qn("w:body"))
    cell_p = next(doc.iter(qn("w:tc"))).find(qn("w:p"))
    dotted = next(p for p in body.iter(qn("w:p")) if "......" in "".join(p.itertext()))
    expected: list[str] = []
    for n, payload in enumerate(PAYLOADS):
        text = _marked(n, payload)
        expected.append(text)
        body.insert(n, _paragraph(text, k))  # body, before the form's first line
        for el in _runs(_marked(100 + n, payload), k):  # inside a table cell's paragraph
            cell_p.append(el)
        expected.append(_marked(100 + n, payload))
        head.append(_paragraph(_marked(200 + n, payload), k))
        expected.append(_marked(200 + n, payload))
    at = 1 if dotted.find(qn("w:pPr")) is not None else 0
    for n, el in enumerate(_runs(_marked(300, PAYLOADS[0]), k) if answer else []):  # before a blank's dots
        dotted.insert(at + n, el)
    box = etree.fromstring(
        f'<w:p xmlns:w="{W}"><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml">'
        f'<v:textbox><w:txbxContent/></v:textbox></v:shape></w:pict></w:r></w:p>')
    box.find(".//" + qn("w:txbxContent")).append(_paragraph(_marked(400, PAYLOADS[1]), k))
    body.insert(0, box)
    field = etree.fromstring(
        f'<w:p xmlns:w="{W}"><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> QUOTE "{{{{ 7*7 }}}}" </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:bookmarkStart w:id="990" w:name="{{{{ 6*7 }}}}"/><w:bookmarkEnd w:id="990"/></w:p>')
    body.insert(0, field)
    body.insert(0, etree.Comment(" {{ 7*7 }} {% if x %} "))
    expected += [_marked(300, PAYLOADS[0])] if answer else []
    expected += [_marked(400, PAYLOADS[1]), ' QUOTE "{{ 7*7 }}" ']
    members["word/document.xml"] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", standalone=True)
    members["word/header1.xml"] = etree.tostring(head, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue(), expected


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check_output(data: bytes, expected: list[str], cwd: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        doc, head = zf.read("word/document.xml"), zf.read("word/header1.xml")
    text = _text(doc) + "\n" + _text(head)
    missing = [e for e in expected if e not in text]
    assert not missing, f"printed differently or evaluated: {missing[:3]}"
    assert "IF-RAN" not in text.replace("{% if true %}IF-RAN{% endif %}", "")
    assert not (cwd / PWNED).exists(), "an expression from the original ran"
    names = [el.get(qn("w:name")) for el in etree.fromstring(doc).iter(qn("w:bookmarkStart"))]
    assert "{{ 6*7 }}" in names


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_static_text_of_a_hostile_original_prints_literally(k: int, in_tmp: Path) -> None:
    data, expected = _hostile_original(k)
    (in_tmp / "evil.docx").write_bytes(data)
    filler = Filler(forms.load("esao-1-2"), in_tmp / "evil.docx")
    out = io.BytesIO()
    record = {key: value for key, value in RECORD.items() if key != "office"}  # the header keeps its text
    filler.render(record, out)
    _check_output(out.getvalue(), expected, in_tmp)
    filled = io.BytesIO()
    filler.render(RECORD, filled)  # the record's answers are written as well
    with zipfile.ZipFile(filled) as zf:
        text = _text(zf.read("word/document.xml")) + _text(zf.read("word/header1.xml"))
    assert RECORD["office"] in text and RECORD["suggestions"] in text
    assert not (in_tmp / PWNED).exists()


def _cli(args: list[str], cwd: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("command", ["fill", "bulk", "check", "learn"])
def test_every_command_that_takes_an_original(command: str, in_tmp: Path) -> None:
    data, expected = _hostile_original(2)
    (in_tmp / "evil.docx").write_bytes(data)
    (in_tmp / "rec.json").write_text(json.dumps({k: v for k, v in RECORD.items() if k != "office"}), "utf-8")
    (in_tmp / "rows.jsonl").write_text(json.dumps({"process": "x"}) + "\n", "utf-8")
    runs: dict[str, Callable[[], Path | None]] = {
        "fill": lambda: _run(["fill", "esao-1-2", "rec.json", "-o", "out.docx", "--original", "evil.docx"], "out.docx"),
        "bulk": lambda: _run(["bulk", "esao-1-2", "rows.jsonl", "-o", "outdir", "--original", "evil.docx"], None),
        "check": lambda: _check_roundtrip(["check", "esao-1-2", "--original", "evil.docx", "--roundtrip", "3"]),
        "learn": lambda: _learn_then_check(in_tmp),
    }
    written = runs[command]()
    if written is not None:
        _check_output(written.read_bytes(), expected, in_tmp)
    elif command == "bulk":
        (doc,) = (in_tmp / "outdir").iterdir()
        with zipfile.ZipFile(doc) as zf:
            assert _marked(0, PAYLOADS[0]) in _text(zf.read("word/document.xml"))
    assert not (in_tmp / PWNED).exists()


def _run(args: list[str], out: str | None) -> Path | None:
    code, output = _cli(args, Path.cwd())
    assert code == 0, output
    return Path(out) if out else None


def _check_roundtrip(args: list[str]) -> None:
    """check's round trip reads the payloads back as written (in the header
    they are part of the office's name there, so the round trip differs:
    exit 1, said plainly)."""
    code, output = _cli(args, Path.cwd())
    assert code in (0, 1) and "Traceback" not in output, output
    assert "round trip:" in output
    assert code == 0 or _marked(200, PAYLOADS[0]) in output


def _learn_then_check(cwd: Path) -> None:
    code, output = _cli(["learn", "evil.docx", "--id", "evil", "-o", str(cwd / "learned")], cwd)
    assert code == 0, output
    code, output = _cli(["check", str(cwd / "learned"), "--roundtrip", "3"], cwd)
    assert "Traceback" not in output
    assert not (cwd / PWNED).exists()
    return None


def test_the_original_never_reaches_jinja(in_tmp: Path) -> None:
    """The structural guarantee, read off what Jinja compiles: formkit's own
    tags (names f, w, line, item, row, loop, static; no arithmetic, no call)
    and references to pieces of static XML, no text at all; the payloads
    are in those pieces, verbatim."""
    from jinja2 import Environment

    data, _ = _hostile_original(3)
    (in_tmp / "evil.docx").write_bytes(data)
    template = Filler(forms.load("esao-1-2"), in_tmp / "evil.docx").template
    form = forms.load("esao-1-2")
    ours = {"f", "w", "line", "item", "row", "loop", "index", "length", "static", "if", "else", "endif",
            "for", "endfor", "in", "and", "not"} | {f.name for f in form.fields} \
        | {key for f in form.fields for key, _ in f.items}
    for name, part in template.parts.items():
        tokens = [(kind, value) for _, kind, value in Environment().lex(part.skeleton())]
        assert not [value for kind, value in tokens if kind == "data"], name
        names = {value for kind, value in tokens if kind == "name"}
        assert names <= ours, (name, names - ours)
        assert ("operator", "*") not in tokens and ("operator", "(") not in tokens, name
    static = "".join(template.parts["word/document.xml"].static)
    assert " cycler.__init__.__globals__.os.system('touch" in static
