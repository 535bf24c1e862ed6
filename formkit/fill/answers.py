"""The answers an original already holds, found by the locators parse uses.

fill writes into the blanks of an original. A copy that already holds
answers (last year's return, an office's filled working copy) would get the
new answers beside the old ones: two level boxes ticked, old lines under new
ones, old ticks kept. So the copy is read exactly as ``parse`` reads a
returned form, and a field holds an answer when its locator found one: a
ticked level or box, text in a section, value or lines answer area, a photo,
a repeated block with any of these. The page header (the office's name) and
the printed year are not answers: an office fills its own copy of the form,
its name in the header and the year retyped, and that copy is a good original.
"""
from __future__ import annotations

from formkit.errors import FormkitError
from formkit.forms import FieldDef, FormDef
from formkit.locate import Located
from formkit.locate.kinds import Found
from formkit.locate.stream import Stream

_TEXT_KINDS = ("section", "value", "lines", "images", "date", "grid")
_SHOWN = 5  # answers named in a message; the rest are counted


def held_answers(form: FormDef, located: Located) -> list[str]:
    """The fields of a located original that hold an answer, as readable
    paths ("level (4 ticked)", "process", "works[1].title")."""
    assert located.stream is not None
    return _held(form.fields, located.where, located.stream, "")


def _held(fields: tuple[FieldDef, ...], where: dict[str, Found], stream: Stream, prefix: str) -> list[str]:
    out: list[str] = []
    for f in fields:
        found = where.get(f.name)
        if found is None:
            continue
        path = prefix + f.name
        if f.kind in ("level", "boxes"):
            ticked = [str(key) for key, at in found.boxes.items() if ticked_at(stream, at, f.kind == "level")]
            if ticked:
                out.append(f"{path} ({', '.join(ticked)} ticked)")
        elif f.kind == "repeat":
            for n, (_, _, sub) in enumerate(found.blocks):
                out += _held(f.fields, sub, stream, f"{path}[{n}].")
        elif f.kind in _TEXT_KINDS and found.value:
            out.append(path)
        elif f.kind == "signature" and isinstance(found.value, dict) and any(found.value.values()):
            out.append(path)
    return out


def ticked_at(stream: Stream, at: tuple[int, int], any_in_paragraph: bool = False) -> bool:
    """Whether the box at (stream index, ordinal) is ticked; for a level row,
    any box of its paragraph (the level locator reads the row so)."""
    index, ordinal = at
    boxes = stream.paras[index].checkboxes
    if any_in_paragraph:
        return any(b.checked for b in boxes)
    return ordinal < len(boxes) and boxes[ordinal].checked


def _listed(held: list[str]) -> str:
    shown = ", ".join(held[:_SHOWN])
    return shown + (f" and {len(held) - _SHOWN} more" if len(held) > _SHOWN else "")


def refusal(name: str, held: list[str]) -> FormkitError:
    """The error for an original that holds answers: which, and what to do."""
    return FormkitError(
        "original-has-answers",
        f"this copy of the form already holds answers: {_listed(held)}. Filling it would put the new "
        "answers beside the old ones. Fill the blank form instead (leave out --original; `formkit forms` "
        "shows the folder of each form's original), or add --clear to empty these answers first "
        "(clear=True in Python)",
        name,
    )


def not_cleared(name: str, held: list[str]) -> FormkitError:
    """The error for a copy whose answers --clear could not all empty."""
    return FormkitError(
        "original-has-answers",
        f"--clear could not empty every answer of this copy (still there: {_listed(held)}): its layout "
        "differs too much from the form's original. Fill the blank form instead (leave out --original)",
        name,
    )
