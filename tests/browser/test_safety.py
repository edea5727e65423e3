"""Nothing the library or the user types runs as script; the page sends its security headers and
loads nothing from elsewhere; nothing is stored in the browser or by the server; when the service
cannot answer, the patient gets a clear, friendly message with the disclaimer."""

from __future__ import annotations

import json
import re

import httpx
from playwright.sync_api import BrowserContext, Page, Route, expect

import prompts
from qa_service.http.web import CONTENT_SECURITY_POLICY, STATIC_DIR
from tests.browser.conftest import (
    EMERGENCY_NUMBER,
    HOSTILE_QUESTION,
    HOSTILE_TITLE,
    Server,
    Watch,
    ask,
    flat,
    screenshot,
    whole_answer,
)

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
BOLD = '<b onmouseover="window.__pwned=4">timing how fast you stand up</b>'


def assert_nothing_ran(page: Page) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => document.scripts.length") == 1  # /static/app.js only
    assert page.evaluate("() => [...document.images].map(i => i.getAttribute('src'))") == [
        "/static/favicon.svg"
    ]
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(e =>
             [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"""
    )
    assert handlers == []
    assert page.locator('a[href^="javascript:"], [href^="data:"], iframe, object, embed').count() == 0


def test_page_headers_and_no_outside_resources(server: Server) -> None:
    response = httpx.get(f"{server.url}/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]
    for path in ("/static/app.js", "/static/app.css", "/static/favicon.svg"):
        static = httpx.get(f"{server.url}{path}")
        assert static.status_code == 200, path
        assert static.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert static.headers["x-content-type-options"] == "nosniff"
    # the API's JSON gets them too, and so does the API reference (/docs)
    assert "content-security-policy" in httpx.get(f"{server.url}/healthz").headers
    assert httpx.get(f"{server.url}/docs").headers["content-security-policy"] == CONTENT_SECURITY_POLICY

    html = response.text
    # the disclaimer and the emergency number come from the service, HTML-escaped
    assert prompts.disclaimer() in html
    assert f'href="tel:{EMERGENCY_NUMBER}"' in html
    assert "{{" not in html
    # no inline script or style, no event-handler attributes, nothing from another site
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html, re.IGNORECASE)
    for file in STATIC_DIR.iterdir():
        text = file.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.IGNORECASE), file.name
        assert "innerHTML" not in text and "outerHTML" not in text and "insertAdjacentHTML" not in text
        assert "document.write" not in text and "eval(" not in text


def test_api_reference_works_offline_under_the_same_policy(desktop: Page, server: Server) -> None:
    """/docs used to be blank without internet (Swagger UI came from a CDN); now every file it
    needs comes from this service, and the strict policy holds there too (Watch fails the test on
    any policy violation or console error)."""
    page = desktop
    outside: list[str] = []

    def only_loopback(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    response = page.goto("/docs")
    assert response is not None and response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Alike Wisdom")
    for path in ("/v1/ask", "/v1/feedback", "/v1/models", "/v1/chat/completions"):
        expect(page.locator(f'.opblock-summary-path[data-path="{path}"]').first).to_be_visible()
    assert outside == []
    screenshot(page, "desktop-api-reference")


def test_hostile_library_page_is_shown_as_text_and_never_runs(desktop: Page, watch: Watch) -> None:
    page = desktop
    page.evaluate(
        """() => { window.__violations = [];
           document.addEventListener('securitypolicyviolation',
             e => window.__violations.push(e.violatedDirective)); }"""
    )
    message = ask(page, HOSTILE_QUESTION)
    text = whole_answer(message)
    assert HOSTILE_TITLE in text  # the lead-in names the page title, literally
    assert SCRIPT in text and IMG in text and BOLD in text
    message.locator(".answer-text").hover()

    # every source, including the JSONL row whose url is javascript:
    for toggle in message.locator(".source-toggle").all():
        toggle.click()
    expect(message.locator(".source-title").first).to_have_text(HOSTILE_TITLE)
    sections = message.locator(".source-section").all_inner_texts()
    assert any(IMG in s for s in sections), sections
    expect(message.locator(".source-link-list").first).to_be_visible()
    links = message.locator(".source-detail a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs and all(h and h.startswith("https://") for h in hrefs), hrefs
    source_names = message.locator(".source-link-list li").all_inner_texts()
    assert any(SCRIPT in name and IMG in name for name in source_names), source_names
    screenshot(page, "desktop-8-hostile-page-inert", full_page=True)

    # the whole page: title, headings and text, all literal
    message.get_by_role("button", name="Read the whole page").first.click()
    dialog = page.locator("#document-dialog")
    expect(dialog.locator("#document-title")).to_have_text(HOSTILE_TITLE)
    body = dialog.locator("#document-body").inner_text()
    assert SCRIPT in body and IMG in body and BOLD in body
    dialog.locator("#document-body").hover()
    page.keyboard.press("Escape")

    page.wait_for_timeout(300)  # an injected image's onerror would have fired by now
    assert_nothing_ran(page)
    assert page.evaluate("window.__violations") == []
    assert not watch.dialogs
    # the user's own text is inert too
    typed = ask(page, "Is <img src=x onerror=alert(1)> <script>alert(2)</script> about myositis?")
    expect(page.locator(".msg-user .bubble").last).to_have_text(
        "Is <img src=x onerror=alert(1)> <script>alert(2)</script> about myositis?"
    )
    expect(typed.locator(".answer-disclaimer")).to_be_visible()
    assert_nothing_ran(page)


def test_nothing_is_stored_in_the_browser_or_by_the_server(
    desktop_context: tuple[Page, BrowserContext], server: Server
) -> None:
    page, context = desktop_context
    private = "What is necrotizing autoimmune myopathy? I was diagnosed in March"
    message = ask(page, private)
    message.locator("a.cite").first.click()
    message.get_by_role("button", name="Read the whole page").first.click()
    page.keyboard.press("Escape")
    ask(page, "How is it treated?")

    stored = page.evaluate(
        """async () => ({
          local: localStorage.length,
          session: sessionStorage.length,
          cookie: document.cookie,
          databases: (await indexedDB.databases()).length,
          caches: (await caches.keys()).length,
          workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )
    assert stored == {"local": 0, "session": 0, "cookie": "", "databases": 0, "caches": 0, "workers": 0}
    assert context.cookies() == []
    state = context.storage_state()
    assert state["cookies"] == [] and all(not origin.get("localStorage") for origin in state["origins"])

    # the service keeps no copy: not in its log (the only thing it writes)
    assert "diagnosed in March" not in server.log.read_text(encoding="utf-8", errors="replace")

    # reloading the page forgets the conversation
    page.reload()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()


def _sse(*events: tuple[str, object]) -> str:
    return "".join(f"event: {name}\r\ndata: {json.dumps(data)}\r\n\r\n" for name, data in events)


def test_service_unavailable_gives_a_friendly_error_with_the_disclaimer(desktop: Page, watch: Watch) -> None:
    page = desktop
    watch.allow_console_errors = True  # the browser logs the failed requests themselves
    unavailable = prompts.message("web.unavailable", emergency_number=EMERGENCY_NUMBER)

    # 1. the service cannot be reached at all
    page.route("**/v1/ask/stream", lambda route: route.abort("connectionrefused"))
    message = ask(page, "What is necrotizing autoimmune myopathy?")
    expect(message).to_have_attribute("data-kind", "error")
    error = message.locator(".error-box")
    expect(error).to_have_attribute("role", "alert")
    expect(error.locator(".error-message")).to_have_text(unavailable)
    expect(message.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())
    screenshot(page, "desktop-9-service-unavailable")
    # ... and comes back: "Try again" asks the same question
    page.unroute("**/v1/ask/stream")
    message.get_by_role("button", name="Try again").click()
    answer = page.locator(".msg-assistant").last
    expect(answer).to_have_attribute("data-kind", "answer")
    expect(answer.locator("a.cite").first).to_be_visible()
    expect(page.locator(".msg-user")).to_have_count(1)

    # 2. the service answers with an error body: its own message and disclaimer are shown
    def busy(route: Route) -> None:
        body = {"error": "no_index", "message": prompts.message("errors.no_index"), "disclaimer": "D1"}
        route.fulfill(status=503, content_type="application/json", body=json.dumps(body))

    page.route("**/v1/ask/stream", busy)
    message = ask(page, "What are the side effects of IVIG?")
    expect(message.locator(".error-message")).to_have_text(prompts.message("errors.no_index"))
    expect(message.locator(".answer-disclaimer")).to_have_text("D1")
    page.unroute("**/v1/ask/stream")

    # 3. the stream breaks after part of the answer: the partial answer is replaced by the error
    def broken(route: Route) -> None:
        body = _sse(
            ("meta", {"kind": "answer", "index_version": "x"}),
            ("delta", {"text": "From our page "}),
            (
                "error",
                {"error": "internal", "message": prompts.message("errors.internal"), "disclaimer": "D2"},
            ),
        )
        route.fulfill(status=200, content_type="text/event-stream", body=body)

    page.route("**/v1/ask/stream", broken)
    message = ask(page, "What are the side effects of IVIG?")
    expect(message.locator(".error-message")).to_have_text(prompts.message("errors.internal"))
    expect(message).not_to_contain_text("From our page")
    page.unroute("**/v1/ask/stream")

    # 4. the stream ends without its final event
    page.route(
        "**/v1/ask/stream",
        lambda route: route.fulfill(
            status=200, content_type="text/event-stream", body=_sse(("meta", {"kind": "answer"}))
        ),
    )
    message = ask(page, "What are the side effects of IVIG?")
    expect(message.locator(".error-message")).to_have_text(flat(prompts.message("web.interrupted")))
    expect(message.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())
    # failed turns are not sent as conversation history
    page.unroute("**/v1/ask/stream")
    with page.expect_request("**/v1/ask/stream") as request_info:
        ask(page, "How is it treated?")
    history = request_info.value.post_data_json["history"]
    assert [t["content"] for t in history if t["role"] == "user"] == [
        "What is necrotizing autoimmune myopathy?"
    ]
