"""The offices' private links (formkit/season/store/links.py, migration
0002, ``formkit offices links``): tokens of 256 bits never stored, only
their SHA-256; revoke and reissue with the history kept; the links CSV."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the season extra is missing: pip install -e '.[test]'")

from sqlalchemy import inspect, select, text  # noqa: E402

from formkit.season.store import links, people  # noqa: E402
from formkit.season.store.db import Store, make_engine, upgrade  # noqa: E402
from formkit.season.store.models import Office, OfficeLink  # noqa: E402
from tests import test_season_store  # noqa: E402
from tests.test_season_cli import run  # noqa: E402

db_url = test_season_store.db_url
postgres_server = test_season_store.postgres_server
store = test_season_store.store


def _office(session: object, code: str) -> Office:
    found = session.scalar(select(Office).where(Office.code == code))  # type: ignore[attr-defined]
    assert found is not None
    return found


def test_upgrade_from_the_first_schema_keeps_the_offices(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, None)
    upgrade(engine, "0001")
    assert "office_links" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO offices (code, name, key) VALUES ('KK1', 'สพป.ขอนแก่น เขต 1', 'k')"))
    upgrade(engine)
    assert "office_links" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
        assert conn.execute(text("SELECT name FROM offices")).scalars().all() == ["สพป.ขอนแก่น เขต 1"]
    engine.dispose()


def test_a_token_is_never_stored_and_opens_its_own_office_only(store: Store) -> None:
    with store.session() as session:
        season = people.current_season(session)
        kk, cm = _office(session, "KK1"), _office(session, "CM")
        token_kk = links.issue(session, store.secret(), kk, season)
        token_cm = links.issue(session, store.secret(), cm, season)
    assert len(token_kk) == links.TOKEN_CHARS and token_kk != token_cm
    assert len(set(token_kk)) > 10  # not a constant
    with store.session() as session:
        stored = [(r.nonce, r.token_hash) for r in session.scalars(select(OfficeLink))]
        got_kk, got_cm = links.resolve(session, token_kk), links.resolve(session, token_cm)
        assert links.resolve(session, token_kk[:-1] + ("A" if token_kk[-1] != "A" else "B")) is None
        assert links.resolve(session, "../" + token_kk) is None
    assert all(token_kk not in value and token_cm not in value for row in stored for value in row)
    assert got_kk is not None and got_kk.office_code == "KK1"
    assert got_cm is not None and got_cm.office_code == "CM"


def test_revoke_and_reissue_keep_the_history(store: Store) -> None:
    with store.session() as session:
        season = people.current_season(session)
        kk = _office(session, "KK1")
        first = links.issue(session, store.secret(), kk, season)
        second = links.issue(session, store.secret(), kk, season, actor="admin")
        assert links.resolve(session, first) is None
        assert links.resolve(session, second) is not None
        assert links.revoke(session, kk, season, actor="admin")
        assert links.resolve(session, second) is None
        assert not links.revoke(session, kk, season)
        rows = list(session.scalars(select(OfficeLink).where(OfficeLink.office_id == kk.id)))
    assert len(rows) == 2 and all(r.revoked_at is not None for r in rows)


def test_an_extended_deadline_follows_the_office(store: Store) -> None:
    from datetime import datetime

    with store.session() as session:
        season = people.current_season(session)
        season.deadline = datetime(2020, 1, 1)
        kk = _office(session, "KK1")
        token = links.issue(session, store.secret(), kk, season)
        access = links.resolve(session, token)
        assert access is not None and not access.open()
        assert links.extend(session, kk, season, datetime(2999, 1, 1))
        token = links.issue(session, store.secret(), kk, season)  # a reissue keeps the extension
        access = links.resolve(session, token)
        assert access is not None and access.open()


def test_offices_links_writes_escaped_csv_and_the_same_links_again(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    offices = tmp_path / "offices.csv"
    offices.write_text("code,name\n=cmd,สพป.ขอนแก่น เขต 1\nCM,สพม.เชียงใหม่\n", "utf-8")
    run("offices", "--data", data, "import", str(offices))
    run("offices", "--data", data, "links", "-o", str(tmp_path / "links.csv"), "--base-url", "https://x.example/")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "links.csv").read_text("utf-8-sig"), newline="")))
    assert [r["code"] for r in rows] == ["'=cmd", "CM"]
    assert rows[1]["name"] == "สพม.เชียงใหม่"
    assert all(r["link"].startswith("https://x.example/o/") and len(r["link"].rsplit("/", 1)[1]) == 43 for r in rows)
    again = run("offices", "--data", data, "links")
    assert "\ufeffcode,name,link\n" in again
    assert re.findall(r"http://127\.0\.0\.1:8000/o/([\w-]{43})", again) == [r["link"].rsplit("/", 1)[1] for r in rows]
    run("offices", "--data", data, "links", "--base-url", "javascript:alert(1)", code=2)
    from formkit.season.store.db import open_store

    opened = open_store(data)
    with opened.session() as session:
        assert links.resolve(session, rows[1]["link"].rsplit("/", 1)[1]) is not None
    opened.close()
