"""A date control's display format (``w:dateFormat``, the date picture of
ECMA-376 Part 1 §17.16.4.1) as a Jinja expression over an ISO date
("2024-03-05"), so fill writes the date the way the control shows it.

Pictures: ``d``/``dd`` day, ``M``/``MM`` month number, ``MMM``/``MMMM``
month name (Thai names when the control's ``w:lid`` is Thai), ``yy``/``yyyy``
year (Buddhist era with ``w:calendar`` ``thai``), text in single quotes
kept, other characters kept. A picture with a weekday or a time is written
as the ISO date: Word shows it in its own format when the control is next
edited, and parse reads ``w:fullDate``.
"""
from __future__ import annotations

import re

_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
       "October", "November", "December")
_TH = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
       "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
_TH_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_TOKEN = re.compile(r"'[^']*'|d+|M+|y+|[HhmsAa]+|.", re.S)


def _literal(text: str) -> str:
    return "'" + "".join(f"\\U{ord(ch):08x}" for ch in text) + "'"


def _names(names: tuple[str, ...], expr: str) -> str:
    return f"[{', '.join(_literal(n) for n in names)}][({expr})[5:7]|int - 1]"


def date_expression(picture: str, expr: str, lid: str = "", calendar: str = "") -> str:
    """A Jinja expression giving the ISO date ``expr`` in ``picture``."""
    thai = lid.lower().startswith("th")
    year = f"(({expr})[0:4]|int + 543)" if calendar.lower() == "thai" else f"({expr})[0:4]"
    parts: list[str] = []
    for token in _TOKEN.findall(picture or "yyyy-MM-dd"):
        head = token[0]
        if head == "'":
            parts.append(_literal(token[1:-1]))
        elif head == "d" and len(token) <= 2:
            parts.append(f"({expr})[8:10]" if len(token) == 2 else f"(({expr})[8:10]|int)")
        elif head == "M":
            if len(token) == 1:
                parts.append(f"(({expr})[5:7]|int)")
            elif len(token) == 2:
                parts.append(f"({expr})[5:7]")
            elif len(token) == 3:
                parts.append(_names(_TH_SHORT if thai else tuple(n[:3] for n in _EN), expr))
            else:
                parts.append(_names(_TH if thai else _EN, expr))
        elif head == "y":
            parts.append(f"({year}|string)[-2:]" if len(token) <= 2 else year)
        elif head in "dHhmsAa":
            return f"({expr})"
        else:
            parts.append(_literal(token))
    return "(" + " ~ ".join(parts or [f"({expr})"]) + ")"
