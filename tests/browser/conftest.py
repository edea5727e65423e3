"""Browser tests of the web chat: Playwright (sync API) drives Debian's Chromium against a real
`wisdom serve` subprocess on loopback, over an index built in this session with the real model from
corpus/ plus one hostile page (and one hostile JSONL row) full of markup that must stay inert.

One index and one server per session. Every page the tests open is watched: an uncaught script
error, a Content-Security-Policy violation or an unexpected console error fails the test (a CSP
violation would mean something tried to run that the page should have escaped). Screenshots go to
artifacts/screenshots/ for a person to read. axe-core (vendored, tests/browser/vendor/axe-core) audits
pages offline: `axe_violations(page)`.

Chromium comes from `apt-get install chromium` (scripts/test.sh installs it); Playwright's own
browser download is not used. Without it these tests are skipped with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Locator, Page, expect

from ingest import IngestConfig, TransformerEmbedder, run_ingest
from tests.conftest import CORPUS, REPO
from tests.qa_service.conftest import flat
from tests.qa_service.conftest import parse_sse as parse_sse_text

CHROMIUM = Path(os.environ.get("WISDOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
AXE_VERSION = "4.14.1"  # tests/browser/vendor/axe-core, from the npm package axe-core
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
EMERGENCY_NUMBER = "112"  # not the default (911): the page must take it from the server's settings
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

HOSTILE_TITLE = "Zorbax muscle score <script>window.__pwned=1</script>"
HOSTILE_QUESTION = "What is the Zorbax muscle score?"
HOSTILE_PAGE = "\n".join(
    [
        "---",
        "title: Zorbax muscle score <script>window.__pwned=1</script>",
        "aliases:",
        '  - Zorbax score <img src=x onerror="window.__pwned=2">',
        "summary: What the Zorbax muscle score <script>window.__pwned=1</script> is (made up for tests).",
        "reviewed: 2026-11-25",
        "sources:",
        '  - name: Zorbax source <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">',
        "    url: https://example.org/zorbax",
        "kind: editorial",
        "---",
        "",
        '## What is the Zorbax muscle score? <img src=x onerror="window.__pwned=2">',
        "",
        "The Zorbax muscle score <script>window.__pwned=1</script> is a made-up test score that records "
        "muscle strength in myositis.",
        'A higher Zorbax muscle score <img src=x onerror="window.__pwned=2"> means stronger muscles in '
        "the arms and legs.",
        'The Zorbax muscle score is found by <b onmouseover="window.__pwned=4">timing how fast you '
        "stand up</b> from a chair five times.",
        "",
        "## Where is the Zorbax muscle score recorded?",
        "",
        "The Zorbax muscle score is written in your clinic notes after each visit.",
        "",
    ]
)
# A JSONL row's url is not validated by ingest: the page must never make a link of it.
HOSTILE_ROW = {
    "id": "zorbax-app",
    "title": "Zorbax score app",
    "url": "javascript:window.__pwned=3",
    "text": "The Zorbax score app on your phone reminds you to record your Zorbax muscle score every week.",
}


@dataclass
class Server:
    url: str
    index_dir: Path
    log: Path
    corpus: Path
    feedback_db: Path


@pytest.fixture(scope="session")
def web_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of corpus/ plus the hostile page and row."""
    folder = tmp_path_factory.mktemp("web-corpus")
    for page in CORPUS.glob("*.md"):
        shutil.copy(page, folder / page.name)
    (folder / "zorbax-muscle-score.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE_ROW) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def web_index(
    web_corpus: Path, tmp_path_factory: pytest.TempPathFactory, embedder: TransformerEmbedder
) -> Path:
    """The corpus above ingested once with the real model (30-60 s)."""
    index_dir = tmp_path_factory.mktemp("web-index") / "index"
    report = run_ingest([web_corpus], IngestConfig(index_dir=index_dir), embedder)
    assert report.published, report
    assert not report.problems, report.problems
    return index_dir


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wisdom_command() -> list[str]:
    script = Path(sys.executable).with_name("wisdom")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from qa_service.cli.main import main; main()"]


@pytest.fixture(scope="session")
def server(web_index: Path, web_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`wisdom serve` as its own process on a free loopback port, until the session ends."""
    workdir = tmp_path_factory.mktemp("web-server")  # no developer .env is read from here
    log = workdir / "serve.log"
    feedback_db = workdir / "feedback" / "feedback.sqlite3"
    port = _free_port()
    env = {
        **os.environ,
        # this checkout's code, even when the venv's editable install points at another one
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
        "WISDOM_INDEX_DIR": str(web_index),
        "WISDOM_EMERGENCY_NUMBER": EMERGENCY_NUMBER,
        "WISDOM_FEEDBACK_DB": str(feedback_db),
        # One address (loopback) asks every test's questions, and each answer also fetches its
        # pages: the limit is tested in tests/qa_service; here it only has to stay out of the way.
        "WISDOM_RATE_LIMIT_PER_MINUTE": "1200",
        "WISDOM_RATE_LIMIT_BURST": "200",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*_wisdom_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"wisdom serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"wisdom serve was not ready within 120 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield Server(url=url, index_dir=web_index, log=log, corpus=web_corpus, feedback_db=feedback_db)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(scripts/test.sh does this), or point WISDOM_CHROMIUM at a Chromium binary."
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@dataclass
class Watch:
    """What a page did that a patient must never see: script errors, CSP violations, dialogs."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    allow_console_errors: bool = False

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console_errors.append(f"{message.type}: {message.text}")

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self) -> None:
        assert not self.page_errors, self.page_errors
        assert not self.dialogs, self.dialogs
        csp = [m for m in self.console_errors if "Content Security Policy" in m or "Refused to" in m]
        assert not csp, csp
        if not self.allow_console_errors:
            assert not self.console_errors, self.console_errors


@contextmanager
def _open(
    browser: Browser, server: Server, watch: Watch, **options: Any
) -> Iterator[tuple[Page, BrowserContext]]:
    context = browser.new_context(base_url=server.url, locale="en-US", **options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("dialog", watch.on_dialog)
    try:
        yield page, context
        watch.check()
    finally:
        context.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def desktop(browser: Browser, server: Server, watch: Watch) -> Iterator[Page]:
    """A fresh desktop-sized browser context (no shared cookies or storage) on the chat page."""
    with _open(browser, server, watch, viewport=DESKTOP) as (page, _):
        page.goto("/")
        yield page


@pytest.fixture
def desktop_context(browser: Browser, server: Server, watch: Watch) -> Iterator[tuple[Page, BrowserContext]]:
    with _open(browser, server, watch, viewport=DESKTOP) as (page, context):
        page.goto("/")
        yield page, context


@pytest.fixture
def phone(browser: Browser, server: Server, watch: Watch) -> Iterator[Page]:
    """A phone: 390x844 CSS pixels, touch, mobile viewport rules, 2x pixels."""
    with _open(
        browser, server, watch, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    ) as (page, _):
        page.goto("/")
        yield page


SIZES = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


@pytest.fixture(params=sorted(SIZES))
def sized(request: pytest.FixtureRequest, browser: Browser, server: Server, watch: Watch) -> Iterator[Page]:
    """The chat page once on the desktop and once on the phone screen (the test runs twice)."""
    with _open(browser, server, watch, **SIZES[request.param]) as (page, _):
        page.goto("/")
        page.set_default_timeout(30_000)
        yield page


def size_name(page: Page) -> str:
    return "phone" if page.viewport_size == PHONE else "desktop"


# --- helpers --------------------------------------------------------------------------------------


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot as a test artefact (artifacts/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def ask(page: Page, question: str) -> Locator:
    """Type a question, press Enter, wait for the whole answer; return its message element."""
    answers = page.locator(".msg-assistant")
    before = answers.count()
    page.locator("#question").fill(question)
    page.locator("#question").press("Enter")
    expect(answers).to_have_count(before + 1)
    message = answers.nth(before)
    expect(message.locator(".answer-disclaimer")).to_be_visible()
    expect(page.locator("#send")).to_be_enabled()
    return message


def parse_sse(raw: str) -> list[tuple[str, Any]]:
    """(event, parsed JSON data) pairs of a Server-Sent Events body."""
    return [(name, json.loads(data)) for name, data in parse_sse_text(raw)]


def source_groups(answer: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The page's sources: one per page section, numbered in order of first citation; and each
    citation's number on the page."""
    groups: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    shown: dict[int, int] = {}
    for c in sorted(answer["citations"], key=lambda c: c["n"]):
        key = (c["doc_id"], c["section"])
        if key not in by_key:
            by_key[key] = {**c, "d": len(groups) + 1, "citations": []}
            groups.append(by_key[key])
        by_key[key]["citations"].append(c)
        shown[c["n"]] = by_key[key]["d"]
    return groups, shown


def long_date(iso: str) -> str:
    """A page's ISO date (a citation's `reviewed`) as the page writes it: "November 30, 2026"."""
    date = dt.date.fromisoformat(iso)
    return f"{date:%B} {date.day}, {date.year}"


def display_text(answer: dict[str, Any]) -> str:
    """The answer's text with its markers as the page shows them: numbered by source, one at the
    end of each passage (a run of sentences from one page section)."""
    _, shown = source_groups(answer)
    out = []
    for paragraph in re.split(r"\n{2,}", answer["text"]):
        markers = list(re.finditer(r" ?\[(\d+)\]", paragraph))
        text, last = "", 0
        for i, match in enumerate(markers):
            text += paragraph[last : match.start()]
            last = match.end()
            d = shown.get(int(match.group(1)))
            nxt = markers[i + 1] if i + 1 < len(markers) else None
            same_line = nxt is not None and "\n" not in paragraph[last : nxt.start()]
            if d is None or (nxt is not None and same_line and shown.get(int(nxt.group(1))) == d):
                continue
            text += f" [{d}]"
        out.append(text + paragraph[last:])
    return "\n\n".join(out)


def as_shown(answer: dict[str, Any]) -> str:
    """An answer as the page shows it: markers as above, "- " lines as list items (no dash)."""
    return flat(re.sub(r"(?m)^\s*[-*•]\s+", "", display_text(answer)))


def whole_answer(message: Locator) -> str:
    """The text of an answer on the page, opened first if it was collapsed to its first passage."""
    more = message.get_by_role("button", name="Show more")
    if more.count():
        more.click()
        expect(message.get_by_role("button", name="Show less")).to_be_visible()
    return message.locator(".answer-text").inner_text()


def axe_violations(page: Page) -> list[str]:
    """Every axe-core violation on the page as it is now ("rule: element … why"). axe is loaded
    from the vendored file (offline); the DevTools protocol evaluates it, so the page's own
    Content-Security-Policy stays as it is."""
    if page.evaluate("() => typeof window.axe") == "undefined":
        page.evaluate(AXE.read_text(encoding="utf-8"))
        assert page.evaluate("() => window.axe.version") == AXE_VERSION
    found: list[dict[str, Any]] = page.evaluate(
        r"""async () => {
          const result = await window.axe.run(document, {resultTypes: ['violations']});
          return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n =>
              n.target.join(' ') + ' … ' + (n.failureSummary || '').replace(/\s+/g, ' '))}));
        }"""
    )
    return [f"{v['id']} ({v['impact']}): {node}" for v in found for node in v["nodes"]]


def in_view(page: Page, locator: Locator) -> bool:
    """Wholly inside the viewport (not merely touching it)."""
    box = locator.bounding_box()
    size = page.viewport_size
    assert size is not None
    return (
        box is not None
        and box["width"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def covered_by(locator: Locator) -> list[str]:
    """What hides the element (a dialog, a panel, the footer): what is on top at its middle and at
    points a quarter of the way in from its corners, when that is not the element or inside it.
    Empty when a tap anywhere there reaches it."""
    found: list[str] = locator.evaluate(
        """(node) => {
          const r = node.getBoundingClientRect();
          if (!(r.width > 0 && r.height > 0)) return ['(no box)'];
          const xs = [r.left + r.width / 4, r.left + r.width / 2, r.right - r.width / 4];
          const ys = [r.top + r.height / 4, r.top + r.height / 2, r.bottom - r.height / 4];
          const out = [];
          for (const x of xs) for (const y of ys) {
            const top = document.elementFromPoint(x, y);
            if (top === null || !node.contains(top)) {
              const what = top ? top.outerHTML.slice(0, 60) : 'nothing';
              out.push(`${Math.round(x)},${Math.round(y)}: ${what}`);
            }
          }
          return out;
        }"""
    )
    return found


def uncovered(locator: Locator) -> bool:
    """Not hidden under something else, even in part (see covered_by)."""
    return not covered_by(locator)


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"the page scrolls sideways: {widths[0]} px wide in a {widths[1]} px window"
    )
