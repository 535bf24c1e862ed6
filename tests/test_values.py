"""Values as named tuples (formkit.values): equal only to their own type,
fields left out of comparisons where the model says so, hashable and
picklable as the dataclasses they replace were."""
from __future__ import annotations

import pickle
from typing import NamedTuple

import pytest

from formkit.docx.model import Break, Control, Paragraph, Symbol, Table, Text
from formkit.values import compare_by_type


def test_a_value_equals_only_its_own_type() -> None:
    assert Text("line") == Text("line")
    assert Text("line") != Break("line")
    assert not Text("line") == Break("line")  # noqa: SIM201 - == itself is what is tested
    assert Text("a") != ("a",) and ("a",) != Text("a")
    assert not Text("a") == ("a",) and not ("a",) == Text("a")  # noqa: SIM201
    assert Symbol("Wingdings", 0xA8) != Symbol("Wingdings", 0xFE)
    assert len({Text("line"), Break("line"), Text("line")}) == 2


def test_fields_left_out_of_comparisons() -> None:
    a = Paragraph((Text("x"),), "Normal", False, ref=3)
    b = Paragraph((Text("x"),), "Normal", False, ref=9)
    assert a == b and hash(a) == hash(b) and not a != b
    assert a != Paragraph((Text("y"),), "Normal", False, ref=3)
    assert Control("text", tag="t", paragraphs=(1,)) == Control("text", tag="t", paragraphs=(2, 3))
    assert Control("text", tag="t") != Control("text", tag="u")


def test_values_are_immutable_and_survive_pickling() -> None:
    table = Table(())
    with pytest.raises(AttributeError):
        table.rows = ()  # type: ignore[misc]
    par = Paragraph((Text("ก"), Break()), ref=4)
    back = pickle.loads(pickle.dumps(par))
    assert back == par and back.ref == 4 and type(back.inlines[1]) is Break
    assert par._replace(inlines=()).ref == 4


def test_an_unknown_ignored_field_is_refused() -> None:
    class Pair(NamedTuple):
        a: int
        b: int

    with pytest.raises(TypeError, match="'c'"):
        compare_by_type(Pair, ignore=("c",))
