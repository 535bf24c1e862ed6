"""What the season holds now: per office and form, the newest file handed
in, its record with corrections applied, the chair's final judgment, and
the score the library gives it (:func:`formkit.api.score_results`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from formkit.season.store.db import Store
from formkit.season.store.models import Correction, Judgment, Level, Office, Parse, Receipt, Season, now
from formkit.season.store.review import corrected_record


@dataclass
class Item:
    """One (office, form) of the season: the receipt that counts and its parse."""

    office: Office | None
    receipt: Receipt
    parse: Parse | None
    corrections: list[Correction] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)
    score: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        """The file as the scoring run names it: unique in the season."""
        return f"{self.office.code if self.office else 'receipt-' + str(self.receipt.id)}/{self.receipt.name}"

    @property
    def final(self) -> Judgment | None:
        return next((j for j in self.judgments if j.final), None)

    def envelope(self) -> dict[str, Any]:
        p = self.parse
        if p is None:
            return {"file": self.key, "form": None, "record": None, "warnings": [], "error": None}
        return {"file": self.key, "form": p.form, "record": corrected_record(p.record, self.corrections),
                "warnings": p.warnings, "error": p.error}

    @property
    def status(self) -> str:
        """missing is the tracker's; here: queued, failed, warnings, read, corrected, judged."""
        if self.parse is None:
            return "queued"
        if self.parse.error is not None:
            return "failed"
        if self.final is not None:
            return "judged"
        if self.corrections:
            return "corrected"
        return "warnings" if self.parse.warnings else "read"


def items(session: Session, season: Season, *, office_id: int | None = None, scored: bool = True) -> list[Item]:
    """The receipt that counts per (office, form) of the season (the
    committee's pick, else the newest), with its parse,
    corrections and judgments (receipts matched to no office left out)."""
    query = (select(Receipt, Parse).outerjoin(Parse, (Parse.sha256 == Receipt.sha256) & Parse.current.is_(True))
             .where(Receipt.season_id == season.id, Receipt.office_id.is_not(None)))
    if office_id is not None:
        query = query.where(Receipt.office_id == office_id)
    newest: dict[tuple[int, str], tuple[Receipt, Parse | None]] = {}
    by_id: dict[int, tuple[Receipt, Parse | None]] = {}
    for receipt, parse in session.execute(query.order_by(Receipt.received_at, Receipt.id)):
        assert receipt.office_id is not None
        newest[(receipt.office_id, parse.form if parse and parse.form else "")] = by_id[receipt.id] = (receipt, parse)
    _apply_picks(session, season, newest, by_id)
    offices = {o.id: o for o in session.scalars(select(Office))}
    ids = [r.id for r, _ in newest.values()]
    corrections: dict[int, list[Correction]] = {}
    for c in session.scalars(select(Correction).where(Correction.receipt_id.in_(ids)).order_by(Correction.id)):
        corrections.setdefault(c.receipt_id, []).append(c)
    judgments: dict[int, list[Judgment]] = {}
    for j in session.scalars(select(Judgment).where(Judgment.receipt_id.in_(ids)).order_by(Judgment.id)):
        judgments.setdefault(j.receipt_id, []).append(j)
    out = [Item(offices.get(r.office_id or 0), r, p, corrections.get(r.id, []), judgments.get(r.id, []))
           for r, p in newest.values()]
    out.sort(key=lambda i: (i.office.code if i.office else "", i.parse.form or "" if i.parse else ""))
    if scored:
        score(out)
    return out


def _apply_picks(session: Session, season: Season, newest: dict[tuple[int, str], Any],
                 by_id: dict[int, Any]) -> None:
    """The committee's pick, where there is one, counts instead of the newest."""
    from formkit.season.store.picks import picks_of

    for key, rid in picks_of(session, season.id).items():
        if key in newest and rid in by_id:
            newest[key] = by_id[rid]


def score(found: list[Item]) -> None:
    """Each item's score, by the form's rubric, the final judgment applied."""
    from formkit import api

    envelopes = [i.envelope() for i in found if i.parse is not None]
    if not envelopes:
        return
    rows = [{"file": i.key, "done": i.final.done, "clear": i.final.clear} for i in found if i.final is not None]
    run = api.score_results(envelopes, rows or None, convert=False)
    by_key = {s.file: s.as_dict() for s in run}
    for i in found:
        i.score = by_key.get(i.key)


def save_levels(session: Session, season: Season, found: list[Item]) -> None:
    """Keep each (office, form)'s level as last scored."""
    existing = {(lv.office_id, lv.form): lv for lv in session.scalars(select(Level).where(Level.season_id == season.id))}
    for i in found:
        if i.office is None or i.parse is None or not i.parse.form or i.score is None:
            continue
        level = existing.get((i.office.id, i.parse.form))
        if level is None:
            level = Level(season_id=season.id, office_id=i.office.id, form=i.parse.form)
            session.add(level)
        if (level.level, level.basis) != (i.score.get("level"), i.score.get("basis")):
            level.level, level.basis, level.updated_at = i.score.get("level"), i.score.get("basis"), now()


SCORE_KEYS = ("level", "basis", "reasons", "self_assessed", "agrees")


def export_record(item: Item) -> dict[str, Any]:
    """The export's record of one item: the parse envelope with corrections
    applied, where it came from, and its score."""
    env = item.envelope()
    out = {"file": item.receipt.name, "form": env["form"], "record": env["record"], "warnings": env["warnings"],
           "error": env["error"], "office_code": item.office.code if item.office else None,
           "sha256": item.receipt.sha256, "received_at": item.receipt.received_at.isoformat(timespec="seconds"),
           "corrections": sorted({c.path for c in item.corrections})}
    score = item.score or {}
    out.update({key: score.get(key) for key in SCORE_KEYS})
    return out


def refresh_levels(store: Store, office_id: int | None = None) -> None:
    """Score the season's current files again and keep each level."""
    from formkit.season.store.people import current_season

    with store.session() as session:
        season = current_season(session)
        save_levels(session, season, items(session, season, office_id=office_id))


def season_records(store: Store) -> list[dict[str, Any]]:
    """The export's records of the current season (levels kept on the way)."""
    from formkit.season.store.people import current_season

    with store.session() as session:
        season = current_season(session)
        found = items(session, season)
        save_levels(session, season, found)
        return [export_record(i) for i in found]


def tracker_cells(session: Session, season: Season) -> dict[tuple[int, str], tuple[int, str, int | None]]:
    """(office id, form) -> (receipt id, status, level) of the file that counts.

    One query over the receipts, their current parses and the levels, read
    from covering indexes (``ix_receipts_tracker``, ``ix_parses_tracker``)
    as plain column tuples: the parse's form and its ``failed`` and
    ``warned`` flags, never its record (the tracker of a whole season stays
    fast). A status is queued, failed, judged, corrected, warnings or read."""
    from formkit.season.store.picks import picks_of

    rows = session.connection().execute(
        select(Receipt.id, Receipt.office_id, Parse.form, Parse.failed, Parse.warned, Level.level)
        .outerjoin(Parse, (Parse.sha256 == Receipt.sha256) & (Parse.current == true()))  # = (not IS): the index's key
        .outerjoin(Level, (Level.season_id == Receipt.season_id) & (Level.office_id == Receipt.office_id)
                   & (Level.form == Parse.form))
        .where(Receipt.season_id == season.id, Receipt.office_id.is_not(None))
        .order_by(Receipt.received_at, Receipt.id)).all()  # fetched at once, not row by row
    newest = {(row[1] or 0, row[2] or ""): row for row in rows}  # the newest of each office and form
    picked = picks_of(session, season.id)
    if picked:
        by_id = {row[0]: row for row in rows}
        newest.update({key: by_id[rid] for key, rid in picked.items() if key in newest and rid in by_id})
    corrected = set(session.connection().scalars(select(Correction.receipt_id).distinct()))
    judged = set(session.connection().scalars(select(Judgment.receipt_id).where(Judgment.final.is_(True))))
    out = {}
    for key, (rid, _, form, failed, warned, level) in newest.items():  # failed is None: no parse yet
        if form is None and not failed:
            status = "queued"
        elif failed:
            status = "failed"
        elif rid in judged:
            status = "judged"
        elif rid in corrected:
            status = "corrected"
        else:
            status = "warnings" if warned else "read"
        out[key] = (rid, status, level)
    return out
