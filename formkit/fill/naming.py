"""File names for ``formkit bulk``: from a pattern, safe everywhere, unique.

``Namer("{office}-{form}.docx").name(record, "esao-1-2", 7)`` fills the
pattern's placeholders (any top-level record field, plus ``{form}`` and
``{row}``; a missing, empty or non-scalar field gives "") and makes the
result a name every common file system accepts:

* NFC, the text clean-up of :func:`formkit.text.clean_chars` (zero-width
  characters removed, odd spaces made plain);
* ``/ \\ : * ? " < > |`` become "_"; control, format (bidi overrides
  included) and surrogate characters are dropped, runs of white space become one space;
* no leading or trailing spaces, dots, "-" or "_" (so an empty field
  leaves no dangling separator: "{office}-{form}" without an office gives
  "esao-1-2");
* no Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$,
  CONOUT$, any case, with or without an extension): "_" is added after it;
* the stem at most :data:`MAX_STEM_BYTES` UTF-8 bytes (150: 50 Thai
  letters), cut between characters, never before a combining mark (Thai
  vowels and tone marks stay with their consonant), at a space, "-" or "_"
  when one is among the last 10 characters;
* a stem left empty or with no letter or digit becomes ``{form}-row{row}``;
* a format spec's width and precision at most :data:`MAX_FORMAT_WIDTH`
  (``{row:05d}`` works; ``{row:>100000000}`` is refused when the Namer is
  made, as a usage error);
* unique within one Namer: a name already given (compared NFC and
  case-insensitively, as Windows and macOS do) gets " (2)", " (3)" ...

The suffix (".docx") is appended when the pattern does not end with it.
A Namer keeps the names it gave; use one per output folder or archive, from
one thread.
"""
from __future__ import annotations

import difflib
import re
import string
import unicodedata
from collections.abc import Iterable
from typing import Any

from formkit.text import clean_chars

MAX_STEM_BYTES = 150
MAX_FORMAT_WIDTH = 255  # a format spec's width or precision ({row:>100000000} would take minutes per name)
FORBIDDEN = '/\\:*?"<>|'
_SUPERSCRIPTS = "¹²³"
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789" + _SUPERSCRIPTS}
)
_SPACES = re.compile(r"\s+")
_NUMBERS = re.compile(r"[0-9]+")
_BACK_OFF = 10  # characters a cut may give back to end on a word boundary
_BLANKS = "\t\n\v\f\r\x85"  # control characters that are line or word breaks: a space
_TRIM = " .-_"  # trimmed from both ends (an empty placeholder leaves its separator)
_EXTRA = ("form", "row")


def _value(value: Any) -> str | int | float:
    """A record value for the pattern: text and numbers as they are (so a
    format spec such as ``{level:02d}`` works); anything else -> ""."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, (str, int, float)) else ""


def _placeholders(pattern: str) -> list[str]:
    """The field names a pattern uses; ValueError for a malformed pattern."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValueError(f"name pattern {pattern!r}: {exc}") from None
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"name pattern {pattern!r}: {{{name}}} is not a field name")
        if conversion or (spec and "{" in spec):
            raise ValueError(f"name pattern {pattern!r}: {{{name}}} may take a format spec only")
        if spec and any(int(n) > MAX_FORMAT_WIDTH for n in _NUMBERS.findall(spec)):
            raise ValueError(f"name pattern {pattern!r}: {{{name}:{spec}}} has a width or precision over "
                             f"{MAX_FORMAT_WIDTH} (a file name is at most {MAX_STEM_BYTES} bytes)")
        names.append(name)
    return names


def clean_stem(text: str) -> str:
    """``text`` made safe as a file name stem (no length limit, may be "")."""
    text = unicodedata.normalize("NFC", clean_chars(text))
    text = "".join(
        "_" if ch in FORBIDDEN else " " if ch in _BLANKS or unicodedata.category(ch) in ("Zs", "Zl", "Zp") else ch
        for ch in text
        if ch in _BLANKS or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    return _SPACES.sub(" ", text).strip(_TRIM)


def cut_bytes(text: str, limit: int) -> str:
    """The longest prefix of ``text`` within ``limit`` UTF-8 bytes that does
    not end before a combining mark (so a Thai vowel stays with its letter)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    end, size = 0, 0
    for i, ch in enumerate(text):
        size += len(ch.encode("utf-8"))
        if size > limit:
            break
        if i + 1 < len(text) and unicodedata.category(text[i + 1]) in ("Mn", "Mc", "Me"):
            continue
        end = i + 1
    return text[:end]


def cut_words(text: str, limit: int) -> str:
    """:func:`cut_bytes`, backing off to a space, "-" or "_" among the last
    few characters kept, so a cut name does not end in a word's first letters
    ("... เขต 1-es" becomes "... เขต 1")."""
    cut = cut_bytes(text, limit)
    if cut == text:
        return cut
    at = max(cut.rfind(sep) for sep in " -_")
    return cut[:at] if at > 0 and len(cut) - at <= _BACK_OFF else cut


def unreserve(stem: str) -> str:
    """``stem`` with "_" added after a Windows device name at its start
    ("CON" -> "CON_", "nul.tar" -> "nul_.tar")."""
    head, dot, rest = stem.partition(".")
    word = head.rstrip(" ")
    return f"{word}_{head[len(word):]}{dot}{rest}" if word.upper() in RESERVED else stem


class Namer:
    """Safe, unique file names from a pattern (see the module docstring)."""

    def __init__(self, pattern: str = "{office}-{form}.docx", suffix: str = ".docx", *,
                 fields: Iterable[str] | None = None, max_bytes: int = MAX_STEM_BYTES) -> None:
        """``fields``: when given, the record fields a placeholder may name;
        any other placeholder is a ValueError (with a close-match hint).
        ``max_bytes``: the stem's limit in UTF-8 bytes (" (2)" included)."""
        self.suffix = suffix
        self.max_bytes = max_bytes
        self.pattern = pattern[: -len(suffix)] if suffix and pattern.lower().endswith(suffix.lower()) else pattern
        self.placeholders = tuple(_placeholders(self.pattern))
        if fields is not None:
            known = [*fields, *_EXTRA]
            for name in self.placeholders:
                if name not in known:
                    close = difflib.get_close_matches(name, known, n=1)
                    hint = f" (did you mean {{{close[0]}}}?)" if close else f" (known: {', '.join(known)})"
                    raise ValueError(f"name pattern {pattern!r}: no field {name!r}{hint}")
        self._given: set[str] = set()

    def stem(self, record: dict[str, Any], form_id: str, row: int) -> str:
        """The safe stem for one record, before making it unique."""
        values: dict[str, Any] = {name: _value(record.get(name)) for name in self.placeholders}
        values.update(form=form_id, row=row)
        stem = clean_stem(self._format(values))
        if not any(ch.isalnum() for ch in stem):
            stem = clean_stem(f"{form_id}-row{row}")
        return unreserve(cut_words(stem, self.max_bytes).rstrip(_TRIM))

    def _format(self, values: dict[str, Any]) -> str:
        try:
            return self.pattern.format_map(values)
        except (ValueError, TypeError):  # a format spec that does not fit this value
            return _NO_SPEC.sub(r"{\1}", self.pattern).format_map(values)

    def name(self, record: dict[str, Any], form_id: str, row: int) -> str:
        """A safe file name for ``record``, unique among this Namer's names."""
        stem = self.stem(record, form_id, row)
        candidate, n = stem, 1
        while self._key(candidate) in self._given:
            n += 1
            tail = f" ({n})"
            candidate = cut_words(stem, self.max_bytes - len(tail.encode("utf-8"))).rstrip(_TRIM) + tail
        self._given.add(self._key(candidate))
        return candidate + self.suffix

    def _key(self, stem: str) -> str:
        return unicodedata.normalize("NFC", stem + self.suffix).casefold()


_NO_SPEC = re.compile(r"\{(\w+)(?:![rsa])?:[^{}]*\}")
