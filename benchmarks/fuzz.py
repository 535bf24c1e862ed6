#!/usr/bin/env python3
"""Fuzz formkit's readers for a fixed time: ``python benchmarks/fuzz.py --minutes 10 --seed N``.

Seeded random mutation of real inputs (every sample and every shipped
original), no extra packages:

* XML-level, on ``word/document.xml`` (now and then another XML part): delete,
  duplicate (once or hundreds of times), swap and move elements, rename
  elements, drop attributes, give attributes random values, cut text, insert
  odd glyph characters (symbol-font private-use codes, box glyphs, zero-width
  and combining marks, RTL marks), wrap elements in deep nesting, truncate the
  serialized part;
* byte-level, on the zip: bit flips, random bytes, truncation, inserted or
  repeated ranges, splices of two files, and targeted writes into the local
  and central directory headers (sizes, method, flags, name lengths, offsets).

Each mutant goes to :func:`formkit.read.parse.parse_file` (bytes, name), and the
mutants of an original (or of a blank or office copy) also to the fill side:
``Filler(form, path)`` derives the template from it, then renders a sample
record. A normal result, or a :class:`formkit.errors.FormkitError` with a
registered code, is fine. Anything else is a crash and is saved under
``tests/fuzz_regressions/`` with a name saying what crashed:

* an exception escaping (``parse-crash-KeyError-<function>-<sha8>.docx``,
  ``derive-esao-1-2-crash-IndexError-<function>-<sha8>.docx``, the function
  being the innermost formkit frame);
* an ``internal-error`` result (``parse-internal-error-ValueError-<function>-<sha8>.docx``):
  parse turned a bug into a result;
* an unregistered error code;
* a hang: one input running over ``--timeout`` seconds (``parse-slow-<sha8>.docx``);
* memory: one input raising the process's peak RSS by over ``--memory-mb``
  (``parse-memory-<sha8>.docx``).

One input is kept per distinct crash (kind, exception type and the innermost
formkit frame), the smallest seen; beside it a ``.txt`` says how it was made
and what happened. ``tests/test_fuzz_smoke.py`` runs :func:`fuzz` for a few
seconds and replays every saved input. At the end the script prints minutes
run, inputs tried and crashes found (exit status 1 when any were found).
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import io
import random
import resource
import signal
import struct
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from formkit.errors import ERROR_CODES, FormkitError  # noqa: E402

REGRESSIONS = ROOT / "tests" / "fuzz_regressions"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = "word/document.xml"

# Characters that exercise the checkbox and text code: symbol-font private-use
# glyphs (Wingdings boxes and ticks), Unicode boxes and marks, zero-width and
# combining characters, Thai, RTL controls, odd spaces, the replacement char.
GLYPHS = (
    "\uf052\uf0a3\uf0fe\uf072\uf06f\uf0a8\uf0fd\uf0fb\uf0fc\uf078"
    "☐☑☒□■✓✔✗✘❒❑❏⬜✅"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u2009\u3000\t"
    "\u0e4d\u0e32\u0e33\u0e48\u0e49\u0e31\u0e47\u0e4c\u0e3a"
    "\u0301\u0308\u0336\u202e\u202d\u200f\u061c"
    "\ufffd\U0001f600\U000f0052๐๑๒๓๔๕"
    ".…_"
)
ODD_VALUES = (
    "", " ", "0", "1", "-1", "2147483648", "99999999999999999999", "NaN", "1e308", "0x52",
    "F052", "f0a3", "00A3", "R", "true", "false", "on", "off", "auto", "restart", "continue",
    "Wingdings", "Wingdings 2", "Symbol", "MS Gothic", "../../../etc/passwd", "#", "rId1",
    "rId_missing", "/word/document.xml", "http://127.0.0.1:9/x", "☐", "☒", "\u200b",
    "๕", "ก" * 300, "x" * 5000,
)
WML_TAGS = ("p", "r", "t", "tbl", "tr", "tc", "sdt", "sdtContent", "ins", "del", "sym", "br",
            "tab", "fldChar", "instrText", "hyperlink", "smartTag", "customXml", "gridSpan",
            "vMerge", "rPr", "pPr", "rFonts", "body", "drawing", "pict", "checkBox", "ffData")
NESTERS = (("sdt", "sdtContent"), ("ins",), ("smartTag",), ("customXml",), ("hyperlink",),
           ("tbl", "tr", "tc"))


# -- corpus ---------------------------------------------------------------------

@dataclass(frozen=True)
class Seed:
    name: str  # e.g. samples/esao-1-2/over-dots.docx
    data: bytes
    form: str | None  # the form whose original this can stand for (fill side), else None


def corpus(root: Path = ROOT) -> list[Seed]:
    """Every sample and every shipped original; originals, blank samples and
    office copies also stand for originals on the fill side."""
    seeds = []
    for path in sorted((root / "forms").glob("*/original.docx")):
        seeds.append(Seed(str(path.relative_to(root)), path.read_bytes(), path.parent.name))
    for path in sorted((root / "samples").glob("*/*.docx")):
        as_original = path.stem in ("blank", "office-copy", "libreoffice")
        seeds.append(Seed(str(path.relative_to(root)), path.read_bytes(),
                          path.parent.name if as_original else None))
    return seeds


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def _rezip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# -- XML mutations ----------------------------------------------------------------

def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _pick(rng: random.Random, root: etree._Element, local: str | None = None) -> etree._Element | None:
    els = [el for el in _elements(root)[1:] if local is None or etree.QName(el).localname == local]
    return rng.choice(els) if els else None


def _odd_text(rng: random.Random) -> str:
    return "".join(rng.choice(GLYPHS) for _ in range(rng.randint(1, 8)))


def m_delete(rng: random.Random, root: etree._Element) -> str:
    el = _pick(rng, root, rng.choice([None, "p", "r", "tc", "tr", "t", "rPr", "sym", "tbl"]))
    if el is None or el.getparent() is None:
        return "delete: nothing"
    el.getparent().remove(el)
    return f"delete {etree.QName(el).localname}"


def m_duplicate(rng: random.Random, root: etree._Element) -> str:
    el = _pick(rng, root, rng.choice([None, "p", "r", "tr", "tc", "tbl", "sdt", "sym"]))
    if el is None:
        return "duplicate: nothing"
    times = rng.choice([1, 1, 2, 3, 10, 50, 300])
    for _ in range(times):
        el.addnext(copy.deepcopy(el))
    return f"duplicate {etree.QName(el).localname} x{times}"


def m_swap(rng: random.Random, root: etree._Element) -> str:
    els = _elements(root)[2:]
    if len(els) < 2:
        return "swap: nothing"
    a, b = rng.sample(els, 2)
    if a in b.iterancestors() or b in a.iterancestors():
        return "swap: nested"
    pa, pb = a.getparent(), b.getparent()
    ia, ib = pa.index(a), pb.index(b)
    ca, cb = copy.deepcopy(a), copy.deepcopy(b)
    pa[ia] = cb
    pb[ib] = ca
    return f"swap {etree.QName(a).localname} <-> {etree.QName(b).localname}"


def m_move(rng: random.Random, root: etree._Element) -> str:
    """Move an element into another (a paragraph into a run, a row into a cell ...)."""
    els = _elements(root)[2:]
    if len(els) < 2:
        return "move: nothing"
    a, b = rng.sample(els, 2)
    if a in b.iterancestors() or a is b:
        return "move: ancestor"
    b.insert(rng.randint(0, len(b)), a)
    return f"move {etree.QName(a).localname} into {etree.QName(b).localname}"


def m_rename(rng: random.Random, root: etree._Element) -> str:
    el = _pick(rng, root)
    if el is None:
        return "rename: nothing"
    old = etree.QName(el).localname
    el.tag = f"{{{W}}}{rng.choice(WML_TAGS)}"
    return f"rename {old} -> {etree.QName(el).localname}"


def m_drop_attr(rng: random.Random, root: etree._Element) -> str:
    els = [el for el in _elements(root) if el.attrib]
    if not els:
        return "drop-attr: nothing"
    el = rng.choice(els)
    key = rng.choice(list(el.attrib))
    del el.attrib[key]
    return f"drop {etree.QName(key).localname} of {etree.QName(el).localname}"


def m_attr_value(rng: random.Random, root: etree._Element) -> str:
    els = [el for el in _elements(root) if el.attrib]
    if not els:
        return "attr: nothing"
    el = rng.choice(els)
    key = rng.choice(list(el.attrib))
    value = rng.choice(ODD_VALUES) if rng.random() < 0.8 else _odd_text(rng)
    el.set(key, value)
    return f"set {etree.QName(key).localname}={value[:20]!r} on {etree.QName(el).localname}"


def m_add_attr(rng: random.Random, root: etree._Element) -> str:
    el = _pick(rng, root)
    if el is None:
        return "add-attr: nothing"
    name = rng.choice(["val", "char", "font", "id", "gridSpan", "type", "space", "hAnsi", "cs"])
    el.set(f"{{{W}}}{name}", rng.choice(ODD_VALUES))
    return f"add w:{name} on {etree.QName(el).localname}"


def m_text(rng: random.Random, root: etree._Element) -> str:
    """Cut, blank or stuff a text node with odd glyphs."""
    ts = [el for el in _elements(root) if etree.QName(el).localname in ("t", "instrText", "delText")]
    if not ts:
        return "text: nothing"
    t = rng.choice(ts)
    text = t.text or ""
    how = rng.choice(["cut", "blank", "insert", "replace", "grow"])
    if how == "cut":
        t.text = text[: rng.randint(0, len(text))]
    elif how == "blank":
        t.text = None
    elif how == "insert":
        at = rng.randint(0, len(text))
        t.text = text[:at] + _odd_text(rng) + text[at:]
    elif how == "replace":
        t.text = _odd_text(rng)
    else:
        t.text = text * rng.choice([2, 10, 100])
    return f"text {how}"


def m_glyph_run(rng: random.Random, root: etree._Element) -> str:
    """Insert a symbol-font run or a w:sym with a random char code."""
    ps = [el for el in _elements(root) if etree.QName(el).localname == "p"]
    if not ps:
        return "glyph: nothing"
    p = rng.choice(ps)
    r = etree.SubElement(p, f"{{{W}}}r")
    if rng.random() < 0.5:
        sym = etree.SubElement(r, f"{{{W}}}sym")
        sym.set(f"{{{W}}}font", rng.choice(["Wingdings", "Wingdings 2", "Symbol", "", "Arial"]))
        sym.set(f"{{{W}}}char", rng.choice(["F052", "F0A3", "F0FE", "F072", "00A3", "FFFF", "0000",
                                             "ZZZZ", "", "F0", "1F0A3"]))
    else:
        rpr = etree.SubElement(r, f"{{{W}}}rPr")
        fonts = etree.SubElement(rpr, f"{{{W}}}rFonts")
        fonts.set(f"{{{W}}}ascii", rng.choice(["Wingdings", "Wingdings 2", "Symbol"]))
        etree.SubElement(r, f"{{{W}}}t").text = _odd_text(rng)
    p.insert(rng.randint(0, len(p)), r)
    return "glyph run"


def m_nest(rng: random.Random, root: etree._Element) -> str:
    """Wrap an element in many levels of content controls, insertions, tables ..."""
    el = _pick(rng, root, rng.choice([None, "p", "r", "tbl"]))
    if el is None or el.getparent() is None:
        return "nest: nothing"
    chain = rng.choice(NESTERS)
    depth = rng.choice([2, 10, 100, 1000])
    parent, index = el.getparent(), el.getparent().index(el)
    outer = inner = None
    for _ in range(depth):
        for name in chain:
            node = etree.Element(f"{{{W}}}{name}")
            if inner is None:
                outer = node
            else:
                inner.append(node)
            inner = node
    assert outer is not None and inner is not None
    parent.remove(el)
    inner.append(el)
    parent.insert(index, outer)
    return f"nest {etree.QName(el).localname} in {'/'.join(chain)} x{depth}"


def m_empty_container(rng: random.Random, root: etree._Element) -> str:
    """Empty a container: a table without rows, a row without cells, a paragraph without runs."""
    el = _pick(rng, root, rng.choice(["tbl", "tr", "tc", "p", "body", "sdt", "sdtContent"]))
    if el is None:
        return "empty: nothing"
    for child in list(el):
        el.remove(child)
    return f"empty {etree.QName(el).localname}"


XML_MUTATIONS: list[Callable[[random.Random, etree._Element], str]] = [
    m_delete, m_duplicate, m_swap, m_move, m_rename, m_drop_attr, m_attr_value, m_add_attr,
    m_text, m_text, m_glyph_run, m_nest, m_empty_container,
]


def mutate_xml(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """One or more XML mutations of one XML part of the package ``data``."""
    members = _members(data)
    xml_parts = [i for i, (info, raw) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    mains = [i for i in xml_parts if members[i][0].filename == MAIN]
    index = mains[0] if mains and rng.random() < 0.8 else rng.choice(xml_parts)
    info, raw = members[index]
    steps = [f"xml part {info.filename}"]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(raw, parser)
    for _ in range(rng.choice([1, 1, 2, 3, 5])):
        steps.append(rng.choice(XML_MUTATIONS)(rng, root))
    out = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if rng.random() < 0.05:
        cut = rng.randint(0, len(out))
        out = out[:cut]
        steps.append(f"truncate xml at {cut}")
    members[index] = (info, out)
    return _rezip(members), steps


# -- byte mutations ---------------------------------------------------------------

def _header_offsets(data: bytes) -> list[tuple[int, str]]:
    """(offset, what) of fields in the local and central directory headers."""
    spots: list[tuple[int, str]] = []
    for sig, fields in ((b"PK\x03\x04", {6: "flags", 8: "method", 14: "crc", 18: "csize", 22: "usize",
                                          26: "name_len", 28: "extra_len"}),
                        (b"PK\x01\x02", {8: "flags", 10: "method", 16: "crc", 20: "csize", 24: "usize",
                                          28: "name_len", 30: "extra_len", 42: "offset"}),
                        (b"PK\x05\x06", {8: "entries_disk", 10: "entries", 12: "cd_size", 16: "cd_offset"})):
        start = 0
        while (pos := data.find(sig, start)) >= 0:
            spots += [(pos + off, f"{sig[2:4].hex()}.{name}") for off, name in fields.items()]
            start = pos + 4
    return spots


def mutate_bytes(rng: random.Random, data: bytes, other: bytes) -> tuple[bytes, list[str]]:
    buf = bytearray(data)
    steps = []
    for _ in range(rng.choice([1, 1, 2, 4, 8])):
        how = rng.choice(["flip", "bytes", "truncate", "insert", "repeat", "header", "header", "splice"])
        if not buf:
            break
        at = rng.randrange(len(buf))
        if how == "flip":
            buf[at] ^= 1 << rng.randrange(8)
        elif how == "bytes":
            n = rng.randint(1, 16)
            buf[at : at + n] = rng.randbytes(n)
        elif how == "truncate":
            del buf[at:]
        elif how == "insert":
            buf[at:at] = rng.randbytes(rng.randint(1, 64))
        elif how == "repeat":
            n = rng.randint(1, 4096)
            buf[at:at] = buf[at : at + n] * rng.choice([1, 2, 10])
        elif how == "splice":
            cut = rng.randrange(len(other) or 1)
            buf[at:] = other[cut:]
        else:
            spots = _header_offsets(bytes(buf))
            if not spots:
                continue
            at, what = rng.choice(spots)
            value = rng.choice([0, 1, 2, 8, 9, 12, 0x41, 0xFF, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF,
                                rng.randrange(2**32)])
            width = 2 if what.endswith(("flags", "method", "name_len", "extra_len", "entries", "entries_disk")) else 4
            buf[at : at + width] = struct.pack("<H" if width == 2 else "<I", value & (2 ** (8 * width) - 1))
            how = f"header {what}={value:#x}"
        steps.append(f"{how}@{at}")
    return bytes(buf), steps


# -- running targets -----------------------------------------------------------------

class Slow(BaseException):
    """Raised by the alarm: one input ran too long (BaseException, so that
    formkit's own catch-all for Exception cannot turn it into a result)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise Slow()

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Crash:
    target: str  # "parse" or "derive-<form>"
    kind: str  # crash | internal-error | bad-code | slow | memory
    detail: str  # exception type, code ...
    where: str  # innermost formkit frame
    report: str  # what happened (traceback or message)

    @property
    def signature(self) -> tuple[str, str, str, str]:
        return (self.target, self.kind, self.detail, self.where)

    def file_stem(self, data: bytes) -> str:
        """<target>-<kind>[-<exception>][-<innermost formkit function>]-<sha8>"""
        words = [self.target, self.kind, self.detail, self.where.split(" ")[-1] if self.where else ""]
        name = "-".join("".join(c if c.isalnum() or c in "_.-" else "_" for c in w)[:40] for w in words if w)
        return f"{name}-{hashlib.sha256(data).hexdigest()[:8]}"


def _innermost_formkit_frame(tb: Any) -> str:
    frames = [f for f in traceback.extract_tb(tb) if "/formkit/" in f.filename.replace("\\", "/")]
    if not frames:
        return "outside formkit"
    f = frames[-1]
    return f"{Path(f.filename).name}:{f.lineno} {f.name}"


def check_error(target: str, exc: FormkitError) -> Crash | None:
    if exc.code not in ERROR_CODES:
        return Crash(target, "bad-code", exc.code, "", str(exc))
    if exc.code == "internal-error":
        detail = str(exc).split("(", 1)[-1].split(":", 1)[0] if "(" in str(exc) else ""
        return Crash(target, "internal-error", detail, "", str(exc))
    return None


def run_parse(data: bytes, name: str = "fuzz.docx") -> Crash | None:
    """parse_file on the bytes: a result, or a registered error, is fine."""
    from formkit.read.parse import parse_file

    try:
        result = parse_file(data, name)
    except Slow:
        raise
    except FormkitError as exc:  # parse_file should not raise at all, but a FormkitError is a message
        return check_error("parse", exc) or Crash("parse", "crash", "FormkitError-raised", "",
                                                  f"parse_file raised instead of returning: {exc}")
    except BaseException as exc:  # noqa: BLE001 - that is the point
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Crash("parse", "crash", type(exc).__name__, _innermost_formkit_frame(exc.__traceback__),
                     "".join(traceback.format_exception(exc)))
    if result.error is not None:
        crash = check_error("parse", result.error)
        if crash is not None and crash.kind == "internal-error":
            crash.where, trace = _explain(data, name)
            crash.report += "\n\n" + trace
        return crash
    if not isinstance(result.as_dict(), dict):
        return Crash("parse", "crash", "as_dict", "", repr(result))
    return None


def _explain(data: bytes, name: str) -> tuple[str, str]:
    """Where an internal-error came from: the parse run again without its
    catch-all (formkit.read.parse's stages), giving the innermost formkit frame
    and the traceback."""
    try:
        from formkit.read.parse import ParseResult, _fill, read_model

        _fill(ParseResult(name), read_model(data, name), None, None)
    except FormkitError:
        return "", "(not reproduced without the catch-all)"
    except Exception as exc:  # noqa: BLE001
        return _innermost_formkit_frame(exc.__traceback__), "".join(traceback.format_exception(exc))
    return "", "(not reproduced without the catch-all)"


_RECORDS: dict[str, dict[str, Any]] = {}


def _record(form: Any) -> dict[str, Any]:
    """The sample record of ``form`` (samples/<form>/record-1.json), validated once."""
    if form.id not in _RECORDS:
        from formkit.fill.records import read_record

        _RECORDS[form.id] = read_record(ROOT / "samples" / form.id / "record-1.json", form)
    return _RECORDS[form.id]


def run_derive(data: bytes, form_id: str, folder: Path) -> Crash | None:
    """Fill's template derivation from a mutated original, its answers
    cleared first (``--clear``: most mutants are returned forms, which fill
    would otherwise refuse before deriving), then one render: success or a
    registered FormkitError is fine."""
    from formkit import forms
    from formkit.fill.filler import Filler

    target = f"derive-{form_id}"
    path = folder / f"original-{hashlib.sha256(data).hexdigest()[:12]}.docx"
    path.write_bytes(data)
    try:
        form = forms.load(form_id)
        filler = Filler(form, path, clear=True)
        filler.render(_record(form), io.BytesIO())
    except Slow:
        raise
    except FormkitError as exc:
        return check_error(target, exc)
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Crash(target, "crash", type(exc).__name__, _innermost_formkit_frame(exc.__traceback__),
                     "".join(traceback.format_exception(exc)))
    finally:
        path.unlink(missing_ok=True)
    return None


def run_learn(data: bytes) -> Crash | None:
    """formkit learn on a mutated original, its YAML rendered and loaded back
    (by libyaml, as formkit loads definitions: the pure-Python loader would
    make the harness, not learn, the slow part): success or a registered
    FormkitError is fine."""
    from formkit.learn.learner import learn
    from formkit.learn.write import render
    from formkit.yamlcache import parse_yaml

    try:
        parse_yaml(render(learn(data, "fuzz", "fuzz.docx")))
    except Slow:
        raise
    except FormkitError as exc:
        return check_error("learn", exc)
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Crash("learn", "crash", type(exc).__name__, _innermost_formkit_frame(exc.__traceback__),
                     "".join(traceback.format_exception(exc)))
    return None


def run_target(target: str, data: bytes, folder: Path, timeout: float, memory_mb: float) -> Crash | None:
    """One input through one target, watched for hangs and memory."""
    before = _peak_mb()
    start = time.monotonic()
    try:
        with time_limit(timeout):
            if target == "parse":
                crash = run_parse(data)
            elif target == "learn":
                crash = run_learn(data)
            else:
                crash = run_derive(data, target.removeprefix("derive-"), folder)
    except Slow:
        return Crash(target, "slow", "", "", f"still running after {timeout:.0f} s (stopped)")
    grown = _peak_mb() - before
    if crash is None and grown > memory_mb:
        return Crash(target, "memory", "", "", f"peak RSS grew by {grown:.0f} MB on this input "
                     f"({time.monotonic() - start:.1f} s)")
    return crash


# -- the loop ---------------------------------------------------------------------

@dataclass
class Stats:
    seconds: float = 0.0
    inputs: int = 0
    by_target: dict[str, int] = field(default_factory=dict)
    crashes: dict[tuple[str, str, str, str], tuple[Crash, bytes, list[str]]] = field(default_factory=dict)
    saved: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"fuzz: {self.seconds / 60:.1f} minute(s), {self.inputs} input(s) tried "
                 f"({', '.join(f'{k} {v}' for k, v in sorted(self.by_target.items()))}), "
                 f"{len(self.crashes)} distinct crash(es) found"]
        for crash, data, _ in self.crashes.values():
            lines.append(f"  {crash.target} {crash.kind} {crash.detail} {crash.where} ({len(data):,} bytes)")
        return "\n".join(lines)


def save(crash: Crash, data: bytes, steps: list[str], seed_name: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = crash.file_stem(data)
    path = out_dir / f"{stem}.docx"
    path.write_bytes(data)
    report = crash.report.splitlines()
    if len(report) > 80:  # a RecursionError's traceback runs to thousands of lines
        report = [*report[:20], f"... ({len(report) - 60} lines left out) ...", *report[-40:]]
    (out_dir / f"{stem}.txt").write_text(
        f"target: {crash.target}\nkind: {crash.kind}\ndetail: {crash.detail}\nwhere: {crash.where}\n"
        f"from: {seed_name}\nmutations: {'; '.join(steps)}\n\n" + "\n".join(report) + "\n", "utf-8")
    return path


def fuzz(seconds: float, seed: int, out_dir: Path | None = REGRESSIONS, timeout: float = 10.0,
         memory_mb: float = 400.0, derive_share: float = 0.15, log: Callable[[str], None] | None = None,
         max_inputs: int | None = None) -> Stats:
    """Mutate and run inputs for ``seconds``; save each distinct crash (the
    smallest input) into ``out_dir`` (None: keep them in the returned stats only)."""
    rng = random.Random(seed)
    seeds = corpus()
    originals = [s for s in seeds if s.form]
    stats = Stats()
    start = time.monotonic()
    last_log = start
    with tempfile.TemporaryDirectory(prefix="formkit-fuzz-") as tmp:
        folder = Path(tmp)
        while time.monotonic() - start < seconds and (max_inputs is None or stats.inputs < max_inputs):
            derive = rng.random() < derive_share
            base = rng.choice(originals if derive else seeds)
            target = f"derive-{base.form}" if derive else "parse"
            if derive and rng.random() < 0.5:
                target = "learn"  # formkit learn reads originals too
            try:
                if rng.random() < 0.65:
                    data, steps = mutate_xml(rng, base.data)
                else:
                    data, steps = mutate_bytes(rng, base.data, rng.choice(seeds).data)
            except (etree.LxmlError, ValueError, zipfile.BadZipFile) as exc:  # the mutator's own limits
                stats.by_target["skipped"] = stats.by_target.get("skipped", 0) + 1
                if log:
                    log(f"skipped: {type(exc).__name__}: {exc}")
                continue
            crash = run_target(target, data, folder, timeout, memory_mb)
            stats.inputs += 1
            stats.by_target[target] = stats.by_target.get(target, 0) + 1
            if crash is not None:
                known = stats.crashes.get(crash.signature)
                if known is None or len(data) < len(known[1]):
                    stats.crashes[crash.signature] = (crash, data, [f"seed {seed}", *steps])
                    if log and known is None:
                        log(f"CRASH {crash.target} {crash.kind} {crash.detail} {crash.where} "
                            f"<- {base.name}: {'; '.join(steps)}")
            if log and time.monotonic() - last_log > 30:
                last_log = time.monotonic()
                log(f"{(last_log - start) / 60:.1f} min, {stats.inputs} inputs, {len(stats.crashes)} crash(es)")
    stats.seconds = time.monotonic() - start
    if out_dir is not None:
        for crash, data, steps in stats.crashes.values():
            seed_name = next((s for s in steps if s.startswith("seed")), "")
            stats.saved.append(save(crash, data, steps, seed_name, out_dir))
    return stats


def replay(path: Path, timeout: float = 30.0, memory_mb: float = 1000.0) -> Crash | None:
    """Run a saved input through the target its name says (parse-..., derive-<form>-...)."""
    name = path.name
    target = "learn" if name.startswith("learn-") else "parse"
    if name.startswith("derive-"):
        from formkit import forms

        target = next(f"derive-{f.id}" for f in forms.load_all() if name.startswith(f"derive-{f.id}-"))
    with tempfile.TemporaryDirectory(prefix="formkit-replay-") as tmp:
        return run_target(target, path.read_bytes(), Path(tmp), timeout, memory_mb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, default=REGRESSIONS, help="where crash inputs go")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take (default 10)")
    parser.add_argument("--memory-mb", type=float, default=400.0, help="peak-RSS growth on one input that counts as a crash")
    parser.add_argument("--derive-share", type=float, default=0.15, help="share of inputs sent to template derivation")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    log = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    stats = fuzz(args.minutes * 60, args.seed, args.out, args.timeout, args.memory_mb, args.derive_share, log)
    print(stats.summary())
    for path in stats.saved:
        print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"minutes run: {stats.seconds / 60:.1f}; inputs tried: {stats.inputs}; crashes found: {len(stats.crashes)}")
    return 1 if stats.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
