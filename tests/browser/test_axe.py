"""axe-core (4.14.1, vendored under tests/browser/vendor, run offline in the page) finds no
violation in any state of the chat, on a desktop (1280x800) and a phone (390x844) screen; in every
state the page has a visible level-one heading, and on the phone the question box and an
emergency link are on the screen, not covered (a source's whole page included)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route, expect

import prompts
from tests.browser.conftest import (
    EMERGENCY_NUMBER,
    PHONE,
    Watch,
    ask,
    axe_violations,
    covered_by,
    in_view,
    no_horizontal_scroll,
    screenshot,
    uncovered,
)


def check_state(page: Page, name: str, *, emergency: str = "#ask-form .composer-emergency") -> None:
    """No axe violation; a visible h1; on a phone, the question box and an emergency link in view
    and not covered (by the source page's panel, say)."""
    size = "phone" if page.viewport_size == PHONE else "desktop"
    screenshot(page, f"axe-{size}-{name}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == [], name
    no_horizontal_scroll(page)
    if size == "phone":
        link = page.locator(emergency)
        expect(link).to_have_attribute("href", f"tel:{EMERGENCY_NUMBER}")
        assert in_view(page, link), f"{name}: the emergency link is off the screen"
        assert covered_by(link) == [], f"{name}: the emergency link is covered"
        if emergency.startswith("#ask-form"):
            question = page.locator("#question")
            assert in_view(page, question), f"{name}: the question box is off the screen"
            assert covered_by(question) == [], f"{name}: the question box is covered"
            assert covered_by(page.locator("#send")) == [], f"{name}: the Ask button is covered"


def test_every_state_has_no_axe_violation(sized: Page) -> None:
    page = sized
    check_state(page, "1-empty")

    answer = ask(page, "What is necrotizing autoimmune myopathy?")
    check_state(page, "2-answer")

    answer.locator("a.cite").first.click()
    expect(answer.locator(".source-link-list").first).to_be_visible()
    check_state(page, "3-citation-open")

    answer.get_by_role("button", name="Read the whole page").first.click()
    dialog = page.locator("#document-dialog")
    expect(dialog.locator("mark").first).to_be_visible()
    # on a phone the page is a panel above the question box: the question box and its emergency
    # link stay in view, not covered; the panel's own header has an emergency link too
    check_state(page, "4-source-page-open")
    own = dialog.locator(".dialog-emergency")
    expect(own).to_have_attribute("href", f"tel:{EMERGENCY_NUMBER}")
    assert in_view(page, own) and uncovered(own)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    follow_up = ask(page, "How is it treated?")
    expect(follow_up).to_have_attribute("data-kind", "answer")
    check_state(page, "5-follow-up")

    refer = ask(page, "How much prednisone should I take?")
    expect(refer).to_have_attribute("data-kind", "refer")
    check_state(page, "6-refer")

    abstain = ask(page, "What is the best pizza topping?")
    expect(abstain).to_have_attribute("data-kind", "abstain")
    check_state(page, "7-abstain")

    urgent = ask(page, "I have crushing chest pain and can't breathe")
    expect(urgent).to_have_attribute("data-kind", "urgent")
    expect(urgent.locator(".urgent-banner")).to_be_in_viewport()
    check_state(page, "8-urgent")

    # feedback asked for, and its reasons open
    answer.get_by_role("button", name="Not helpful").click()
    expect(answer.get_by_role("button", name="Unclear")).to_be_visible()
    check_state(page, "9-feedback-reasons")

    # dark mode, from the system's setting
    page.emulate_media(color_scheme="dark")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 20, 25)", background
    check_state(page, "10-dark")
    page.emulate_media(color_scheme="light")


def _failing(route: Route) -> None:
    body = {
        "error": "internal",
        "message": prompts.message("errors.internal"),
        "disclaimer": prompts.disclaimer(),
    }
    route.fulfill(status=500, content_type="application/json", body=json.dumps(body))


def test_the_error_state_has_no_axe_violation(sized: Page, watch: Watch) -> None:
    page = sized
    watch.allow_console_errors = True  # the browser logs the failed request itself
    page.route("**/v1/ask/stream", _failing)
    message = ask(page, "What is necrotizing autoimmune myopathy?")
    expect(message).to_have_attribute("data-kind", "error")
    expect(message.get_by_role("button", name="Try again")).to_be_visible()
    check_state(page, "11-error")


def test_larger_text_keeps_the_page_whole(sized: Page) -> None:
    """The text-size control: up to 175 %, for this page only (a reload is back to normal)."""
    page = sized
    base = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    larger = page.get_by_role("button", name="Larger text")
    for _ in range(4):
        larger.click()
    expect(larger).to_be_disabled()
    big = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert big == pytest.approx(base * 1.75, rel=0.01)
    expect(page.locator("#status")).to_have_text("Text size 175 per cent.")
    ask(page, "What are the side effects of IVIG?")
    check_state(page, "12-text-175")
    page.get_by_role("button", name="Smaller text").click()
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") == pytest.approx(
        base * 1.5, rel=0.01
    )
    page.reload()
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") == base
