"""formkit learn: a definition drafted from an original works like the
hand-written one, after nothing but renaming fields.

The renaming is not written here by hand: each hand-written field is paired
with the learned field of the same kind and the same printed label (level,
year and header, one per form, by kind), so a learned label that drifted
from the printed one fails the pairing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from formkit import forms
from formkit.cli import main
from formkit.forms import FieldDef
from formkit.learn.learner import learn
from formkit.learn.model import label_pairs
from formkit.learn.write import name_from
from formkit.read.parse import parse_file
from formkit.text import match_key
from tests.conftest import expected_samples
from tests.docxbuild import make_docx, p, r

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("esao-1-2", "esao-3-1")
BOX = '<w:r><w:sym w:font="Wingdings 2" w:char="F0A3"/></w:r>'


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("learned")
    out = {}
    for form_id in SHIPPED:
        folder = root / f"{form_id}-learned"
        result = run("learn", str(ROOT / "forms" / form_id / "original.docx"), "--id", f"{form_id}-learned",
                     "-o", str(folder))
        assert result.exit_code == 0, result.output
        out[form_id] = folder
    return out


def _key(f: FieldDef) -> tuple[str, str]:
    if f.kind in ("level", "year", "header"):
        return f.kind, ""
    if f.kind == "boxes":
        return f.kind, "|".join(sorted(match_key(label) for _, label in f.items))
    if f.kind == "repeat":
        return f.kind, match_key(f.start)
    return f.kind, match_key(f.label)


def pair(hand: tuple[FieldDef, ...], drafted: tuple[FieldDef, ...], path: str = "") -> dict[str, Any]:
    """learned name -> (hand name, nested renames); every hand field must be paired."""
    by_key = {_key(f): f for f in drafted}
    out: dict[str, Any] = {}
    for h in hand:
        mine = by_key.get(_key(h))
        assert mine is not None, f"{path}{h.name} ({h.kind}, {_key(h)[1]!r}) has no learned counterpart"
        nested: dict[str, Any] = {}
        if h.kind == "boxes":
            labels = {match_key(label): key for key, label in mine.items}
            nested = {labels[match_key(label)]: key for key, label in h.items}
        if h.kind == "repeat":
            nested = pair(h.fields, mine.fields, f"{path}{h.name}.")
            assert set(h.headings) == set(mine.headings)
        out[mine.name] = (h.name, nested)
    return out


def rename(fields: dict[str, Any], renames: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, spec in fields.items():
        assert name in renames, f"learned field {name} has no hand-written counterpart"
        new, nested = renames[name]
        if spec["kind"] == "boxes":
            spec["items"] = {nested[k]: v for k, v in spec["items"].items()}
        if spec["kind"] == "repeat":
            spec["fields"] = rename(spec["fields"], nested)
        out[new] = spec
    return out


@pytest.fixture(scope="module")
def renamed(learned: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("renamed")
    out = {}
    for form_id, folder in learned.items():
        hand, drafted = forms.load(form_id), forms.load_path(folder)
        renames = pair(hand.fields, drafted.fields)
        data = yaml.safe_load((folder / "form.yaml").read_text("utf-8"))
        data["fields"] = rename(data["fields"], renames)
        target = root / form_id
        target.mkdir()
        shutil.copy(folder / "original.docx", target / "original.docx")
        (target / "form.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        out[form_id] = target
    return out


def test_learned_original_is_a_copy(learned: dict[str, Path]) -> None:
    for form_id, folder in learned.items():
        assert (folder / "original.docx").read_bytes() == (ROOT / "forms" / form_id / "original.docx").read_bytes()


@pytest.mark.parametrize("form_id", SHIPPED)
def test_learned_fields_pair_with_hand_written(learned: dict[str, Path], form_id: str) -> None:
    hand, drafted = forms.load(form_id), forms.load_path(learned[form_id])
    renames = pair(hand.fields, drafted.fields)
    assert len(renames) == len(drafted.fields)  # nothing extra was proposed


@pytest.mark.parametrize("expected", expected_samples(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_renamed_learned_definition_parses_samples_like_hand_written(renamed: dict[str, Path], expected: Path) -> None:
    want = json.loads(expected.read_text("utf-8"))
    folder = renamed[want["form"]]
    got = parse_file(str(expected.with_suffix(".docx")), form=str(folder))
    assert got.error is None, got.error
    assert got.record == want["record"]
    # a drafted definition knows no belongs_to (which lines detail which box): that warning is the hand's
    assert sorted(w.code for w in got.warnings) == sorted(c for c in want["warnings"] if c != "answer-without-box")


@pytest.mark.parametrize("form_id", forms.available())
def test_check_passes_on_every_shipped_form(form_id: str) -> None:
    result = run("check", form_id)
    assert result.exit_code == 0, result.output
    assert "MISSING" not in result.output
    phrases = len(forms.load(form_id).phrases)
    assert f"recognition: {phrases} of {phrases} phrases found" in result.output


@pytest.mark.parametrize("form_id", SHIPPED)
def test_check_passes_on_learned_forms(learned: dict[str, Path], form_id: str) -> None:
    result = run("check", str(learned[form_id]))
    assert result.exit_code == 0, result.output
    assert "MISSING" not in result.output


def test_check_roundtrip_of_learned_definitions(learned: dict[str, Path]) -> None:
    for folder in learned.values():
        result = run("check", str(folder), "--roundtrip", "8", "--seed", "3")
        assert result.exit_code == 0, result.output
        assert "8 of 8 generated records came back unchanged" in result.output


def _reworded_original(tmp_path: Path) -> Path:
    """The esao-1-2 original with one prompt re-worded, as an office might."""
    import zipfile

    src = ROOT / "forms" / "esao-1-2" / "original.docx"
    out = tmp_path / "copy.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert "ข้อเสนอแนะเพื่อการพัฒนา" in text
                data = text.replace("ข้อเสนอแนะเพื่อการพัฒนา", "ความเห็นเพิ่มเติมอื่น").encode("utf-8")
            zout.writestr(item, data)
    return out


def test_check_reports_a_missing_label_with_the_nearest_line(tmp_path: Path) -> None:
    result = run("check", "esao-1-2", "--original", str(_reworded_original(tmp_path)))
    assert result.exit_code == 1
    missing = [line for line in result.output.splitlines() if line.startswith("MISSING")]
    assert any("suggestions" in line for line in missing), result.output
    assert "nearest" in result.output
    assert "1 anchor(s) missing, 0 record(s) changed by the round trip" in result.output


def test_check_of_an_unknown_form_is_a_usage_error() -> None:
    result = run("check", "no-such-form")
    assert result.exit_code == 2
    assert "no form 'no-such-form'" in result.output


def test_learn_refuses_to_overwrite_without_force(learned: dict[str, Path]) -> None:
    folder = learned["esao-1-2"]
    before = (folder / "form.yaml").read_bytes()
    src = str(ROOT / "forms" / "esao-1-2" / "original.docx")
    result = run("learn", src, "--id", "esao-1-2-learned", "-o", str(folder))
    assert result.exit_code == 1
    assert "--force" in result.output
    assert (folder / "form.yaml").read_bytes() == before
    assert run("learn", src, "--id", "esao-1-2-learned", "-o", str(folder), "--force").exit_code == 0


@pytest.mark.parametrize("form_id", ["Bad Id", "../up", ""])
def test_learn_refuses_a_bad_id(tmp_path: Path, form_id: str) -> None:
    result = run("learn", str(ROOT / "forms" / "esao-1-2" / "original.docx"), "--id", form_id, "-o", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert "--id" in result.output
    assert not (tmp_path / "x").exists()


def test_learn_names_the_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    bad = tmp_path / "form.docx"
    bad.write_bytes(b"this is not a zip")
    result = run("learn", str(bad), "--id", "x", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "form.docx" in result.output and "[not-docx]" in result.output
    assert not (tmp_path / "out" / "form.yaml").exists()


# ---- the kinds, on small documents ------------------------------------------------------

def _draft(body: str) -> dict[str, Any]:
    draft = learn_bytes(make_docx(body))
    return {f.kind + ":" + str(f.spec.get("label", f.spec.get("start", ""))): f for f in draft.fields}


def learn_bytes(data: bytes) -> Any:
    return learn(data, "t")


def test_two_label_blank_pairs_on_one_line_are_two_values() -> None:
    fields = _draft(p(r("ชื่อผู้รายงาน ........................"), "<w:r><w:tab/></w:r>", r("ตำแหน่ง ..............")))
    assert {"value:ชื่อผู้รายงาน", "value:ตำแหน่ง"} <= set(fields)


def test_prompt_with_blank_lines_is_a_section_numbered_lines_a_list() -> None:
    body = (p(r("ปัญหา อุปสรรค")) + p(r("." * 60)) + p(r("." * 60))
            + p(r("โครงการที่ดำเนินการ")) + p(r("1. " + "." * 40)) + p(r("2. " + "." * 40)) + p(r("ฯลฯ")))
    fields = _draft(body)
    assert "section:ปัญหา อุปสรรค" in fields
    lines = fields["lines:โครงการที่ดำเนินการ"]
    assert lines.spec.get("ignore") == ["ฯลฯ"]


def test_underscore_blank_is_a_blank() -> None:
    fields = _draft(p(r("ข้อเสนอแนะ")) + p(r("_" * 40)))
    assert "section:ข้อเสนอแนะ" in fields


def test_inline_boxes_are_one_group_anchored_at_the_line_before() -> None:
    body = p(r("ระบบที่ใช้")) + p(BOX, r(" ระบบสารบรรณ  "), BOX, r(" ระบบประชุม  "), BOX, r(" อื่น ๆ"))
    draft = learn_bytes(make_docx(body))
    boxes = [f for f in draft.fields if f.kind == "boxes"]
    assert len(boxes) == 1
    assert boxes[0].spec["after"] == "ระบบที่ใช้"
    assert boxes[0].spec["items"] == ["ระบบสารบรรณ", "ระบบประชุม", "อื่น ๆ"]


def test_numbered_block_with_photo_prompt_is_a_repeat() -> None:
    body = (p(r("ผลงานชิ้นที่ 1")) + p(r("ชื่อผลงาน ..........")) + p(r("รายละเอียด")) + p(r("." * 50))
            + p(r("ภาพประกอบ")) + p())
    draft = learn_bytes(make_docx(body))
    (repeat,) = [f for f in draft.fields if f.kind == "repeat"]
    assert repeat.spec["start"] == "ผลงานชิ้นที่"
    assert [f.kind for f in repeat.fields] == ["value", "section", "images"]


def test_a_numbered_title_without_photo_prompt_is_not_a_repeat() -> None:
    draft = learn_bytes(make_docx(p(r("ตัวบ่งชี้ที่ 3")) + p(r("ชื่อ ..........")) + p(r("รายละเอียด")) + p(r("." * 50))))
    assert not [f for f in draft.fields if f.kind == "repeat"]


def test_blank_without_prompt_is_reported_not_learned() -> None:
    draft = learn_bytes(make_docx(p(r("." * 50))))
    assert [f.kind for f in draft.fields] == ["header"]
    assert any("no prompt" in n for n in draft.notes)


def test_a_document_without_blanks_yields_only_the_header() -> None:
    draft = learn_bytes(make_docx(p(r("หนังสือราชการ")) + p(r("เรื่อง ขอเชิญประชุม"))))
    assert [f.kind for f in draft.fields] == ["header"]


@pytest.mark.parametrize(
    ("label", "name"),
    [("E-mail", "e_mail"), ("ชื่อผลงาน", "title"), ("ปัญหา อุปสรรค", "problems_obstacles"), ("สิ่งที่ทำ", "")],
)
def test_names_from_labels(label: str, name: str) -> None:
    assert name_from(label) == name


def test_label_pairs_keep_text_after_the_last_blank() -> None:
    assert label_pairs("ลงชื่อ ............ ผู้รายงาน") == (["ลงชื่อ"], "ผู้รายงาน")
    assert label_pairs("ชื่อ: ______  กลุ่ม …… ") == (["ชื่อ", "กลุ่ม"], "")


def test_learn_runs_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "f"
    proc = subprocess.run(
        [sys.executable, "-m", "formkit", "learn", str(ROOT / "forms" / "esao-3-1" / "original.docx"),
         "--id", "f", "-o", str(out)], capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "CHECK comment" in proc.stderr
    assert forms.load_path(out).id == "f"


def test_learn_from_copies_saved_by_libreoffice(soffice: str, tmp_path: Path) -> None:
    """An original re-saved by another word processor (its own XML, styles and
    run splits) is learned into the same fields."""
    from tests.conftest import convert

    copies = []
    for form_id in SHIPPED:
        target = tmp_path / "in" / f"{form_id}.docx"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / "forms" / form_id / "original.docx", target)
        copies.append(target)
    saved = convert(soffice, copies, "docx:MS Word 2007 XML", tmp_path / "out", tmp_path / "profile")
    for form_id, copy in zip(SHIPPED, saved):
        folder = tmp_path / "learned" / form_id
        assert run("learn", str(copy), "--id", form_id, "-o", str(folder)).exit_code == 0
        drafted = forms.load_path(folder)
        assert len(pair(forms.load(form_id).fields, drafted.fields)) == len(drafted.fields)
        result = run("check", str(folder), "--roundtrip", "4")
        assert result.exit_code == 0, result.output


def _cell(*content: str) -> str:
    return '<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>' + "".join(content) + "</w:tc>"


def _table(*rows: str) -> str:
    grid = '<w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="6000"/></w:tblGrid>'
    return "<w:tbl><w:tblPr/>" + grid + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"


def test_label_answer_table_is_learned_filled_into_the_answer_cell_and_read_back(tmp_path: Path) -> None:
    body = (
        p(r("แบบรายงานข้อมูลโรงเรียน ปีการศึกษา 2566"))
        + _table(_cell(p(r("ชื่อโรงเรียน"))) + _cell(p()),
                 _cell(p(r("ผลการดำเนินงาน"))) + _cell(p(), p()))
        + p(r("ปัญหา อุปสรรค")) + p(r("." * 50)) + p(r("หมายเหตุ ส่งภายในวันที่ 30"))
    )
    src = tmp_path / "form.docx"
    src.write_bytes(make_docx(body))
    folder = tmp_path / "learned"
    assert run("learn", str(src), "--id", "school", "-o", str(folder)).exit_code == 0
    form = forms.load_path(folder)
    kinds = {f.label: f.kind for f in form.fields}
    assert kinds["ชื่อโรงเรียน"] == "value" and kinds["ผลการดำเนินงาน"] == "section"
    assert form.headings == ("หมายเหตุ ส่งภายในวันที่ 30",)
    names = {f.label: f.name for f in form.fields}
    record = {names["ชื่อโรงเรียน"]: "โรงเรียนบ้านดอน & <วิทยา>", names["ผลการดำเนินงาน"]: "บรรทัดหนึ่ง\nบรรทัดสอง",
              names["ปัญหา อุปสรรค"]: "งบประมาณจำกัด", "year": "2567"}
    (tmp_path / "r.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    out = tmp_path / "filled.docx"
    assert run("fill", str(folder), str(tmp_path / "r.json"), "-o", str(out)).exit_code == 0
    parsed = parse_file(str(out), form=str(folder))
    assert parsed.record == record
    from formkit.locate.stream import build
    from formkit.read.parse import read_model

    cells = [p_.text for p_ in build(read_model(str(out), "x").body).paras if p_.container]
    assert cells[:2] == ["ชื่อโรงเรียน", "โรงเรียนบ้านดอน & <วิทยา>"]  # written in the answer cell
    assert run("check", str(folder), "--roundtrip", "6").exit_code == 0


def test_blank_lines_numbered_by_word_are_a_list_filled_and_read_back(tmp_path: Path) -> None:
    """Numbered blank lines whose "1." Word draws itself (w:numPr, ECMA-376
    17.9) are a lines field like typed "1. ....." lines."""
    from tests.docxbuild import NAMESPACES, RelSpec

    numbered = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
    numbering = (
        f'<w:numbering xmlns:w="{NAMESPACES["w"]}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    body = (p(r("แบบรายงานโครงการ ปีงบประมาณ พ.ศ. 2566")) + p(r("โครงการที่ดำเนินการ"))
            + p(r("." * 40), ppr=numbered) + p(r("." * 40), ppr=numbered)
            + p(r("ข้อเสนอแนะ")) + p(r("." * 40)))
    src = tmp_path / "numbered.docx"
    src.write_bytes(make_docx(body, parts={"word/numbering.xml": numbering},
                              extra_rels=[RelSpec("rId_numbering", "numbering", "numbering.xml")]))
    folder = tmp_path / "learned"
    assert run("learn", str(src), "--id", "numbered", "-o", str(folder)).exit_code == 0
    form = forms.load_path(folder)
    assert {f.label: f.kind for f in form.fields}["โครงการที่ดำเนินการ"] == "lines"
    result = run("check", str(folder), "--roundtrip", "10")
    assert result.exit_code == 0, result.output


def test_blanks_drawn_by_tab_leaders_and_underlines_are_learned_filled_and_read_back(tmp_path: Path) -> None:
    """Word draws a dotted blank from a tab stop with a leader (ECMA-376
    17.3.1.37) or from underlined spaces; no dots are typed."""
    leader = '<w:tabs><w:tab w:val="left" w:leader="dot" w:pos="4500"/><w:tab w:val="left" w:leader="dot" w:pos="9000"/></w:tabs>'
    tab = "<w:r><w:tab/></w:r>"
    underlined = '<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">                    </w:t></w:r>'
    body = (p(r("แบบข้อมูลผู้รายงาน ปีงบประมาณ พ.ศ. 2566"))
            + p(r("ชื่อผู้รายงาน"), tab, r("ตำแหน่ง"), tab, ppr=leader)
            + p(r("โทรศัพท์ "), underlined)
            + p(r("ข้อเสนอแนะ")) + p(r("." * 40)))
    src = tmp_path / "drawn.docx"
    src.write_bytes(make_docx(body))
    folder = tmp_path / "learned"
    assert run("learn", str(src), "--id", "drawn", "-o", str(folder)).exit_code == 0
    form = forms.load_path(folder)
    kinds = {f.label: f.kind for f in form.fields}
    assert kinds["ชื่อผู้รายงาน"] == kinds["ตำแหน่ง"] == kinds["โทรศัพท์"] == "value"
    result = run("check", str(folder), "--roundtrip", "12")
    assert result.exit_code == 0, result.output


def test_learn_from_a_legacy_doc_original(soffice: str, tmp_path: Path) -> None:
    from tests.conftest import convert

    (doc,) = convert(soffice, [ROOT / "forms" / "esao-1-2" / "original.docx"], "doc", tmp_path / "doc", tmp_path / "profile")
    folder = tmp_path / "learned"
    result = run("learn", str(doc), "--id", "from-doc", "-o", str(folder))
    assert result.exit_code == 0, result.output
    text = (folder / "form.yaml").read_text("utf-8")
    assert "converted by LibreOffice" in text
    assert (folder / "original.docx").read_bytes()[:2] == b"PK"
    drafted = forms.load_path(folder)
    assert len(pair(forms.load("esao-1-2").fields, drafted.fields)) == len(drafted.fields)
    assert run("check", str(folder), "--roundtrip", "4").exit_code == 0


def test_a_grid_to_fill_row_by_row_is_learned_as_a_grid() -> None:
    body = p(r("รายการโครงการ")) + _table(_cell(p(r("ชื่อโครงการ"))) + _cell(p(r("งบประมาณ"))),
                                          _cell(p()) + _cell(p()), _cell(p()) + _cell(p()))
    draft = learn_bytes(make_docx(body))
    grids = [f for f in draft.fields if f.kind == "grid"]
    assert [g.spec["columns"] for g in grids] == [["ชื่อโครงการ", "งบประมาณ"]]
    assert not any(f.kind in ("value", "section") for f in draft.fields)  # the header cells are no labels


THIRD = ROOT / "samples" / "learn" / "esao-1-3"


def test_third_form_learned_definition_round_trips_with_names_only_changed(tmp_path: Path) -> None:
    """A form nobody tuned learn on (samples/tools/build_third.py: Word's own
    XML, ascending levels with the box beside the digit, inline boxes, tabbed
    label pairs, underscore blanks): the learned definition pairs with the
    hand-written one field for field, and with names changed fills and reads
    the hand-made records exactly as the hand-written definition does."""
    folder = tmp_path / "learned"
    assert run("learn", str(THIRD / "original.docx"), "--id", "esao-1-3", "-o", str(folder)).exit_code == 0
    hand, drafted = forms.load_path(THIRD), forms.load_path(folder)
    renames = pair(hand.fields, drafted.fields)
    assert len(renames) == len(drafted.fields)
    result = run("check", str(folder), "--roundtrip", "20", "--seed", "7")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((folder / "form.yaml").read_text("utf-8"))
    data["fields"] = rename(data["fields"], renames)
    folder = tmp_path / "renamed"
    folder.mkdir()
    shutil.copy(tmp_path / "learned" / "original.docx", folder / "original.docx")
    (folder / "form.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    records = sorted((THIRD / "records").glob("*.*"))
    assert len(records) >= 4
    for record in records:
        outputs = {}
        for name, form in (("hand", THIRD), ("learned", folder)):
            out = tmp_path / f"{record.stem}-{name}.docx"
            filled = run("fill", str(form), str(record), "-o", str(out))
            assert filled.exit_code == 0, filled.output
            outputs[name] = parse_file(str(out), form=str(form))
        assert outputs["learned"].error is None
        assert outputs["learned"].record == outputs["hand"].record
        assert outputs["learned"].warnings == [] == outputs["hand"].warnings


def test_boxes_named_like_yaml_booleans_and_no_phrases_make_a_definition_that_loads(tmp_path: Path) -> None:
    """Box items "Yes"/"No"/"On"/"Off" are named yes/no/on/off, which plain
    YAML reads as booleans: learn quotes them; a form with no phrase to
    recognize it by is written with an empty list, loads, and round-trips
    when named (parse --form: nothing to check recognition against)."""
    from tests.docxbuild import make_docx

    lines = ["Do you agree?", "\u2610 Yes", "\u2610 No", "Is it on?", "\u2610 On", "\u2610 Off"]
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in lines)
    (tmp_path / "yn.docx").write_bytes(make_docx(body))
    result = CliRunner().invoke(main, ["learn", str(tmp_path / "yn.docx"), "--id", "yn", "-o", str(tmp_path / "yn")])
    assert result.exit_code == 0, result.output
    form = forms.load(str(tmp_path / "yn"))
    keys = sorted(key for f in form.fields if f.kind == "boxes" for key, _ in f.items)
    assert keys == ["no", "off", "on", "yes"] and form.phrases == ("Do you agree?", "Is it on?")
    (tmp_path / "bare.docx").write_bytes(make_docx(body.replace("Do you agree?", "").replace("Is it on?", "")))
    result = CliRunner().invoke(main, ["learn", str(tmp_path / "bare.docx"), "--id", "yn", "-o", str(tmp_path / "bare")])
    assert result.exit_code == 0, result.output
    assert forms.load(str(tmp_path / "bare")).phrases == ()
    assert "phrases: []" in (tmp_path / "bare" / "form.yaml").read_text("utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "bare"), "--roundtrip", "5"])
    assert "round trip: 5 of 5 generated records came back unchanged" in result.output
