"""The season's pages through Flask's test client: the committee's flow
(upload, progress, tracker, review, correct, judge with two reviewers and
the chair, export) and hostile input (script in a record value or a file
name, forged CSRF, stale session, reviewer on an admin route, path traversal)."""
from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import select  # noqa: E402

from formkit import api  # noqa: E402
from formkit.season.store import intake, people  # noqa: E402
from formkit.season.store.db import Store, open_store  # noqa: E402
from formkit.season.store.models import Office  # noqa: E402
from formkit.season.web.app import create_app  # noqa: E402
from formkit.season.store.current import refresh_levels  # noqa: E402
from tests import test_season_store  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

db_url = test_season_store.db_url
postgres_server = test_season_store.postgres_server
SAMPLES = ROOT / "samples"
PASSWORDS = {"admin": "admin-password", "ann": "ann-password", "bob": "bob-password"}


@pytest.fixture
def store(tmp_path: Path, db_url: str | None) -> Iterator[Store]:
    opened = open_store(tmp_path / "data", db_url)
    with opened.session() as session:
        for code, name in (("KK1", "สพป.ขอนแก่น เขต 1"), ("CM", "สพม.เชียงใหม่"), ("X<b>", "<script>alert(1)</script>")):
            session.add(Office(code=code, name=name, key=people.office_key(name)))
        people.add_user(session, "admin", PASSWORDS["admin"], "admin", chair=True)
        people.add_user(session, "ann", PASSWORDS["ann"], "reviewer")
        people.add_user(session, "bob", PASSWORDS["bob"], "reviewer")
    yield opened
    opened.close()


@pytest.fixture
def app(store: Store) -> Flask:
    return create_app(store, workers=1, start_worker=False)


def csrf(client: FlaskClient) -> str:
    client.get("/login")
    with client.session_transaction() as session:
        token: str = session["csrf"]
    return token


def sign_in(client: FlaskClient, name: str) -> None:
    answer = client.post("/login", data={"name": name, "password": PASSWORDS[name], "csrf": csrf(client)})
    assert answer.status_code == 302, answer.text


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return client.post(url, data={**(data or {}), "csrf": csrf(client)}, **kwargs)


def work(store: Store) -> None:
    """What the background worker does after an upload."""
    intake.run_jobs(store)
    refresh_levels(store)


def upload(client: FlaskClient, files: list[tuple[str, bytes]]) -> str:
    answer = post(client, "/upload", {"files": [(io.BytesIO(data), name) for name, data in files]},
                  content_type="multipart/form-data")
    assert answer.status_code == 302, answer.text
    location: str = answer.headers["Location"]
    return location


def test_the_committee_flow(app: Flask, store: Store) -> None:
    admin, ann, bob = app.test_client(), app.test_client(), app.test_client()
    sign_in(admin, "admin")
    folder = io.BytesIO()
    with zipfile.ZipFile(folder, "w") as z:
        z.write(SAMPLES / "esao-3-1" / "five-works-vml.docx", "returned/cm.docx")
        z.writestr("__MACOSX/._cm.docx", b"junk")
    batch = upload(admin, [("kk.docx", (SAMPLES / "esao-1-2" / "office-copy.docx").read_bytes()),
                           ("forms.zip", folder.getvalue())])
    progress = admin.get(batch + ".json").get_json()
    assert progress == {"total": 2, "done": 0}
    assert "รออ่าน" in admin.get(batch).text  # queued, in Thai
    work(store)
    assert admin.get(batch + ".json").get_json() == {"total": 2, "done": 2}
    page = admin.get(batch).text
    assert "KK1" in page and "CM" in page and "cm.docx" in page
    tracker = admin.get("/").text
    receipt = int(re.search(r'href="/receipt/(\d+)">[^<]*</a></td>', tracker).group(1))  # type: ignore[union-attr]
    assert tracker.count("st-missing") > 0 and "ยังไม่ส่ง" in tracker
    with store.session() as session:
        kk = next(r for r in session.scalars(select(intake.Receipt)) if r.name == "kk.docx")
        rid = kk.id
    assert receipt in (1, 2)
    review = admin.get(f"/receipt/{rid}").text
    assert "office-copy" not in review and "kk.docx" in review and "process" in review
    answer = post(admin, f"/receipt/{rid}/correct", {"path": "level", "value": "2", "reason": "ติ๊กผิดช่อง"})
    assert answer.status_code == 302
    assert "ติ๊กผิดช่อง" in admin.get(f"/receipt/{rid}").text
    sign_in(ann, "ann")
    sign_in(bob, "bob")
    yes, no = {f"{k}{n}": "1" for k in ("done", "clear") for n in range(1, 5)}, {"done1": "1", "clear1": "1"}
    assert post(ann, f"/receipt/{rid}/judge", yes).status_code == 302
    assert post(bob, f"/receipt/{rid}/judge", no).status_code == 302
    judge = admin.get(f"/receipt/{rid}/judge").text
    assert judge.count('class="differs"') == 2 * 6  # each reviewer's row: considerations 2-4, done and clear
    jid = int(re.findall(r'/judgment/(\d+)/final', judge)[1])  # bob's
    assert post(ann, f"/judgment/{jid}/final").status_code == 403  # a reviewer is not the chair
    assert post(admin, f"/judgment/{jid}/final").status_code == 302
    records = [json.loads(line) for line in admin.get("/export.jsonl").text.splitlines()]
    kk_record = next(r for r in records if r["office_code"] == "KK1")
    assert kk_record["record"]["level"] == 2 and kk_record["corrections"] == ["level"]
    envelope = {"file": "x", "form": "esao-1-2", "record": kk_record["record"], "warnings": [], "error": None}
    expected = api.score_results([envelope], [{"file": "x", "done": [True, False, False, False],
                                               "clear": [True, False, False, False]}])[0]
    assert (kk_record["basis"], kk_record["level"]) == ("judgments", expected.level)
    assert "st-judged" in admin.get("/").text
    xlsx = admin.get("/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    report = admin.get("/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["Content-Disposition"]


def test_every_page_sends_the_security_headers(app: Flask) -> None:
    client = app.test_client()
    answer = client.get("/login")
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_post_without_or_with_a_forged_csrf_token_is_refused(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "admin")
    assert client.post("/admin/users", data={"name": "eve", "password": "eve-password", "role": "admin"}).status_code == 400
    forged = {"name": "eve", "password": "eve-password", "role": "admin", "csrf": "x" * 43}
    assert client.post("/admin/users", data=forged).status_code == 400
    assert "eve" not in client.get("/admin/users").text
    assert post(client, "/admin/users", {"name": "eve", "password": "eve-password", "role": "reviewer"}).status_code == 302


def test_a_reviewer_cannot_manage_users_or_offices(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "ann")
    assert client.get("/admin/users").status_code == 403
    assert post(client, "/admin/users", {"name": "eve", "password": "eve-password", "role": "admin"}).status_code == 403
    assert client.get("/admin/offices").status_code == 403
    assert client.get("/").status_code == 200


def test_a_stale_or_forged_session_is_signed_out(app: Flask, store: Store) -> None:
    client = app.test_client()
    sign_in(client, "ann")
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["issued"] = time.time() - 13 * 3600
    assert client.get("/").status_code == 302
    other = create_app(store, start_worker=False)
    other.config["SECRET_KEY"] = b"another secret"
    forger = other.test_client()
    with forger.session_transaction() as session:
        session.update(uid=1, issued=time.time(), pw="x")
    cookie = forger.get_cookie("formkit_season")
    assert cookie is not None
    victim = app.test_client()
    victim.set_cookie("formkit_season", cookie.value)
    answer = victim.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_logins_are_rate_limited(app: Flask) -> None:
    client = app.test_client()
    codes = [client.post("/login", data={"name": "ann", "password": "wrong-one", "csrf": csrf(client)}).status_code
             for _ in range(6)]
    assert codes == [401] * 5 + [429]
    right = client.post("/login", data={"name": "ann", "password": PASSWORDS["ann"], "csrf": csrf(client)})
    assert right.status_code == 429  # still blocked: guessing on is no faster with the right password in the list


@pytest.mark.parametrize("path", ["/file/../../secret", "/file/..%2f..%2fsecret", "/file/" + "0" * 64,
                                  "/file/" + "a" * 63 + "%2f", "/file/%2e%2e"])
def test_a_download_serves_only_stored_files_by_hash(app: Flask, path: str) -> None:
    client = app.test_client()
    sign_in(client, "ann")
    answer = client.get(path)
    assert answer.status_code == 404
    assert b"secret" not in answer.data or b"There is no such" in answer.data or "ไม่พบ" in answer.text


def test_script_in_a_record_value_or_a_file_name_is_escaped(app: Flask, store: Store) -> None:
    client = app.test_client()
    sign_in(client, "admin")
    hostile = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
    data = api.fill_bytes("esao-1-2", {"level": 3, "process": hostile, "office": "สพป.ขอนแก่น เขต 1"})
    batch = upload(client, [("<img src=x onerror=alert(2)>.docx", bytes(data))])
    work(store)
    pages = [client.get(batch).text, client.get("/").text]
    with store.session() as session:
        (receipt,) = session.scalars(select(intake.Receipt))
        pages += [client.get(f"/receipt/{receipt.id}").text, client.get(f"/receipt/{receipt.id}/judge").text]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;.docx" in pages[0]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in pages[2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]  # an office's name from the list


def test_the_original_is_downloaded_by_its_hash_under_its_name(app: Flask, store: Store) -> None:
    client = app.test_client()
    sign_in(client, "ann")
    sample = (SAMPLES / "esao-1-2" / "office-copy.docx").read_bytes()
    upload(client, [("แบบฟอร์ม ๑.docx", sample)])
    with store.session() as session:
        (receipt,) = session.scalars(select(intake.Receipt))
    answer = client.get(f"/file/{receipt.sha256}")
    assert answer.status_code == 200 and answer.data == sample
    assert "filename*=UTF-8''%E0%B9%81" in answer.headers["Content-Disposition"]


def test_the_pages_speak_thai_first_then_english(app: Flask) -> None:
    client = app.test_client()
    assert "เข้าสู่ระบบ" in client.get("/login").text
    assert client.get("/login").text.startswith('<!doctype html>\n<html lang="th">')
    post(client, "/lang", {"lang": "en", "next": "/login"})
    page = client.get("/login").text
    assert 'lang="en"' in page and "Sign in" in page and "เข้าสู่ระบบ" not in page
    answer = post(client, "/lang", {"lang": "en", "next": "//evil.example/"})
    assert answer.headers["Location"] == "/"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_catalogue_says_each_message_once(lang: str) -> None:
    """gettext keeps one translation per message: a second entry would
    silently win over the first (msgfmt refuses such a file)."""
    text = (ROOT / "formkit" / "season" / "web" / "locale" / lang / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    ids = re.findall(r'^msgid "(.*)"$', text, re.M)
    assert len(ids) > 60
    assert sorted(m for m in set(ids) if ids.count(m) > 1) == []


def test_every_message_of_the_pages_has_a_thai_translation() -> None:
    from formkit.season.web.i18n import catalogue

    folder = ROOT / "formkit" / "season" / "web" / "templates"
    messages = {m for p in folder.glob("*.html") for m in re.findall(r"""_\((["'])(.+?)\1\)""", p.read_text("utf-8"))}
    found = {text for _, text in messages}
    found |= {"missing", "late", "queued", "failed", "warnings", "read", "corrected", "judged", "reviewer", "admin"}
    thai = catalogue("th")
    assert len(found) > 60
    assert sorted(found - thai.keys()) == []
    assert all(re.search("[\u0e00-\u0e7f]", thai[m]) for m in found)
