"""Benchmark of the offices' links, run by hand against a real ``formkit serve``
on loopback:

    python3 benchmarks/season_links.py                # 245 offices, 5 reviewers, kill -9 in the middle
    python3 benchmarks/season_links.py --offices 60 --no-kill

Each office uploads one distinct filled form at the same time (one thread
each, ``Accept: application/json``) while --reviewers signed-in reviewers
load the tracker again and again. With the kill (the default), the server
is killed with SIGKILL once a third of the uploads are acknowledged and
started again; the offices whose upload was not acknowledged send it again.
Then the store is checked: every acknowledged upload has its receipt, for
its office, and every file was parsed exactly once. Reported: the uploads
acknowledged, the p50/p95 upload-to-feedback time and the p50/p95 tracker
time (milliseconds), and the checks.
"""
from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from formkit import api  # noqa: E402

PASSWORD = "admin-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def prepare(data: Path, offices: int) -> tuple[list[tuple[str, str, bytes]], int]:
    """The store with its offices and links; one distinct filled form per office."""
    from formkit.season.store import links, people
    from formkit.season.store.db import open_store
    from formkit.season.store.models import Office

    store = open_store(data)
    with store.session() as s:
        people.add_user(s, "admin", PASSWORD, "admin", chair=True)
        for n in range(offices):
            name = f"สำนักงานเขตพื้นที่การศึกษาทดสอบ {n}"
            s.add(Office(code=f"O{n:03}", name=name, key=people.office_key(name)))
    with store.session() as s:
        rows = links.links_table(s, store.secret(), "http://placeholder")
    store.close()
    out = []
    for n, row in enumerate(rows):
        document = api.fill_bytes("esao-1-2", {"level": 1 + n % 5, "office": row["name"],
                                               "process": f"๑) จัดอบรมบุคลากร ครั้งที่ {n} ทุกเดือน"})
        out.append((row["code"], row["link"].rsplit("/", 1)[1], bytes(document)))
    return out, len(rows)


def start(data: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORMKIT_ADMIN_PASSWORD": PASSWORD}
    proc = subprocess.Popen([sys.executable, "-m", "formkit", "serve", "--data", str(data), "--port", str(port),
                             "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("formkit serve did not start")


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "formkit" + hashlib.sha256(data).hexdigest()[:24]
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(base: str, token: str, code: str, data: bytes) -> tuple[bool, float]:
    body, kind = multipart(f"{code}.docx", data)
    request = urllib.request.Request(f"{base}/o/{token}", data=body, method="POST",
                                     headers={"Content-Type": kind, "Accept": "application/json"})
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            got = json.loads(answer.read())
        return got.get("status") in ("received", "again"), time.perf_counter() - began
    except (OSError, ValueError):
        return False, time.perf_counter() - began


def reviewer(base: str, stop: threading.Event, times: list[float]) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    while not stop.is_set():
        try:
            page = opener.open(f"{base}/login", timeout=60).read().decode()
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            form = urllib.parse.urlencode({"name": "admin", "password": PASSWORD, "csrf": csrf}).encode()
            opener.open(f"{base}/login", data=form, timeout=60).read()
            while not stop.is_set():
                began = time.perf_counter()
                opener.open(f"{base}/", timeout=120).read()
                times.append(time.perf_counter() - began)
        except (OSError, AttributeError):
            time.sleep(0.2)  # the server is being restarted: sign in again


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offices", type=int, default=245)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--no-kill", action="store_true", help="Do not kill the server in the middle.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="formkit-links-bench-") as tmp:
        data = Path(tmp) / "data"
        uploads, count = prepare(data, args.offices)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start(data, port)
        acked: dict[str, float] = {}
        lock = threading.Lock()
        killed = threading.Event()

        def office(code: str, token: str, document: bytes) -> None:
            ok, took = upload(base, token, code, document)
            if ok:
                with lock:
                    acked[code] = took
                    if not args.no_kill and not killed.is_set() and len(acked) >= count // 3:
                        killed.set()
                        os.kill(proc.pid, signal.SIGKILL)

        stop, page_times = threading.Event(), []  # type: ignore[var-annotated]
        readers = [threading.Thread(target=reviewer, args=(base, stop, page_times)) for _ in range(args.reviewers)]
        for r in readers:
            r.start()
        began = time.perf_counter()
        threads = [threading.Thread(target=office, args=u) for u in uploads]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        first_round = time.perf_counter() - began
        if killed.is_set():
            proc.wait()
            proc = start(data, port)
            retry = [u for u in uploads if u[0] not in acked]
            threads = [threading.Thread(target=office, args=u) for u in retry]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        stop.set()
        for r in readers:
            r.join(timeout=180)
        time.sleep(3)  # the worker's round after a restart
        proc.terminate()
        proc.wait(timeout=60)
        lost, twice = check(data, uploads, set(acked))
        print(f"offices: {count}, reviewers: {args.reviewers}, killed in the middle: {killed.is_set()}")
        print(f"uploads acknowledged: {len(acked)} of {count}; first round {first_round:.1f} s")
        print(f"upload-to-feedback ms: p50 {p(list(acked.values()), 0.5):.0f}, p95 {p(list(acked.values()), 0.95):.0f}")
        print(f"tracker page ms ({len(page_times)} loads): p50 {p(page_times, 0.5):.0f}, p95 {p(page_times, 0.95):.0f}")
        print(f"acknowledged but lost: {lost}; files parsed more than once: {twice}")
        print(f"load average: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
        if lost or twice or len(acked) != count:
            raise SystemExit(1)


def check(data: Path, uploads: list[tuple[str, str, bytes]], acked: set[str]) -> tuple[int, int]:
    from sqlalchemy import func, select

    from formkit.season.store.db import open_store
    from formkit.season.store.models import Office, Parse, Receipt

    store = open_store(data)
    with store.session() as s:
        have = {(code, sha) for code, sha in s.execute(select(Office.code, Receipt.sha256).join(
            Office, Office.id == Receipt.office_id))}
        parses = dict(s.execute(select(Parse.sha256, func.count()).group_by(Parse.sha256)).all())
    store.close()
    lost = sum((code, hashlib.sha256(doc).hexdigest()) not in have for code, _, doc in uploads if code in acked)
    twice = sum(n > 1 for n in parses.values())
    return lost, twice


if __name__ == "__main__":
    main()
