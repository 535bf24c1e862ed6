"""The glyph table (``formkit/data/glyphs.yaml``) as lookups.

One table decides, for every stage, what a character means: a box with a
state, a mark that ticks a box, or a bullet that is never a box. The reader
uses :func:`is_symbol_font` to keep symbol-font characters apart from text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from formkit.values import NamedTuple, compare_by_type
from formkit.yamlcache import load_yaml


class Glyph(NamedTuple):
    """What one character means: ``role`` is box, mark or bullet."""

    char: str
    role: str
    checked: bool = False


class GlyphTable(NamedTuple):
    symbol_fonts: frozenset[str]
    symbols: dict[tuple[str, int], Glyph]
    unicode: dict[str, Glyph]
    typed_marks: frozenset[str]
    fontless: dict[int, Glyph]
    lone_letters: frozenset[str]
    ticks: dict[str, int]
    unicode_tick: str


def _font_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _glyph(entry: dict[str, Any], char: str) -> Glyph:
    role = entry["role"]
    if role not in ("box", "mark", "bullet"):
        raise ValueError(f"glyphs.yaml: unknown role {role!r}")
    return Glyph(char=char, role=role, checked=bool(entry.get("checked", role == "mark")))


@lru_cache(maxsize=1)
def table() -> GlyphTable:
    """Load the glyph table once per process."""
    data = load_yaml((Path(__file__).resolve().parent.parent / "data" / "glyphs.yaml").read_text("utf-8"))
    symbols = {
        (_font_key(e["font"]), int(e["code"])): _glyph(e, e["char"]) for e in data["symbols"]
    }
    unicode = {e["char"]: _glyph(e, e["char"]) for e in data["unicode"]}
    ticks = {_font_key(str(k)): int(v) for k, v in data["ticks"].items() if k != "unicode"}
    fontless: dict[int, Glyph] = {}
    for family in data["fontless_families"]:
        for (font, code), glyph in symbols.items():
            if font == _font_key(family):
                fontless.setdefault(code, glyph)
    return GlyphTable(
        fontless=fontless,
        lone_letters=frozenset(data["lone_letters"]),
        symbol_fonts=frozenset(_font_key(f) for f in data["symbol_fonts"]),
        symbols=symbols,
        unicode=unicode,
        typed_marks=frozenset(data["typed_marks"]),
        ticks=ticks,
        unicode_tick=str(data["ticks"]["unicode"]),
    )


def is_symbol_font(name: str | None) -> bool:
    """True for fonts whose characters are pictures, not letters (Wingdings ...)."""
    return bool(name) and _font_key(name or "") in table().symbol_fonts


def symbol_glyph(font: str, code: int) -> Glyph | None:
    """The meaning of byte ``code`` in symbol font ``font``, if the table
    knows it. When ``font`` is ``""`` (the run or ``w:sym`` names no font:
    pandoc drops it), the code is looked up in the table's
    ``fontless_families``: a private-use U+F0A3 with no font is Wingdings 2's
    empty box. A private-use character in a named text font stays no box."""
    t = table()
    key = _font_key(font)
    found = t.symbols.get((key, code & 0xFF))
    if found is None and not key:
        found = t.fontless.get(code & 0xFF)
    return found


def unicode_glyph(char: str) -> Glyph | None:
    """The meaning of a Unicode character, if it is a box, mark or bullet."""
    return table().unicode.get(char)


def is_typed_mark(token: str) -> bool:
    """True when ``token`` (a character or short word) ticks a box beside it."""
    return token in table().typed_marks


def lone_box(token: str) -> Glyph | None:
    """What ``token`` standing alone at the start of a paragraph means in a
    document whose box glyphs were dropped: a ticked box for a typed mark,
    the fontless families' box for a box letter; None otherwise."""
    t = table()
    if token in t.typed_marks:
        return Glyph(token, "box", True)
    if token in t.lone_letters:
        return t.fontless.get(ord(token) & 0xFF)
    return None


def tick_code(font: str) -> int | None:
    """The ticked box of ``font``'s own family (fill writes it), if known."""
    return table().ticks.get(_font_key(font))


def unicode_tick() -> str:
    return table().unicode_tick


@lru_cache(maxsize=1)
def box_chars() -> re.Pattern[str]:
    """A pattern matching any Unicode character that is a box or a mark."""
    chars = "".join(c for c, g in table().unicode.items() if g.role != "bullet")
    return re.compile("[" + re.escape(chars) + "]")


compare_by_type(Glyph)
compare_by_type(GlyphTable)
