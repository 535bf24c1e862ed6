"""The LibreOffice driver (formkit.office.convert): one soffice process per batch,
no output collisions, bad files isolated, time limits enforced by killing the
whole process group, and a clear error without LibreOffice."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from formkit.office.convert import Converter, check_input, find_soffice, thai_fonts_available, unique_names
from formkit.errors import FormkitError
from formkit.docx.package import Limits
from formkit.read.parse import parse_file
from formkit.docx.sniff import OLE_MAGIC
from tests.conftest import ROOT
from tests.conftest import convert as conftest_convert
from tests.docxbuild import make_docx, p

ORIGINALS = [ROOT / "forms" / f / "original.docx" for f in ("esao-1-2", "esao-3-1")]


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def _spy_popen(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record every conversion process started through subprocess.Popen (not
    the one-off probe for a network namespace)."""
    calls: list[list[str]] = []
    real = subprocess.Popen

    def spy(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        if "--convert-to" in cmd:
            calls.append(list(cmd))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    return calls


def test_a_batch_is_one_soffice_process(soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both originals are named original.docx (in two folders): one process,
    and neither output overwrites the other."""
    calls = _spy_popen(monkeypatch)
    with Converter() as converter:
        out = converter.convert(ORIGINALS, "pdf", tmp_path)
    assert len(calls) == 1 and converter.runs == 1
    assert "--headless" in calls[0] and any(a.startswith("-env:UserInstallation=file://") for a in calls[0])
    first, second = out[ORIGINALS[0]], out[ORIGINALS[1]]
    assert isinstance(first, Path) and isinstance(second, Path)
    assert (first.name, second.name) == ("original.pdf", "original-2.pdf")
    assert first.read_bytes().startswith(b"%PDF") and second.read_bytes().startswith(b"%PDF")
    assert (_pages(first), _pages(second)) == (4, 7)  # each its own document
    assert sorted(p.name for p in tmp_path.iterdir()) == ["original-2.pdf", "original.pdf"]  # no staging left


def test_bad_inputs_get_errors_and_the_rest_converts(soffice: str, tmp_path: Path) -> None:
    """A truncated package is refused before LibreOffice sees it (its zip is
    read to remove outside links); a compound file LibreOffice cannot load
    fails the batch run and is converted again alone, and only it fails."""
    text, empty, truncated = tmp_path / "x.docx", tmp_path / "empty.docx", tmp_path / "cut.docx"
    junk = tmp_path / "junk.doc"
    text.write_text("not a document\n")
    empty.write_bytes(b"")
    truncated.write_bytes(ORIGINALS[0].read_bytes()[:3000])
    junk.write_bytes(OLE_MAGIC + bytes(4096))
    batch = [ORIGINALS[0], text, empty, truncated, junk, tmp_path / "missing.docx", ORIGINALS[1]]
    with Converter() as converter:
        out = converter.convert(batch, "pdf", tmp_path / "out")
    assert list(out) == batch
    for good in ORIGINALS:
        assert isinstance(out[good], Path)
    codes = {p.name: e.code for p, e in out.items() if isinstance(e, FormkitError)}
    assert codes == {"x.docx": "conversion-failed", "empty.docx": "conversion-failed",
                     "cut.docx": "corrupt", "junk.doc": "conversion-failed", "missing.docx": "not-found"}
    assert "plain text" in str(out[text]) and str(text) in str(out[text])
    assert "empty" in str(out[empty]) and str(truncated) in str(out[truncated])
    assert "LibreOffice could not convert" in str(out[junk])
    assert converter.runs == 2  # the batch, then the junk file alone


def test_docx_odt_docx_round_trip_parses(soffice: str, tmp_path: Path) -> None:
    sample = ROOT / "samples" / "esao-1-2" / "over-dots.docx"
    want = json.loads(sample.with_suffix(".json").read_text("utf-8"))
    with Converter() as converter:
        odt = converter.convert([sample], "odt", tmp_path / "odt")[sample]
        assert isinstance(odt, Path) and odt.suffix == ".odt"
        back = converter.convert([odt], "docx", tmp_path / "docx")[odt]
    assert isinstance(back, Path) and back.suffix == ".docx"
    result = parse_file(back)
    assert result.error is None and result.form == "esao-1-2"
    assert result.record == want["record"]


def _fake_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in soffice: copies each .rtf input to OUTDIR/<stem>.pdf, but an
    input containing "hang" makes it wait on a child sleep (the way soffice
    waits on soffice.bin). Every pid goes to the returned pid file."""
    pids = tmp_path / "pids"
    script = tmp_path / "fake-soffice"
    script.write_text(f"""#!/bin/sh
echo $$ >> {pids}
prev=; for a in "$@"; do [ "$prev" = --outdir ] && outdir=$a; prev=$a; done
for a in "$@"; do
  case "$a" in *.rtf)
    if grep -q hang "$a"; then sleep 30 & echo $! >> {pids}; wait
    else cp "$a" "$outdir/$(basename "$a" .rtf).pdf"; fi;;
  esac
done
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, pids


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie is dead, waiting to be reaped


def test_timeout_kills_the_process_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script, pids = _fake_soffice(tmp_path)
    monkeypatch.setenv("FORMKIT_SOFFICE", str(script))
    good, slow = tmp_path / "good.rtf", tmp_path / "slow.rtf"
    good.write_text("{\\rtf1 fine}")
    slow.write_text("{\\rtf1 hang}")
    started = time.monotonic()
    with Converter(per_file_timeout=0.5) as converter:
        out = converter.convert([good, slow], "pdf", tmp_path / "out")
    assert time.monotonic() - started < 10
    converted = out[good]
    assert isinstance(converted, Path) and converted.read_text() == "{\\rtf1 fine}"
    error = out[slow]
    assert isinstance(error, FormkitError) and error.code == "conversion-timeout"
    assert str(slow) in str(error) and "save it again" in str(error)
    assert not (tmp_path / "out" / "slow.pdf").exists()
    time.sleep(0.2)
    started_pids = [int(p) for p in pids.read_text().split()]
    assert len(started_pids) >= 4  # batch shell + sleep, then the slow file alone: shell + sleep
    assert not [p for p in started_pids if _alive(p)]


def test_converter_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_SOFFICE", str(tmp_path / "no-such-soffice"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_soffice() is None
    with pytest.raises(FormkitError) as caught:
        Converter().__enter__()
    assert caught.value.code == "converter-missing"
    assert "libreoffice-writer-nogui" in caught.value.message and "FORMKIT_SOFFICE" in caught.value.message
    monkeypatch.delenv("FORMKIT_SOFFICE")
    monkeypatch.setattr("formkit.office.convert.FALLBACK_LOCATIONS", (str(tmp_path / "opt*" / "soffice"),))
    assert find_soffice() is None
    with pytest.raises(FormkitError, match="LibreOffice is needed to .*apt-get install libreoffice-writer-nogui"):
        with Converter():
            pass


def test_find_soffice_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script, _ = _fake_soffice(tmp_path)
    (tmp_path / "bin").mkdir()
    on_path = tmp_path / "bin" / "libreoffice"
    shutil.copy(script, on_path)
    monkeypatch.delenv("FORMKIT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert find_soffice() == str(on_path)
    monkeypatch.setenv("FORMKIT_SOFFICE", str(script))
    assert find_soffice() == str(script)


def test_unique_names_and_input_check(tmp_path: Path) -> None:
    names = unique_names([Path("a/x.docx"), Path("b/x.docx"), Path("x-2.docx"), Path("c/X.doc")], "pdf")
    assert list(names.values()) == ["x.pdf", "x-2.pdf", "x-2-2.pdf", "X-3.pdf"]
    rtf = tmp_path / "a.rtf"
    rtf.write_bytes(b"\xef\xbb\xbf{\\rtf1 }")
    assert check_input(rtf) is None and check_input(ORIGINALS[0]) is None
    pdf = tmp_path / "a.doc"
    pdf.write_bytes(b"%PDF-1.4 ...")
    error = check_input(pdf)
    assert error is not None and error.code == "conversion-failed" and "a PDF file" in error.message


def test_unknown_target_and_use_outside_with(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown conversion target"):
        Converter(soffice="/bin/true").convert([], "xls", tmp_path)
    with pytest.raises(RuntimeError):
        Converter(soffice="/bin/true").convert([], "pdf", tmp_path)


def test_thai_fonts_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=th"], capture_output=True).stdout.strip():
        assert thai_fonts_available()
    monkeypatch.setenv("PATH", os.devnull)
    assert not thai_fonts_available()  # no fc-list: nothing can be vouched for


def test_inputs_over_the_size_limit_or_not_regular_files_are_never_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Looked at with os.stat before anything is opened, read or copied: a
    file over Limits.max_file_bytes (sparse here: 100 MiB that take no disk),
    a FIFO (opening it would block) and a folder. No soffice is started."""
    big = tmp_path / "big.doc"
    with open(big, "wb") as fh:
        fh.write(OLE_MAGIC + "WordDocument".encode("utf-16-le"))
        fh.truncate(Limits().max_file_bytes + 1)
    fifo = tmp_path / "pipe.rtf"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.odt"
    folder.mkdir()
    opened: list[str] = []
    monkeypatch.setattr("formkit.office.convert.copy_unlinked", lambda *a: opened.append("copied"))
    with Converter(soffice="/bin/false") as converter:
        out = converter.convert([big, fifo, folder], "docx", tmp_path / "out")
    errors = {p.name: e for p, e in out.items() if isinstance(e, FormkitError)}
    assert {name: e.code for name, e in errors.items()} == {
        "big.doc": "too-large", "pipe.rtf": "not-found", "folder.odt": "not-found"}
    assert "100.0 MiB" in str(errors["big.doc"]) and str(big) in str(errors["big.doc"])
    assert "max_file_bytes" in str(errors["big.doc"])
    assert "named pipe" in str(errors["pipe.rtf"]) and "folder" in str(errors["folder.odt"])
    assert converter.runs == 0 and opened == []


def _lo_processes(marker: str) -> list[bytes]:
    """The command lines of running LibreOffice processes that mention ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline and b"office" in cmdline and _alive(int(entry.name)):
            found.append(cmdline)
    return found


def _stale_pipe(cmdline: bytes) -> Path:
    """Where the soffice of ``cmdline`` keeps its single-instance socket."""
    url = next(a.split(b"=", 1)[1] for a in cmdline.split(b"\0") if a.startswith(b"-env:UserInstallation="))
    digest = hashlib.md5(url.decode().encode("utf-16-le")).digest()
    return Path("/tmp") / f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{''.join(format(b, 'x') for b in digest)}"


@pytest.fixture(scope="module")
def long_documents(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A document long enough that LibreOffice is still converting it when
    interrupted: as .docx (for preview) and as .doc (for parse)."""
    folder = tmp_path_factory.mktemp("long")
    docx = folder / "long.docx"
    docx.write_bytes(make_docx("".join(p("ผลงานชิ้นที่ กลุ่มนโยบายและแผน การดำเนินงาน " * 8) for _ in range(600))))
    conftest_convert(soffice, [docx], "doc:MS Word 97", folder, tmp_path_factory.mktemp("profile"))
    return {"parse": folder / "long.doc", "preview": docx}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("command", ["parse", "preview"])
def test_an_interrupted_conversion_leaves_nothing_behind(command: str, signum: int, long_documents: dict[str, Path],
                                                         tmp_path: Path) -> None:
    """`formkit parse x.doc` / `formkit preview` interrupted while soffice
    runs (it has written its lu*.tmp): the temporary folder is left empty,
    no soffice of the run is left, and neither is its socket in /tmp."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    args = ["parse", str(long_documents["parse"])] if command == "parse" else [
        "preview", str(long_documents["preview"]), "-o", str(tmp_path / "preview.pdf")]
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "formkit", *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not list(tmpdir.glob("formkit-lo-*/tmp/lu*")):
            assert proc.poll() is None, "formkit ended before it could be interrupted"
            time.sleep(0.01)
        running = _lo_processes(str(tmpdir))
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert running and proc.returncode == 1 and b"Traceback" not in stderr, stderr
    assert list(tmpdir.iterdir()) == []
    assert _lo_processes(str(tmpdir)) == []
    assert not _stale_pipe(running[0]).exists()
    assert not (tmp_path / "preview.pdf").exists()


def test_folders_that_cannot_be_written_are_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary folder (TMPDIR) or the output folder cannot be made:
    cannot-write naming the folder, for every input; no traceback."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    with pytest.raises(FormkitError) as caught:
        with Converter(soffice="/bin/false"):
            pass
    assert caught.value.code == "cannot-write" and str(blocker / "tmp") in caught.value.message
    monkeypatch.undo()
    with Converter(soffice="/bin/false") as converter:
        out = converter.convert([ORIGINALS[0], ORIGINALS[1]], "pdf", blocker / "out")
    assert [getattr(e, "code", None) for e in out.values()] == ["cannot-write", "cannot-write"]
    assert str(blocker / "out") in str(out[ORIGINALS[0]]) and converter.runs == 0
