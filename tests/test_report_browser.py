"""The report page used as a committee member uses it: headless Chromium
driven over the DevTools protocol (``--remote-debugging-pipe``: JSON
messages on file descriptors 3 and 4, no network, no extra package), a real
mouse click on a form's choice, and what the page then shows read back."""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from formkit.cli import main
from formkit.score.report_html import summary_text
from formkit.score.report_model import group_offices, tally, to_row
import formkit
from tests.test_report import CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "samples" / "esao-1-2", ROOT / "samples" / "esao-3-1"]


class Browser:
    """One headless Chromium and its first page, spoken to over a pipe."""

    def __init__(self, chromium: str, profile: Path, url: str, width: int = 1366) -> None:
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()

        def descriptors() -> None:  # in the child: the pipe ends become fds 3 and 4, inherited
            high = max(to_browser, from_browser, 4) + 1
            os.dup2(to_browser, high)
            os.dup2(from_browser, high + 1)
            os.dup2(high, 3)
            os.dup2(high + 1, 4)

        self.process = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},900",
             "--remote-debugging-pipe", url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=descriptors)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._id = 0
        self.session = ""
        target = self._page()
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def _page(self) -> str:
        for _ in range(100):
            pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            if pages:
                return str(pages[0]["targetId"])
            time.sleep(0.1)
        raise AssertionError("Chromium opened no page")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._read, 65536)
                assert chunk, "Chromium closed the pipe"
                self._buffer += chunk
            raw, _, self._buffer = self._buffer.partition(b"\0")
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                assert "error" not in reply, reply
                return dict(reply["result"])

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_ready(self) -> None:
        for _ in range(200):
            if self.js('location.protocol === "file:" && document.documentElement !== null'
                       ' && document.documentElement.dataset.ready === "true"'):
                return
            time.sleep(0.05)
        raise AssertionError("the page's script did not run")

    def click(self, selector: str) -> None:
        """A left click in the middle of the element, as the mouse does it."""
        box = self.js(f"(function(){{var r=document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                      "return [r.left + r.width / 2, r.top + r.height / 2];}())")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def close(self) -> None:
        try:
            self.call("Browser.close")
        finally:
            self.process.wait(timeout=30)
            os.close(self._write)
            os.close(self._read)


def shown(browser: Browser, selector: str, what: str = "textContent") -> list[Any]:
    """``what`` of every element matching ``selector`` that is displayed."""
    return list(browser.js(f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
                           f".filter(function(e){{return e.offsetParent !== null || e.getClientRects().length;}})"
                           f".map(function(e){{return e.{what};}})"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "out"
    result = CliRunner().invoke(main, ["report", *map(str, SAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def test_choosing_a_form_updates_summary_charts_and_rows(chromium: str, made: Path, tmp_path: Path) -> None:
    """Click esao-3-1: the summary says esao-3-1's counts (the same as
    counted here from the scores), only its chart and the offices with an
    esao-3-1 file stay, only its column; click "all forms": back as before."""
    offices = group_offices([to_row(s) for s in formkit.score_results(list(map(str, SAMPLES)))])
    browser = Browser(chromium, tmp_path / "profile", (made / "report.html").as_uri())
    try:
        browser.wait_ready()
        everything = shown(browser, "p.summary")
        assert everything == [summary_text(tally(offices), "th")]
        assert shown(browser, "figure.chart", "dataset.form") == ["esao-1-2", "esao-3-1"]

        browser.click('#form-filter input[value="esao-3-1"]')
        assert browser.js('document.querySelector("#form-filter input[value=\\"esao-3-1\\"]").checked') is True
        assert shown(browser, "p.summary") == [summary_text(tally(offices, "esao-3-1"), "th")] != everything
        assert shown(browser, "figure.chart", "dataset.form") == ["esao-3-1"]
        with_form = sum(1 for o in offices if "esao-3-1" in o.forms())
        assert len(shown(browser, "#results > tbody > tr")) == with_form
        assert shown(browser, "#results > thead th[data-form]", "dataset.form") == ["esao-3-1"]
        assert browser.js('document.getElementById("count").textContent').startswith(f"{with_form} / {len(offices)}")

        browser.click('#form-filter input[value=""]')
        assert shown(browser, "p.summary") == everything
        assert len(shown(browser, "#results > tbody > tr")) == len(offices)
    finally:
        browser.close()
