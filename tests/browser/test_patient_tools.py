"""What a patient can do with an answer besides reading it: say whether it helped (kept by the
service, without the question), ask a suggested follow-up, print it or save it as text for a
doctor's visit; and, on a phone, a short answer with the question box and the emergency link at
hand. Also the time from pressing Enter to the whole answer on the screen (reported, not asserted)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sqlite3
import statistics
from typing import Any

import httpx
from playwright.sync_api import Page, expect

import prompts
from tests.browser.conftest import (
    EMERGENCY_NUMBER,
    PHONE,
    REPO,
    SCREENSHOTS,
    Server,
    Watch,
    as_shown,
    ask,
    display_text,
    flat,
    in_view,
    long_date,
    parse_sse,
    screenshot,
    size_name,
    source_groups,
    uncovered,
    whole_answer,
)

NAM = "What is necrotizing autoimmune myopathy?"
# answered from two sections, the later one over 120 characters (one section is cited once since
# round 12, so a long answer from one section no longer collapses; since round 14 the driving
# question is answered from its one section; this comparison, from a spent blind set, quotes two)
LONG = "is the cancer risk higher with dermatomyositis or with antisynthetase syndrome?"
IMNM_TESTS = "What tests are used to diagnose IMNM?"


def answer_for(server: Server, body: dict[str, Any]) -> dict[str, Any]:
    """The service's answer to a request the page made (the service is deterministic)."""
    response = httpx.post(f"{server.url}/v1/ask/stream", json=body, timeout=60)
    events = parse_sse(response.text)
    assert events[-1][0] == "done", events
    answer: dict[str, Any] = events[-1][1]
    return answer


def feedback_rows(server: Server, after: int = 0) -> list[dict[str, Any]]:
    conn = sqlite3.connect(server.feedback_db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM feedback WHERE id > ? ORDER BY id", (after,)).fetchall()
        out = []
        for row in rows:
            cited = conn.execute(
                "SELECT chunk_id FROM feedback_citations WHERE feedback_id = ? ORDER BY rowid", (row["id"],)
            ).fetchall()
            out.append({**dict(row), "chunk_ids": [c[0] for c in cited]})
        return out
    finally:
        conn.close()


def last_feedback_id(server: Server) -> int:
    conn = sqlite3.connect(server.feedback_db)
    try:
        return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM feedback").fetchone()[0])
    finally:
        conn.close()


def test_not_helpful_with_a_reason_is_kept_without_the_question(sized: Page, server: Server) -> None:
    page = sized
    assert server.feedback_db.is_file()  # created when the service started
    before = last_feedback_id(server)
    with page.expect_request("**/v1/ask/stream") as asked:
        message = ask(page, IMNM_TESTS)
    answer = answer_for(server, asked.value.post_data_json)

    feedback = message.get_by_role("group", name="Was this answer helpful?")
    feedback.get_by_role("button", name="Not helpful").click()
    expect(feedback.get_by_role("button", name="Not helpful")).to_have_attribute("aria-pressed", "true")
    reasons = feedback.get_by_role("group", name="What was wrong with it? (optional)")
    expect(reasons.get_by_role("button")).to_have_text(
        ["Wrong", "Unclear", "Not what I asked", "Out of date", "Send without a reason"]
    )
    expect(reasons.get_by_role("button", name="Wrong")).to_be_focused()
    screenshot(page, f"{size_name(page)}-feedback-reasons")
    with page.expect_request("**/v1/feedback") as sent:
        reasons.get_by_role("button", name="Unclear").click()
    expect(feedback.get_by_role("status")).to_have_text(prompts.message("feedback.thanks"))
    expect(feedback.get_by_role("button", name="Helpful", exact=True)).to_be_disabled()

    body = sent.value.post_data_json
    chunk_ids = [c["chunk_id"] for c in answer["citations"]]
    assert body == {
        "rating": "not_helpful",
        "reason": "unclear",
        "kind": "answer",
        "index_version": answer["index_version"],
        "chunk_ids": chunk_ids,
    }  # no question: the operator has not turned WISDOM_LOG_QUESTIONS on
    (row,) = feedback_rows(server, before)
    assert (row["rating"], row["reason"], row["kind"]) == ("not_helpful", "unclear", "answer")
    assert row["index_version"] == answer["index_version"] and row["question"] is None
    assert row["chunk_ids"] == chunk_ids
    assert b"diagnose IMNM" not in server.feedback_db.read_bytes()

    # an abstention can be rated too; "Helpful" needs no reason
    abstain = ask(page, "What is the best pizza topping?")
    abstain.get_by_role("button", name="Helpful", exact=True).click()
    expect(abstain.get_by_role("status")).to_have_text(prompts.message("feedback.thanks"))
    rows = feedback_rows(server, before)
    assert [(r["rating"], r["reason"], r["kind"], r["chunk_ids"]) for r in rows[1:]] == [
        ("helpful", None, "abstain", [])
    ]
    # the page says what a rating keeps
    expect(page.locator(".site-footer .privacy")).to_contain_text(
        flat(prompts.message("web.feedback_privacy"))
    )


def test_suggested_follow_ups_come_from_the_cited_pages_other_sections(sized: Page, server: Server) -> None:
    page = sized
    with page.expect_request("**/v1/ask/stream") as asked:
        message = ask(page, NAM)
    answer = answer_for(server, asked.value.post_data_json)
    document = httpx.get(f"{server.url}/v1/documents/{answer['citations'][0]['doc_id']}").json()
    cited = {c["section"].split(" > ")[0] for c in answer["citations"]}
    headings = {s["heading"] for s in document["sections"] if s["level"] == 2}

    suggestions = message.locator(".follow-ups").get_by_role("button")
    expect(suggestions.first).to_be_visible()
    assert 2 <= suggestions.count() <= 3
    texts = suggestions.all_inner_texts()
    assert texts[0] == "How is necrotizing autoimmune myopathy treated?"
    assert "Treatment" in headings - cited  # made from a section the answer did not quote
    assert all("necrotizing autoimmune myopathy" in t and t.endswith("?") for t in texts), texts
    screenshot(page, f"{size_name(page)}-follow-up-suggestions")

    with page.expect_request("**/v1/ask/stream") as asked_again:
        suggestions.first.click()
    expect(page.locator(".msg-user .bubble").last).to_have_text(texts[0])
    second = page.locator(".msg-assistant").last
    expect(second.locator(".answer-disclaimer")).to_be_visible()
    follow = answer_for(server, asked_again.value.post_data_json)
    assert follow["kind"] == "answer"
    # the suggestion is answered from its page (which section: test_chat's follow-up test)
    assert "necrotizing-autoimmune-myopathy" in {c["doc_id"] for c in follow["citations"]}
    # not suggested again: it has been asked
    expect(second.locator(".follow-ups").get_by_role("button", name=texts[0])).to_have_count(0)


def test_print_or_save_lays_out_the_whole_conversation(sized: Page, server: Server) -> None:
    page = sized
    # the long answer first: asked after NAM it would be read in that conversation's context
    with page.expect_request("**/v1/ask/stream") as asked_first:
        first = ask(page, LONG)
    with page.expect_request("**/v1/ask/stream") as asked_second:
        second = ask(page, NAM)
    answers = [answer_for(server, asked.value.post_data_json) for asked in (asked_first, asked_second)]
    assert len(answers[0]["citations"]) >= 2, answers[0]["text"]  # two sections: collapsed to the first
    expect(first.locator(".answer-text")).to_have_class(re.compile("is-collapsed"))
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print or save").click()
    assert page.evaluate("window.__printed") == 1
    today = dt.date.today()
    expect(page.locator("#print-date")).to_have_text(f"Printed on {today:%B} {today.day}, {today.year}")

    page.emulate_media(media="print")
    for hidden in ("#ask-form", ".conversation-tools", ".header-tools", ".answer-actions", ".follow-ups"):
        assert page.locator(hidden).first.is_hidden(), hidden
    expect(page.locator("#print-date")).to_be_visible()
    expect(page.locator(".msg-user .bubble")).to_have_text([LONG, NAM])
    # every answer whole (the collapsed one too), every source with its review date
    for more in first.locator(".answer-text .more").all():
        expect(more).to_be_visible()
    for message, answer in zip((first, second), answers, strict=True):
        groups, _ = source_groups(answer)
        dates = message.locator(".source-date")
        expect(dates).to_have_count(len(groups))
        for date, group in zip(dates.all(), groups, strict=True):
            expect(date).to_be_visible()
            expect(date).to_have_text(f"(reviewed {long_date(group['reviewed'])})")
            expect(date.locator("time")).to_have_attribute("datetime", group["reviewed"])
        expect(message.locator(".answer-disclaimer")).to_be_visible()
    expect(page.locator("#footer-disclaimer")).to_be_visible()
    screenshot(page, f"{size_name(page)}-print-layout", full_page=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / f"{size_name(page)}-conversation-printed.pdf"))
    page.emulate_media(media="screen")


def test_download_as_text_has_questions_answers_sources_dates_and_disclaimer(
    sized: Page, server: Server
) -> None:
    page = sized
    with page.expect_request("**/v1/ask/stream") as asked:
        ask(page, NAM)
    answer = answer_for(server, asked.value.post_data_json)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as text").click()
    download = download_info.value
    assert re.fullmatch(r"alike-wisdom-\d{4}-\d{2}-\d{2}\.txt", download.suggested_filename)
    text = download.path().read_text(encoding="utf-8")
    groups, _ = source_groups(answer)
    assert text.startswith("Alike Wisdom – questions and answers from our library\nSaved on ")
    assert f"Question 1: {NAM}\n\n{display_text(answer)}\n\nSources:\n" in text
    for group in groups:
        assert (
            f"[{group['d']}] {group['title']} — {group['section'].replace(' > ', ' › ')}"
            f" (page last reviewed {long_date(group['reviewed'])})"
        ) in text
    assert text.rstrip().endswith(prompts.disclaimer())


def test_on_a_phone_answers_are_short_and_the_question_box_stays_in_reach(
    phone: Page, server: Server
) -> None:
    page = phone
    assert page.viewport_size == PHONE
    ask(page, NAM)
    with page.expect_request("**/v1/ask/stream") as asked:
        follow_up = ask(page, "How is it treated?")
    answer = answer_for(server, asked.value.post_data_json)
    composer = page.locator("#ask-form")
    for name in ("answer", "after scrolling to the top"):
        assert in_view(page, composer), name
        assert in_view(page, composer.get_by_role("link", name=f"Emergency? Call {EMERGENCY_NUMBER}")), name
        box = composer.bounding_box()
        assert box is not None and box["y"] + box["height"] >= PHONE["height"] - 1  # at the bottom
        assert box["height"] <= 130, box  # and small
        page.evaluate("() => window.scrollTo(0, 0)")

    # the follow-up answer: its first passage, then "Show more" (it used to run four screens)
    # the answer itself fits one screen (its sources, suggestions and feedback follow)
    text_box = follow_up.locator(".answer-text").bounding_box()
    assert text_box is not None and text_box["height"] < PHONE["height"], text_box
    card_box = follow_up.locator(".answer-card").bounding_box()
    assert card_box is not None and card_box["height"] < 2 * PHONE["height"], card_box
    # (an answer of several long passages is collapsed to its first: see the print test)
    more = follow_up.get_by_role("button", name="Show more")
    if more.count():
        expect(more).to_have_attribute("aria-expanded", "false")
        screenshot(page, "phone-follow-up-collapsed")
    assert flat(whole_answer(follow_up)) == as_shown(answer)

    # targets for fingers: markers, source buttons, follow-ups, feedback
    targets = follow_up.locator("a.cite, .source-buttons button, .follow-up, .feedback button:visible")
    assert targets.count() >= 4
    for target in targets.all():
        size = target.bounding_box()
        assert size is not None and size["width"] >= 44 and size["height"] >= 44, (target.inner_text(), size)
    # one marker per passage: never the same source twice in a row
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", as_shown(answer))]
    assert all(a != b for a, b in itertools.pairwise(markers))
    screenshot(page, "phone-follow-up-expanded")


def test_on_a_phone_the_question_box_stays_in_reach_while_a_source_page_is_open(phone: Page) -> None:
    """A source's whole page on a phone: a panel that ends above the question box, which stays on
    the screen, with its emergency link, and can be used; Escape and Close still close the page."""
    page = phone
    message = ask(page, NAM)
    message.locator("a.cite").first.click()
    read = message.get_by_role("button", name="Read the whole page").first
    read.click()
    dialog = page.locator("#document-dialog")
    expect(dialog.locator("mark").first).to_be_in_viewport()
    expect(page.locator("#document-close")).to_be_focused()
    composer = page.locator("#ask-form")
    link = composer.get_by_role("link", name=f"Emergency? Call {EMERGENCY_NUMBER}")
    for target in (composer, link, page.locator("#question"), page.locator("#send")):
        assert in_view(page, target), target
        assert uncovered(target), target
    box, composer_box = dialog.bounding_box(), composer.bounding_box()
    assert box is not None and composer_box is not None
    assert box["y"] <= 0.5 and box["width"] >= PHONE["width"] - 0.5, box  # the whole screen above it
    assert box["y"] + box["height"] <= composer_box["y"] + 0.5, (box, composer_box)
    assert composer_box["y"] + composer_box["height"] >= PHONE["height"] - 1  # at the bottom
    # not modal: the question box is in use; what the panel covers is out of the keyboard's reach
    assert page.evaluate("() => document.querySelector('#document-dialog').matches(':modal')") is False
    assert page.evaluate("() => document.querySelector('.conversation').inert") is True
    screenshot(page, "phone-source-page-with-question-box")
    # turned sideways (a wide screen): a modal dialog; upright again: the panel, still open
    is_modal = "() => document.querySelector('#document-dialog').matches(':modal')"
    page.set_viewport_size({"width": PHONE["height"], "height": PHONE["width"]})
    page.wait_for_function(is_modal)
    expect(page.locator("#document-close")).to_be_focused()
    page.set_viewport_size(PHONE)
    page.wait_for_function(f"() => !({is_modal})()")
    expect(dialog).to_be_visible()
    expect(page.locator("#document-close")).to_be_focused()
    assert page.evaluate("() => document.querySelector('.conversation').inert") is True
    assert uncovered(page.locator("#question"))

    # Escape closes it, focus back on its button, the page as it was
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(read).to_be_focused()
    assert page.evaluate("() => document.querySelector('.conversation').inert") is False

    # asked from the question box while the page is open: the page closes and the answer comes
    read.click()
    expect(dialog.locator("mark").first).to_be_visible()
    page.locator("#question").tap()
    expect(page.locator("#question")).to_be_focused()
    expect(dialog).to_be_visible()
    follow_up = ask(page, "How is it treated?")
    expect(dialog).to_be_hidden()
    expect(follow_up).to_have_attribute("data-kind", "answer")
    expect(page.locator("#question")).to_be_focused()
    assert in_view(page, composer)


def test_answer_on_screen_time_is_measured(desktop: Page, server: Server) -> None:
    """From pressing Enter to the whole answer drawn (the page's own performance measure, taken
    at the animation frame after the last event). Reported in artifacts/answer-on-screen.json;
    the target (250 ms for a typical answer on loopback) is not asserted: this machine is shared."""
    page = desktop
    questions = [IMNM_TESTS, "What are the side effects of IVIG?", "What is dermatomyositis?", NAM]
    timings = []
    for question in questions * 2:
        if page.locator("#new-chat").is_visible():
            page.get_by_role("button", name="Start over").click()
        page.evaluate("() => performance.clearMeasures('wisdom:answer-on-screen')")
        ask(page, question)
        # taken at the animation frame after the answer is drawn, which a loaded machine may delay
        page.wait_for_function(
            "() => performance.getEntriesByName('wisdom:answer-on-screen').length > 0", timeout=10_000
        )
        measures = page.evaluate(
            "() => performance.getEntriesByName('wisdom:answer-on-screen').map(e => e.duration)"
        )
        assert len(measures) == 1 and measures[0] > 0
        timings.append({"question": question, "on_screen_ms": round(measures[0], 1)})
    warm = [t["on_screen_ms"] for t in timings[len(questions) :]]
    report = {"median_ms": statistics.median(warm), "max_ms": max(warm), "runs": timings}
    out = REPO / "artifacts" / "answer-on-screen.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"answer on screen: median {report['median_ms']} ms, max {report['max_ms']} ms (warm runs)")


def test_undo_brings_back_the_answered_turns_only(desktop: Page, watch: Watch) -> None:
    """Start over while a question is still being answered: Undo brings back the conversation
    before it, not a half-answered turn."""
    page = desktop
    watch.allow_console_errors = True  # the browser logs the request it gave up
    ask(page, NAM)
    page.route("**/v1/ask/stream", lambda route: None)  # this answer never comes
    page.locator("#question").fill("How is it treated?")
    page.locator("#question").press("Enter")
    expect(page.locator(".msg-user")).to_have_count(2)
    page.get_by_role("button", name="Start over").click()
    expect(page.locator(".msg")).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".msg-user .bubble")).to_have_text([NAM])
    expect(page.locator(".msg-assistant")).to_have_count(1)
    expect(page.locator("#send")).to_be_enabled()
