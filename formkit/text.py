"""Text normalization: one implementation for everything read and written.

Rules (the record contract in README.md):

* NFC; the decomposed sara am "ํา" (U+0E4D U+0E32) becomes "ำ" (U+0E33);
* zero-width characters (U+200B-U+200D, U+FEFF, U+2060) and soft hyphens removed;
* NBSP, tabs and other Unicode spaces become a plain space;
* per line: leader runs that only mark a blank (3+ '.', any '…', 3+ '_')
  removed, inner white space collapsed, ends trimmed; empty lines dropped;
  lines joined by "\\n".

Values keep their digits as written (Thai or Arabic); :func:`match_key`
folds digits, spacing and leaders for comparing labels only.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

_T = TypeVar("_T")
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_DIGIT_PAIRS = tuple(zip(_THAI_DIGITS, "0123456789"))
_REMOVE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060\u00ad"), None)
_SPACES = dict.fromkeys(
    map(ord, "\u00a0\t\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"),
    " ",
)
_CHAR_MAP = {**_REMOVE, **_SPACES}  # format characters and spaces other than " ": none printable
# A run of leaders that only marks a blank: 3+ '.', any '…', 3+ '_'.
LEADER = re.compile(r"\.{3,}|…+|_{3,}")
# A typed list number at the start of a line: "1.", "(2)", "๓)".
LIST_NUMBER = re.compile(r"^\s*\(?[0-9๐-๙]{1,3}\s*[.)]\s*")
# A typed number and then only leaders and spaces ("1. ......"); one flat
# character class, so a long run of dots that fails at its end cannot
# backtrack exponentially. Only fill and learn ask: compiled on first use.
_NUMBERED = r"^\s*\(?[0-9๐-๙]{1,3}\s*[.)][\s.…_]*$"
_WS = re.compile(r"[ \r\f\v]+")
# Line ends: CRLF, CR, LF, VT and the Unicode line and paragraph separators
# (two runs in the class: a class of more costs a million instructions to compile).
_LINE_SPLIT = re.compile(r"\r\n?|[\n\v\u2028\u2029]")


_CHAR_PAIRS = tuple((chr(c), r or "") for c, r in _CHAR_MAP.items())


def clean_chars(text: str) -> str:
    """Character-level rules only (NFC, sara am, zero-width, spaces); keeps lines.
    Printable text holds nothing ``_CHAR_MAP`` changes: one C scan says so (a
    regular expression of those characters would cost more to compile, at
    every start, than a whole document's scans)."""
    if not text.isprintable():
        # one str.replace per character present: str.translate looks every
        # character of a Thai text up in its table, a dozen times slower
        for char, replacement in _CHAR_PAIRS:
            if char in text:
                text = text.replace(char, replacement)
    if "\u0e4d" in text:
        text = text.replace("\u0e4d\u0e32", "\u0e33")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


_CACHED_CHARS = 300


def for_short_texts(maxsize: int) -> Callable[[Callable[[str], _T]], Callable[[str], _T]]:
    """A function of one text, its results remembered for texts of at most
    300 characters (``maxsize`` of them): printed lines and a form's own words
    come back in every document of a batch and are worked out once; answers
    rarely repeat, and a cache of long texts would keep megabytes of a
    document alive after it was read."""
    def wrap(work: Callable[[str], _T]) -> Callable[[str], _T]:
        remembered = lru_cache(maxsize=maxsize)(work)

        @wraps(work)
        def call(text: str) -> _T:
            return remembered(text) if len(text) <= _CACHED_CHARS else work(text)

        return call

    return wrap


@for_short_texts(8192)
def normalize_line(line: str) -> str:
    """One line: leaders removed, white space collapsed, ends trimmed."""
    line = LEADER.sub(" ", clean_chars(line))
    return _WS.sub(" ", line).strip()


def numbered_blank(text: str) -> bool:
    """A typed number then only leaders: "1. ......" (also "2. .... ....")."""
    return bool(re.match(_NUMBERED, text) and LEADER.search(text))


def normalize(text: str) -> str:
    """A whole value: every line normalized, empty lines dropped, joined by \\n."""
    lines = (normalize_line(part) for part in _LINE_SPLIT.split(text))
    return "\n".join(line for line in lines if line)


def is_blank(text: str) -> bool:
    """``not normalize(text)``, without building the normalized text: the
    text holds nothing but leaders, white space and zero-width characters."""
    return not LEADER.sub("", clean_chars(text)).strip()


def fold_digits(text: str) -> str:
    """Thai digits to Arabic digits: one ``in`` scan and, for a digit
    present, one ``str.replace`` per digit (``str.translate`` would look
    every character of the text up in a table, many times slower)."""
    for thai, arabic in _DIGIT_PAIRS:
        if thai in text:
            text = text.replace(thai, arabic)
    return text


def parse_int(text: str) -> int | None:
    """An integer written in Thai or Arabic digits (surrounding text ignored)."""
    match = re.search(r"\d+", fold_digits(text))
    return int(match.group()) if match else None


_KEY_PUNCTUATION = ".…_:-–—"  # with white space, what a key leaves out
_DIGITS = re.compile(r"\d+")


def match_key(text: str) -> str:
    """A comparison key for labels: normalized, case-folded, digits folded and
    masked ("2565" and "2566" both become "#"), and spacing and punctuation
    that offices change freely (spaces, dots, colons, dashes) removed."""
    return clean_key(clean_chars(text))


@for_short_texts(4096)
def short_key(text: str) -> str:
    """:func:`match_key`, remembered for short texts: a form's own words
    (labels, phrases, box labels) are keyed again in every document read."""
    return match_key(text)


def clean_key(text: str) -> str:
    """:func:`match_key` of text that is already character-clean. White space
    (``str.split``'s, the same set as the regular expression ``\\s``) and the
    punctuation are dropped by string methods, at a third of a regular
    expression's cost per character: every paragraph of a document is keyed."""
    text = "".join(_DIGITS.sub("#", fold_digits(text).casefold()).split())
    for mark in _KEY_PUNCTUATION:
        if mark in text:
            text = text.replace(mark, "")
    return text


_KEY_TOKEN = re.compile(r"\d+|[^\s.…_:\-–—]")


@for_short_texts(2048)
def key_ends(text: str) -> tuple[int, ...]:
    """For each character of ``clean_key(text)``, the index in ``text`` just
    past the characters it stands for (computed only where a label matched,
    on the printed lines labels are found on)."""
    return tuple(key_with_positions(text)[1])


def key_with_positions(text: str) -> tuple[str, list[int]]:
    """Like :func:`match_key` over ``text`` (already character-clean), plus,
    for each key character, the index in ``text`` just past the characters it
    stands for; lets a caller cut a label off the front of a line."""
    digits = fold_digits(text)
    folded = digits.casefold() if not text.isascii() else text.lower()
    key: list[str] = []
    ends: list[int] = []
    if len(folded) != len(text):  # "ß" folds to "ss", "ﬁ" to "fi": each character folded on its own
        for m in _KEY_TOKEN.finditer(digits):
            token = "#" if m.group()[0].isdecimal() else m.group().casefold()
            key.append(token)
            ends += [m.end()] * len(token)
        return "".join(key), ends
    for m in _KEY_TOKEN.finditer(folded):
        token = m.group()
        key.append("#" if token[0].isdecimal() else token)  # a \d run (isdigit() would take "¹" too)
        ends.append(m.end())
    return "".join(key), ends
