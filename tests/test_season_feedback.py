"""The office's feedback names each answer still at its dots (read as empty),
in Thai and English, and never an optional field or an answered one."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from formkit.season.web.feedback import feedback  # noqa: E402
from tests.conftest import ROOT  # noqa: E402


def _envelope(**changes: object) -> dict[str, object]:
    envelope = json.loads((ROOT / "samples" / "esao-1-2" / "over-dots.json").read_text("utf-8"))
    envelope["record"] = {**envelope["record"], **changes}
    return envelope


def test_answers_left_at_the_dots_are_named() -> None:
    said = feedback(_envelope(process="", problems="  ", other_evidence=[], fiscal_year=""), "en")
    empty = [m for m in said if m["code"].startswith("empty:")]
    assert [m["code"] for m in empty] == ["empty:process", "empty:problems", "empty:other_evidence"]
    assert all("the answer is still at the dots" in m["message"] for m in empty)
    thai = feedback(_envelope(process=""), "th")
    assert [m["message"] for m in thai if m["code"] == "empty:process"][0].startswith("ยังไม่ได้กรอก: ")


def test_a_filled_form_has_no_empty_answer() -> None:
    assert not [m for m in feedback(_envelope(), "en") if m["code"].startswith("empty:")]
