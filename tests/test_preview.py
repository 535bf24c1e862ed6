"""``formkit preview``: a document rendered through LibreOffice to PDF or PNG."""
from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import main
from formkit.docx.package import Limits
from tests.conftest import ROOT

FORM = ROOT / "forms" / "esao-1-2" / "original.docx"  # 4 pages
SAMPLE = ROOT / "samples" / "esao-1-2" / "over-dots.docx"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["preview", *args])
    return result.exit_code, result.stdout, result.stderr


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_pdf_output(soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also: without a Thai font the preview is still written, with a warning."""
    monkeypatch.setattr("formkit.office.preview.thai_fonts_available", lambda: False)
    out = tmp_path / "sub" / "form.pdf"
    code, stdout, stderr = run(str(SAMPLE), "-o", str(out))
    assert code == 0, stderr
    assert out.read_bytes().startswith(b"%PDF") and stdout.strip() == str(out)
    assert [p.name for p in out.parent.iterdir()] == ["form.pdf"]  # no temporary file left
    assert "warning: no Thai font" in stderr and "fonts-tlwg-laksaman" in stderr


def test_png_is_one_a4_page_at_110_dpi(soffice: str, tmp_path: Path) -> None:
    out = tmp_path / "page.png"
    code, _, stderr = run(str(SAMPLE), "-o", str(out), "--page", "2")
    assert code == 0, stderr
    width, height = png_size(out)
    assert abs(width - 909) <= 2 and abs(height - 1286) <= 2  # A4: 8.27 x 11.69 in


def test_all_pages(soffice: str, tmp_path: Path) -> None:
    code, stdout, stderr = run(str(FORM), "-o", str(tmp_path / "form.png"), "--all")
    assert code == 0, stderr
    names = [f"form-{n}.png" for n in range(1, 5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert stdout.split() == [str(tmp_path / n) for n in names]
    assert all(abs(png_size(tmp_path / n)[0] - 909) <= 2 for n in names)


def test_page_past_the_end_is_a_usage_error(soffice: str, tmp_path: Path) -> None:
    code, _, stderr = run(str(FORM), "-o", str(tmp_path / "p.png"), "--page", "9")
    assert code == 2 and "has 4 page(s)" in stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", [
    ("-o", "out.txt"),
    ("-o", "out.pdf", "--page", "2"),
    ("-o", "out.png", "--page", "2", "--all"),
    ("-o", "out.png", "--page", "0"),
])
def test_usage_errors(args: tuple[str, ...], tmp_path: Path) -> None:
    code, _, stderr = run(str(SAMPLE), *(str(tmp_path / a) if a.startswith("out") else a for a in args))
    assert code == 2, stderr
    assert not list(tmp_path.iterdir())


def test_unsupported_input_suffix_is_a_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "form.pdf"
    src.write_bytes(b"%PDF-1.4")
    code, _, stderr = run(str(src), "-o", str(tmp_path / "x.png"))
    assert code == 2 and ".docx" in stderr


def test_missing_input_exits_1_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.docx"
    code, _, stderr = run(str(missing), "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and str(missing) in stderr


def test_converter_missing_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_SOFFICE", str(tmp_path / "no-soffice"))
    code, _, stderr = run(str(SAMPLE), "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "LibreOffice is needed" in stderr and "libreoffice-writer-nogui" in stderr


def test_pdftoppm_missing_names_poppler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("formkit.office.preview.shutil.which", lambda name: None)
    code, _, stderr = run(str(SAMPLE), "-o", str(tmp_path / "x.png"))
    assert code == 1 and "poppler-utils" in stderr and "pdftoppm" in stderr


def test_a_bad_document_exits_1(soffice: str, tmp_path: Path) -> None:
    src = tmp_path / "notes.docx"
    src.write_text("just some text")
    code, _, stderr = run(str(src), "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and str(src) in stderr and "plain text" in stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_fifo_or_an_oversized_input_is_refused_at_once(tmp_path: Path) -> None:
    """The input is looked at with os.stat first: a FIFO would block the
    open forever, and a file over the limit is never read."""
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    code, _, stderr = run(str(fifo), "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "named pipe" in stderr and str(fifo) in stderr
    big = tmp_path / "big.doc"
    with open(big, "wb") as fh:
        fh.truncate(Limits().max_file_bytes + 1)  # sparse: no disk used
    code, _, stderr = run(str(big), "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "over the limit of 100.0 MiB" in stderr and str(big) in stderr
    assert not (tmp_path / "x.pdf").exists()
