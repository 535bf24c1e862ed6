"""Date blanks: "วันที่......เดือน..............พ.ศ.........", "วันที่ ..../..../....",
"Date ..../..../....": one field whose value is the pieces typed into the
blanks, in the printed order, as a person writes the date.

A definition gives the label ("วันที่") and ``between``, the printed words
(or the separator "/") between the blanks. The value is one string: the
pieces joined by a space ("12 มกราคม 2567") after printed words, by the
separator after a separator ("12/01/2567"), digits kept as typed (Thai or
Arabic). That is what a person filling from a spreadsheet types in one cell.
Reading splits the line after the label at the printed words; filling splits
the value into as many pieces as there are blanks (:func:`pieces`), so what
fill writes is read back as :func:`canonical` says.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from formkit.text import LEADER, match_key, normalize_line

_SEPARATORS = ("/", "-")


def separator(between: tuple[str, ...]) -> str | None:
    """The separator ("/" or "-") when every printed piece between the blanks is that one character."""
    marks = {b.strip() for b in between}
    if len(marks) == 1 and (mark := next(iter(marks))) in _SEPARATORS:
        return mark
    return None


@lru_cache(maxsize=256)
def _word(word: str) -> re.Pattern[str]:
    """A printed word between blanks, found as labels are: its key's
    characters with spaces or dots allowed between them ("พ.ศ." read as
    "พ. ศ." or "พ.ศ")."""
    key = match_key(word)
    if not key:
        return re.compile(re.escape(word.strip()))
    dot = r"\.?" if word.rstrip().endswith(".") else ""
    return re.compile(r"[\s.]*".join(re.escape(ch) for ch in key) + dot)


def split(text: str, between: tuple[str, ...]) -> list[str]:
    """The pieces of a date line's ``text`` (after the label), one per blank;
    leaders (unfilled blanks) read as empty."""
    line = normalize_line(" ".join(text.split("\n")))
    sep = separator(between)
    out: list[str] = []
    for word in between:
        if sep is not None:
            at = line.find(sep)
            span = (at, at + 1) if at >= 0 else None
        else:
            m = _word(word).search(line)
            span = m.span() if m else None
        if span is None:
            break
        out.append(line[: span[0]])
        line = line[span[1] :]
    out.append(line)
    out += [""] * (len(between) + 1 - len(out))
    return [_clean(p) for p in out]


def _clean(piece: str) -> str:
    return normalize_line(LEADER.sub(" ", piece)).strip(" :")


def join(parts: list[str], between: tuple[str, ...]) -> str:
    """The value of a date's pieces: joined by its separator (all kept, so
    each stays in its place) or, after printed words, by a space."""
    sep = separator(between)
    if sep is not None:
        return sep.join(parts) if any(parts) else ""
    return " ".join(p for p in parts if p)


def read(text: str, between: tuple[str, ...]) -> str:
    """The date typed on a line whose text after the label is ``text``."""
    return join(split(text, between), between)


def pieces(value: str, between: tuple[str, ...]) -> list[str]:
    """A date as given to fill, one piece per blank: split at the separator,
    or at spaces (the first piece, the last ones, the rest together:
    "12 1 ม.ค. 2567" -> 12 | 1 ม.ค. | 2567)."""
    n = len(between) + 1
    text = normalize_line(" ".join(str(value or "").split("\n")))
    sep = separator(between)
    if not text:
        return [""] * n
    if sep is not None:
        parts = [p.strip() for p in text.split(sep)]
        parts = parts[: n - 1] + [sep.join(parts[n - 1 :])] if len(parts) > n else parts
    else:
        words = text.split()
        if len(words) > n:
            tail = n - 2 if n >= 2 else 0
            head = words[:1] if n >= 2 else []
            middle = words[len(head) : len(words) - tail]
            words = [*head, " ".join(middle), *words[len(words) - tail :]]
        parts = words
    return parts + [""] * (n - len(parts))


def canonical(value: str | None, between: tuple[str, ...]) -> str:
    """What parse reads back of a date ``value`` fill wrote: its pieces on
    the printed line, read again."""
    parts = pieces(value or "", between)
    words = [w.strip() for w in between]
    line = " ".join(x for pair in zip(parts, [*words, ""]) for x in pair if x)
    return read(line, between)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


def from_date(day: dt.date, label: str, between: tuple[str, ...]) -> str:
    """A date a spreadsheet holds as a date, written the way the form asks
    for it: "12 มกราคม 2567" after Thai words (the Buddhist-era year unless
    the form prints ค.ศ.), "12 January 2024" after other words, "12/1/2567"
    (Buddhist era on a Thai form) for blanks separated by "/"."""
    keys = " ".join(match_key(w) for w in (label, *between))
    thai = any("\u0e00" <= ch <= "\u0e7f" for ch in keys)
    year = day.year + 543 if thai and "คศ" not in keys else day.year
    sep = separator(between)
    if sep is not None:
        return sep.join(str(n) for n in (day.day, day.month, year)[-(len(between) + 1):])
    month = (_THAI_MONTHS if thai else _MONTHS)[day.month - 1]
    return " ".join(str(n) for n in (day.day, month, year)[-(len(between) + 1):])
