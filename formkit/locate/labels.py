"""Finding printed labels in the paragraph stream, tolerant of the drift an
office's own copy shows: extra or missing spaces, a changed year, Thai or
Arabic digits, Word's automatic numbering instead of a typed "1.", and a
missing trailing word.

Labels are compared by :func:`formkit.text.match_key`. A label matches a
paragraph that starts with it (what follows is the answer typed on the same
line); a long label (8+ key characters) also matches when at least 60% of its
start is there. Headings (``exact``) must be the whole line.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

from formkit.text import match_key
from formkit.values import NamedTuple, compare_by_type

# What ends a label as a colon does: ASCII, full-width (Chinese, Japanese
# forms), the ratio sign and the small and modifier colons other fonts type.
COLONS = ":：∶﹕꞉"
from formkit.locate.stream import ENUM, Para, Stream

_LONG = 8
_MIN_SHARE = 0.6


class Label(NamedTuple):
    text: str
    key: str
    exact: bool = False


class Hit:
    """Where a label was found: paragraph index and the character span of the
    label in that paragraph's text."""

    __slots__ = ("index", "start", "end")

    def __init__(self, index: int, start: int, end: int) -> None:
        self.index = index
        self.start = start
        self.end = end

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and (self.index, self.start, self.end) == (other.index, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.index, self.start, self.end))

    def __repr__(self) -> str:
        return f"Hit({self.index}, {self.start}, {self.end})"


compare_by_type(Label)


@lru_cache(maxsize=1024)
def make_label(text: str, exact: bool = False) -> Label:
    key = match_key(text)
    return Label(text, ENUM.sub("", key, count=1) or key, exact)


def opening(lkey: str, key: str) -> int:
    """How much of the label key ``lkey`` opens ``key``: all of it (its
    length), or, for a long label, the characters the two share at their
    start when they are at least :data:`_MIN_SHARE` of it (an office may
    retype the end of a long label); 0 when the label does not open ``key``."""
    if key.startswith(lkey):
        return len(lkey)
    if len(lkey) < _LONG:
        return 0
    n, most = 0, min(len(lkey), len(key))
    while n < most and lkey[n] == key[n]:
        n += 1
    return n if n >= _MIN_SHARE * len(lkey) else 0


def match_start(label: Label, para: Para) -> Hit | None:
    """The label at the start of ``para`` (after any typed list number, for
    a label that does not begin with a number itself)."""
    pkey = para.key
    lkey = label.key
    skip = 0
    if pkey[:1] in ("#", "(") and not lkey.startswith("#"):  # cheap test before the pattern
        m = ENUM.match(pkey)
        skip = m.end() if m and m.end() < len(pkey) else 0
    if not lkey or not pkey.startswith(lkey[0], skip):
        return None  # nothing in common: most paragraphs stop here
    if label.exact:  # the whole line, a colon after it allowed ("付款方式：")
        n = len(lkey)
        if not pkey.startswith(lkey, skip) or (skip + n != len(pkey) and pkey[skip + n :].strip(COLONS)):
            return None
    else:
        n = opening(lkey, pkey[skip:] if skip else pkey)
        if not n:
            return None
    return Hit(para.index, 0, para.key_ends[skip + n - 1])


def match_inside(label: Label, para: Para, after: int) -> Hit | None:
    """The whole label somewhere in ``para`` past character ``after`` (two
    labels on one printed line: "ชื่อ...... กลุ่ม......"). The label may
    begin at the first key character past ``after`` (the blank between the
    two labels is only leaders, which have no key), never at the paragraph's
    start (that is :func:`match_start`'s)."""
    if not label.key or para.key.find(label.key, 1) < 0:
        return None  # most paragraphs: no key positions computed
    ends = para.key_ends
    first = bisect.bisect_right(ends, after)  # the first key character past ``after``
    at = para.key.find(label.key, max(first, 1))
    if at < 0:
        return None
    start = ends[at - 1] if at else 0
    while start < len(para.text) and para.text[start] in " .…_:\t":
        start += 1
    return Hit(para.index, start, ends[at + len(label.key) - 1])


def candidates(label: Label, stream: Stream, lo: int, hi: int) -> list[Para]:
    """The paragraphs in [lo, hi) that :func:`match_start` may find ``label``
    at: those whose key starts with the label's first key character, where
    match_start looks for it (:meth:`Stream.starting`)."""
    if not label.key:
        return []
    found = stream.starting(label.key[0], not label.key.startswith("#"))
    start, stop = bisect.bisect_left(found, lo), bisect.bisect_left(found, hi)
    return [stream.paras[i] for i in found[start:stop]]


def search(label: Label, stream: Stream, lo: int, hi: int) -> Hit | None:
    """The first paragraph in [lo, hi) that starts with ``label``: the
    :func:`candidates` visited in order, without listing those past the hit."""
    if not label.key:
        return None
    found = stream.starting(label.key[0], not label.key.startswith("#"))
    paras = stream.paras
    for k in range(bisect.bisect_left(found, lo), bisect.bisect_left(found, hi)):
        hit = match_start(label, paras[found[k]])
        if hit:
            return hit
    return None


def search_inside(label: Label, stream: Stream, lo: int, hi: int) -> Hit | None:
    """The first paragraph in [lo, hi) holding the whole label after other
    text ("ผลสำเร็จ เชิงปริมาณ" on one line): a last resort."""
    if len(label.key) < 4:
        return None
    for para in stream.paras[lo:hi]:
        hit = match_inside(label, para, 0)
        if hit:
            return hit
    return None


def search_all(label: Label, stream: Stream, lo: int, hi: int) -> list[Hit]:
    """Every paragraph in [lo, hi) that starts with ``label``."""
    return [h for p in candidates(label, stream, lo, hi) if (h := match_start(label, p))]
