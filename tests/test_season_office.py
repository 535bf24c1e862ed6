"""The office's page through its private link (formkit/season/web/office.py):
the page, the prefilled form, an upload's immediate feedback (HTML and
JSON), resubmission, the deadline, bad input through the link, and
isolation: an office's token reaches nothing but its own page, checked
over every route of the app's url_map."""
from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

import formkit  # noqa: E402
from formkit import api  # noqa: E402
from formkit.season.store import intake, links, people  # noqa: E402
from formkit.season.store.current import items  # noqa: E402
from formkit.season.store.db import Store  # noqa: E402
from formkit.season.store.models import Blob, Job, Office, Parse, Receipt  # noqa: E402
from formkit.season.web.office import MAX_OFFICE_BYTES  # noqa: E402
from tests import test_bad_input as bad  # noqa: E402
from tests import test_season_web as web  # noqa: E402

db_url = web.db_url
postgres_server = web.postgres_server
store = web.store
app = web.app
SAMPLES = web.SAMPLES
THREE = SAMPLES / "esao-3-1" / "three-works.docx"  # work 2 has 2 photos: it does not count
FIVE = SAMPLES / "esao-3-1" / "five-works-vml.docx"
JSON = {"Accept": "application/json"}


def tokens(store: Store) -> dict[str, str]:
    with store.session() as session:
        season = people.current_season(session)
        return {o.code: links.issue(session, store.secret(), o, season)
                for o in session.scalars(select(Office).order_by(Office.code))}


def send(client: FlaskClient, token: str, name: str, data: bytes, headers: dict[str, str] | None = None) -> Any:
    return client.post(f"/o/{token}", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data",
                       headers=JSON if headers is None else headers)


def stored(store: Store) -> tuple[int, int, int]:
    with store.session() as session:
        return (session.scalar(select(func.count()).select_from(Receipt)) or 0,
                session.scalar(select(func.count()).select_from(Blob)) or 0,
                len([p for p in store.files.rglob("*") if p.is_file()]))


def test_the_page_lists_the_forms_and_gives_the_prefilled_form(app: Flask, store: Store) -> None:
    token = tokens(store)["KK1"]
    client = app.test_client()
    page = client.get(f"/o/{token}")
    assert page.status_code == 200
    assert "สพป.ขอนแก่น เขต 1" in page.text and "สพม.เชียงใหม่" not in page.text
    assert "esao-1-2" in page.text and "esao-3-1" in page.text and "ยังไม่ส่ง" in page.text  # missing, in Thai
    form = client.get(f"/o/{token}/form/esao-3-1.docx")
    assert form.status_code == 200
    parsed = formkit.parse_file(form.data)
    with store.session() as session:
        year = people.current_season(session).fiscal_year
    assert parsed.form == "esao-3-1" and parsed.record is not None
    assert parsed.record["office"] == "สพป.ขอนแก่น เขต 1" and str(parsed.record["fiscal_year"]) == str(year)
    assert client.get(f"/o/{token}/form/no-such-form.docx").status_code == 404


def test_an_upload_is_answered_at_once_and_parsed_once(app: Flask, store: Store) -> None:
    token = tokens(store)["KK1"]
    client = app.test_client()
    client.post("/lang", data={"lang": "en", "csrf": web.csrf(client)})
    answer = send(client, token, "returned.docx", THREE.read_bytes())
    assert answer.status_code == 200, answer.text
    body = answer.get_json()
    (expected,) = api.parse_files([THREE])
    assert set(body) >= {"file", "form", "record", "warnings", "error", "status", "feedback"}
    assert body["status"] == "received" and body["file"] == "returned.docx" and body["error"] is None
    assert body["form"] == "esao-3-1" and body["record"] == expected.as_dict()["record"]
    said = {f["code"]: [] for f in body["feedback"]}
    for f in body["feedback"]:
        said[f["code"]].append(f["message"])
    assert any("work 2" in m and "does not count" in m and "2 photos" in m for m in said["rubric:work"])
    assert sum("does not count" in m for m in said["rubric:work"]) == 1  # works 1 and 3 count
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Parse)) == 1
        assert {j.state for j in session.scalars(select(Job))} <= {"done"}
        (item,) = items(session, people.current_season(session), scored=False)
        assert item.office is not None and item.office.code == "KK1" and item.status in ("read", "warnings")
    assert intake.run_jobs(store) == 0  # nothing left for the worker: parsed exactly once
    again = send(client, token, "returned-again.docx", THREE.read_bytes()).get_json()
    assert again["status"] == "again" and stored(store)[:2] == (1, 1)


def test_the_html_answer_explains_in_thai_and_resubmission_keeps_history(app: Flask, store: Store) -> None:
    token = tokens(store)["KK1"]
    client = app.test_client()
    page = send(client, token, "first.docx", THREE.read_bytes(), headers={})
    assert page.status_code == 200
    assert "ผลงานที่ 2" in page.text and "ไม่นับ" in page.text  # work 2 does not count, told in Thai
    assert "การนิเทศออนไลน์แบบ Coaching &amp; Mentoring" in page.text  # a value read, escaped
    assert "รายละเอียดของผลงานหรือชิ้นงานที่เสนอ" in page.text and "works_detail" not in page.text  # a box by its label
    second = send(client, token, "second.docx", FIVE.read_bytes(), headers={})
    assert second.status_code == 200
    history = client.get(f"/o/{token}").text
    assert history.index("second.docx") < history.index("first.docx")  # newest first
    with store.session() as session:
        (item,) = items(session, people.current_season(session), scored=False)
        assert item.receipt.name == "second.docx"  # the newest counts for the committee
    admin = app.test_client()
    web.sign_in(admin, "admin")
    tracker = admin.get("/").text
    rid = int(re.search(r'href="/receipt/(\d+)"', tracker).group(1))  # type: ignore[union-attr]
    assert rid == item.receipt.id


def test_after_the_deadline_uploads_are_refused_unless_extended(app: Flask, store: Store) -> None:
    token = tokens(store)["KK1"]
    with store.session() as session:
        people.current_season(session).deadline = datetime(2020, 1, 1)
    client = app.test_client()
    refused = send(client, token, "late.docx", THREE.read_bytes())
    assert refused.status_code == 403 and refused.get_json()["status"] == "closed"
    assert stored(store) == (0, 0, 0)
    assert "late" not in client.get(f"/o/{token}").text and 'name="file"' not in client.get(f"/o/{token}").text
    with store.session() as session:
        season = people.current_season(session)
        kk = session.scalar(select(Office).where(Office.code == "KK1"))
        assert kk is not None and links.extend(session, kk, season, datetime(2999, 1, 1))
    assert send(client, token, "late.docx", THREE.read_bytes()).get_json()["status"] == "received"


def _bad_files() -> dict[str, tuple[bytes, str]]:
    parts = bad.members(bad.S12 / "over-dots.docx")
    return {
        "empty.docx": (b"", "not-docx"),
        "text.docx": (b"hello", "not-docx"),
        "cut.docx": ((bad.S12 / "over-dots.docx").read_bytes()[:5000], "corrupt"),
        "nomain.docx": (bad.rezip({k: v for k, v in parts.items() if k != "word/document.xml"}), "missing-part"),
        "locked.docx": (bad.encrypted_docx(), "encrypted"),
        "broken.docx": (bad.sample_with("word/document.xml", parts["word/document.xml"][:-20]), "bad-xml"),
        "laughs.docx": (bad.sample_with("word/document.xml", bad.with_doctype(bad.document_xml(), bad.BILLION_LAUGHS)),
                        "unsafe-xml"),
        "many.docx": (bad.rezip(parts, extra=3000), "too-large"),
        "memo.docx": (bad.unrelated_document(), "unknown-form"),
        "form.exe": (THREE.read_bytes(), "not-docx"),
    }


def test_bad_input_through_the_link_is_refused_and_nothing_stored(app: Flask, store: Store) -> None:
    token = tokens(store)["KK1"]
    client = app.test_client()
    for name, (data, code) in _bad_files().items():
        answer = send(client, token, name, data)
        body = answer.get_json()
        assert answer.status_code in (400, 422), (name, answer.status_code)
        assert body["status"] == "refused" and body["error"]["code"] == code, (name, body)
        assert body["feedback"] and body["feedback"][0]["code"] == f"error:{code}"
        assert any(f["code"].startswith("advice:") for f in body["feedback"]) or code == "count", name
    page = send(client, token, "locked.docx", bad.encrypted_docx(), headers={})
    assert page.status_code == 422 and "รหัสผ่าน" in page.text  # what to do, in Thai
    big = send(client, token, "big.docx", b"0" * (MAX_OFFICE_BYTES + 128 * 1024))
    assert big.status_code == 413
    many = client.post(f"/o/{token}", data={"file": [(io.BytesIO(b"x"), f"f{i}.docx") for i in range(1000)]},
                       content_type="multipart/form-data", headers=JSON)
    assert many.status_code == 413
    two = client.post(f"/o/{token}", data={"file": [(io.BytesIO(THREE.read_bytes()), "a.docx"),
                                                    (io.BytesIO(FIVE.read_bytes()), "b.docx")]},
                      content_type="multipart/form-data", headers=JSON)
    assert two.status_code == 400 and two.get_json()["error"]["code"] == "count"
    odd = send(client, token, "../../etc/pass\x07wd\x1b.docx", THREE.read_bytes())
    assert odd.status_code == 400 and odd.get_json()["error"]["code"] == "bad-name"
    assert stored(store) == (0, 0, 0)
    assert send(client, token, "good.docx", THREE.read_bytes()).status_code == 200  # and it keeps serving


def _fill(rule: Any, token: str, mine: dict[str, Any]) -> str:
    values: dict[str, Any] = {}
    for arg in rule.arguments:
        values[arg] = token if arg == "token" else mine.get(arg, "x")
    return str(rule.build(values, append_unknown=False)[1])


def test_an_office_token_reaches_only_its_own_page(app: Flask, store: Store) -> None:
    """Every route of the url_map, as office KK1 (who opened its own link):
    committee routes send it to sign in or refuse it, office routes with
    its token show KK1 only; nothing of office CM (its name, its file, its
    feedback) ever appears. CM's own token is then revoked: 404."""
    given = tokens(store)
    cm_client = app.test_client()
    assert send(cm_client, given["CM"], "cm-private-return.docx", FIVE.read_bytes()).status_code == 200
    with store.session() as session:
        receipt = session.scalars(select(Receipt)).one()
        cm_data = {"rid": receipt.id, "sha": receipt.sha256, "jid": 1, "batch": receipt.batch or "b", "fmt": "csv",
                   "form": "esao-3-1", "filename": "season.css", "number": 1}
    secrets_of_cm = ("สพม.เชียงใหม่", "cm-private-return.docx", receipt.sha256, given["CM"])
    kk = app.test_client()
    assert kk.get(f"/o/{given['KK1']}").status_code == 200
    token = web.csrf(kk)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            url = _fill(rule, given["KK1"], cm_data)
            answer = kk.open(url, method=method, data={"csrf": token, "office": "CM", "action": "revoke",
                                                       "lang": "en", "next": "/"} if method == "POST" else None)
            body = answer.data.decode("utf-8", "replace")
            checked += 1
            assert not any(s in body for s in secrets_of_cm if s not in url), (method, url)  # the URL asked is echoed
            if rule.rule.startswith("/o/") and answer.data.startswith(b"PK"):  # its own prefilled form
                assert formkit.parse_file(answer.data).record["office"] == "สพป.ขอนแก่น เขต 1"
            else:
                assert b"PK\x03\x04" not in answer.data, (method, url)  # no document served
            if rule.rule.startswith("/o/"):
                assert answer.status_code in (200, 400, 404), (method, url, answer.status_code)
            elif rule.endpoint in ("login", "set_lang", "logout"):
                continue  # public: signing in, the language
            else:
                refused = answer.status_code in (400, 403, 404, 405) or (
                    answer.status_code == 302 and answer.headers["Location"].startswith("/login"))
                assert refused, (method, url, answer.status_code)
    assert checked >= 20
    with store.session() as session:  # nothing of CM's was changed by KK1's requests
        active = session.scalars(select(links.OfficeLink).where(links.OfficeLink.revoked_at.is_(None))).all()
        assert {row.token_hash for row in active} == {links.token_hash(t) for t in given.values()}
        season = people.current_season(session)
        cm = session.scalar(select(Office).where(Office.code == "CM"))
        assert cm is not None and links.revoke(session, cm, season)
    assert cm_client.get(f"/o/{given['CM']}").status_code == 404
    assert send(cm_client, given["CM"], "again.docx", THREE.read_bytes()).status_code == 404


def test_repeated_bad_tokens_from_one_address_are_slowed(app: Flask, store: Store) -> None:
    token = tokens(store)["KK1"]
    client = app.test_client()
    wrong = token[::-1]
    answers = [client.get(f"/o/{wrong}").status_code for _ in range(20)]
    assert answers == [404] * 20
    assert client.get(f"/o/{wrong}").status_code == 429
    other = app.test_client()
    page = other.get(f"/o/{token}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert page.status_code == 200 and "สพป.ขอนแก่น เขต 1" in page.text


def test_the_admin_shows_reissues_revokes_and_extends_links(app: Flask, store: Store) -> None:
    first = tokens(store)["KK1"]
    admin, ann = app.test_client(), app.test_client()
    web.sign_in(admin, "admin")
    web.sign_in(ann, "ann")
    assert ann.get("/admin/links").status_code == 403
    assert web.post(ann, "/admin/links", {"office": "KK1", "action": "revoke"}).status_code == 403
    assert app.test_client().get(f"/o/{first}").status_code == 200
    page = admin.get("/admin/links").text
    assert f"/o/{first}" in page and "X&lt;b&gt;" in page and "X<b>" not in page  # the office code escaped
    assert web.post(admin, "/admin/links", {"office": "KK1", "action": "issue"}).status_code == 302
    assert app.test_client().get(f"/o/{first}").status_code == 404
    second = re.search(r"/o/([\w-]{43})", admin.get("/admin/links").text.split("KK1")[1]).group(1)  # type: ignore[union-attr]
    assert second != first and app.test_client().get(f"/o/{second}").status_code == 200
    with store.session() as session:
        people.current_season(session).deadline = datetime(2020, 1, 1)
    assert send(app.test_client(), second, "late.docx", THREE.read_bytes()).status_code == 403
    assert web.post(admin, "/admin/links", {"office": "KK1", "action": "extend", "until": "2999-01-01T00:00"}
                    ).status_code == 302
    assert send(app.test_client(), second, "late.docx", THREE.read_bytes()).status_code == 200
    assert web.post(admin, "/admin/links", {"office": "KK1", "action": "revoke"}).status_code == 302
    assert app.test_client().get(f"/o/{second}").status_code == 404
    assert "/admin/links" in admin.get("/").text and "/admin/links" not in ann.get("/").text
