"""The chat as a patient uses it: a streamed answer with citations and the disclaimer, a citation's
passage and its whole page, a follow-up question, the urgent banner, abstentions and referrals,
starter questions, starting over (and undoing it) and copying an answer."""

from __future__ import annotations

import itertools
import re
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

import prompts
from tests.browser.conftest import (
    EMERGENCY_NUMBER,
    Server,
    as_shown,
    ask,
    flat,
    long_date,
    parse_sse,
    screenshot,
    size_name,
    source_groups,
    whole_answer,
)

NAM = "What is necrotizing autoimmune myopathy?"
IMNM_TESTS = "What tests are used to diagnose IMNM?"
# names a warning sign (chest pain) that is not happening now: the library, then the safety-net line
WARNING_SIGN = "Last year I had chest pain and they found myocarditis. What tests check the heart?"

# Records what happens inside answers' live regions while they are written: every text they
# show, and every node removed from one (a rebuilt region may be read out again).
RECORD_LIVE_REGION = """() => {
  window.__seen = [];
  window.__removed = 0;
  window.__busy = [];
  const regionOf = (node) => (node.nodeType === 1 ? node : node.parentElement)
    ?.closest('.msg-assistant [aria-live], .msg-assistant [role=alert]');
  new MutationObserver((records) => {
    for (const r of records) {
      const region = regionOf(r.target);
      if (!region) continue;
      if (r.type === 'childList') window.__removed += r.removedNodes.length;
      if (r.type === 'attributes' && r.attributeName === 'aria-busy' && r.target === region) {
        window.__busy.push([r.oldValue, region.getAttribute('aria-busy')]);
      }
      window.__seen.push(region.textContent);
    }
  }).observe(document.getElementById('messages'),
    {subtree: true, childList: true, characterData: true, attributes: true, attributeOldValue: true});
}"""


def stream(server: Server, body: dict[str, Any]) -> list[tuple[str, Any]]:
    """The service's own event stream for a request the page made (the service is deterministic; the
    browser does not keep the body of a streamed response for Playwright to read)."""
    response = httpx.post(f"{server.url}/v1/ask/stream", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return parse_sse(response.text)


def done_answer(server: Server, body: dict[str, Any]) -> dict[str, Any]:
    events = stream(server, body)
    assert events[-1][0] == "done", [name for name, _ in events]
    answer: dict[str, Any] = events[-1][1]
    return answer


def test_answer_streams_into_a_live_region_then_shows_citations_and_disclaimer(
    desktop: Page, server: Server
) -> None:
    page = desktop
    expect(page).to_have_title(re.compile("Alike Wisdom"))
    screenshot(page, "desktop-1-welcome")
    page.evaluate(RECORD_LIVE_REGION)
    with page.expect_request("**/v1/ask/stream") as request_info:
        message = ask(page, NAM)
    assert request_info.value.post_data_json == {"question": NAM, "history": []}
    events = stream(server, request_info.value.post_data_json)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-1] == "done"
    assert names.count("delta") >= 3, names
    answer = events[-1][1]
    assert answer["kind"] == "answer" and answer["citations"]

    # the live region only grew: nothing in it was ever removed or rebuilt, and it was busy
    # (so screen readers hold it) until the answer was complete, then not busy once: it is
    # announced once
    seen = page.evaluate("window.__seen")
    assert page.evaluate("window.__removed") == 0
    assert seen and all(len(a) <= len(b) for a, b in itertools.pairwise(seen))
    assert page.evaluate("window.__busy") == [["true", "false"]]
    final = message.locator(".answer-content")
    expect(final).to_have_attribute("aria-live", "polite")
    expect(final).to_have_attribute("aria-busy", "false")
    assert seen[-1] == final.text_content()

    # the whole answer, word for word, with one marker per passage, each a link to its source
    shown = flat(whole_answer(message))
    assert shown == as_shown(answer)
    groups, _ = source_groups(answer)
    links = message.locator("a.cite")
    markers = re.findall(r"\[(\d+)\]", as_shown(answer))
    assert len(markers) <= len(re.findall(r"\[(\d+)\]", answer["text"])), "a marker after every sentence"
    assert all(a != b for a, b in itertools.pairwise(markers)), "the same source marked twice in a row"
    expect(links).to_have_count(len(markers))
    for i, d in enumerate(markers):
        expect(links.nth(i)).to_have_text(f"[{d}]")
        expect(links.nth(i)).to_have_attribute("href", re.compile(rf"#t\d+-source-{d}$"))
        expect(links.nth(i)).to_have_attribute("aria-label", f"Source {d}: {groups[int(d) - 1]['title']}")
    # one source per page section, even when the answer cites the section twice
    sources = message.locator(".source")
    expect(sources).to_have_count(len(groups))
    for source, group in zip(sources.all(), groups, strict=True):
        expect(source.locator(".source-title")).to_have_text(group["title"])
        expect(source.get_by_role("button", name="Show quote")).to_be_visible()
        expect(source.get_by_role("button", name="Read the whole page")).to_be_visible()

    # the disclaimer under the answer and in the footer is the service's own
    expect(message.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())
    expect(page.locator("#footer-disclaimer")).to_have_text(prompts.disclaimer())
    assert answer["disclaimer"] == prompts.disclaimer()
    screenshot(page, "desktop-2-answer")


def test_citation_shows_the_quoted_passage_and_opens_the_whole_page(desktop: Page, server: Server) -> None:
    page = desktop
    with page.expect_request("**/v1/ask/stream") as request_info:
        message = ask(page, IMNM_TESTS)
    answer = done_answer(server, request_info.value.post_data_json)
    groups, _ = source_groups(answer)
    citation = groups[0]
    document = httpx.get(f"{server.url}/v1/documents/{citation['doc_id']}").json()
    page_file = (server.corpus / f"{citation['doc_id']}.md").read_text(encoding="utf-8")

    detail = message.locator("#t1-source-1-detail")
    expect(detail).to_be_hidden()
    message.locator("a.cite").first.click()
    expect(detail).to_be_visible()
    expect(detail).to_be_focused()
    toggle = message.locator(".source-toggle").first
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_text("Hide quote")

    # the quoted passage(s) of every citation of this section, found word for word in the page
    quotes = [flat(p) for p in detail.locator(".source-quote p").all_inner_texts()]
    parts = [flat(part) for c in citation["citations"] for part in c["quote"].split(" … ")]
    assert quotes == list(dict.fromkeys(parts))
    for quote in quotes:
        assert quote.strip("“”") in flat(page_file)
    # its page title, section, reviewed date and source links
    where = flat(detail.locator(".source-where").inner_text())
    assert where.startswith(f"From {citation['title']}")
    assert citation["section"].split(" > ")[-1] in where
    expect(detail.locator(".source-reviewed time")).to_have_attribute("datetime", citation["reviewed"])
    reviewed = citation["reviewed"]
    assert re.search(rf"(?m)^reviewed: [\"']?{re.escape(reviewed)}[\"']?$", page_file)  # the page's own date
    expect(detail.locator(".source-reviewed")).to_have_text(f"Page last reviewed {long_date(reviewed)}")
    links = detail.locator(".source-link-list a")
    expect(links).to_have_count(len(document["sources"]))
    for link, source in zip(links.all(), document["sources"], strict=True):
        expect(link).to_have_attribute("href", source["url"])
        expect(link).to_have_text(source["name"])
        expect(link).to_have_attribute("rel", "noopener noreferrer")
    screenshot(page, "desktop-3-citation-open")

    # the whole page, with the quoted passage marked, then back where we were
    read = message.locator(".source").first.get_by_role("button", name="Read the whole page")
    read.click()
    dialog = page.locator("#document-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#document-title")).to_have_text(document["title"])
    headings = dialog.locator(".document-heading")
    expect(headings).to_have_count(
        len([s for s in document["sections"] if s["heading"] != document["title"]])
    )
    marks = [flat(m) for m in dialog.locator("mark.cited-quote").all_inner_texts()]
    for part in parts:
        assert part in marks
    expect(dialog.locator(".cited-section").first).to_be_in_viewport()
    expect(dialog.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())
    screenshot(page, "desktop-4-source-page")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(read).to_be_focused()


def test_follow_up_question_is_answered_in_the_context_of_the_conversation(
    desktop: Page, server: Server
) -> None:
    page = desktop
    ask(page, NAM)
    first_text = done_answer(server, {"question": NAM, "history": []})["text"]
    with page.expect_request("**/v1/ask/stream") as request_info:
        second = ask(page, "How is it treated?")
    sent = request_info.value.post_data_json
    assert sent["question"] == "How is it treated?"
    assert [turn["role"] for turn in sent["history"]] == ["user", "assistant"]
    assert sent["history"][0]["content"] == NAM
    assert flat(sent["history"][1]["content"]) == flat(first_text)

    answer = done_answer(server, sent)
    assert flat(whole_answer(second)) == as_shown(answer)
    assert answer["kind"] == "answer"
    assert answer["text"].startswith("From our page \u201cNecrotizing autoimmune myopathy\u201d")
    cited = {(c["doc_id"], c["section"].split(" > ")[0]) for c in answer["citations"]}
    assert ("necrotizing-autoimmune-myopathy", "Treatment") in cited, cited
    expect(second.locator(".source-section").filter(has_text="Treatment").first).to_be_visible()
    expect(page.locator(".msg-user")).to_have_count(2)
    screenshot(page, "desktop-5-follow-up", full_page=True)


def test_urgent_question_shows_a_call_now_banner(desktop: Page) -> None:
    page = desktop
    message = ask(page, "I have crushing chest pain and can't breathe")
    expect(message).to_have_attribute("data-kind", "urgent")
    banner = message.locator(".urgent-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_be_in_viewport()
    expect(banner.locator(".urgent-title")).to_have_text("This could be an emergency")
    expect(banner).to_contain_text(f"Call {EMERGENCY_NUMBER} now")
    call = banner.locator("a.call-now")
    expect(call).to_have_attribute("href", f"tel:{EMERGENCY_NUMBER}")
    expect(call).to_have_text(f"Call {EMERGENCY_NUMBER} now")
    # unmistakable: white on strong red, large type, no sources to distract
    styles = banner.evaluate("e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color]; }")
    assert styles == ["rgb(163, 0, 26)", "rgb(255, 255, 255)"], styles
    expect(message.locator(".sources")).to_have_count(0)
    expect(message.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())
    expect(page.locator("#emergency-link")).to_have_attribute("href", f"tel:{EMERGENCY_NUMBER}")
    screenshot(page, "desktop-6-urgent")

    # the crisis line named by the self-harm message gets its own call link
    crisis = ask(page, "I want to kill myself")
    expect(crisis).to_have_attribute("data-kind", "urgent")
    expect(crisis.locator("a.call-line")).to_have_attribute("href", "tel:988")
    expect(crisis.locator("a.call-now")).to_have_attribute("href", f"tel:{EMERGENCY_NUMBER}")


def test_a_warning_sign_answer_ends_with_the_safety_net_line_never_collapsed(
    sized: Page, server: Server
) -> None:
    """A question that names a warning sign, not judged an emergency: the answer comes first, and
    its last paragraph says to call now if it is happening (safety-netting advice); the line
    stands out and stays when the answer is collapsed."""
    page = sized
    with page.expect_request("**/v1/ask/stream") as request_info:
        message = ask(page, WARNING_SIGN)
    answer = done_answer(server, request_info.value.post_data_json)
    net = prompts.message("safety_net", emergency_number=EMERGENCY_NUMBER)
    assert answer["kind"] == "answer" and answer["text"].endswith(f"\n\n{net}"), answer["text"][-300:]
    expect(message).to_have_attribute("data-kind", "answer")
    blocks = message.locator(".answer-text > *")
    expect(blocks.first).to_have_class(re.compile(r"\blead-in\b"))  # the answer comes first
    last = blocks.last
    expect(last).to_have_class(re.compile(r"\bsafety-net\b"))
    expect(last).to_have_text(net)
    expect(message.locator(".answer-text .safety-net")).to_have_count(1)
    # when the answer is long enough to collapse to its first passage, the line is never hidden
    if message.get_by_role("button", name="Show more").count():
        expect(message.get_by_role("button", name="Show more")).to_have_attribute("aria-expanded", "false")
    expect(message.locator(".answer-text .more.safety-net")).to_have_count(0)
    last.scroll_into_view_if_needed()
    expect(last).to_be_visible()
    weight = last.evaluate("e => getComputedStyle(e).fontWeight")
    assert int(weight) >= 600, weight  # it stands out from the passages
    expect(message.locator(".answer-text a.cite").first).to_be_visible()
    screenshot(page, f"{size_name(page)}-safety-net-line")
    assert flat(whole_answer(message)) == as_shown(answer)
    expect(last).to_be_visible()


def test_abstention_and_referral_are_styled_as_what_they_are(desktop: Page) -> None:
    page = desktop
    abstain = ask(page, "What is the best pizza topping?")
    expect(abstain).to_have_attribute("data-kind", "abstain")
    notice = abstain.locator(".notice-abstain")
    expect(notice.locator(".notice-title")).to_have_text("Not covered by our library")
    assert flat(notice.locator(".notice-text").inner_text()) in {
        flat(prompts.message("abstain.weak_evidence")),
        flat(prompts.message("abstain.out_of_scope")),
    }
    expect(abstain.locator("a.cite")).to_have_count(0)
    expect(abstain.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())

    refer = ask(page, "How much prednisone should I take?")
    expect(refer).to_have_attribute("data-kind", "refer")
    notice = refer.locator(".notice-refer")
    expect(notice.locator(".notice-title")).to_have_text("Please ask your doctor or pharmacist")
    expect(notice.locator(".notice-text")).to_have_text(prompts.message("refer.dosing"))
    # the general information after the referral is still cited
    expect(refer.locator(".answer-text a.cite").first).to_be_visible()
    expect(refer.locator(".answer-disclaimer")).to_have_text(prompts.disclaimer())
    colours = page.evaluate(
        """() => ['.notice-abstain', '.notice-refer', '.answer-card']
             .map(s => getComputedStyle(document.querySelector(s)).backgroundColor)"""
    )
    assert len(set(colours)) == 3, colours
    abstain.scroll_into_view_if_needed()
    screenshot(page, "desktop-7-abstain-and-refer", full_page=True)


def test_starter_questions_and_starting_over(desktop: Page) -> None:
    page = desktop
    starters = page.locator("button.starter")
    assert starters.count() >= 3
    first = starters.first.inner_text()
    starters.first.click()
    expect(page.locator(".msg-user .bubble")).to_have_text(first)
    expect(page.locator(".msg-assistant .answer-disclaimer")).to_be_visible()
    expect(page.locator(".msg-assistant")).to_have_attribute("data-kind", "answer")
    expect(page.locator("#welcome")).to_be_hidden()

    # Start over clears at once, and can be undone until the next question
    page.get_by_role("button", name="Start over").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    expect(page.locator("#undo-bar")).to_contain_text("The conversation was cleared.")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".msg-user .bubble")).to_have_text(first)
    expect(page.locator("#welcome")).to_be_hidden()
    expect(page.locator("#undo-bar")).to_be_hidden()
    with page.expect_request("**/v1/ask/stream") as request_info:
        ask(page, "How is it treated?")
    assert [t["content"] for t in request_info.value.post_data_json["history"]][:1] == [first]

    page.get_by_role("button", name="Start over").click()
    expect(page.locator(".msg")).to_have_count(0)
    # a new conversation sends no history from the old one, and the old one cannot come back
    with page.expect_request("**/v1/ask/stream") as request_info:
        ask(page, IMNM_TESTS)
    assert request_info.value.post_data_json["history"] == []
    expect(page.get_by_role("button", name="Undo")).to_be_hidden()


def test_copy_answer_puts_the_answer_sources_and_disclaimer_on_the_clipboard(
    desktop_context: tuple[Page, BrowserContext],
) -> None:
    page, context = desktop_context
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    message = ask(page, IMNM_TESTS)
    button = message.locator("button.copy-answer")
    expect(button).to_have_text("Copy answer")
    button.click()
    expect(button).to_have_text("Copied")
    copied: str = page.evaluate("() => navigator.clipboard.readText()")
    text = message.locator(".answer-text").inner_text()
    assert flat(copied).startswith(flat(text))
    assert "\n\nSources:\n[1] Necrotizing autoimmune myopathy — " in copied
    assert copied.endswith(prompts.disclaimer())
