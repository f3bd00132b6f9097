# SPDX-License-Identifier: MIT
"""Debian's headless Chromium driven through the DevTools protocol, from Python's standard
library alone: Chromium's --remote-debugging-pipe reads NUL-terminated JSON commands on file
descriptor 3 and writes replies and events on 4, so no WebSocket client is needed.

    with Browser(workdir) as b:
        page = b.new_page(width=320)
        page.open(path)
        page.evaluate("document.title")
        page.pdf()          # bytes of a PDF printed with the page's own @page size

Nothing reaches the network: pages are local files, and Chromium is started with every
background service it would otherwise contact switched off.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

# scripts/test.sh's sanitizer stage sets LBIB_SKIP_BROWSER=1: lbib writes the same pages in
# both builds, and the first stage has had Chromium check them already. Every test that needs
# Chromium asks for browser.CHROMIUM and skips without it.
SKIPPED = os.environ.get("LBIB_SKIP_BROWSER") == "1"
CHROMIUM = None if SKIPPED else shutil.which("chromium")
SOURCE_DIR = Path(os.environ.get("LBIB_SOURCE_DIR", Path(__file__).resolve().parents[2]))
AXE = SOURCE_DIR / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"
# The rules an accessibility review under EN 301 549 starts from, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
         "--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe"]


class BrowserError(RuntimeError):
    pass


class Browser:
    def __init__(self, workdir, timeout=60):
        self.timeout = timeout
        self.profile = Path(workdir) / "chromium-profile"
        self.next_id = 0
        self.buffer = b""
        self.events = []
        self.proc = None

    def __enter__(self):
        to_chromium_r, to_chromium_w = os.pipe()
        from_chromium_r, from_chromium_w = os.pipe()
        # Chromium wants the pipe's ends as descriptors 3 and 4 exactly.
        high_r = os.dup(to_chromium_r)
        high_w = os.dup(from_chromium_w)

        def in_child():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            pass_fds=(3, 4, high_r, high_w), preexec_fn=in_child)
        for fd in (to_chromium_r, from_chromium_w, high_r, high_w):
            os.close(fd)
        self.write_fd, self.read_fd = to_chromium_w, from_chromium_r
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stderr.close()
        os.close(self.write_fd)
        os.close(self.read_fd)

    # -- the protocol ------------------------------------------------------------
    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read_message(self, deadline=None):
        deadline = deadline or time.monotonic() + self.timeout
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the pipe: " + self.proc.stderr.read().decode()[-2000:])
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, session):
        deadline = time.monotonic() + self.timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self.read_message(deadline))

    def new_page(self, width=1280, height=900):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.resize(width, height)
        return page


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session

    def send(self, method, params=None):
        return self.browser.send(method, params, self.session)

    def resize(self, width, height=900):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def open(self, path):
        self.send("Page.navigate", {"url": Path(path).resolve().as_uri()})
        self.browser.wait_for("Page.loadEventFired", self.session)

    def evaluate(self, expression):
        """The value of a JavaScript expression (awaited when it is a promise)."""
        r = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                           "returnByValue": True})
        if "exceptionDetails" in r:
            raise BrowserError(json.dumps(r["exceptionDetails"])[:2000])
        return r["result"].get("value")

    def console_messages(self):
        """What the page wrote to its console or threw so far."""
        return [e for e in self.browser.events if e.get("sessionId") == self.session and
                e.get("method") in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown")]

    def axe(self):
        """axe-core's violations for AXE_TAGS: a list of {id, impact, help, nodes}."""
        if not self.evaluate("typeof axe !== 'undefined'"):
            self.evaluate(AXE.read_text())
        result = self.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))})))" % json.dumps(AXE_TAGS))
        return result

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        Path(path).write_bytes(base64.b64decode(data["data"]))

    def pdf(self):
        """The page printed as the browser's print dialog would with the page's own @page size
        and no browser header or footer."""
        data = self.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                             "displayHeaderFooter": False})
        return base64.b64decode(data["data"])
