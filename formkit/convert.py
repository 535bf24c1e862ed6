"""The LibreOffice driver: document conversion through ``soffice --headless``.

Used to render previews (docx -> pdf) and to read legacy formats (.doc, .rtf,
.odt -> docx). Three things about LibreOffice shape this module:

* **One instance per user profile.** A second ``soffice`` started on a
  profile that is already in use does not convert anything: it hands its
  arguments to the running instance (the user's own LibreOffice window, or a
  parallel conversion) and exits at once, usually with no output and no error.
  So every :class:`Converter` has its own throw-away profile directory
  (``-env:UserInstallation=file://...``), and HOME points into it too, so
  nothing is read from or written to the user's real configuration.
* **Start-up is the expensive part.** Starting soffice costs about a second
  (more on a fresh profile); converting a form costs a fraction of that.
  LibreOffice accepts many files per invocation, so a batch is converted by ONE
  process, with a time limit of ``per_file_timeout * len(files)``.
* **One bad file can hang or kill that process.** When a batch times out or a
  file's output is missing, the files without output are converted again one
  by one, each with its own time limit, so a damaged file gets its own error
  (``conversion-timeout`` / ``conversion-failed``) and cannot sink the others.
  soffice is a wrapper that spawns ``soffice.bin``, so a timeout kills the whole
  process group (the process runs in its own session).

LibreOffice names each output after its input's stem, and happily converts a
plain text file or an empty file named ``x.docx`` into a "document". So inputs
are first checked by their first bytes, then copied into the Converter's temp
folder under unique names (no two inputs can collide, no lock file is ever
written beside a user's document, and Thai file names never reach a URL);
outputs are written into a hidden folder inside ``outdir`` and renamed into
place (``stem.ext``, then ``stem-2.ext`` ... for inputs sharing a stem).
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from formkit.errors import FormkitError
from formkit.sniff import OLE_MAGIC, RESEND, describe, file_error, refuse_ole

DEFAULT_TIMEOUT = 60.0  # seconds per file

# target -> (LibreOffice --convert-to argument, output extension)
TARGETS: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "pdf"),
    "docx": ("docx:MS Word 2007 XML", "docx"),
    "odt": ("odt", "odt"),
    "doc": ("doc:MS Word 97", "doc"),
    "rtf": ("rtf", "rtf"),
}

INSTALL_HINT = ("install it with `apt-get install libreoffice-writer-nogui` (Debian/Ubuntu) "
                "or from libreoffice.org")
FALLBACK_LOCATIONS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice*/program/soffice")
_FLAGS = ("--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck")
_HEAD = 4096  # bytes read to check what an input is
# What LibreOffice may be given, by first bytes (lower-cased, BOM and blanks
# stripped): OOXML and ODF packages (zip), legacy Word (OLE2), RTF, Word 2003
# XML / flat ODF, and Word's "web page" saves (HTML, MHT) sent as .doc.
_DOCUMENT_MAGICS = (b"pk\x03\x04", OLE_MAGIC, b"{\\rtf", b"<?xml", b"<html", b"<!doctype html", b"mime-version:")


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None.

    ``$FORMKIT_SOFFICE`` wins when set (a path or a command name); when it is
    set but names no executable, the answer is None rather than some other
    LibreOffice, so a wrong setting is reported instead of silently ignored.
    Otherwise ``soffice`` or ``libreoffice`` on PATH, then the usual install
    locations (Debian's, then the libreoffice.org packages' in /opt, newest first).
    """
    configured = os.environ.get("FORMKIT_SOFFICE")
    if configured:
        return shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for pattern in FALLBACK_LOCATIONS:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if os.access(candidate, os.X_OK):
                return candidate
    return None


def converter_missing(purpose: str = "convert documents") -> FormkitError:
    """The ``converter-missing`` error, saying what LibreOffice was needed for."""
    configured = os.environ.get("FORMKIT_SOFFICE")
    if configured:
        return FormkitError("converter-missing", (
            f"LibreOffice is needed to {purpose}, but FORMKIT_SOFFICE={configured} is not an "
            f"executable program: correct or unset FORMKIT_SOFFICE, or {INSTALL_HINT}"))
    return FormkitError("converter-missing", f"LibreOffice is needed to {purpose}: {INSTALL_HINT}")


def thai_fonts_available() -> bool:
    """Whether fontconfig knows any font covering Thai (``fc-list :lang=th``).

    Without one, LibreOffice renders Thai text with a fallback font or as
    empty boxes, so a preview would not look like the printed form. False when
    fc-list itself is missing (nothing can be said about the fonts then).
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        done = subprocess.run([fc_list, ":lang=th", "family"], capture_output=True, text=True,
                              timeout=30, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout.strip())


def check_input(path: Path) -> FormkitError | None:
    """None when ``path`` looks like a document LibreOffice should convert,
    else the error to report (it is never handed to LibreOffice, which would
    turn an empty or plain text file into a "document")."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
            if head.startswith(OLE_MAGIC):
                refused = refuse_ole(fh, name)
                return refused if refused.code == "encrypted" else None
    except OSError as exc:
        return file_error("not-found", name, f"the file cannot be opened ({exc.strerror or exc})",
                          "check the path")
    if not head:
        return file_error("conversion-failed", name, "the file is empty (0 bytes)", RESEND)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_DOCUMENT_MAGICS):
        return None
    return file_error("conversion-failed", name,
                      f"this is {describe(head)}, not a Word, OpenDocument or RTF document", RESEND)


def unique_names(sources: list[Path], ext: str) -> dict[Path, str]:
    """Output file names: ``stem.ext``, then ``stem-2.ext``, ``stem-3.ext`` ...
    for inputs sharing a stem (compared case-insensitively, as on Windows and
    macOS file systems)."""
    used: set[str] = set()
    names: dict[Path, str] = {}
    for src in sources:
        name, n = f"{src.stem}.{ext}", 1
        while name.casefold() in used:
            n += 1
            name = f"{src.stem}-{n}.{ext}"
        used.add(name.casefold())
        names[src] = name
    return names


@dataclass(frozen=True)
class _Run:
    """How one soffice process ended: timed out or not, and what it printed."""

    timed_out: bool
    log: str

    def reason(self) -> str:
        """LibreOffice's own complaint ("source file could not be loaded"), if any."""
        errors = [line.removeprefix("Error:").strip() for line in self.log.splitlines()
                  if line.startswith("Error:")]
        return f" ({errors[-1]})" if errors and errors[-1] else ""


def _nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill soffice and everything it spawned (soffice.bin): its whole session."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _timeout_error(src: Path, seconds: float) -> FormkitError:
    return file_error("conversion-timeout", str(src), (
        f"LibreOffice did not finish converting this file within {seconds:g} s and was stopped; "
        "the file may be damaged or very large"),
        "open it in Word or LibreOffice, save it again and retry (or allow more time)")


def _failed_error(src: Path, ext: str, run: _Run) -> FormkitError:
    return file_error("conversion-failed", str(src),
                      f"LibreOffice could not convert this file to .{ext}{run.reason()}",
                      "check that it opens in Word or LibreOffice and save it again; "
                      f"if it does not open, {RESEND}")


class Converter:
    """A LibreOffice converter with its own throw-away profile.

    Use it as a context manager: entering finds soffice (``converter-missing``
    when there is none) and creates the temp folder holding the profile, HOME
    and staged inputs; leaving removes it all. The profile is kept between
    :meth:`convert` calls, so only the first call pays for creating it. Calls
    are serialized (a lock): two soffice processes on one profile would not
    both convert. ``runs`` counts the soffice processes started.
    """

    def __init__(self, per_file_timeout: float = DEFAULT_TIMEOUT, *, soffice: str | None = None,
                 purpose: str = "convert documents") -> None:
        self.per_file_timeout = per_file_timeout
        self.soffice = soffice
        self.purpose = purpose
        self.runs = 0
        self._tmp: Path | None = None
        self._serial = 0
        self._lock = threading.Lock()

    def __enter__(self) -> Converter:
        self.soffice = self.soffice or find_soffice()
        if self.soffice is None:
            raise converter_missing(self.purpose)
        self._tmp = Path(tempfile.mkdtemp(prefix="formkit-lo-"))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def convert(self, files: list[Path], target: str, outdir: Path) -> dict[Path, Path | FormkitError]:
        """Convert ``files`` to ``target`` ("pdf", "docx", "odt", "doc", "rtf")
        into ``outdir``, with one soffice process for the whole batch.

        Returns, for each input (in input order, duplicates once), the output
        path or the FormkitError saying why that file has none. Existing files
        of the same name in ``outdir`` are replaced.
        """
        if target not in TARGETS:
            raise ValueError(f"unknown conversion target {target!r}; one of {', '.join(TARGETS)}")
        if self._tmp is None:
            raise RuntimeError("use Converter as a context manager: with Converter() as c: ...")
        sources = list(dict.fromkeys(Path(f) for f in files))
        names = unique_names(sources, TARGETS[target][1])
        outdir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._serial += 1
            batch = self._tmp / f"batch-{self._serial}"
            staging = Path(tempfile.mkdtemp(prefix=".formkit-convert-", dir=outdir))
            try:
                results = self._convert_batch(sources, target, batch, staging)
                for src, item in results.items():
                    if isinstance(item, Path):  # same file system: an atomic rename
                        os.replace(item, outdir / names[src])
                        results[src] = outdir / names[src]
            finally:
                shutil.rmtree(staging, ignore_errors=True)
                shutil.rmtree(batch, ignore_errors=True)
        return {src: results[src] for src in sources}

    def _convert_batch(self, sources: list[Path], target: str, batch: Path,
                       staging: Path) -> dict[Path, Path | FormkitError]:
        """Check and stage the inputs, convert them together, then one by one
        those that produced nothing. Outputs are left in ``staging``."""
        results: dict[Path, Path | FormkitError] = {}
        staged: dict[Path, Path] = {}
        (batch / "in").mkdir(parents=True)
        for n, src in enumerate(sources):
            error = check_input(src)
            if error is None:
                staged[src] = batch / "in" / f"{n}{src.suffix.lower()}"
                try:
                    shutil.copyfile(src, staged[src])
                except OSError as exc:
                    error = file_error("not-found", str(src), f"the file cannot be read ({exc})", "check the path")
            if error is not None:
                results[src] = error
                staged.pop(src, None)
        results.update(self._convert_staged(staged, target, staging))
        return results

    def _convert_staged(self, staged: dict[Path, Path], target: str,
                        staging: Path) -> dict[Path, Path | FormkitError]:
        """The batch run and its one-by-one fallback, over checked inputs."""
        if not staged:
            return {}
        ext = TARGETS[target][1]
        expected = {src: staging / f"{copy.stem}.{ext}" for src, copy in staged.items()}
        run = self._run(list(staged.values()), target, staging, self.per_file_timeout * len(staged))
        if run.timed_out:
            # Files are converted in order; the newest output may be half-written.
            written = [p for p in expected.values() if p.exists()]
            if written:
                written[-1].unlink()
        results: dict[Path, Path | FormkitError] = {s: p for s, p in expected.items() if _nonempty(p)}
        for src in (s for s in staged if s not in results):
            single = run if len(staged) == 1 else self._run([staged[src]], target, staging, self.per_file_timeout)
            if single.timed_out:
                expected[src].unlink(missing_ok=True)
                results[src] = _timeout_error(src, self.per_file_timeout)
            elif _nonempty(expected[src]):
                results[src] = expected[src]
            else:
                results[src] = _failed_error(src, ext, single)
        return results

    def _run(self, inputs: list[Path], target: str, outdir: Path, timeout: float) -> _Run:
        """One soffice process converting ``inputs``; killed (with everything
        it spawned) after ``timeout`` seconds or on any interruption."""
        assert self._tmp is not None and self.soffice is not None
        profile = self._tmp / "profile"
        cmd = [self.soffice, f"-env:UserInstallation={profile.as_uri()}", *_FLAGS,
               "--convert-to", TARGETS[target][0], "--outdir", str(outdir), *map(str, inputs)]
        env = {**os.environ, "HOME": str(self._tmp)}
        log_path = self._tmp / f"soffice-{self.runs}.log"
        self.runs += 1
        timed_out = False
        with open(log_path, "w+b") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    env=env, cwd=self._tmp, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(proc)
            except BaseException:
                _kill_group(proc)
                raise
        text = log_path.read_text("utf-8", errors="replace")
        log_path.unlink(missing_ok=True)
        return _Run(timed_out, text)
