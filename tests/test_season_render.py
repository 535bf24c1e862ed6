"""The review page's images of a returned file: rendered in the background
by LibreOffice (a render job, resumed after a restart), kept by SHA-256 in
the data folder, shown beside the record with a placeholder until ready,
served from the cache the second time and only by hash."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from flask import Flask  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from formkit.errors import FormkitError  # noqa: E402
from formkit.season.store import intake, render  # noqa: E402
from formkit.season.store.db import Store  # noqa: E402
from formkit.season.store.models import Job, Receipt  # noqa: E402
from tests import test_season_web  # noqa: E402
from tests.test_season_web import SAMPLES, sign_in, upload, work  # noqa: E402

db_url = test_season_web.db_url
postgres_server = test_season_web.postgres_server
store = test_season_web.store
app = test_season_web.app

SAMPLE = SAMPLES / "esao-1-2" / "office-copy.docx"
PLACEHOLDER = "กำลังสร้างภาพหน้า"


def received(store: Store) -> Receipt:
    with store.session() as session:
        (receipt,) = session.scalars(select(Receipt))
        session.expunge(receipt)
    return receipt


def render_jobs(store: Store) -> list[tuple[str, str | None]]:
    with store.session() as session:
        return [(j.state, j.error) for j in session.scalars(select(Job).where(Job.kind == "render").order_by(Job.id))]


def test_the_pages_are_rendered_in_the_background_cached_and_shown(app: Flask, store: Store,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    sign_in(client, "ann")
    upload(client, [("kk.docx", SAMPLE.read_bytes())])
    work(store)
    receipt = received(store)
    first = client.get(f"/receipt/{receipt.id}").text
    assert PLACEHOLDER in first and "/pages/" not in first  # beside the record while it renders
    assert 'role="status"' in first and "process" in first
    assert render_jobs(store) == [("queued", None)]
    client.get(f"/receipt/{receipt.id}")
    assert render_jobs(store) == [("queued", None)]  # asked twice, queued once
    assert intake.claim(store, 5, kind="render")  # a process takes it and dies ...
    assert intake.recover_jobs(store) == 1  # ... the next start puts it back
    assert render.run_renders(store) == 1
    assert render_jobs(store) == [("done", None)]
    pages = render.rendered_pages(store, receipt.sha256)
    assert pages and all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in pages)
    assert pages[0].parent == store.data / "pages" / receipt.sha256[:2] / receipt.sha256
    page = client.get(f"/receipt/{receipt.id}").text
    assert PLACEHOLDER not in page
    shown = re.findall(r'<img src="(/pages/[0-9a-f]{64}/\d+\.png)" alt="หน้า (\d+)"', page)
    assert [src for src, _ in shown] == [f"/pages/{receipt.sha256}/{n}.png" for n in range(1, len(pages) + 1)]
    image = client.get(shown[0][0])
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == pages[0].read_bytes()
    assert "immutable" in image.headers["Cache-Control"]

    def no_render(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendered again")

    monkeypatch.setattr("formkit.office.preview.preview", no_render)
    again = client.get(f"/receipt/{receipt.id}").text  # the second request: from the cache
    assert re.findall(r'<img src="(/pages/[^"]+)"', again) == [src for src, _ in shown]
    assert render.run_renders(store) == 0 and render_jobs(store) == [("done", None)]
    assert render.render_one(store, receipt.sha256) == len(pages)
    assert client.get(shown[0][0]).data == image.data


def test_a_file_that_cannot_be_rendered_says_so(app: Flask, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(src: Path, out: Path, **kwargs: Any) -> Any:
        assert src.read_bytes() == SAMPLE.read_bytes() and src.suffix == ".docx"
        raise FormkitError("conversion-timeout", "LibreOffice did not finish", str(src))

    monkeypatch.setattr("formkit.office.preview.preview", broken)
    client = app.test_client()
    sign_in(client, "ann")
    upload(client, [("kk.docx", SAMPLE.read_bytes())])
    work(store)
    receipt = received(store)
    client.get(f"/receipt/{receipt.id}")
    assert render.run_renders(store) == 1
    assert render_jobs(store) == [("failed", "conversion-timeout")]
    page = client.get(f"/receipt/{receipt.id}").text
    assert "conversion-timeout" in page and PLACEHOLDER not in page
    assert not (store.data / "pages" / receipt.sha256[:2] / receipt.sha256).exists()  # nothing half-written
    assert [p.name for p in (store.data / "pages" / receipt.sha256[:2]).iterdir()] == []
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Job).where(Job.kind == "render")) == 1


@pytest.mark.parametrize("path", ["/pages/../../leak/1.png", "/pages/..%2f..%2fleak/1.png",
                                  "/pages/" + "0" * 64 + "/1.png", "/pages/" + "A" * 64 + "/1.png",
                                  "/pages/%2e%2e/1.png", "/pages/{sha}/0.png", "/pages/{sha}/2000.png",
                                  "/pages/{sha}/-1.png", "/pages/{short}/1.png"])
def test_a_page_image_is_served_only_by_hash(app: Flask, store: Store, path: str) -> None:
    client = app.test_client()
    sign_in(client, "ann")
    upload(client, [("kk.docx", SAMPLE.read_bytes())])
    sha = received(store).sha256
    folder = store.data / "pages" / sha[:2] / sha
    folder.mkdir(parents=True)
    (folder / "page-1.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")  # a rendered page, so only the address is wrong
    (store.data / "leak").mkdir()
    (store.data / "leak" / "page-1.png").write_bytes(b"leaked")
    answer = client.get(path.format(sha=sha, short=sha[:63]))
    assert answer.status_code == 404
    assert b"leaked" not in answer.data and b"fake" not in answer.data
    assert client.get(f"/pages/{sha}/1.png").data.endswith(b"fake")  # the right address is served


def test_page_images_need_a_signed_in_user(app: Flask, store: Store) -> None:
    client = app.test_client()
    answer = client.get("/pages/" + "0" * 64 + "/1.png")
    assert answer.status_code in (302, 401, 403) and b"PNG" not in answer.data
