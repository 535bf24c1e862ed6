"""The tracker's data: offices down, the season's forms across, each cell
the status of the file that counts (:func:`formkit.season.store.current.tracker_cells`)
with its level, the counts, the filters and the reminder text.

The 245 x 15 cells of a whole season are built here as HTML, not in the
template (where they cost a tenth of a second): each (status, level)'s
cell is written and escaped once per request, and a cell joins it with its
receipt number. The store is read as column tuples, one query per table."""
from __future__ import annotations

from typing import Any

from flask import g, url_for
from markupsafe import Markup, escape
from sqlalchemy import func, select

from formkit.season.store import current
from formkit.season.store.models import Office, Receipt, now
from formkit.season.store.people import current_season
from formkit.season.web.auth import store_of
from formkit.season.web.i18n import translate

STATUSES = ("missing", "late", "queued", "failed", "warnings", "read", "corrected", "judged")


class Cells:
    """Each cell's HTML by status and level, written once: ``head`` + the
    receipt id + ``tail`` for a cell with a file, ``plain`` for one without."""

    def __init__(self, lang: str, prefix: str) -> None:
        self.words = {s: translate(lang, s) for s in STATUSES} | {"level": translate(lang, "level")}
        self.href = str(escape(prefix))
        self.label: dict[tuple[str, Any], str] = {}
        self.head: dict[tuple[str, Any], str] = {}
        self.tail: dict[tuple[str, Any], str] = {}
        for status in STATUSES:
            for level in (None, 0, 1, 2, 3, 4, 5):
                self._add(status, level)

    def _add(self, status: str, level: Any) -> None:
        assert status in STATUSES
        words = self.words
        self.label[(status, level)] = label = str(escape(
            words[status] + (f" · {words['level']} {int(level)}" if level else "")))
        self.head[(status, level)] = f'<td class="st-{status}"><a href="{self.href}'
        self.tail[(status, level)] = f'">{label}</a></td>'

    def plain(self, status: str) -> str:
        return f'<td class="st-{status}">{self.label[(status, None)]}</td>'

    def linked(self, status: str, level: Any, receipt: int) -> str:
        key = (status, level)
        if key not in self.head:
            self._add(status, level)
        return self.head[key] + str(int(receipt)) + self.tail[key]


def _season_rows(db: Any, season: Any) -> tuple[Any, int]:
    """The offices (id, code, name) and the count of the season's files
    matched to no office."""
    conn = db.connection()
    offices = conn.execute(select(Office.id, Office.code, Office.name).order_by(Office.code)).all()
    unmatched = conn.scalar(select(func.count()).select_from(Receipt).where(
        Receipt.season_id == season.id, Receipt.office_id.is_(None))) or 0
    return offices, unmatched


def tracker_data(args: Any) -> dict[str, Any]:
    """The tracker page's values; ``args`` the filters (form, status, q)."""
    with store_of().session() as db:
        season = current_season(db)
        found = current.tracker_cells(db, season)
        offices, unmatched = _season_rows(db, season)
        db.expunge(season)
    forms = list(season.forms)
    filters = {"form": args.get("form", ""), "status": args.get("status", ""), "q": args.get("q", "")}
    shown_forms = [f for f in forms if not filters["form"] or f == filters["form"]]
    absent = "late" if season.deadline is not None and now() > season.deadline else "missing"
    table = Table(Cells(g.lang, url_for("review", rid=0)[:-1]), found, absent)
    query = filters["q"].strip().casefold()
    rows, reminder = [], []
    for office in offices:
        owed = [f for f in forms if (office.id, f) not in found]
        if owed:
            reminder.append((office, owed))
        statuses, html = table.row(office.id, shown_forms)
        if query and query not in office.name.casefold() and query not in office.code.casefold():
            continue
        if filters["status"] and filters["status"] not in statuses:
            continue
        unread = found.get((office.id, ""))
        rows.append((office, html, {"receipt": unread[0]} if unread else None))
    return {"season": season, "forms": forms, "shown_forms": shown_forms, "rows": rows, "counts": table.counts,
            "statuses": STATUSES, "unmatched": unmatched, "reminder": reminder, "filters": filters}


class Table:
    """The cells of the offices' rows, and the count of each status over
    every office (before the filters of the office and status)."""

    def __init__(self, cells: Cells, found: dict[tuple[int, str], tuple[int, str, int | None]], absent: str) -> None:
        self.cells, self.found, self.absent = cells, found, absent
        self.empty = cells.plain(absent)
        self.counts = {s: 0 for s in STATUSES}

    def row(self, office_id: int, forms: list[str]) -> tuple[list[str], Markup]:
        """One office's statuses and cells, for ``forms``."""
        found, head, tail, counts = self.found, self.cells.head, self.cells.tail, self.counts
        statuses, html = [], []
        for form in forms:
            hit = found.get((office_id, form))
            if hit is None:
                statuses.append(self.absent)
                html.append(self.empty)
                continue
            key = (hit[1], hit[2])
            statuses.append(key[0])
            html.append(head[key] + str(hit[0]) + tail[key] if key in head else self.cells.linked(*key, hit[0]))
        for status in statuses:
            counts[status] += 1
        return statuses, Markup("".join(html))
