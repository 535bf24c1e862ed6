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

* **A document may point outside itself, and LibreOffice would follow.** The
  copy it converts has every link out of the file removed
  (:mod:`formkit.office.unlink`), and soffice runs without network, with settings
  refusing linked content, its temporary files inside the Converter's folder
  and its whole process group ended on every way out (:mod:`formkit.office.sandbox`).

LibreOffice names each output after its input's stem, and happily converts a
plain text file or an empty file named ``x.docx`` into a "document". So inputs
are first looked at with ``os.stat`` (a FIFO or device is refused, and a file
over :attr:`formkit.docx.package.Limits.max_file_bytes` before a byte of it is
read), then checked by their first bytes, then copied into the Converter's
temp folder under unique names (no two inputs can collide, no lock file is
ever written beside a user's document, and Thai file names never reach a
URL); outputs are written into a hidden folder inside ``outdir`` and renamed
into place (``stem.ext``, then ``stem-2.ext`` ... for inputs sharing a stem).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from formkit.office import sandbox
from formkit.errors import FormkitError
from formkit.files import open_regular
from formkit.docx.package import Limits
from formkit.docx.legacy import is_word_xml, legacy_encrypted, legacy_kind
from formkit.docx.sniff import OLE_MAGIC, RESEND, describe, encrypted_error, file_error, refuse_ole
from formkit.office import legacy_copy
from formkit.office.odf_flat import is_flat_odt
from formkit.office.unlink import Rewrite, copy_unlinked

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
# stripped): OOXML and ODF packages (zip), legacy Word (OLE2) and RTF; and a
# flat ODF text document (.fodt). Other flat XML, HTML and MHT files are not:
# their links cannot be removed safely.
_DOCUMENT_MAGICS = (b"pk\x03\x04", OLE_MAGIC, b"{\\rtf")
_LIMIT_NAME = "max_file_bytes"


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


def check_path(path: Path, limits: Limits = Limits()) -> None:
    """Raise the FormkitError for ``path`` unless ``os.stat`` shows a regular
    file within ``limits.max_file_bytes`` (``not-found`` for a missing file,
    a folder, a FIFO or a device; ``too-large``); nothing is read."""
    open_regular(path, limits.max_file_bytes, str(path), _LIMIT_NAME).close()


def check_input(path: Path, limits: Limits = Limits()) -> FormkitError | None:
    """None when ``path`` looks like a document LibreOffice should convert,
    else the error to report (it is never handed to LibreOffice, which would
    turn an empty or plain text file into a "document")."""
    try:
        with open_regular(path, limits.max_file_bytes, str(path), _LIMIT_NAME) as fh:
            return check_head(fh, str(path))
    except FormkitError as exc:
        return exc


def check_head(fh: BinaryIO, name: str) -> FormkitError | None:
    """:func:`check_input` on an open file, left at its start."""
    try:
        head = fh.read(_HEAD)
        refused = refuse_ole(fh, name) if head.startswith(OLE_MAGIC) else None
        fh.seek(0)
    except OSError as exc:
        return file_error("not-found", name, f"the file cannot be read ({exc.strerror or exc})", "check the path")
    if refused is not None:
        return refused if refused.code == "encrypted" else None
    if not head:
        return file_error("conversion-failed", name, "the file is empty (0 bytes)", RESEND)
    kind = legacy_kind(head, fh)
    if kind is not None and legacy_encrypted(head, fh):  # LibreOffice would stop at its password prompt
        return encrypted_error(name)
    if kind is not None or head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_DOCUMENT_MAGICS):
        return None
    if is_flat_odt(head):  # its links are removed as an .odt's (formkit.office.odf_flat)
        return None
    return file_error("conversion-failed", name,
                      f"this is {describe(head)}, not a Word, OpenDocument or RTF document", RESEND)


def _copy(fh: BinaryIO, copy: Path, name: str, limits: Limits, rewrite: Rewrite | None) -> None:
    """The staged copy: a package or RTF without its outside links
    (:mod:`formkit.office.unlink`), Word 2003 XML likewise and Word 2 or
    WordPerfect as they are (:mod:`formkit.office.legacy_copy`)."""
    head = fh.read(_HEAD)
    fh.seek(0)
    kind = legacy_kind(head, None) if not head.startswith((OLE_MAGIC, b"PK")) else None
    if kind is not None and is_word_xml(head):
        legacy_copy.copy_word_xml(fh, copy, name, limits.max_file_bytes)
    elif kind in ("doc", "wpd"):
        legacy_copy.copy_binary(fh, copy, name, limits.max_file_bytes)
    else:
        copy_unlinked(fh, copy, name, limits, rewrite)


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


def cannot_write(folder: Path, exc: OSError) -> FormkitError:
    """``cannot-write`` for a folder of formkit's own (temporary or staging)."""
    return FormkitError("cannot-write", f"formkit cannot write its working files in {folder} "
                        f"({exc.strerror or exc}); free some space, or set TMPDIR to a writable folder")


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
    when there is none) and creates the temp folder holding the profile (with
    the settings of :mod:`formkit.office.sandbox`), HOME, soffice's temporary files
    and the staged inputs; leaving removes it all, on every way out. The
    profile is kept between :meth:`convert` calls, so only the first call
    pays for creating it. Calls are serialized (a lock): two soffice
    processes on one profile would not both convert. ``runs`` counts the
    soffice processes started. Every input is held to ``limits`` (its size
    before anything is read, its zip members before they are inflated).
    ``rewrite`` changes the members of each staged package copy (the preview's
    :func:`formkit.office.symbols.redraw_symbols`); the user's file is never changed.
    """

    def __init__(self, per_file_timeout: float = DEFAULT_TIMEOUT, *, soffice: str | None = None,
                 purpose: str = "convert documents", limits: Limits = Limits(),
                 rewrite: Rewrite | None = None) -> None:
        self.per_file_timeout = per_file_timeout
        self.soffice = soffice
        self.purpose = purpose
        self.limits = limits
        self.rewrite = rewrite
        self.runs = 0
        self._tmp: Path | None = None
        self._serial = 0
        self._lock = threading.Lock()

    def __enter__(self) -> Converter:
        self.soffice = self.soffice or find_soffice()
        if self.soffice is None:
            raise converter_missing(self.purpose)
        tmp: Path | None = None
        try:
            tmp = Path(tempfile.mkdtemp(prefix="formkit-lo-"))
            sandbox.write_profile_settings(tmp / "profile")
        except BaseException as exc:
            if tmp is not None:
                with sandbox.signals_held():
                    shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise cannot_write(Path(tmp or tempfile.gettempdir()), exc) from None
            raise
        self._tmp = tmp
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._tmp is not None:
            with sandbox.signals_held():
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
        outdir = Path(outdir).absolute()  # soffice runs in a folder of its own: a relative one would land there
        sources = list(dict.fromkeys(Path(f) for f in files))
        with self._lock:
            self._serial += 1
            try:
                results = self._convert_into(sources, target, outdir, self._tmp / f"batch-{self._serial}")
            except OSError as exc:  # a folder of formkit's own cannot be written (full, read-only)
                error = cannot_write(Path(exc.filename or outdir), exc)
                results = {src: error for src in sources}
        return {src: results[src] for src in sources}

    def _convert_into(self, sources: list[Path], target: str, outdir: Path,
                      batch: Path) -> dict[Path, Path | FormkitError]:
        """:meth:`convert` in ``batch`` (a folder of the Converter's) and a
        hidden staging folder in ``outdir``, both removed on every way out."""
        names = unique_names(sources, TARGETS[target][1])
        outdir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".formkit-convert-", dir=outdir))
        try:
            results = self._convert_batch(sources, target, batch, staging)
            for src, item in results.items():
                if isinstance(item, Path):  # same file system: an atomic rename
                    os.replace(item, outdir / names[src])
                    results[src] = outdir / names[src]
            return results
        finally:
            with sandbox.signals_held():
                shutil.rmtree(staging, ignore_errors=True)
                shutil.rmtree(batch, ignore_errors=True)

    def _convert_batch(self, sources: list[Path], target: str, batch: Path,
                       staging: Path) -> dict[Path, Path | FormkitError]:
        """Check and stage the inputs, convert them together, then one by one
        those that produced nothing. Outputs are left in ``staging``."""
        results: dict[Path, Path | FormkitError] = {}
        staged: dict[Path, Path] = {}
        (batch / "in").mkdir(parents=True)
        for n, src in enumerate(sources):
            copy = batch / "in" / f"{n}{src.suffix.lower()}"
            error = self._stage(src, copy)
            if error is None:
                staged[src] = copy
            else:
                results[src] = error
        results.update(self._convert_staged(staged, target, staging))
        return results

    def _stage(self, src: Path, copy: Path) -> FormkitError | None:
        """Copy ``src`` to ``copy`` without its outside links, after the checks
        of :func:`check_input` on the same open file; the error, if any."""
        name = str(src)
        try:
            with open_regular(src, self.limits.max_file_bytes, name, _LIMIT_NAME) as fh:
                error = check_head(fh, name)
                if error is None:
                    _copy(fh, copy, name, self.limits, self.rewrite)
            return error
        except FormkitError as exc:
            return exc
        except OSError as exc:  # reading errors are FormkitErrors by now: writing the copy failed
            return cannot_write(copy.parent, exc).with_file(name)

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
        """One soffice process converting ``inputs`` (see :func:`sandbox.run`):
        stopped, with everything it spawned, after ``timeout`` seconds or on
        any interruption."""
        assert self._tmp is not None and self.soffice is not None
        profile = self._tmp / "profile"
        cmd = [self.soffice, f"-env:UserInstallation={profile.as_uri()}", *_FLAGS,
               "--convert-to", TARGETS[target][0], "--outdir", str(outdir), *map(str, inputs)]
        log_path = self._tmp / f"soffice-{self.runs}.log"
        self.runs += 1
        with open(log_path, "w+b") as log:
            try:
                timed_out = sandbox.run(cmd, sandbox.environment(self._tmp), self._tmp, log, timeout)
            except OSError as exc:  # soffice could not be started at all
                return _Run(False, f"Error: {self.soffice} could not be started ({exc.strerror or exc})")
        text = log_path.read_text("utf-8", errors="replace")
        log_path.unlink(missing_ok=True)
        return _Run(timed_out, text)
