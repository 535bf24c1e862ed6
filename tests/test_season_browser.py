"""The season in a real browser (Selenium, headless Chromium, Debian's
chromium-driver) against a real ``formkit serve``: sign in, import offices,
upload a folder of samples and watch the progress, open the tracker, review
a document, correct a field, judge an esao-1-2 document with two reviewers
who disagree, mark the final one, export and check the export. Every page
is checked with axe-core (no serious or critical violation) and
screenshotted into test-artefacts/season/."""
from __future__ import annotations

import contextlib

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask", reason="the season extra is missing: pip install -e '.[test]'")

from formkit import api  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

ARTEFACTS = ROOT / "test-artefacts" / "season"
AXE = Path(os.environ.get("FORMKIT_AXE_JS") or ROOT / ".cache/npm/node_modules/axe-core/axe.min.js")
PASSWORDS = {"admin": "admin-password", "ann": "ann-password", "bob": "bob-password"}
UPLOADED = ["esao-1-2/office-copy.docx", "esao-1-2/over-dots.docx", "esao-3-1/five-works-vml.docx"]


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    selenium = pytest.importorskip("selenium", reason="pip install -e '.[test]' brings selenium")
    del selenium
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        _missing("Chromium or its driver is missing: bash tests/run.sh installs them (apt-get install chromium chromium-driver)")
    if not AXE.exists():
        _missing(f"axe-core is missing ({AXE}): bash tests/run.sh installs it (npm install --prefix .cache/npm axe-core@4)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--lang=th"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(str(chromedriver)), options=options)
    browser.set_page_load_timeout(120)
    try:
        yield browser
    finally:
        browser.quit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _formkit(*args: str, data: Path, env: dict[str, str] | None = None) -> None:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "formkit", *args[:1], "--data", str(data), *args[1:]],
                          capture_output=True, text=True, env=full, timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("season") / "data"
    for name in ("ann", "bob"):
        _formkit("users", "add", name, data=data, env={"FORMKIT_USER_PASSWORD": PASSWORDS[name]})
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORMKIT_ADMIN_PASSWORD": PASSWORDS["admin"]}
    with serving(data, port, env) as url:
        yield url


@contextlib.contextmanager
def serving(data: Path, port: int, env: dict[str, str]) -> Iterator[str]:
    """``formkit serve`` on ``port`` over ``data``, once it answers; stopped on the way out."""
    proc = subprocess.Popen([sys.executable, "-m", "formkit", "serve", "--data", str(data), "--port", str(port),
                             "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/login", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("formkit serve did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def axe_check(driver: Any, name: str) -> None:
    """No serious or critical axe-core violation on the page; a screenshot of it."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTEFACTS / f"{name}.png"))
    driver.execute_script(AXE.read_text("utf-8"))
    result = driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                         "axe.run(document).then(r => done(r.violations)).catch(e => done(String(e)));")
    assert isinstance(result, list), result
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


def sign_in(driver: Any, url: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(url + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORDS[name])
    driver.find_element(By.CSS_SELECTOR, "form.stack button").click()
    wait(driver).until(lambda d: "/login" not in d.current_url)


def wait(driver: Any, seconds: float = 60) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds)


def click_and_load(driver: Any, element: Any) -> None:
    """Click a submit button and wait for the next page: until the button is
    gone from the document. While the old page is being replaced, chromedriver
    says so either as a stale element or as "does not belong to the
    document"; both mean gone."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def gone(_: Any) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    element.click()
    wait(driver).until(gone)


def test_the_committee_flow_in_a_browser(driver: Any, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    driver.get(server + "/login")
    axe_check(driver, "01-sign-in")
    sign_in(driver, server, "admin")
    offices = tmp_path / "offices.csv"
    offices.write_text("code,name\nKK1,สพป.ขอนแก่น เขต 1\nCM,สพม.เชียงใหม่\nNAN,สพป.น่าน เขต 1\n", "utf-8")
    driver.get(server + "/admin/offices")
    driver.find_element(By.ID, "file").send_keys(str(offices))
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button"))
    assert "สพป.น่าน เขต 1" in driver.page_source
    axe_check(driver, "02-offices")
    driver.get(server + "/upload")
    axe_check(driver, "03-upload")
    driver.find_element(By.ID, "files").send_keys("\n".join(str(ROOT / "samples" / p) for p in UPLOADED))
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "#upload button"))
    assert "/batch/" in driver.current_url
    wait(driver, 120).until(lambda d: d.find_element(By.ID, "progress-text").text == "3 / 3")
    wait(driver, 30).until(lambda d: "KK1" in d.page_source and "CM" in d.page_source)
    axe_check(driver, "04-progress")
    driver.get(server + "/")
    assert "ยังไม่ส่ง" in driver.page_source  # missing, in Thai
    axe_check(driver, "05-tracker")
    click_and_load(driver, driver.find_element(By.XPATH, "//th[contains(., 'KK1')]/following-sibling::td//a"))
    review_url = driver.current_url
    axe_check(driver, "06-review")
    row = driver.find_element(By.XPATH, "//tr[th[normalize-space()='level']]")
    row.find_element(By.TAG_NAME, "summary").click()
    value = row.find_element(By.NAME, "value")
    value.clear()
    value.send_keys("2")
    row.find_element(By.NAME, "reason").send_keys("ติ๊กผิดช่อง")
    click_and_load(driver, row.find_element(By.CSS_SELECTOR, "form button"))
    assert "ติ๊กผิดช่อง" in driver.page_source
    judge_url = review_url + "/judge"
    for name, ticks in (("ann", range(1, 5)), ("bob", [1])):
        sign_in(driver, server, name)
        driver.get(judge_url)
        for k in ticks:
            driver.find_element(By.NAME, f"done{k}").click()
            driver.find_element(By.NAME, f"clear{k}").click()
        click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button.primary"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "td.differs")) == 12
    axe_check(driver, "07-judge-differ")
    sign_in(driver, server, "admin")
    driver.get(judge_url)
    bob_row = driver.find_element(By.XPATH, "//tr[th[starts-with(normalize-space(), 'bob')]]")
    click_and_load(driver, bob_row.find_element(By.TAG_NAME, "button"))
    assert driver.find_element(By.XPATH, "//tr[th[starts-with(normalize-space(), 'bob')]]//strong").text
    axe_check(driver, "08-judge-final")
    driver.get(server + "/")
    axe_check(driver, "09-tracker-judged")
    text = driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                       "fetch('/export.jsonl').then(r => r.text()).then(done);")
    records = {r["office_code"]: r for r in map(json.loads, text.splitlines())}
    assert set(records) == {"KK1", "CM"}
    kk = records["KK1"]
    assert kk["record"]["level"] == 2 and kk["corrections"] == ["level"] and kk["basis"] == "judgments"
    envelope = {"file": "x", "form": "esao-1-2", "record": kk["record"], "warnings": [], "error": None}
    expected = api.score_results([envelope], [{"file": "x", "done": [True, False, False, False],
                                               "clear": [True, False, False, False]}])[0]
    assert kk["level"] == expected.level
    (cm,) = api.parse_files([ROOT / "samples" / UPLOADED[2]])
    assert records["CM"]["record"] == cm.record and records["CM"]["level"] == api.score_results([cm.as_dict()])[0].level
    driver.get(server + "/admin/users")
    axe_check(driver, "10-users")
    driver.get(server + "/admin/season")
    axe_check(driver, "11-season")
    year = driver.find_element(By.ID, "fiscal_year")
    year.clear()
    year.send_keys("2027")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button.primary"))
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary a")
    assert summary.get_attribute("href").endswith("#fiscal_year")
    axe_check(driver, "12-season-error")
