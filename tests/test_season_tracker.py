"""The tracker's "late" cells (past the season's deadline, nothing
received) and the reminder text listing what each office has not sent."""
from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from flask import Flask  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from formkit.season.store import people  # noqa: E402
from formkit.season.store.db import Store, make_engine, upgrade  # noqa: E402
from formkit.season.store.models import now  # noqa: E402
from tests import test_season_web  # noqa: E402
from tests.test_season_web import SAMPLES, sign_in, upload, work  # noqa: E402

db_url = test_season_web.db_url
postgres_server = test_season_web.postgres_server
store = test_season_web.store
app = test_season_web.app


def reminder(page: str) -> str:
    found = re.search(r'<textarea id="reminder"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None, "no reminder on the tracker"
    return found.group(1)


def set_deadline(store: Store, days: int) -> None:
    with store.session() as session:
        people.current_season(session).deadline = now() + timedelta(days=days)


def test_missing_forms_turn_late_after_the_deadline_and_the_reminder_lists_them(app: Flask, store: Store) -> None:
    client = app.test_client()
    sign_in(client, "admin")
    upload(client, [("kk.docx", (SAMPLES / "esao-1-2" / "office-copy.docx").read_bytes())])
    work(store)
    with store.session() as session:
        forms = list(people.current_season(session).forms)
    assert "esao-1-2" in forms and len(forms) >= 2
    others = [f for f in forms if f != "esao-1-2"]
    page = client.get("/").text
    assert '<td class="st-late">' not in page and page.count('<td class="st-missing">') == 3 * len(forms) - 1
    text = reminder(page)
    lines = [line for line in html.unescape(text).splitlines() if ": " in line]
    assert f"KK1 สพป.ขอนแก่น เขต 1: {', '.join(others)}" in lines  # what it has sent is not asked for
    assert f"CM สพม.เชียงใหม่: {', '.join(forms)}" in lines
    assert "X&lt;b&gt; &lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in page
    assert "โปรดส่งโดยเร็ว" in text and "กำหนดส่ง" not in text
    set_deadline(store, 3)
    assert '<td class="st-late">' not in client.get("/").text  # before the deadline: missing, not late
    set_deadline(store, -1)
    page = client.get("/").text
    assert page.count('<td class="st-late">') == 3 * len(forms) - 1 and '<td class="st-missing">' not in page
    assert f"เลยกำหนดส่ง: {3 * len(forms) - 1}" in page  # the count
    assert "กำหนดส่ง: " + (now() - timedelta(days=1)).strftime("%Y-%m-%d") in reminder(page)
    late_only = client.get("/?status=late").text
    assert late_only.count("<tr><th scope=\"row\">") == 3



def test_upgrade_from_the_picks_sets_the_parse_flags_and_keeps_the_users(tmp_path: Path, db_url: str | None) -> None:
    """0004 and 0005 on a store with parses and users: each parse's failed
    and warned flags come from its JSON (SQL NULL and JSON null are none),
    and every user can still sign in."""
    engine = make_engine(tmp_path, db_url)
    upgrade(engine, "0003")
    parses = {"clean": ("'[]'", "NULL"), "json-null": ("'[]'", "'null'"), "warned": ("'[{\"code\": \"w\"}]'", "NULL"),
              "failed": ("'[]'", "'{\"code\": \"bad-zip\"}'")}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (name, password_hash, role, chair, created_at) "
                          "VALUES ('ann', 'x', 'reviewer', false, CURRENT_TIMESTAMP)"))
        for sha, (warnings, error) in parses.items():
            conn.execute(text(f"INSERT INTO blobs (sha256, size, stored_at) VALUES ('{sha}', 1, CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO parses (sha256, current, formkit_version, form, warnings, error, parsed_at) "
                              f"VALUES ('{sha}', true, 'old', 'esao-1-2', {warnings}, {error}, CURRENT_TIMESTAMP)"))
    upgrade(engine)
    with engine.connect() as conn:
        flags = {sha: (bool(f), bool(w)) for sha, f, w in conn.execute(text("SELECT sha256, failed, warned FROM parses"))}
        users = conn.execute(text("SELECT name, disabled_at FROM users")).all()
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
    engine.dispose()
    assert flags == {"clean": (False, False), "json-null": (False, False), "warned": (False, True), "failed": (True, False)}
    assert [tuple(u) for u in users] == [("ann", None)]


def test_a_parse_keeps_its_flags_in_step_with_its_error_and_warnings(store: Store) -> None:
    from formkit.season.store.models import Blob, Parse

    with store.session() as session:
        session.add(Blob(sha256="a" * 64, size=1))
        session.add(Parse(sha256="a" * 64, formkit_version="t", form="esao-1-2", warnings=[{"code": "w"}]))
    with store.session() as session:
        parse = session.scalars(select(Parse)).one()
        assert (parse.failed, parse.warned) == (False, True)
        parse.warnings, parse.error = [], {"code": "bad-zip", "message": "x"}
    with store.session() as session:
        assert session.execute(select(Parse.failed, Parse.warned)).one() == (True, False)
