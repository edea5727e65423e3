"""Keyboard use, screen-reader structure, colour contrast, and a phone-sized screen."""

from __future__ import annotations

from playwright.sync_api import Page, expect

import prompts
from tests.browser.conftest import EMERGENCY_NUMBER, PHONE, ask, no_horizontal_scroll, screenshot

# WCAG 2 contrast of every visible text against the colour actually behind it.
CONTRAST_AUDIT = """() => {
  const rgba = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const blend = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = blend(layer, colour);
    return colour;
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.checkVisibility() || el.closest('.visually-hidden')) continue;
    const style = getComputedStyle(el);
    const fg = blend(rgba(style.color), background(el));
    const bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    checked++;
    const what = `${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 40)}"`;
    if (ratio < 4.5) failures.push(`${what} ${ratio.toFixed(2)}`);
  }
  return {checked, failures};
}"""


def test_keyboard_only(desktop: Page) -> None:
    page = desktop
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")  # skip straight to the question box
    expect(page.locator("#question")).to_be_focused()

    # without the skip link: Tab reaches the box after the header link and the starters
    page.reload()
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.id || document.activeElement.className")
        order.append(focused)
        if focused == "question":
            break
    assert order[-1] == "question", order
    # (the "Smaller text" button is disabled at the smallest size)
    assert order[:3] == ["skip-link", "text-larger", "emergency-link"], order
    assert order[-2] == "composer-emergency emergency-call", order

    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "the focused question box shows no focus outline"
    page.keyboard.type("What is necrotizing")
    page.keyboard.press("Shift+Enter")  # a new line, not sent
    page.keyboard.type("autoimmune myopathy?")
    expect(page.locator("#question")).to_have_value("What is necrotizing\nautoimmune myopathy?")
    expect(page.locator(".msg")).to_have_count(0)
    page.keyboard.press("Enter")
    answer = page.locator(".msg-assistant")
    expect(answer.locator(".answer-disclaimer")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    expect(page.locator("#question")).to_have_value("")

    # a citation link opens with Enter, and focus moves to the passage
    page.locator("a.cite").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".source-detail").first).to_be_focused()
    # the whole page opens and closes from the keyboard, focus returning to its button
    read = page.locator(".read-page").first
    read.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#document-dialog")).to_be_visible()
    expect(page.locator("#document-close")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#document-dialog")).to_be_hidden()
    expect(read).to_be_focused()


def test_screen_reader_structure_and_contrast(desktop: Page) -> None:
    page = desktop
    assert page.evaluate("() => document.documentElement.lang") == "en"
    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a question about myositis")
    expect(page.get_by_role("group", name="Text size")).to_be_visible()
    expect(page.get_by_label("Your question")).to_have_attribute("id", "question")
    expect(page.locator("#question")).to_have_attribute("aria-describedby", "question-hint")
    expect(page.get_by_role("status")).to_have_count(1)
    expect(page.get_by_role("button", name="Ask", exact=True)).to_be_visible()
    # in the header, and in the question box
    expect(page.get_by_role("link", name=f"Emergency? Call {EMERGENCY_NUMBER}")).to_have_count(2)

    ask(page, "What are the side effects of IVIG?")
    ask(page, "How much prednisone should I take?")
    ask(page, "What is the best pizza topping?")
    ask(page, "I have crushing chest pain and can't breathe")
    page.locator("a.cite").first.click()
    # the page keeps its visible level-one heading once questions are asked
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # every answer is announced: a polite live region for answers, an alert for the urgent one
    expect(page.locator(".answer-content[aria-live=polite]")).to_have_count(3)
    expect(page.locator(".urgent-banner[role=alert]")).to_have_count(1)
    # every control has a name
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('button, a, textarea')]
             .filter(e => e.checkVisibility())
             .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length))
             .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    expect(page.locator("a.cite").first).to_have_attribute(
        "aria-label", "Source 1: Intravenous immunoglobulin (IVIG)"
    )

    result = page.evaluate(CONTRAST_AUDIT)
    assert result["checked"] > 40
    assert result["failures"] == [], result["failures"]
    page.locator(".read-page").first.click()
    expect(page.locator("#document-dialog mark").first).to_be_visible()
    result = page.evaluate(CONTRAST_AUDIT)
    assert result["failures"] == [], result["failures"]


def test_phone_sized_screen(phone: Page) -> None:
    page = phone
    assert page.viewport_size == PHONE
    no_horizontal_scroll(page)
    expect(page.locator("#question")).to_be_visible()
    screenshot(page, "phone-1-welcome", full_page=True)

    message = ask(page, "What is necrotizing autoimmune myopathy?")
    no_horizontal_scroll(page)
    body_font = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_font >= 16
    screenshot(page, "phone-2-answer")
    message.locator("a.cite").first.click()
    expect(message.locator(".source-link-list").first).to_be_visible()
    no_horizontal_scroll(page)
    screenshot(page, "phone-3-citation-open")

    message.get_by_role("button", name="Read the whole page").first.click()
    dialog = page.locator("#document-dialog")
    expect(dialog.locator("mark").first).to_be_in_viewport()
    box = dialog.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"] and box["x"] >= 0
    screenshot(page, "phone-4-source-page")
    dialog.get_by_role("button", name="Close").tap()
    expect(dialog).to_be_hidden()

    urgent = ask(page, "I have crushing chest pain and can't breathe")
    banner = urgent.locator(".urgent-banner")
    expect(banner).to_be_in_viewport()
    call = banner.locator("a.call-now")
    call_box = call.bounding_box()
    assert call_box is not None and call_box["height"] >= 44  # an easy target for a thumb
    no_horizontal_scroll(page)
    screenshot(page, "phone-5-urgent")
    expect(urgent.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())
    screenshot(page, "phone-6-conversation", full_page=True)
