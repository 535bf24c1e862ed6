"""The committee picks which upload counts (formkit/season/store/picks.py,
migration 0003): the newest counts unless a pick names another; the pick
stands against newer uploads, unpicking returns to the newest; a pick of
another office's or form's file is refused; the review page's POST form."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from flask import Flask  # noqa: E402
from sqlalchemy import inspect, select, text  # noqa: E402

from formkit.season.store import current, people, picks  # noqa: E402
from formkit.season.store.db import Store, make_engine, upgrade  # noqa: E402
from formkit.season.store.models import Audit, Office, Pick, Receipt  # noqa: E402
from tests import test_season_store, test_season_web as web  # noqa: E402
from tests.test_season_office import tokens as office_tokens  # noqa: E402
from tests.test_season_store import SAMPLES, ingest  # noqa: E402

db_url = test_season_store.db_url
postgres_server = test_season_store.postgres_server
store = web.store
app = web.app
FILES = [SAMPLES / "esao-1-2" / name for name in ("office-copy.docx", "split-runs.docx", "same-line.docx")]


def _office(session: object, code: str) -> Office:
    found = session.scalar(select(Office).where(Office.code == code))  # type: ignore[attr-defined]
    assert found is not None
    return found


def counting(store: Store) -> tuple[int, int, str]:
    """The receipt that counts for KK1's esao-1-2 as current, the tracker and the export see it."""
    with store.session() as session:
        season = people.current_season(session)
        kk1 = _office(session, "KK1")
        (item,) = [i for i in current.items(session, season, office_id=kk1.id)
                   if i.parse is not None and i.parse.form == "esao-1-2"]
        tracked = current.tracker_cells(session, season)[(kk1.id, "esao-1-2")][0]
    (exported,) = [r for r in current.season_records(store) if (r["office_code"], r["form"]) == ("KK1", "esao-1-2")]
    return item.receipt.id, tracked, exported["sha256"]


def test_the_pick_counts_stands_against_a_newer_upload_and_unpicking_returns_to_the_newest(store: Store) -> None:
    a, b = ingest(store, *FILES[:2], office="KK1")
    assert counting(store) == (b.receipt_id, b.receipt_id, b.sha256)  # the newest counts
    with store.session() as session:
        receipt = session.get(Receipt, a.receipt_id)
        assert receipt is not None and receipt.office_id is not None
        picks.pick(session, receipt, receipt.office_id, "esao-1-2", None, "B lost its second page")
    assert counting(store) == (a.receipt_id, a.receipt_id, a.sha256)
    (c,) = ingest(store, FILES[2], office="KK1")
    assert counting(store) == (a.receipt_id, a.receipt_id, a.sha256)  # the committee's pick stands
    with store.session() as session:
        receipt = session.get(Receipt, c.receipt_id)
        assert receipt is not None
        uploads, chosen = picks.history(session, receipt)
        assert [(u.receipt.id, u.newest, u.counts) for u in uploads] == [
            (a.receipt_id, False, True), (b.receipt_id, False, False), (c.receipt_id, True, False)]
        assert chosen is not None and chosen.reason == "B lost its second page"
        season = people.current_season(session)
        assert picks.unpick(session, season.id, _office(session, "KK1").id, "esao-1-2", None, "C is complete")
    assert counting(store) == (c.receipt_id, c.receipt_id, c.sha256)
    with store.session() as session:
        logged = [(x.action, x.target, x.note) for x in session.scalars(select(Audit).order_by(Audit.id))
                  if x.action in ("pick", "unpick")]
        assert logged == [("pick", f"receipt:{a.receipt_id}", "B lost its second page"),
                          ("unpick", f"receipt:{a.receipt_id}", "C is complete")]
        assert session.scalar(select(Pick)) is None


def test_a_pick_of_another_offices_or_forms_file_is_refused(store: Store) -> None:
    (mine,) = ingest(store, FILES[0], office="KK1")
    (theirs,) = ingest(store, FILES[1], office="CM")
    (other_form,) = ingest(store, SAMPLES / "esao-3-1" / "one-work.docx", office="KK1")
    with store.session() as session:
        kk1 = _office(session, "KK1")
        for rid in (theirs.receipt_id, other_form.receipt_id):
            receipt = session.get(Receipt, rid)
            assert receipt is not None
            with pytest.raises(picks.PickError):
                picks.pick(session, receipt, kk1.id, "esao-1-2", None)
        assert session.scalar(select(Pick)) is None
    assert counting(store)[0] == mine.receipt_id


def test_the_review_page_counts_a_file_with_csrf_only(app: Flask, store: Store) -> None:
    a, b = ingest(store, *FILES[:2], office="KK1")
    client = app.test_client()
    web.sign_in(client, "ann")
    page = client.get(f"/receipt/{a.receipt_id}").text
    assert f'action="/receipt/{a.receipt_id}/pick"' in page and 'value="pick"' in page
    refused = client.post(f"/receipt/{a.receipt_id}/pick", data={"action": "pick"})
    assert refused.status_code == 400
    assert counting(store)[0] == b.receipt_id
    token = office_tokens(store)["KK1"]
    office = app.test_client()
    assert office.get(f"/o/{token}").status_code == 200
    web.post(office, f"/receipt/{a.receipt_id}/pick", {"action": "pick"})  # an office's session picks nothing
    assert counting(store)[0] == b.receipt_id
    answer = web.post(client, f"/receipt/{a.receipt_id}/pick", {"action": "pick", "reason": "the signed copy"})
    assert answer.status_code == 302
    assert counting(store)[0] == a.receipt_id
    status = office.get(f"/o/{token}").text  # the office's page shows the file that counts
    assert f"<small>{FILES[0].name}</small>" in status and f"<small>{FILES[1].name}</small>" not in status
    tracker = client.get("/").text
    assert f'href="/receipt/{a.receipt_id}"' in tracker and f'href="/receipt/{b.receipt_id}"' not in tracker
    page = client.get(f"/receipt/{b.receipt_id}").text
    said = re.search(r'<p class="picked">([^<]+)</p>', page)
    assert said is not None and ("newer upload" in said.group(1) or "ใหม่กว่า" in said.group(1))
    assert 'value="unpick"' in page
    assert web.post(client, f"/receipt/{b.receipt_id}/pick", {"action": "unpick"}).status_code == 302
    assert counting(store)[0] == b.receipt_id
    assert '<p class="picked">' not in client.get(f"/receipt/{b.receipt_id}").text


def test_upgrade_from_office_links_adds_the_picks(tmp_path: Path, db_url: str | None) -> None:
    engine = make_engine(tmp_path, db_url)
    upgrade(engine, "0002")
    assert "picks" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO offices (code, name, key) VALUES ('KK1', 'สพป.ขอนแก่น เขต 1', 'k')"))
    upgrade(engine)
    assert "picks" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
        assert conn.execute(text("SELECT name FROM offices")).scalars().all() == ["สพป.ขอนแก่น เขต 1"]
    engine.dispose()
