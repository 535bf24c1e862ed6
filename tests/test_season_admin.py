"""The admin's season page (/admin/season) and the users' password reset
and disable/enable (/admin/users), through Flask's test client on SQLite
and PostgreSQL: the change reaches the tracker, a bad value is refused with
the error summary and changes nothing, a reviewer and a forged CSRF token
are refused, and every change is audited as the command line's is."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from flask import Flask  # noqa: E402
from sqlalchemy import select  # noqa: E402

from formkit import forms  # noqa: E402
from formkit.season.store import people  # noqa: E402
from formkit.season.store.db import Store  # noqa: E402
from formkit.season.store.models import Audit  # noqa: E402
from tests import test_season_web  # noqa: E402
from tests.test_season_web import PASSWORDS, SAMPLES, csrf, post, sign_in, upload, work  # noqa: E402

db_url = test_season_web.db_url
postgres_server = test_season_web.postgres_server
store = test_season_web.store
app = test_season_web.app
KNOWN = [f.id for f in forms.load_all()]


def season_now(store: Store) -> tuple[int, Any, list[str]]:
    with store.session() as session:
        season = people.current_season(session)
        return season.fiscal_year, season.deadline, list(season.forms)


def audits(store: Store, action: str) -> list[Audit]:
    with store.session() as session:
        found = list(session.scalars(select(Audit).where(Audit.action == action).order_by(Audit.id)))
        session.expunge_all()
    return found


def header_forms(page: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", page, re.S)
    assert head is not None
    return re.findall(r'<th scope="col">([^<]+)</th>', head.group(1))[1:]


def test_the_admin_changes_the_season_and_the_tracker_follows(app: Flask, store: Store) -> None:
    client = app.test_client()
    sign_in(client, "admin")
    upload(client, [("kk.docx", (SAMPLES / "esao-1-2" / "office-copy.docx").read_bytes())])
    work(store)
    page = client.get("/admin/season").text
    year, _, in_play = season_now(store)
    assert f'value="{year}"' in page and all(f'id="form-{f}"' in page for f in KNOWN)
    assert page.count(" checked") == len(in_play) and 'href="/admin/season"' in client.get("/").text
    past = (date.today() - timedelta(days=2)).isoformat()
    answer = post(client, "/admin/season", {"fiscal_year": "2571", "deadline": past, "forms": ["esao-3-1", "esao-1-2"]})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/season?saved=1")
    year, deadline, in_play = season_now(store)
    assert (year, deadline.isoformat(), in_play) == (2571, past + "T23:59:59", ["esao-3-1", "esao-1-2"])
    tracker = client.get("/").text
    assert "2571" in tracker and header_forms(tracker) == ["esao-3-1", "esao-1-2"]
    assert tracker.count('<td class="st-late">') == 3 * 2 - 1 and '<td class="st-missing">' not in tracker
    assert "บันทึกการเปลี่ยนแปลงรอบการประเมินแล้ว" in client.get("/admin/season?saved=1").text
    assert post(client, "/admin/season", {"fiscal_year": "2571", "deadline": "", "forms": ["esao-3-1"]}).status_code == 302
    tracker = client.get("/").text
    assert season_now(store)[1] is None and header_forms(tracker) == ["esao-3-1"]
    assert '<td class="st-late">' not in tracker and tracker.count('<td class="st-missing">') == 3
    (first, second) = audits(store, "set-season")
    assert first.actor == "admin" and first.details == {"fiscal_year": 2571, "deadline": past + "T23:59:59",
                                                        "forms": ["esao-3-1", "esao-1-2"]}
    assert second.details == {"deadline": None, "forms": ["esao-3-1"]}  # what changed, as the command line writes it


def test_saving_the_same_day_keeps_a_deadline_set_to_the_minute(app: Flask, store: Store) -> None:
    client = app.test_client()
    sign_in(client, "admin")
    with store.session() as session:
        people.set_season(session, "cli", deadline=people.parse_deadline("2027-03-31T16:30"))
    page = client.get("/admin/season").text
    assert 'value="2027-03-31"' in page and "2027-03-31 16:30" in page
    assert post(client, "/admin/season", {"fiscal_year": "2570", "deadline": "2027-03-31", "forms": KNOWN}).status_code == 302
    assert season_now(store)[1].isoformat() == "2027-03-31T16:30:00"


@pytest.mark.parametrize("change, field, said", [
    ({"fiscal_year": "2027"}, "fiscal_year", "ปีพุทธศักราชระหว่าง 2500 ถึง 2700"),
    ({"fiscal_year": "๒๕๗๐"}, "fiscal_year", "ปีพุทธศักราชระหว่าง 2500 ถึง 2700"),
    ({"fiscal_year": ""}, "fiscal_year", "ปีพุทธศักราชระหว่าง 2500 ถึง 2700"),
    ({"deadline": "2027-02-30"}, "deadline", "วันที่ที่มีอยู่จริง"),
    ({"deadline": "31/03/2027"}, "deadline", "วันที่ที่มีอยู่จริง"),
    ({"forms": []}, "form-" + KNOWN[0], "เลือกแบบฟอร์มอย่างน้อยหนึ่งแบบ"),
    ({"forms": ["esao-1-2", "esao-9-9"]}, "form-" + KNOWN[0], "เลือกได้เฉพาะแบบฟอร์มในรายการ"),
    ({"forms": ["../../etc"]}, "form-" + KNOWN[0], "เลือกได้เฉพาะแบบฟอร์มในรายการ"),
])
def test_a_bad_value_is_refused_with_the_error_summary_and_changes_nothing(
        app: Flask, store: Store, change: dict[str, Any], field: str, said: str) -> None:
    client = app.test_client()
    sign_in(client, "admin")
    before = season_now(store)
    good = {"fiscal_year": "2571", "deadline": "2027-03-31", "forms": ["esao-1-2"]}
    answer = post(client, "/admin/season", {**good, **change})
    assert answer.status_code == 400
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', answer.text, re.S)
    assert summary is not None and answer.text.index("error-summary") < answer.text.index("<h1>")
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(1))
    assert [target for target, _ in links] == [field] and said in links[0][1]
    assert f'id="{field}"' in answer.text and answer.text.count(said) == 2  # the summary and the field's message
    sent = {**good, **change}
    assert f'value="{sent["fiscal_year"]}"' in answer.text and f'value="{sent["deadline"]}"' in answer.text
    assert ('id="form-esao-1-2" name="forms" value="esao-1-2" checked' in answer.text) == ("esao-1-2" in sent["forms"])
    assert season_now(store) == before and audits(store, "set-season") == []


def test_every_problem_is_listed_at_once_in_english_too(app: Flask, store: Store) -> None:
    client = app.test_client()
    sign_in(client, "admin")
    post(client, "/lang", {"lang": "en", "next": "/"})
    answer = post(client, "/admin/season", {"fiscal_year": "25700", "deadline": "tomorrow"})
    assert answer.status_code == 400
    links = re.findall(r'<li><a href="#([^"]+)">', answer.text)
    assert links == ["fiscal_year", "deadline", "form-" + KNOWN[0]]
    assert "Choose at least one form" in answer.text and "Fiscal year" in answer.text
    assert "<title>Error: Season" in answer.text


def test_a_reviewer_is_refused_and_a_forged_token_changes_nothing(app: Flask, store: Store) -> None:
    before = season_now(store)
    reviewer = app.test_client()
    sign_in(reviewer, "ann")
    assert reviewer.get("/admin/season").status_code == 403
    assert post(reviewer, "/admin/season", {"fiscal_year": "2580", "forms": ["esao-1-2"]}).status_code == 403
    assert 'href="/admin/season"' not in reviewer.get("/").text
    admin = app.test_client()
    sign_in(admin, "admin")
    forged = {"fiscal_year": "2580", "deadline": "", "forms": ["esao-1-2"], "csrf": "x" * 43}
    assert admin.post("/admin/season", data=forged).status_code == 400
    assert admin.post("/admin/season", data={k: v for k, v in forged.items() if k != "csrf"}).status_code == 400
    assert season_now(store) == before and audits(store, "set-season") == []
    assert app.test_client().get("/admin/season").status_code == 302  # signed out: to the sign-in page


def test_the_store_messages_the_pages_show_have_a_thai_translation() -> None:
    from formkit.season.web.i18n import catalogue

    thai, english = catalogue("th"), test_season_web.ROOT / "formkit/season/web/locale/en/LC_MESSAGES/messages.po"
    messages = list(people.SEASON_PROBLEMS.values()) + [
        "a password has at least 8 characters", "you cannot disable your own account",
        "the last admin cannot be disabled", "that user name is taken"]
    assert all(re.search("[\u0e00-\u0e7f]", thai.get(m, "")) for m in messages), [m for m in messages if m not in thai]
    text = english.read_text("utf-8")
    assert all(f'msgid "{m}"' in text for m in messages)


def sign_in_fails(app: Flask, name: str, password: str) -> bool:
    client = app.test_client()
    answer = client.post("/login", data={"name": name, "password": password, "csrf": csrf(client)})
    return bool(answer.status_code == 401)


def test_an_admin_resets_a_password_and_the_old_sessions_end(app: Flask, store: Store) -> None:
    admin, ann = app.test_client(), app.test_client()
    sign_in(admin, "admin")
    sign_in(ann, "ann")
    short = post(admin, "/admin/users/password", {"user": "ann", "password": "short"})
    assert short.status_code == 400 and "รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร" in short.text
    assert re.search(r'<a href="#password-\d+">', short.text) and "<details open>" in short.text
    assert ann.get("/").status_code == 200
    answer = post(admin, "/admin/users/password", {"user": "ann", "password": "a-new-password"})
    assert answer.status_code == 302
    assert ann.get("/").status_code == 302  # signed out
    assert sign_in_fails(app, "ann", PASSWORDS["ann"]) and not sign_in_fails(app, "ann", "a-new-password")
    own = post(admin, "/admin/users/password", {"user": "admin", "password": "another-admin-password"})
    assert own.status_code == 302 and admin.get("/admin/users").status_code == 200  # one's own session goes on
    assert [(a.actor, a.target) for a in audits(store, "reset-password")] == [("admin", "user:ann"), ("admin", "user:admin")]
    assert post(admin, "/admin/users/password", {"user": "nobody", "password": "a-new-password"}).status_code == 400


def test_a_disabled_user_cannot_sign_in_and_their_session_stops(app: Flask, store: Store) -> None:
    admin, bob = app.test_client(), app.test_client()
    sign_in(admin, "admin")
    sign_in(bob, "bob")
    assert post(admin, "/admin/users/state", {"user": "bob", "disable": "1"}).status_code == 302
    answer = bob.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert sign_in_fails(app, "bob", PASSWORDS["bob"])
    assert "ระงับการใช้งาน" in admin.get("/admin/users").text
    assert post(admin, "/admin/users/state", {"user": "bob", "disable": "0"}).status_code == 302
    assert not sign_in_fails(app, "bob", PASSWORDS["bob"])
    own = post(admin, "/admin/users/state", {"user": "admin", "disable": "1"})
    assert own.status_code == 400 and "ไม่สามารถระงับบัญชีของตนเองได้" in own.text
    assert [a.action for a in audits(store, "disable-user") + audits(store, "enable-user")] == ["disable-user", "enable-user"]
    ann = app.test_client()
    sign_in(ann, "ann")
    assert post(ann, "/admin/users/state", {"user": "bob", "disable": "1"}).status_code == 403
    assert post(ann, "/admin/users/password", {"user": "bob", "password": "ann-knows-it"}).status_code == 403
    assert admin.post("/admin/users/state", data={"user": "bob", "disable": "1", "csrf": "x" * 43}).status_code == 400
    assert not sign_in_fails(app, "bob", PASSWORDS["bob"])


def test_the_last_admin_cannot_be_disabled(store: Store) -> None:
    with store.session() as session:
        people.add_user(session, "root", "root-password", "admin")
    with store.session() as session:
        people.set_disabled(session, "root", True, actor="admin")
    with pytest.raises(ValueError, match="last admin"), store.session() as session:
        people.set_disabled(session, "admin", True, actor="cli")
