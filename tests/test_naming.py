"""naming: file names from a pattern, safe on Windows, macOS and Linux, unique."""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from formkit.fill.naming import FORBIDDEN, MAX_STEM_BYTES, RESERVED, Namer, clean_stem, cut_bytes, cut_words

OFFICE = "สพป.เชียงใหม่ เขต 1"
LONG_OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพระนครศรีอยุธยา เขต 1"  # 166 bytes


def _name(record: dict[str, Any], pattern: str = "{office}-{form}.docx", row: int = 2) -> str:
    return Namer(pattern).name(record, "esao-1-2", row)


def _stem(name: str) -> str:
    assert name.endswith(".docx")
    return name[: -len(".docx")]


def test_default_pattern() -> None:
    assert _name({"office": OFFICE}) == f"{OFFICE}-esao-1-2.docx"


def test_a_full_thai_office_name_is_cut_at_150_bytes_and_kept_unique() -> None:
    namer = Namer()
    first = namer.name({"office": LONG_OFFICE}, "esao-1-2", 2)
    second = namer.name({"office": LONG_OFFICE.replace("เขต 1", "เขต 2")}, "esao-1-2", 3)
    assert LONG_OFFICE.startswith(_stem(first)) and len(_stem(first).encode("utf-8")) <= 150
    base = _stem(second).removesuffix(" (2)")  # the cut names collide: " (2)" fits in the same 150 bytes
    assert base != _stem(second) and _stem(first).startswith(base) and len(_stem(second).encode("utf-8")) <= 150
    wide = Namer(max_bytes=240).name({"office": LONG_OFFICE}, "esao-1-2", 2)
    assert wide == f"{LONG_OFFICE}-esao-1-2.docx"


@pytest.mark.parametrize(("pattern", "record", "expected"), [
    ("{office}-{form}.docx", {}, "esao-1-2.docx"),  # missing field: "", no dangling "-"
    ("{office}-{form}.docx", {"office": None}, "esao-1-2.docx"),
    ("{office}-{form}.docx", {"office": "   "}, "esao-1-2.docx"),
    ("{office}.docx", {}, "esao-1-2-row7.docx"),  # nothing left: the fallback
    ("{office}_{fiscal_year}", {"office": "", "fiscal_year": ""}, "esao-1-2-row7.docx"),
    ("{office} - ... - {level}", {}, "esao-1-2-row7.docx"),  # only separators
    ("{evidence}{works}", {"evidence": {"km_plan": True}, "works": [{}]}, "esao-1-2-row7.docx"),
    ("{office}", {"office": "สพป."}, "สพป.docx"),  # suffix appended
    ("{office}.DOCX", {"office": "ก"}, "ก.docx"),  # not doubled
    ("{row:03d}-{level}-{fiscal_year}", {"level": 4, "fiscal_year": "2565"}, "007-4-2565.docx"),
    ("{level:02d}-{row}", {"level": "๔"}, "๔-7.docx"),  # a spec that does not fit: dropped
    ("{form}/{office}", {"office": "ก"}, "esao-1-2_ก.docx"),
])
def test_patterns(pattern: str, record: dict[str, Any], expected: str) -> None:
    assert Namer(pattern).name(record, "esao-1-2", 7) == expected


@pytest.mark.parametrize("char", list(FORBIDDEN))
def test_every_forbidden_character_is_replaced(char: str) -> None:
    name = _name({"office": f"ก{char}ข"})
    assert name == "ก_ข-esao-1-2.docx"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x7f", "\x9f", "\u202e", "\u200e", "\u2066", "\ufeff", "\u200b"])
def test_control_and_format_characters_are_dropped(char: str) -> None:
    assert _name({"office": f"ก{char}ข"}) == "กข-esao-1-2.docx"


@pytest.mark.parametrize("text", ["ก\nข", "ก\tข", "ก\r\nข", "ก\u00a0ข", "ก   ข", "ก\u2028ข"])
def test_white_space_becomes_one_space(text: str) -> None:
    assert _name({"office": text}) == "ก ข-esao-1-2.docx"


@pytest.mark.parametrize("office", [" .ก. ", "..ก", "ก...", "  ก  ", "-ก-", "_ก_"])
def test_no_leading_or_trailing_spaces_dots_or_separators(office: str) -> None:
    assert _name({"office": office}, "{office}") == "ก.docx"


@pytest.mark.parametrize("word", ["CON", "con", "Prn", "aux", "NUL", "COM1", "com9", "LPT1", "lpt9", "COM0", "COM¹", "LPT³", "CONIN$", "conout$"])
@pytest.mark.parametrize("extension", ["", ".txt", ".tar.gz", " .x"])
def test_reserved_windows_names(word: str, extension: str) -> None:
    name = _name({"office": word + extension}, "{office}")
    head = _stem(name).partition(".")[0].rstrip(" ")
    assert head.upper() not in RESERVED
    assert name.startswith(word + "_")


@pytest.mark.parametrize("word", ["CONSOLE", "COM10", "LPT", "NULL", "AUXI", "ก CON"])
def test_names_that_only_look_reserved_are_kept(word: str) -> None:
    assert _name({"office": word}, "{office}") == f"{word}.docx"


@pytest.mark.parametrize(("text", "char_bytes"), [("ก" * 200, 3), ("a" * 400, 1), ("é" * 200, 2), ("𠀀" * 100, 4)])
def test_stem_length_in_utf8_bytes(text: str, char_bytes: int) -> None:
    stem = _stem(_name({"office": text}, "{office}"))
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert len(stem.encode("utf-8")) > MAX_STEM_BYTES - char_bytes
    assert text.startswith(stem)


def test_a_cut_never_leaves_a_thai_mark_without_its_letter() -> None:
    text = "กิ่" * 60  # consonant + vowel + tone mark: 9 bytes a cluster
    stem = cut_bytes(text, MAX_STEM_BYTES)
    assert text.startswith(stem) and len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert len(stem) % 3 == 0 and unicodedata.category(text[len(stem)]) == "Lo"
    assert cut_bytes("ab", 10) == "ab"


def test_a_cut_ends_on_a_word_boundary_when_one_is_near() -> None:
    office = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1"  # 148 bytes
    assert _name({"office": office}) == f"{office}.docx"  # not "... เขต 1-es"
    assert cut_words("a" * 140 + " " + "b" * 20, 150) == "a" * 140  # the space is 9 characters back
    assert cut_words("a" * 130 + " " + "b" * 30, 150) == "a" * 130 + " " + "b" * 19  # too far: a plain cut
    assert cut_words("short-name", 150) == "short-name"


@pytest.mark.parametrize("text", ["ก\u0e4d\u0e32", "e\u0301", "ก\u200bา"])
def test_names_are_nfc_and_clean(text: str) -> None:
    stem = clean_stem(text)
    assert unicodedata.is_normalized("NFC", stem) and "\u200b" not in stem
    assert clean_stem("ก\u0e4d\u0e32") == "กำ"


def test_uniqueness_is_case_insensitive_and_normalization_insensitive() -> None:
    namer = Namer("{office}")
    names = [namer.name({"office": o}, "f", n) for n, o in enumerate(["Office", "OFFICE", "office", "e\u0301", "\u00e9", "É"], 2)]
    assert names == ["Office.docx", "OFFICE (2).docx", "office (3).docx", "é.docx", "é (2).docx", "É (3).docx"]
    assert len({n.casefold() for n in names}) == len(names)


def test_a_literal_numbered_name_is_not_reused() -> None:
    namer = Namer("{office}")
    assert [namer.name({"office": o}, "f", 2) for o in ["a", "a (2)", "a"]] == ["a.docx", "a (2).docx", "a (3).docx"]


def test_fallback_names_are_unique_too() -> None:
    namer = Namer("{office}")
    assert namer.name({}, "esao-3-1", 5) == "esao-3-1-row5.docx"
    assert namer.name({"office": "ESAO-3-1-ROW5"}, "esao-3-1", 6) == "ESAO-3-1-ROW5 (2).docx"


def test_a_numbered_name_stays_within_the_byte_limit() -> None:
    namer = Namer("{office}")
    first = namer.name({"office": "ก" * 200}, "f", 2)
    second = namer.name({"office": "ก" * 200}, "f", 3)
    assert second.endswith(" (2).docx") and len(_stem(second).encode("utf-8")) <= MAX_STEM_BYTES
    assert first != second


def test_another_suffix() -> None:
    assert Namer("{office}-{row}", suffix=".zip").name({"office": "ก"}, "f", 3) == "ก-3.zip"


@pytest.mark.parametrize("pattern", ["{}", "{0}", "{office.name}", "{works[0]}", "{office", "office}", "{office!r}"])
def test_malformed_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="name pattern"):
        Namer(pattern)


def test_placeholders_can_be_checked_against_the_form() -> None:
    fields = ["level", "office", "fiscal_year"]
    assert Namer("{office}-{fiscal_year}-{form}-{row}", fields=fields).placeholders == ("office", "fiscal_year", "form", "row")
    with pytest.raises(ValueError, match=r"no field 'ofice' \(did you mean \{office\}\?\)"):
        Namer("{ofice}-{form}", fields=fields)


@pytest.mark.parametrize("office", [OFFICE, "a/b\\c", "CON", "", "ก" * 300, " . ", "x:y*z?"])
def test_every_name_is_portable(office: str) -> None:
    name = _name({"office": office}, "{office}")
    stem = _stem(name)
    assert stem and stem == stem.strip(" .") and not any(c in FORBIDDEN for c in name)
    assert all(unicodedata.category(c) not in ("Cc", "Cf") for c in name)
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES and stem.partition(".")[0].upper() not in RESERVED


@pytest.mark.parametrize("pattern", ["{row:>100000000}", "{office:.256}", "{row:0256d}", "{level:x<99999999999}",
                                     "{office}-{row:,>1000000}"])
def test_huge_format_widths_are_refused(pattern: str) -> None:
    """A width or precision over 255 would make every name take minutes
    (and gigabytes) to format before it is cut to 150 bytes."""
    with pytest.raises(ValueError, match=r"has a width or precision over 255"):
        Namer(pattern)


@pytest.mark.parametrize(("pattern", "expected"), [("{row:>255}", " " * 253 + "12"), ("{row:05d}", "00012"),
                                                   ("{office:.255}", "ก" * 255)])
def test_widths_up_to_255_still_work(pattern: str, expected: str) -> None:
    """Allowed widths format, and the stem is then cut to 150 bytes as always."""
    name = _stem(_name({"office": "ก" * 300}, pattern, row=12))
    assert name == cut_words(clean_stem(expected), MAX_STEM_BYTES)
    assert len(name.encode("utf-8")) <= MAX_STEM_BYTES


def test_a_huge_width_is_a_usage_error_in_bulk(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from formkit.cli import main

    data = tmp_path / "rows.jsonl"
    data.write_text('{"office": "ก"}\n', "utf-8")
    result = CliRunner().invoke(main, ["bulk", "esao-1-2", str(data), "-o", str(tmp_path / "out"),
                                       "--name", "{row:>100000000}.docx"])
    assert result.exit_code == 2 and "width or precision over 255" in result.stderr
    assert not (tmp_path / "out").exists()
