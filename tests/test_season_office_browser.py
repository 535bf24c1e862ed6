"""An office's link in a real browser (Selenium, headless Chromium) against a
real ``formkit serve``: the office opens its link, downloads its prefilled
form, hands in an esao-3-1 with a work of three photos and reads that the
work does not count, hands in a corrected one; the committee's tracker and
export have the newest; after the deadline the page refuses uploads. Each
page is checked with axe-core; a phone-sized (390x844) screenshot of the
office page is saved into test-artefacts/season/."""
from __future__ import annotations

import base64
import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

import formkit  # noqa: E402
from formkit import api  # noqa: E402
from tests import test_season_browser as browser  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

driver = browser.driver
PHOTOS = ROOT / "samples" / "esao-3-1" / "photos"


def returned_form(photos_of_work_2: int) -> bytes:
    """KK1's esao-3-1: three works, work 2 with ``photos_of_work_2`` photos, the others with 4."""
    (parsed,) = api.parse_files([ROOT / "samples" / "esao-3-1" / "three-works.docx"])
    record = copy.deepcopy(parsed.record)
    assert record is not None
    for work in record["works"]:
        work["photos"] = [{"path": str(PHOTOS / f"activity-{i}.png")} for i in range(1, 5)]
    record["works"][1]["photos"] = record["works"][1]["photos"][:photos_of_work_2]
    record["office"] = "สพป.ขอนแก่น เขต 1"
    return bytes(api.fill_bytes("esao-3-1", record))


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("office")
    data = folder / "data"
    offices = folder / "offices.csv"
    offices.write_text("code,name\nKK1,สพป.ขอนแก่น เขต 1\nCM,สพม.เชียงใหม่\n", "utf-8")
    browser._formkit("offices", "import", str(offices), data=data)
    port = browser._free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    made = subprocess.run([sys.executable, "-m", "formkit", "offices", "--data", str(data), "links", "--base-url", url],
                          capture_output=True, text=True, env=env, timeout=300)
    assert made.returncode == 0, made.stderr
    links = {row[0]: row[2] for row in (line.split(",") for line in made.stdout.lstrip("\ufeff").splitlines()[1:])}
    env["FORMKIT_ADMIN_PASSWORD"] = browser.PASSWORDS["admin"]
    with browser.serving(data, port, env):
        yield url, data, links


def hand_in(driver: Any, path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "files").send_keys(str(path))
    browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "#upload button"))


def test_an_office_hands_in_through_its_link(driver: Any, season: tuple[str, Path, dict[str, str]],
                                             tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    url, data, links = season
    link = links["KK1"]
    assert re.fullmatch(re.escape(url) + r"/o/[\w-]{43}", link)
    driver.delete_all_cookies()
    driver.set_window_size(390, 844)
    driver.get(link)
    assert "สพป.ขอนแก่น เขต 1" in driver.page_source and "สพม.เชียงใหม่" not in driver.page_source
    browser.axe_check(driver, "office-01-phone")  # the phone-sized screenshot
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= driver.execute_script("return window.innerWidth") + 1, "the page scrolls sideways on a phone"
    driver.set_window_size(1400, 1000)
    href = driver.find_element(By.XPATH, "//a[contains(@href, '/form/esao-3-1.docx')]").get_attribute("href")
    encoded = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => {let s = ''; const a = new Uint8Array(b);"
        "for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]); done(btoa(s));});", href)
    prefilled = formkit.parse_file(base64.b64decode(encoded))
    assert prefilled.form == "esao-3-1" and prefilled.record is not None
    assert prefilled.record["office"] == "สพป.ขอนแก่น เขต 1"

    short, full = tmp_path / "ผลงาน-kk1.docx", tmp_path / "ผลงาน-kk1-แก้ไข.docx"
    short.write_bytes(returned_form(3))
    full.write_bytes(returned_form(4))
    hand_in(driver, short)
    told = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul.feedback li")]
    work_2 = [t for t in told if t.startswith("ผลงานที่ 2")]
    assert len(work_2) == 1 and "ไม่นับ" in work_2[0] and "3" in work_2[0], told
    assert sum("ไม่นับ" in t for t in told) == 1
    browser.axe_check(driver, "office-02-feedback")
    hand_in(driver, full)
    told = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul.feedback li")]
    assert not any("ไม่นับ" in t for t in told) and any(t.startswith("ผลงานที่ 2") for t in told), told
    history = driver.find_element(By.CSS_SELECTOR, "table.history").text
    assert history.index(full.name) < history.index(short.name)

    browser.sign_in(driver, url, "admin")
    driver.get(url + "/")
    assert "/admin/links" in driver.page_source
    text = driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                       "fetch('/export.jsonl').then(r => r.text()).then(done);")
    (record,) = [json.loads(line) for line in text.splitlines()]
    assert record["office_code"] == "KK1" and record["file"].endswith(full.name) and record["level"] == 3
    browser.click_and_load(driver, driver.find_element(By.XPATH, "//th[contains(., 'KK1')]/following-sibling::td//a"))
    assert full.name in driver.page_source
    driver.get(url + "/admin/links")
    browser.axe_check(driver, "office-03-links")

    from formkit.season.store.db import open_store
    from formkit.season.store.people import current_season

    store = open_store(data)
    with store.session() as session:
        current_season(session).deadline = datetime(2020, 1, 1)
    store.close()
    driver.delete_all_cookies()
    driver.get(link)
    assert not driver.find_elements(By.ID, "files")
    assert "เลยกำหนดส่งแล้ว" in driver.page_source
    browser.axe_check(driver, "office-04-closed")
    answer = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; const f = new FormData();"
        "f.append('file', new Blob(['x']), 'late.docx');"
        "fetch(arguments[0], {method: 'POST', body: f, headers: {Accept: 'application/json'}})"
        ".then(r => r.json().then(j => done([r.status, j.status])));", link)
    assert answer == [403, "closed"]
