"""qa_service/answer/lead.py `lead_with_answer` / `lead_section`: the sentence that answers best
opens the answer when it stands deep in its section and clearly outscores the framing before it;
a sentence that leans on what comes before it, an abbreviation the framing introduces, or a list
never leads. Sentences and scores written for this file; the end-to-end case runs on the real
corpus index."""

from __future__ import annotations

import numpy as np

from ingest.index import ChunkRecord
from qa_service.answer.compose import Span
from qa_service.answer.generate import Candidate, render
from qa_service.answer.lead import lead_section, lead_with_answer
from qa_service.answer.retrieval import Hit
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline


def _hit(row: int) -> Hit:
    chunk = ChunkRecord(
        row=row, chunk_id=f"c{row}", doc_id="sun-protection", title="Sun protection",
        section="Why is it used?", url=None, reviewed=None, start=0, end=0, text="",
        first_sentence=0, n_sentences=0,
    )  # fmt: skip
    return Hit(row, chunk, 1.0, 0.8, 0, None, None)


def _span(sentences: list[tuple[str, float]], bullets: tuple[int, ...] = (), hit_row: int = 3) -> Span:
    hit = _hit(hit_row)
    cands = [
        Candidate(0, hit, 100 + i, 0, len(t), t, np.zeros(3), score, i in bullets, False, line=100 + i)
        for i, (t, score) in enumerate(sentences)
    ]
    return Span(cands, 1.0)


FRAMING = [
    ("Sun protection keeps the rash calmer.", 0.50),
    ("Sun protection lowers the risk of skin cancer.", 0.45),
]
WINDOWS = ("UV rays pass through clouds and car windows, so protection matters indoors by a window.", 0.75)


def _texts(span: Span) -> list[str]:
    return [c.text for c in span.sentences]


def test_the_answering_sentence_leads_and_the_framing_follows_in_page_order() -> None:
    span = _span([*FRAMING, WINDOWS, ("Sunscreen is worn every day.", 0.40)])
    led = lead_with_answer(span, 0.1)
    assert _texts(led) == [WINDOWS[0], FRAMING[0][0], FRAMING[1][0], "Sunscreen is worn every day."]
    text, citations = render([led])
    body = text.split("\n\n", 1)[1]
    assert body.startswith(WINDOWS[0] + "\n\nSun protection keeps the rash calmer.")
    assert body.count("[1]") == 1 and len(citations) == 1
    assert citations[0].quote.startswith("UV rays pass through clouds")


def test_no_lead_when_the_best_sentence_is_early_or_does_not_clearly_answer_better() -> None:
    early = _span([FRAMING[0], WINDOWS, FRAMING[1]])
    assert lead_with_answer(early, 0.1) is early  # second sentence: already near the top
    close = _span([*FRAMING, ("UV rays pass through windows.", 0.55)])
    assert lead_with_answer(close, 0.1) is close  # 0.55 is not 0.1 above 0.50
    assert lead_with_answer(_span([*FRAMING, WINDOWS]), 0.0).sentences[0].text == FRAMING[0][0]  # off


def test_a_sentence_that_leans_on_what_comes_before_it_never_leads() -> None:
    for leaning in (
        "Treating the myositis itself can also help.",
        "Statin medicines, for example, are linked to one form.",
        "Other medicines are used for severe attacks.",
        "This is why the team checks the lungs.",
    ):
        span = _span([*FRAMING, (leaning, 0.9)])
        assert lead_with_answer(span, 0.1) is span, leaning


def test_an_abbreviation_the_framing_introduces_keeps_the_sentence_in_place() -> None:
    span = _span(
        [
            ("Before starting azathioprine, most people have a blood test for TPMT.", 0.5),
            ("An enzyme is a protein that breaks down medicines.", 0.3),
            ("People with little TPMT can get very low blood counts.", 0.8),
        ]
    )
    assert lead_with_answer(span, 0.1) is span
    # Unless the question itself names it.
    led = lead_with_answer(span, 0.1, question="what does a low TPMT mean?")
    assert led.sentences[0].text.startswith("People with little TPMT")


def test_a_list_item_never_moves_and_the_sentence_after_the_lead_must_stand_alone() -> None:
    listed = _span([*FRAMING, ("Wear a wide hat.", 0.9), ("Wear long sleeves.", 0.4)], bullets=(2, 3))
    assert lead_with_answer(listed, 0.1) is listed
    stranded = _span([*FRAMING, WINDOWS, ("It is also worth wearing a hat.", 0.3)])
    assert lead_with_answer(stranded, 0.1) is stranded


def test_the_lead_may_come_from_the_sections_next_passage() -> None:
    first = _span(FRAMING, hit_row=3)
    second = _span([WINDOWS], hit_row=4)
    second.sentences[0].row = 102  # the sentence after the framing, stored in the next passage
    spans = lead_section([first, second], 0.1, "do I need sunscreen by a window?")
    assert [s.hit.row for s in spans] == [4, 3]
    text, citations = render(spans)
    body = text.split("\n\n", 1)[1]
    assert body.startswith("UV rays pass through clouds") and body.count("[1]") == 1
    assert [c.chunk_ids for c in citations] == [["c4", "c3"]]


def test_a_patient_question_is_answered_first(shared_pipeline: Pipeline) -> None:
    answer = shared_pipeline.ask(
        AskRequest(
            question="Do I really need sunscreen in winter when I'm just sitting inside by the window?"
        )
    )
    assert answer.kind == "answer", answer.text
    body = answer.text.split("\n\n", 1)[1]
    assert body.startswith("Some UV rays pass through clouds and through car and house windows"), answer.text
    first = answer.citations[0]
    assert first.doc_id == "sun-protection-and-skin-care"
    assert "car and house windows" in first.quote
