"""The filled attachment reads like a typed document: each work after the
first on a new page, prompts kept with what follows them, photos in a grid of
equal cells (cropped, never stretched), captions that parse reads back,
large photos scaled down and turned upright, documents dated when written."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image, ImageDraw

from formkit import forms
from formkit.cli import main
from formkit.docx.images import MAX_LONG_SIDE
from formkit.errors import FormkitError
from formkit.fill.filler import Filler
from formkit.fill.records import validate
from formkit.read.parse import parse_file
from tests.conftest import convert

F31 = forms.load("esao-3-1")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PROMPTS = [f.label for f in F31.fields if f.kind == "repeat" for f in f.fields]


def picture(path: Path, width: int, height: int, fmt: str = "JPEG", orientation: int | None = None,
            noise: bool = False) -> str:
    """A photo: red in its left half, blue in its right (or random noise,
    which does not compress, as a real photo barely does)."""
    if noise:
        image = Image.effect_noise((width, height), 90).convert("RGB")
    else:
        image = Image.new("RGB", (width, height), (0, 0, 255))
        ImageDraw.Draw(image).rectangle([0, 0, width // 2, height], fill=(255, 0, 0))
    extra: dict[str, Any] = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        extra["exif"] = exif.tobytes()
    image.save(path, fmt, **extra)
    return str(path)


def work(n: int, photos: list[Any]) -> dict[str, Any]:
    return {"title": f"ผลงานทดสอบที่ {n}", "group": "นิเทศ ติดตามและประเมินผล", "background": "ที่มา " * 40,
            "method": "ขั้นตอนที่หนึ่ง\nขั้นตอนที่สอง", "technique": "เทคนิค", "quantitative": "ร้อยละ 90",
            "qualitative": "ครูพึงพอใจ", "success_factors": "ความร่วมมือ", "dissemination": "เว็บไซต์",
            "photos": photos}


def fill(record: dict[str, Any], **options: bool) -> tuple[bytes, dict[str, Any]]:
    buf = io.BytesIO()
    canon = Filler(F31, **options).render(validate(F31, record), buf)
    return buf.getvalue(), canon


def document(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t")).strip()


def on(p: etree._Element, name: str) -> bool:
    el = p.find(f"{W}pPr/{W}{name}")
    return el is not None and el.get(f"{W}val", "1") not in ("0", "false", "off")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Landscape, portrait, square and panorama photos, a phone photo turned by EXIF."""
    folder = tmp_path_factory.mktemp("photos")
    sizes = [(800, 600), (600, 800), (500, 500), (1200, 400), (640, 480), (480, 640)]
    paths = [picture(folder / f"p{n}.jpg", w, h) for n, (w, h) in enumerate(sizes)]
    paths.append(picture(folder / "turned.jpg", 800, 600, orientation=6))
    paths.append(picture(folder / "p.png", 300, 200, "PNG"))
    return paths


# -- pages and prompts ---------------------------------------------------------------------

def _work_starts(root: etree._Element) -> list[etree._Element]:
    return [p for p in root.iter(f"{W}p") if text(p).startswith("ผลงานชิ้นที่")]


@pytest.mark.parametrize("page_breaks", [True, False])
def test_each_work_after_the_first_starts_a_new_page(mixed: list[str], page_breaks: bool) -> None:
    data, _ = fill({"works": [work(n, mixed[:2]) for n in range(3)]}, page_breaks=page_breaks)
    starts = _work_starts(document(data))
    assert [text(p) for p in starts] == ["ผลงานชิ้นที่ 1", "ผลงานชิ้นที่ 2", "ผลงานชิ้นที่ 3"]
    assert [on(p, "pageBreakBefore") for p in starts] == [False, page_breaks, page_breaks]
    heading = next(p for p in document(data).iter(f"{W}p") if text(p) == "เอกสารแนบ")
    assert on(heading, "pageBreakBefore")  # the attachment itself starts a page, as printed


def test_the_cli_option_turns_page_breaks_off(mixed: list[str], tmp_path: Path) -> None:
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"works": [work(n, []) for n in range(2)]}, ensure_ascii=False), "utf-8")
    for flag, expected in (([], True), (["--no-page-breaks"], False)):
        out = tmp_path / f"{len(flag)}.docx"
        result = CliRunner().invoke(main, ["fill", "esao-3-1", str(record), "-o", str(out), *flag])
        assert result.exit_code == 0, result.output
        assert on(_work_starts(document(out.read_bytes()))[1], "pageBreakBefore") is expected


def test_prompts_keep_with_what_follows_and_answers_do_not(mixed: list[str]) -> None:
    data, _ = fill({"works": [work(n, mixed[:4]) for n in range(2)]})
    paras = [p for p in document(data).iter(f"{W}p") if p.getparent().tag == f"{W}body"]
    starts = [i for i, p in enumerate(paras) if text(p).startswith("ผลงานชิ้นที่")]
    for lo, hi in zip(starts, [*starts[1:], len(paras)]):
        block = paras[lo:hi]
        prompts = [p for p in block if any(text(p).startswith(label) for label in PROMPTS)]
        prompts += [p for p in block if text(p) in ("ผลสำเร็จ", "ผลงานชิ้นที่ 1", "ผลงานชิ้นที่ 2")]
        assert len(prompts) == len(PROMPTS) + 2
        assert all(on(p, "keepNext") and on(p, "keepLines") for p in prompts)
        answers = [p for p in block if p not in prompts and text(p)]
        assert answers and not any(on(p, "keepNext") for p in answers)
        photos_prompt = next(p for p in block if text(p).startswith("ตัวอย่างภาพกิจกรรม"))
        assert photos_prompt.getnext().tag == f"{W}tbl"  # kept with the photo grid


GENERIC_FORM = """id: test-items
title: "Items"
original: original.docx
recognize:
  min_score: 0.5
  phrases: ["Report of items", "Item 1"]
fields:
  entries:
    kind: repeat
    title: "Items"
    start: "Item"
    fields:
      name: {kind: value, title: "Name", label: "Name"}
      story: {kind: section, title: "Story", label: "Story"}
      pictures: {kind: images, title: "Pictures", label: "Pictures"}
"""


def test_prompts_and_page_breaks_come_from_the_definition_not_from_thai_words(tmp_path: Path,
                                                                                mixed: list[str]) -> None:
    from tests.docxbuild import make_docx

    lines = ["Report of items", "Item 1", "Name ..........", "Story", "..........", "Pictures", " "]
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{line}</w:t></w:r></w:p>" for line in lines)
    folder = tmp_path / "test-items"
    folder.mkdir()
    (folder / "original.docx").write_bytes(make_docx(body))
    (folder / "form.yaml").write_text(GENERIC_FORM, "utf-8")
    form = forms.load(str(folder))
    items = [{"name": f"N{n}", "story": "once\nupon", "pictures": mixed[:3]} for n in range(2)]
    buf = io.BytesIO()
    canon = Filler(form).render(validate(form, {"entries": items}), buf)
    assert parse_file(buf.getvalue(), "x", form="test-items", forms_root=tmp_path).record == canon
    paras = list(document(buf.getvalue()).iter(f"{W}p"))
    kept = [" ".join(text(p).split()) for p in paras if on(p, "keepNext")]
    assert kept == ["Item 1", "Name N0", "Story", "Pictures", "Item 2", "Name N1", "Story", "Pictures"]
    assert [text(p) for p in paras if on(p, "pageBreakBefore")] == ["Item 2"]


# -- the photo grid ---------------------------------------------------------------------------

def _shown_aspect(inline: etree._Element, width: int, height: int) -> float:
    """The shape of what a picture shows: its pixels less what srcRect cuts."""
    rect = inline.find(f".//{A}srcRect")
    cut = {k: int(rect.get(k, "0")) / 100_000 if rect is not None else 0.0 for k in "ltrb"}
    return width * (1 - cut["l"] - cut["r"]) / (height * (1 - cut["t"] - cut["b"]))


def test_every_photo_fills_a_cell_of_the_same_size_whatever_its_shape(mixed: list[str]) -> None:
    data, _ = fill({"works": [work(1, mixed)]})
    root = document(data)
    prompt = next(p for p in root.iter(f"{W}p") if text(p).startswith("ตัวอย่างภาพกิจกรรม"))
    grid = prompt.getnext()
    assert grid.tag == f"{W}tbl" and grid.find(f"{W}tblPr/{W}tblBorders/{W}insideV").get(f"{W}val") == "nil"
    rows = grid.findall(f"{W}tr")
    assert len(rows) == 4 and all(len(r.findall(f"{W}tc")) == 2 for r in rows)
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    inlines = list(root.iter(f"{WP}inline"))
    assert len(inlines) == len(mixed)
    sizes = {(int(i.find(f"{WP}extent").get("cx")), int(i.find(f"{WP}extent").get("cy"))) for i in inlines}
    assert len(sizes) == 1  # landscape, portrait, square and panorama alike
    cx, cy = sizes.pop()
    assert 2_500_000 < cx < 3_000_000 and cy == cx * 3 // 4  # half of an A4 text width, 4:3
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        media = sorted((n for n in zf.namelist() if "/media/formkit-photo-" in n),
                       key=lambda n: int(n.rsplit("-", 1)[1].split(".")[0]))
        shapes = [Image.open(io.BytesIO(zf.read(n))).size for n in media]
    for inline, (width, height) in zip(inlines, shapes):
        assert _shown_aspect(inline, width, height) == pytest.approx(cx / cy, rel=0.002)  # cropped, not stretched
    assert len({inline.find(f".//{A}srcRect") is None for inline in inlines}) == 2  # 4:3 photos are not cut


def test_a_large_photo_is_scaled_down_and_the_document_is_much_smaller(tmp_path: Path) -> None:
    big = picture(tmp_path / "big.jpg", 4000, 3000, noise=True)
    size = Path(big).stat().st_size
    data, canon = fill({"works": [work(1, [big])]})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (name,) = [n for n in zf.namelist() if "/media/" in n]
        embedded = zf.read(name)
    assert Image.open(io.BytesIO(embedded)).size == (MAX_LONG_SIDE, MAX_LONG_SIDE * 3 // 4)
    assert name.endswith(".jpeg") and len(data) < size / 3
    assert canon["works"][0]["photos"][0]["sha256"] == hashlib.sha256(embedded).hexdigest()
    assert parse_file(data, "x").record == canon
    full, full_canon = fill({"works": [work(1, [big])]}, full_resolution=True)
    assert full_canon["works"][0]["photos"][0]["sha256"] == hashlib.sha256(Path(big).read_bytes()).hexdigest()
    assert len(full) > size and parse_file(full, "x").record == full_canon


def test_a_large_png_stays_a_png(tmp_path: Path) -> None:
    big = picture(tmp_path / "big.png", 3200, 1000, "PNG")
    data, canon = fill({"works": [work(1, [big])]})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (name,) = [n for n in zf.namelist() if "/media/" in n]
        image = Image.open(io.BytesIO(zf.read(name)))
    assert (image.format, image.size) == ("PNG", (1600, 500))
    assert canon["works"][0]["photos"][0]["media_type"] == "image/png"


def test_a_phone_photo_turned_by_exif_comes_out_upright(tmp_path: Path) -> None:
    """Orientation 6: the camera was turned a quarter clockwise, so the
    stored left edge (red) is the top of the photo as taken."""
    turned = picture(tmp_path / "turned.jpg", 800, 600, orientation=6)
    data, canon = fill({"works": [work(1, [turned])]})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (name,) = [n for n in zf.namelist() if "/media/" in n]
        image = Image.open(io.BytesIO(zf.read(name))).convert("RGB")
    assert image.size == (600, 800)
    top, bottom = image.getpixel((300, 50)), image.getpixel((300, 750))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]
    assert image.getexif().get(0x0112) in (None, 1)
    assert parse_file(data, "x").record == canon


def test_a_truncated_large_photo_is_refused_naming_it(tmp_path: Path) -> None:
    """Its header is whole (the record check passes); its pixels are not, and
    scaling it down needs them."""
    big = Path(picture(tmp_path / "big.jpg", 4000, 3000, noise=True))
    big.write_bytes(big.read_bytes()[: big.stat().st_size // 3])
    with pytest.raises(FormkitError) as caught:
        fill({"works": [work(1, [str(big)])]})
    assert caught.value.code == "bad-data" and str(big) in caught.value.message
    assert "damaged or truncated" in caught.value.message


# -- captions ---------------------------------------------------------------------------------

def test_captions_are_written_under_their_photos_and_read_back(mixed: list[str]) -> None:
    photos = [{"path": mixed[0], "caption": "ประชุม & อบรม <ครู>"}, mixed[1],
              {"path": mixed[2], "caption": "  ลงพื้นที่   นิเทศ "}, {"path": mixed[3], "caption": ""}, mixed[6]]
    data, canon = fill({"works": [work(1, photos), work(2, [{"path": mixed[1], "caption": "ภาพเดียว"}])]})
    got = [[p.get("caption") for p in w["photos"]] for w in canon["works"]]
    assert got == [["ประชุม & อบรม <ครู>", None, "ลงพื้นที่ นิเทศ", None, None], ["ภาพเดียว"]]
    assert parse_file(data, "x").record == canon
    cells = [tc for tc in document(data).iter(f"{W}tc") if tc.find(f".//{WP}inline") is not None]
    assert [text(tc) for tc in cells[:3]] == ["ประชุม & อบรม <ครู>", "", "ลงพื้นที่ นิเทศ"]


def test_a_parsed_record_with_captions_is_accepted_as_parse_output(mixed: list[str]) -> None:
    data, canon = fill({"works": [work(1, [{"path": mixed[0], "caption": "ก"}])]})
    checked = validate(F31, parse_file(data, "x").record, parsed_photos=True)
    assert checked["works"][0]["photos"] == canon["works"][0]["photos"] != []


@pytest.mark.parametrize(("caption", "problem"), [
    ("บรรทัดหนึ่ง\nบรรทัดสอง", "works[0].photos[0].caption: expected one line"),
    (5, "works[0].photos[0].caption: expected text, got 5"),
])
def test_a_bad_caption_is_refused_naming_it(mixed: list[str], caption: Any, problem: str) -> None:
    with pytest.raises(FormkitError) as caught:
        validate(F31, {"works": [{"title": "ก", "photos": [{"path": mixed[0], "caption": caption}]}]})
    assert problem in caught.value.message


# -- dates ------------------------------------------------------------------------------------

def _dated_now(infos: list[zipfile.ZipInfo], before: float) -> bool:
    stamps = {time.mktime((*i.date_time, 0, 0, -1)) for i in infos}
    return len(stamps) == 1 and before - 2 <= stamps.pop() <= time.time() + 2


def test_a_filled_document_is_dated_when_it_is_written(mixed: list[str]) -> None:
    before = time.time()
    data, _ = fill({"works": [work(1, mixed[:1])]})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert _dated_now(zf.infolist(), before)


def test_bulk_zip_entries_and_their_documents_are_dated_with_the_run(tmp_path: Path) -> None:
    before = time.time()
    out = tmp_path / "all.zip"
    rows = Path(__file__).parent.parent / "samples" / "esao-3-1" / "bulk.jsonl"
    result = CliRunner().invoke(main, ["bulk", "esao-3-1", str(rows), "--zip", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
        assert infos and _dated_now(infos, before)
        with zipfile.ZipFile(io.BytesIO(archive.read(infos[0]))) as doc:
            assert {i.date_time for i in doc.infolist()} == {infos[0].date_time}


# -- rendered pages ---------------------------------------------------------------------------

def _pages(pdf: Path) -> list[list[tuple[float, str]]]:
    """The lines of each page of ``pdf``, top to bottom: (bottom edge in
    points from the top of the page, text), from pdftotext's word boxes."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    x = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in etree.fromstring(out).iter(f"{x}page"):
        lines: dict[float, list[tuple[float, float, str]]] = {}
        for word in page.iter(f"{x}word"):
            top = round(float(word.get("yMin")))
            lines.setdefault(top, []).append((float(word.get("xMin")), float(word.get("yMax")), word.text or ""))
        pages.append([(max(w[1] for w in ws), " ".join(w[2] for w in sorted(ws))) for _, ws in sorted(lines.items())])
    return pages


def _key(text: str) -> str:
    """Text without spaces and combining marks: pdftotext cuts Thai words
    around their marks and puts the marks apart."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Mn")


def _short_work(n: int) -> dict[str, Any]:
    return {**work(n, []), "background": "ที่มา", "method": "ขั้นตอน"}


def test_rendered_pages_grow_by_a_page_per_work(soffice: str, tmp_path: Path, mixed: list[str]) -> None:
    """Rendered by LibreOffice: every work adds the same pages (each starts
    a page of its own, unless asked to run on), nothing of a work is on the
    page the next one starts, and no page ends with a prompt."""
    files = []
    for name, works, options in (("one", [work(0, mixed[:5])], {}), ("two", [work(n, mixed[:5]) for n in range(2)], {}),
                                 ("three", [work(n, mixed[:5]) for n in range(3)], {}),
                                 ("short", [_short_work(n) for n in range(3)], {}),
                                 ("running", [_short_work(n) for n in range(3)], {"page_breaks": False})):
        data, _ = fill({"works": works}, **options)
        files.append(tmp_path / f"{name}.docx")
        files[-1].write_bytes(data)
    rendered = [_pages(pdf) for pdf in convert(soffice, files, "pdf", tmp_path / "pdf", tmp_path / "profile")]
    one, two, three, short, running = map(len, rendered)
    assert three - two == two - one >= 1
    assert running <= short
    for pages in rendered[2:]:
        firsts = []
        for k in (2, 3):
            start = _key(f"ผลงานชิ้นที่ {k}")
            (page,) = [lines for lines in pages if any(_key(t).startswith(start) for _, t in lines)]
            firsts.append(_key(page[0][1]).startswith(start))  # nothing of the work before it
        assert firsts == [True, True] if pages is not rendered[4] else False in firsts
    for n, pages in enumerate(rendered):
        prompts = PROMPTS if n < 3 else PROMPTS[:-1]  # works without photos end with the photo prompt
        attachment = next(n for n, lines in enumerate(pages) if _key(lines[0][1]) == _key("เอกสารแนบ"))
        for lines in pages[attachment:]:
            bottom, last = lines[-1]
            if any(_key(last).startswith(_key(label)) for label in prompts):
                assert bottom < 841.9 - 56.7 - 150, last  # a prompt that ends a page has photos under it
