"""``formkit preview``: look at a (filled) form without Word.

The document goes through LibreOffice headless (:mod:`formkit.office.convert`) to a
PDF. A ``.pdf`` output is that PDF; a ``.png`` output is one page of it
rendered by poppler's ``pdftoppm`` at 110 dpi (an A4 page is 909 x 1286
pixels: readable on a screen, small enough to attach to a message), or every
page with ``all_pages`` as ``OUT-1.png``, ``OUT-2.png`` ... (numbers padded to
the width of the page count, ``OUT-01.png`` ... ``OUT-13.png``, so the files
sort in page order). Every output is written atomically (a temporary file
renamed into place), so an interrupted preview never leaves a half-written image.

The input is held to the limits of :class:`formkit.docx.package.Limits` (its size
checked with ``os.stat`` before anything else), and LibreOffice sees a copy
of it without links to anything outside it (:mod:`formkit.office.unlink`): a linked
picture shows as an empty frame. In that copy the boxes, ticks and bullets
drawn with Microsoft's symbol fonts (Wingdings ...), which no font on the
machine has, are drawn as their Unicode look-alikes (:mod:`formkit.office.symbols`),
so a ticked box and an empty one look different (a .doc, .rtf or .odt goes
through .docx for that).

The forms are Thai: without a Thai font LibreOffice substitutes a fallback
(or draws boxes), so the result is still written but a warning says the page
will not look like the printed form.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from formkit.office.convert import DEFAULT_TIMEOUT, Converter, check_path, thai_fonts_available
from formkit.office.symbols import redraw_symbols
from formkit.docx.package import Limits
from formkit.docx.legacy import legacy_kind
from formkit.errors import FormkitError
from formkit.files import open_regular
from formkit.output import atomic_write_bytes

INPUT_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm", ".doc", ".odt", ".rtf")
OUTPUT_SUFFIXES = (".pdf", ".png")
DPI = 110
POPPLER_TIMEOUT = 120.0  # seconds for one pdftoppm or pdfinfo run
POPPLER_HINT = "install poppler-utils (`apt-get install poppler-utils` on Debian/Ubuntu)"
NO_THAI_FONT = ("no Thai font is installed (fc-list :lang=th lists none): Thai text is drawn with a "
                "fallback font, so the page will not look like the printed form; install "
                "fonts-tlwg-laksaman (metric-compatible with TH SarabunPSK) or TH SarabunPSK itself")


class PreviewUsageError(ValueError):
    """A request that cannot be served as asked (a wrong suffix, --page past
    the last page ...): the command line reports it as a usage error."""


@dataclass
class PreviewResult:
    """What a preview wrote, and what the person should know about it."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_request(src: Path, out: Path, page: int | None = None, all_pages: bool = False) -> None:
    """Raise PreviewUsageError for a request that can never succeed, before
    any work is done."""
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise PreviewUsageError(f"{out}: the output must end in .pdf or .png")
    if src.suffix.lower() not in INPUT_SUFFIXES:
        raise PreviewUsageError(f"{src}: a preview is made from {', '.join(INPUT_SUFFIXES)} files")
    if page is not None and all_pages:
        raise PreviewUsageError("--page and --all cannot be used together")
    if page is not None and page < 1:
        raise PreviewUsageError(f"--page {page}: pages are numbered from 1")
    if (page is not None or all_pages) and out.suffix.lower() != ".png":
        raise PreviewUsageError("--page and --all choose pages of a .png output; a .pdf has every page")


def preview(src: Path, out: Path, *, page: int | None = None, all_pages: bool = False,
            per_file_timeout: float = DEFAULT_TIMEOUT) -> PreviewResult:
    """Render ``src`` to ``out`` (.pdf, or .png: page ``page`` (default 1) or
    every page). Raises PreviewUsageError for a bad request and FormkitError
    (not-found, too-large, converter-missing, renderer-missing,
    conversion-failed, conversion-timeout ...) for everything about the file
    or the machine."""
    check_request(src, out, page, all_pages)
    check_path(src)  # a FIFO, a folder or a file over the size limit: refused before any work
    png = out.suffix.lower() == ".png"
    tools = poppler_tools() if png else None  # fail before the slow conversion
    result = PreviewResult()
    if not thai_fonts_available():
        result.warnings.append(NO_THAI_FONT)
    with tempfile.TemporaryDirectory(prefix="formkit-preview-") as tmp:
        pdf = render_pdf(src, Path(tmp), per_file_timeout)
        if tools is None:
            _copy_atomic(pdf, out)
            result.written.append(out)
        else:
            result.written.extend(render_png(pdf, out, tools, page, all_pages, src))
    return result


def render_pdf(src: Path, workdir: Path, per_file_timeout: float = DEFAULT_TIMEOUT) -> Path:
    """``src`` converted to a PDF inside ``workdir``, its symbol-font glyphs
    redrawn. A .doc, .rtf or .odt keeps its symbol fonts in a form that
    cannot be redrawn, so it is first converted to .docx, as parse reads it
    (a second conversion by the same LibreOffice profile)."""
    with Converter(per_file_timeout, purpose="render a preview", rewrite=redraw_symbols) as converter:
        source = src
        if _legacy(src):
            source = _made(converter.convert([src], "docx", workdir / "docx")[src], src)
        return _made(converter.convert([source], "pdf", workdir / "pdf")[source], src)


def _legacy(src: Path) -> bool:
    """Whether ``src`` is a .doc, .rtf or .odt by its first bytes (its
    name may say otherwise); False for anything the converter will refuse."""
    try:
        with open_regular(src, Limits().max_file_bytes, str(src)) as fh:
            return legacy_kind(fh.read(4096), fh) is not None
    except (OSError, FormkitError):
        return False


def _made(made: Path | FormkitError, src: Path) -> Path:
    """A conversion's output, or its error naming the user's file ``src``."""
    if isinstance(made, FormkitError):
        raise FormkitError(made.code, made.message, str(src)) from None
    return made


def poppler_tools() -> tuple[str, str]:
    """Paths of ``pdftoppm`` and ``pdfinfo``; renderer-missing without them."""
    pdftoppm, pdfinfo = shutil.which("pdftoppm"), shutil.which("pdfinfo")
    if pdftoppm is None or pdfinfo is None:
        missing = " and ".join(n for n, p in (("pdftoppm", pdftoppm), ("pdfinfo", pdfinfo)) if p is None)
        raise FormkitError("renderer-missing", f"{missing} (poppler-utils) is needed to render PNG previews: {POPPLER_HINT}")
    return pdftoppm, pdfinfo


def render_png(pdf: Path, out: Path, tools: tuple[str, str], page: int | None,
               all_pages: bool, src: Path) -> list[Path]:
    """Render page ``page`` (default 1) of ``pdf`` to ``out``, or with
    ``all_pages`` every page to OUT-1.png, OUT-2.png ... (see :func:`page_name`);
    the paths written."""
    pdftoppm, pdfinfo = tools
    pages = page_count(pdfinfo, pdf, src)
    if page is not None and page > pages:
        raise PreviewUsageError(f"--page {page}: {src} has {pages} page(s)")
    prefix = pdf.parent / "page"
    if not all_pages:
        first = page or 1
        _poppler([pdftoppm, "-png", "-r", str(DPI), "-f", str(first), "-l", str(first),
                  "-singlefile", str(pdf), str(prefix)], src)
        _copy_atomic(prefix.with_suffix(".png"), out)
        return [out]
    _poppler([pdftoppm, "-png", "-r", str(DPI), str(pdf), str(prefix)], src)
    rendered = sorted(pdf.parent.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if len(rendered) != pages:
        raise FormkitError("conversion-failed", f"pdftoppm rendered {len(rendered)} of {pages} pages", file=str(src))
    written = []
    for n, image in enumerate(rendered, 1):
        written.append(page_name(out, n, pages))
        _copy_atomic(image, written[-1])
    return written


def page_name(out: Path, n: int, pages: int) -> Path:
    """Where page ``n`` of ``pages`` goes: ``OUT-n.png`` with ``n`` padded to
    the width of ``pages`` (p-01 ... p-13), so a name sort is a page sort."""
    return out.with_name(f"{out.stem}-{n:0{len(str(pages))}d}{out.suffix}")


def page_count(pdfinfo: str, pdf: Path, src: Path) -> int:
    """The number of pages of ``pdf`` (from ``pdfinfo``)."""
    text = _poppler([pdfinfo, str(pdf)], src)
    found = re.search(r"^Pages:\s*(\d+)", text, re.MULTILINE)
    if found is None:
        raise FormkitError("conversion-failed", "pdfinfo could not count the pages of the PDF LibreOffice made",
                           file=str(src))
    return int(found.group(1))


def _poppler(cmd: list[str], src: Path) -> str:
    """Run a poppler tool; its stdout, or a FormkitError naming ``src``."""
    name = Path(cmd[0]).name
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                              timeout=POPPLER_TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        raise FormkitError("conversion-timeout", f"{name} did not finish within {POPPLER_TIMEOUT:g} s",
                           file=str(src)) from None
    except OSError as exc:
        raise FormkitError("renderer-missing", f"{name} could not be run ({exc}): {POPPLER_HINT}") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise FormkitError("conversion-failed", f"{name} could not render the PDF LibreOffice made ({detail[0]})",
                           file=str(src))
    return done.stdout


def _copy_atomic(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` through a temporary file renamed into place."""
    with open(src, "rb") as fh, atomic_write_bytes(dst) as out:
        shutil.copyfileobj(fh, out)
