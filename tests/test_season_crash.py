"""Kill -9 of ``formkit serve`` during an upload of 100 files, then a
restart: the store opens, every file whose upload was acknowledged is
there and parsed exactly once, and no job is left queued or running."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from sqlalchemy import func, select  # noqa: E402

from formkit import api  # noqa: E402
from formkit.season.store.db import open_store  # noqa: E402
from formkit.season.store.models import Job, Parse, Receipt  # noqa: E402
from tests import test_season_store  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

db_url = test_season_store.db_url
postgres_server = test_season_store.postgres_server
FILES = 100


class Client:
    """A signed-in browser, in a few lines of http.client."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        text = answer.read().decode("utf-8", "replace")
        cookie = answer.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return answer.status, text

    def csrf(self) -> str:
        _, page = self.request("GET", "/upload" if self.cookie else "/login")
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        assert match, page[:500]
        return match.group(1)

    def post(self, path: str, fields: dict[str, str], files: list[tuple[str, bytes]] = ()) -> int:  # type: ignore[assignment]
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        for name, data in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                         "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, _ = self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")
        return status


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _serve(data: Path, url: str | None, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORMKIT_ADMIN_PASSWORD": "admin-password"}
    args = [sys.executable, "-m", "formkit", "serve", "--data", str(data), "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(args + (["--db", url] if url else []), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("formkit serve did not start")


@pytest.fixture
def documents() -> Iterator[list[tuple[str, bytes]]]:
    yield [(f"office-{n:03}.docx", bytes(api.fill_bytes("esao-1-2", {"level": n % 5 + 1, "process": f"งานที่ {n}"})))
           for n in range(FILES)]


def test_kill_9_during_an_upload_then_restart(tmp_path: Path, db_url: str | None,
                                              documents: list[tuple[str, bytes]]) -> None:
    data, port = tmp_path / "data", _port()
    server = _serve(data, db_url, port)
    client = Client(port)
    token = client.csrf()
    assert client.post("/login", {"name": "admin", "password": "admin-password", "csrf": token}) == 302
    acknowledged: list[str] = []

    def send() -> None:
        for name, body in documents:
            try:
                status = client.post("/upload", {"csrf": client.csrf()}, [(name, body)])
            except (OSError, http.client.HTTPException):  # the server was killed mid-answer
                return
            if status == 302:
                acknowledged.append(name)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < 30 and time.monotonic() < deadline and sender.is_alive():
        time.sleep(0.05)
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=30)
    sender.join(timeout=120)
    assert 30 <= len(acknowledged) < FILES
    server = _serve(data, db_url, port)  # the restart resumes the jobs left behind
    try:
        store = open_store(data, db_url)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with store.session() as session:
                left = session.scalar(select(func.count()).select_from(Job).where(Job.state.in_(("queued", "running"))))
            if not left:
                break
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with store.session() as session:
        names = set(session.scalars(select(Receipt.name)))
        assert set(acknowledged) <= names
        per_blob = dict(session.execute(select(Parse.sha256, func.count()).group_by(Parse.sha256)).all())
        receipts = list(session.scalars(select(Receipt)))
        assert all(per_blob.get(r.sha256) == 1 for r in receipts)  # parsed, exactly once
        assert {j.state for j in session.scalars(select(Job))} <= {"done"}
        forms = set(session.scalars(select(Parse.form)))
        assert forms == {"esao-1-2"}
    store.close()
