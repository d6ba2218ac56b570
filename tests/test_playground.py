"""The playground page (`GET /` of `tts serve`): served from the package and nothing else, and driven in
real headless Chromium (Debian's `chromium` and `chromium-driver`, with selenium): audio streams and is
scheduled, words are highlighted in order, Download gives the WAV of what arrived, Cancel stops at once.

`PLAYGROUND_SCREENSHOT=docs/playground.png python -m pytest -q tests/test_playground.py` also takes the
README's screenshot (900x600, a word highlighted)."""

import asyncio
import base64
import os
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from servers import serve_http

from tts.playground import FILES

SENTENCE = "Hello there, this is the playground speaking."
LONG = " ".join(["A long reply that the listener will interrupt, with a clause or two in it."] * 6)
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required", "--use-fake-ui-for-media-stream", "--window-size=900,600",
]


def test_the_page_and_its_files_are_served_and_nothing_else(tiny_voice):
    async def get(port, path):  # raw requests: a client library would normalize the dots away
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = await reader.read()
        writer.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        return int(head.split()[1]), head.decode("latin-1").lower(), body

    hostile = [
        "/playground/../../pyproject.toml", "/playground/..%2f..%2fpyproject.toml", "/playground/%2e%2e/%2e%2e/pyproject.toml",
        "/playground/..%2F__init__.py", "/playground/__init__.py", "/playground/", "/playground", "/playground/./__init__.py",
        "/../tts/server.py", "/playground/%2e%2e%2fserver.py", "/playground/..\\server.py", "/playground/app.js/..%2f..%2fserver.py",
        "//etc/passwd", "/playground//etc/passwd", "/playground/%00app.js", "/playground/app.js%00.txt",
    ]

    async def scenario():
        runner, url = await serve_http(tiny_voice)
        port = int(url.rsplit(":", 1)[1])
        try:
            served = {path: await get(port, path) for path in ["/", "/playground/index.html", "/playground/app.js", "/playground/style.css"]}
            refused = {path: await get(port, path) for path in hostile}
            return served, refused
        finally:
            await runner.cleanup()

    served, refused = asyncio.run(scenario())
    folder = Path(__file__).parents[1] / "tts" / "playground"
    for path, kind in [("/", "text/html"), ("/playground/index.html", "text/html"), ("/playground/app.js", "text/javascript"), ("/playground/style.css", "text/css")]:
        status, head, body = served[path]
        assert status == 200 and f"content-type: {kind}; charset=utf-8" in head and "nosniff" in head, (path, head)
        assert body == (folder / (path.rsplit("/", 1)[1] or "index.html")).read_bytes()
    assert b"/playground/app.js" in served["/"][2] and b"/v1/audio/stream" in served["/playground/app.js"][2]
    assert not any(scheme in body for _, _, body in served.values() for scheme in (b"http://", b"https://"))  # no CDN
    allowed = {(folder / name).read_bytes() for name in FILES}
    for path, (status, _, body) in refused.items():
        assert status in (400, 404), (path, status)
        assert body not in allowed and b"import" not in body and b"[project]" not in body and b"root:" not in body, path


def _chromium():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail("headless Chromium is needed for the playground test: apt-get install -y chromium chromium-driver (.ci/run installs them)")
    try:
        from selenium import webdriver
    except ImportError:
        pytest.fail('selenium is needed for the playground test: pip install -e ".[dev]"')
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))


class _ServerThread:
    """The speech server for `voice` on loopback, on an event loop of its own in a thread."""

    def __init__(self, voice):
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        def main():
            asyncio.set_event_loop(self.loop)
            self.runner, self.url = self.loop.run_until_complete(serve_http(voice))
            started.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self.runner.cleanup())
            self.loop.close()

        self.thread = threading.Thread(target=main, name="playground-server", daemon=True)
        self.thread.start()
        assert started.wait(30), "the server did not start"

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def _status(browser) -> dict:
    return browser.execute_script("return Object.assign({}, document.getElementById('status').dataset)")


def _wait(browser, until, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = _status(browser)
        if until(status):
            return status
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}; page status {_status(browser)}, error {_text(browser, 'error')!r}")


def _text(browser, element_id):
    return browser.execute_script(f"return document.getElementById('{element_id}').textContent")


def _play(browser, text, steps="", volume=""):
    for element_id, value in (("text", text), ("steps", steps), ("volume", volume)):
        browser.execute_script(f"document.getElementById('{element_id}').value = arguments[0]", value)
    browser.find_element("id", "play").click()


def _download(browser) -> bytes:
    return base64.b64decode(browser.execute_async_script(
        "const done = arguments[0]; const reader = new FileReader();"
        "reader.onload = () => done(reader.result.split(',')[1]); reader.readAsDataURL(window.playground.wav());"
    ))


def _open(browser, url):
    browser.get(url)
    assert browser.title == "flowmap-tts playground"
    deadline = time.monotonic() + 10
    while browser.execute_script("return document.getElementById('voice').dataset.loaded") != "1":
        assert time.monotonic() < deadline, "the voices were not listed"
        time.sleep(0.02)


def test_the_playground_streams_highlights_downloads_and_cancels_in_chromium(tiny_voice):
    browser = _chromium()
    server = _ServerThread(tiny_voice)
    try:
        _open(browser, server.url)
        assert browser.execute_script("return [...document.getElementById('voice').options].map(o => o.value)") == ["tiny"]

        # Play: audio streams and is scheduled; words are highlighted one after another as it plays.
        _play(browser, SENTENCE)
        seen, shot = [], os.environ.get("PLAYGROUND_SCREENSHOT")
        deadline = time.monotonic() + 20
        while (status := _status(browser))["state"] != "finished":
            assert status["state"] in ("connecting", "playing", "received") and time.monotonic() < deadline, (status, _text(browser, "error"))
            highlighted = [int(i) for i in status["highlighted"].split(",") if i]
            if not seen or highlighted != seen[-1]:
                seen.append(highlighted)
            if shot and status["state"] == "received" and len(highlighted) >= 4:
                browser.save_screenshot(shot)
                shot = None
            time.sleep(0.02)
        words = int(status["words"])
        assert words >= 5 and [int(i) for i in status["highlighted"].split(",")] == list(range(words))
        assert all(s == list(range(len(s))) for s in seen) and len({len(s) for s in seen}) >= 3  # in order, over time
        assert int(status["bytes"]) > 0 and int(status["chunks"]) >= 2 and int(status["ttfa"]) > 0
        assert _text(browser, "error") == "" and f"first audio after {status['ttfa']} ms" in _text(browser, "status")
        spoken = browser.execute_script("return [...document.querySelectorAll('#words span')].map(s => s.textContent)")
        assert len(spoken) == words and "".join(spoken).lower().startswith("hellothere")

        # Download: a WAV of exactly what arrived, the same audio the voice makes offline.
        wav = _download(browser)
        assert wav[:4] == b"RIFF" and wav[8:16] == b"WAVEfmt " and wav[36:40] == b"data"
        assert int.from_bytes(wav[24:28], "little") == 24000 and int.from_bytes(wav[40:44], "little") == len(wav) - 44 == int(status["bytes"])
        expected = np.frombuffer(b"".join(c.pcm16() for c in tiny_voice.open_stream(4, speed=1.0).speak([SENTENCE])), dtype="<i2")
        received = np.frombuffer(wav[44:], dtype="<i2")
        assert len(received) == len(expected) and np.abs(received.astype(int) - expected).max() <= 1

        # The steering controls reach the server: Volume -6 is the offline voice at volume -6 dB.
        _play(browser, SENTENCE, volume="-6")
        _wait(browser, lambda s: s["state"] == "finished", 20, "the quieter sentence")
        quieter = np.frombuffer(_download(browser)[44:], dtype="<i2")
        expected = np.frombuffer(b"".join(c.pcm16() for c in tiny_voice.open_stream(4, speed=1.0, volume=-6.0).speak([SENTENCE])), dtype="<i2")
        assert len(quieter) == len(expected) and np.abs(quieter.astype(int) - expected).max() <= 1
        assert 0.45 < np.abs(quieter).mean() / np.abs(received).mean() < 0.56  # -6 dB is half the amplitude

        # A refused option shows the server's message; Cancel (barge-in) stops playback at once.
        _play(browser, LONG, steps="99")
        _wait(browser, lambda s: int(s["chunks"]) >= 3 and browser.execute_script("return playground.ahead()") > 0.3, 15, "audio queued ahead")
        assert "config refused: steps must be from 1 to 32" in _text(browser, "error")
        assert browser.execute_script("return playground.sources()") > 0
        browser.find_element("id", "cancel").click()
        stopped = _status(browser)
        assert stopped["state"] == "stopped" and browser.execute_script("return [playground.sources(), playground.ahead()]") == [0, 0]
        _wait(browser, lambda s: s["cancelled"] == "1", 5, "the server's 'cancelled'")
        time.sleep(0.5)
        after = _status(browser)
        assert after["state"] == "stopped" and after["chunks"] == stopped["chunks"] and after["highlighted"] == stopped["highlighted"]
        assert browser.find_element("id", "cancel").get_attribute("disabled") is not None
    finally:
        browser.quit()
        server.close()
