"""Comparison questions quote each page they compare (qa_service/answer/compare.py), from the
section parallel to the first page's when there is one; a question that names two pages without
comparing them is answered as before. Questions are written for this file; the real pipeline over
the corpus index."""

from __future__ import annotations

import pytest

from qa_service.answer.compare import COMPARES, TIME_DIFFERENCE
from qa_service.models import Answer, AskRequest
from qa_service.pipeline import Pipeline


def ask(pipeline: Pipeline, question: str) -> Answer:
    answer = pipeline.ask(AskRequest(question=question))
    assert answer.kind == "answer", answer.text
    return answer


def assert_quotes_are_the_pages(pipeline: Pipeline, answer: Answer) -> None:
    """Every citation's quoted sentences are in its page, and the body quotes them."""
    version = pipeline.index.get().version
    for c in answer.citations:
        page = " ".join(version.document_text(c.doc_id).split())
        for part in c.quote.split(" … "):
            assert " ".join(part.split()) in page, (c.doc_id, part)


def test_two_conditions_compared_quote_both_pages_side_by_side(shared_pipeline: Pipeline) -> None:
    answer = ask(
        shared_pipeline, "dermatomyositis vs polymyositis - how do they differ? I keep mixing them up"
    )
    cited = [(c.doc_id, c.section) for c in answer.citations]
    assert ("polymyositis", "What is it?") in cited, cited
    assert ("dermatomyositis", "What is it?") in cited, cited
    assert "without the skin rash seen in dermatomyositis" in answer.text
    assert "affects the skin and the muscles" in answer.text
    assert answer.text.index("[1]") < answer.text.index("[2]")
    assert_quotes_are_the_pages(shared_pipeline, answer)


def test_two_medicines_compared_on_infections_quote_each_medicine(shared_pipeline: Pipeline) -> None:
    answer = ask(shared_pipeline, "rituximab or IVIG, which one leaves you more open to infections?")
    pages = {c.doc_id for c in answer.citations}
    assert pages == {"ivig", "rituximab"}, pages
    assert "does not raise the risk of infection" in answer.text
    assert "can make infections more likely" in answer.text
    assert_quotes_are_the_pages(shared_pipeline, answer)


@pytest.mark.parametrize(
    ("question", "page"),
    [
        # Two pages named, nothing compared: the page that answers, alone.
        ("will prednisone help my dad's inclusion body myositis?", "inclusion-body-myositis"),
        ("if i get pregnant will my dermatomyositis get worse?", "pregnancy-and-family-planning"),
        # "Apart from" adds to a question; it does not compare.
        (
            "apart from keeping warm, what treatments are there for raynaud's with dermatomyositis?",
            "raynauds-phenomenon",
        ),
    ],
)
def test_two_pages_named_without_a_comparison_keep_one_page(
    shared_pipeline: Pipeline, question: str, page: str
) -> None:
    answer = ask(shared_pipeline, question)
    assert {c.doc_id for c in answer.citations} == {page}, answer.citations


def test_the_time_difference_of_a_journey_is_not_a_comparison() -> None:
    text = "how do i handle my weekly methotrexate with the time difference when flying?"
    assert COMPARES.search(text)
    assert not COMPARES.search(TIME_DIFFERENCE.sub(" ", text))


def test_a_patients_words_far_from_the_page_are_answered_when_a_sentence_answers(
    shared_pipeline: Pipeline,
) -> None:
    # The whole passage sits below min_similarity, one sentence answers: the small library's floor.
    answer = ask(
        shared_pipeline,
        "what do they mean by mechanics hands? the skin on the sides of my fingers keeps splitting",
    )
    assert answer.citations[0].doc_id == "antisynthetase-syndrome"
    assert "Mechanic's hands is rough, thick, cracked skin" in answer.text
