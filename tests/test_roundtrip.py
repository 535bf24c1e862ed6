"""The round trip, proved over generated records: parse(fill(r)) == canonical(r),
and canonical(r) keeps what r said (up to the shared text normalization)."""
from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formkit import forms
from formkit.fill.filler import Filler, fill_warnings
from formkit.read.parse import parse_file
from formkit.text import match_key, normalize
from tests.test_fill import png

THAI = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮะาำิีึืุูเแโใไ่้๊๋็์ๆฯ"
DIGITS = "0123456789๐๑๒๓๔๕๖๗๘๙"
ALPHABET = THAI + DIGITS + "abcXYZ &<>\"'/()-:%"

word = st.text(alphabet=ALPHABET, min_size=1, max_size=12)
# An answer line that is exactly the next block's printed start ("ผลงานชิ้นที่ 2"
# inside work 1) cannot be told from it, in a filled document or on paper; such
# lines are left out (a start word alone, or with another number, is kept).
_START = match_key("ผลงานชิ้นที่")
line = st.lists(word, min_size=1, max_size=6).map(" ".join).filter(
    lambda text: not re.match(rf"^\(?#?\)?{_START}#", match_key(text))
)
paragraphs = st.lists(line, max_size=4).map("\n".join)
one_line = st.one_of(st.just(""), line)
levels = st.one_of(st.none(), st.integers(1, 5))

FORM_12, FORM_31 = forms.load("esao-1-2"), forms.load("esao-3-1")
FILLERS = {f.id: Filler(f) for f in (FORM_12, FORM_31)}


@pytest.fixture(scope="module")
def photo_paths(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("photos")
    paths = []
    for n in range(6):
        path = folder / f"p{n}.png"
        path.write_bytes(png(30 * n + 7, 32 + n, 24))
        paths.append(str(path))
    return paths


def record_12() -> st.SearchStrategy[dict]:
    boxes = st.fixed_dictionaries({k: st.booleans() for k in ("action_plan", "km_plan", "km_report", "other")})
    return st.fixed_dictionaries(
        {"level": levels, "process": paragraphs, "problems": paragraphs, "suggestions": paragraphs,
         "evidence": boxes, "other_evidence": st.lists(one_line, max_size=5)},
        optional={"office": one_line, "fiscal_year": st.sampled_from(["2565", "2566", "๒๕๖๗"])},
    )


def record_31(photos: st.SearchStrategy[list[int]]) -> st.SearchStrategy[dict]:
    texts = {k: paragraphs for k in ("background", "method", "technique", "quantitative", "qualitative",
                                     "success_factors", "dissemination")}
    work = st.fixed_dictionaries({"title": one_line, "group": one_line, **texts, "photos": photos})
    return st.fixed_dictionaries(
        {"level": levels, "evidence": st.fixed_dictionaries({"works_detail": st.booleans()}),
         "works": st.lists(work, max_size=7)},
        optional={"office": one_line, "fiscal_year": st.sampled_from(["2563 - 2564", "2564 - 2565"])},
    )


def round_trip(form_id: str, record: dict) -> tuple[dict, dict]:
    filler = FILLERS[form_id]
    buf = io.BytesIO()
    canon = filler.render(record, buf)
    parsed = parse_file(buf.getvalue(), "generated.docx")
    assert parsed.error is None, parsed.error
    assert parsed.form == form_id
    # the only warning a generated record may give: lines under an unticked box, said alike by fill and parse
    assert parsed.warnings == fill_warnings(filler.form, record)
    return parsed.record or {}, canon


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(record=record_12())
def test_esao_1_2(record: dict) -> None:
    parsed, canon = round_trip("esao-1-2", record)
    assert parsed == canon
    for key in ("process", "problems", "suggestions"):
        assert canon[key] == normalize(record[key])
    assert canon["level"] == record["level"] and canon["evidence"] == record["evidence"]


@_SETTINGS
@given(data=st.data())
def test_esao_3_1(data: st.DataObject, photo_paths: list[str]) -> None:
    photos = st.lists(st.sampled_from(photo_paths), max_size=6)
    record = data.draw(record_31(photos))
    parsed, canon = round_trip("esao-3-1", record)
    assert parsed == canon
    kept = [w for w in record["works"] if any(normalize(str(v)) for k, v in w.items() if k != "photos") or w["photos"]]
    assert len(canon["works"]) == len(kept)
    assert [len(w["photos"]) for w in canon["works"]] == [len(w["photos"]) for w in kept]


def test_answers_that_begin_like_a_block_start_stay_answers() -> None:
    """ "ผลงานชิ้น", "ผลงานชิ้นที่" alone, or with a number out of sequence, typed
    in a work's answers, start no new work (found by the generator above)."""
    work = {"title": "ระบบ A", "group": "กลุ่มนโยบายและแผน", "photos": []}
    record = {"level": 3, "evidence": {"works_detail": True}, "works": [
        {**work, "dissemination": "ผลงานชิ้\nผลงานชิ้นที่\nผลงานชิ้นที่ 7\nผลงานชิ้นที่ 1 ของปีก่อน"},
        {**work, "title": "ระบบ B"},
    ]}
    parsed, canon = round_trip("esao-3-1", record)
    assert parsed == canon
    assert [w["title"] for w in parsed["works"]] == ["ระบบ A", "ระบบ B"]
