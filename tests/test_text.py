"""Normalization rules, one row per rule."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formkit.text import clean_chars, key_with_positions, match_key, normalize, normalize_line, parse_int


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ทํางาน", "ทำงาน"),  # decomposed sara am
        ("ระบบ\u200bติดตาม\u200c\u200d\ufeff", "ระบบติดตาม"),  # zero-width
        ("แผน\u00adงาน", "แผนงาน"),  # soft hyphen
        ("ก\u00a0ข\tค", "ก ข ค"),  # NBSP and tab to space
        ("ชื่อผลงาน.....ระบบ", "ชื่อผลงาน ระบบ"),  # leader inside a line
        ("...........", ""),  # a blank line of dots
        ("คำตอบ……", "คำตอบ"),  # ellipsis leaders
        ("ตอบ____ต่อ", "ตอบ ต่อ"),  # underscores
        ("ฯลฯ", "ฯลฯ"),  # not a leader
        ("1.2 บาท", "1.2 บาท"),  # one dot is text
        ("ก..ข", "ก..ข"),  # two dots are text
        ("  ก   ข  ", "ก ข"),  # collapse and trim
        ("บรรทัด1\n\n  \nบรรทัด2", "บรรทัด1\nบรรทัด2"),  # empty lines dropped
        ("a\r\nb\rc", "a\nb\nc"),
        ("๑๒๓ & <tag> \"q\"", "๑๒๓ & <tag> \"q\""),  # digits and markup kept
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_clean_chars_keeps_lines() -> None:
    assert clean_chars("ก\nข\u200b") == "ก\nข"


def test_normalize_line_is_single_line_rule() -> None:
    assert normalize_line(" ก ....  ข ") == "ก ข"


@pytest.mark.parametrize(
    "a, b",
    [
        ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2565", "แผนปฏิบัติการประจำปีงบประมาณ  พ.ศ.2566"),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๕", "ปีงบประมาณ พ.ศ. 2565"),
        ("2.  ปัญหา อุปสรรค", "2. ปัญหาอุปสรรค :"),
        ("ท\u200bํา", "ทำ"),
    ],
)
def test_match_key_tolerates_drift(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


def test_match_key_keeps_words_apart() -> None:
    assert match_key("เชิงปริมาณ") != match_key("เชิงคุณภาพ")


def test_key_positions_map_back_to_text() -> None:
    text = "กลุ่ม  12 ab"
    key, ends = key_with_positions(text)
    assert key == match_key(text)
    assert text[: ends[4]] == "กลุ่ม"
    assert text[: ends[5]] == "กลุ่ม  12"


@pytest.mark.parametrize("raw, value", [("5", 5), ("๔", 4), (" ระดับ ๓ ", 3), ("ไม่มี", None)])
def test_parse_int(raw: str, value: int | None) -> None:
    assert parse_int(raw) == value


@pytest.mark.parametrize(
    "text", ["พ.ศ. 2563 - 2564", "12.5 บาท", "ข้อ ๑.๒", "A-1 b", "แผน  (ถ้ามี) : 2565", "ก\u200bข", "ทํา"]
)
def test_key_and_its_positions_agree(text: str) -> None:
    from formkit.text import clean_chars, clean_key, key_ends

    clean = clean_chars(text)
    key, ends = key_with_positions(clean)
    assert key == clean_key(clean) == match_key(text)
    assert list(key_ends(clean)) == ends and len(ends) == len(key)


@given(st.text(alphabet=st.sampled_from("aßﬁﬃİŉǰΣςẞ Straße.:-–_…๑๒3 ชื่อ\u0e33\u200b"), max_size=40) | st.text(max_size=40))
@settings(max_examples=400, deadline=None)
def test_key_positions_fit_the_key_whatever_the_case_folding_does(text: str) -> None:
    """Each key character has its position, even where case folding makes
    the key longer than the text ("ß" -> "ss", "ﬁ" -> "fi", "İ" -> "i̇"), and
    the key is the one labels are compared by."""
    clean = clean_chars(text)
    key, ends = key_with_positions(clean)
    assert key == match_key(text)
    assert len(ends) == len(key)
    assert ends == sorted(ends) and all(0 < end <= len(clean) for end in ends)


def test_a_label_with_letters_that_fold_longer_is_found_and_cut() -> None:
    from formkit.fill.build import pseudo_para
    from formkit.locate.labels import make_label, match_inside, match_start

    line = "STRASSE: Hauptstraße 5, ﬁle ﬁrst"
    start = match_start(make_label("Straße"), pseudo_para(line))
    assert start is not None and line[start.end:] == ": Hauptstraße 5, ﬁle ﬁrst"
    inside = match_inside(make_label("file first"), pseudo_para(line), 5)
    assert inside is not None and line[inside.start:inside.end] == "ﬁle ﬁrst"


# Characters at each edge of the character rules: the mapped spaces and format
# characters, sara am's two spellings, a combining mark, leaders, Thai digits.
_EDGES = st.text(alphabet=st.sampled_from(
    " .…_\t\n\r\v\u2028\xa0\u2003\u3000\u200b\u200d\ufeff\u00ad\u0e4d\u0e32e\u0301aกข๑๙09\x1c"), max_size=30)


@given(_EDGES | st.text(max_size=30))
@settings(max_examples=500)
def test_is_blank_is_normalize_giving_nothing(text: str) -> None:
    from formkit.text import is_blank

    assert is_blank(text) == (not normalize(text))


@given(_EDGES | st.text(max_size=30))
@settings(max_examples=500)
def test_clean_chars_maps_each_character_as_its_table_says(text: str) -> None:
    import unicodedata

    from formkit.text import _CHAR_MAP

    expected = unicodedata.normalize("NFC", text.translate(_CHAR_MAP).replace("\u0e4d\u0e32", "\u0e33"))
    assert clean_chars(text) == expected


@given(_EDGES | st.text(max_size=30))
def test_fold_digits_folds_every_thai_digit(text: str) -> None:
    from formkit.text import fold_digits

    assert fold_digits(text) == text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))


def test_short_texts_are_remembered_and_long_ones_are_not() -> None:
    from formkit.text import for_short_texts

    calls: list[str] = []

    @for_short_texts(8)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    short, long = "ab", "x" * 301
    assert [upper(short), upper(short), upper(long), upper(long)] == ["AB", "AB", long.upper(), long.upper()]
    assert calls == [short, long, long]
