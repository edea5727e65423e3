"""qa_service/answer/retrieval.py reads the part of a message that asks (expansion.asked_part):
a page named only in the background ("I take X for my ILD") does not make a passage that names both
pages the answer, the intent comes from the question, and a page whose title names another page
("Sun protection and skin care in dermatomyositis") speaks of it in every passage. Messages are
written for this file."""

from __future__ import annotations

from qa_service.answer.expansion import AliasIndex
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline


def _answer(pipeline: Pipeline, question: str) -> tuple[str, str, str]:
    answer = pipeline.ask(AskRequest(question=question))
    assert answer.kind == "answer" and answer.citations, answer
    first = answer.citations[0]
    return first.doc_id, first.section or "", answer.text.lower()


def test_a_name_in_the_background_does_not_pick_the_section(shared_pipeline: Pipeline) -> None:
    doc, section, text = _answer(
        shared_pipeline,
        "My rheumatologist put me on CellCept for interstitial lung disease last spring. We'd like to "
        "start a family soon. Is mycophenolate safe in pregnancy?",
    )
    assert doc == "mycophenolate" and "Pregnancy" in section
    assert "birth defects" in text or "miscarriage" in text


def test_two_pages_asked_about_together_still_meet(shared_pipeline: Pipeline) -> None:
    doc, section, text = _answer(
        shared_pipeline, "could steroids like prednisone help my mum's inclusion body myositis?"
    )
    assert doc == "inclusion-body-myositis" and section == "Treatment"
    assert "steroids" in text and "ibm" in text


def test_a_page_about_a_condition_speaks_of_it_in_every_section(shared_pipeline: Pipeline) -> None:
    doc, section, text = _answer(
        shared_pipeline, "what sunscreen should I use with dermatomyositis? ordinary ones burn my skin"
    )
    assert doc == "sun-protection-and-skin-care" and section == "How to protect your skin"
    assert "spf" in text


def test_within_finds_the_pages_a_title_names() -> None:
    aliases = AliasIndex(
        [
            ("Dermatomyositis", "Dermatomyositis"),
            ("DM", "Dermatomyositis"),
            (
                "Sun protection and skin care in dermatomyositis",
                "Sun protection and skin care in dermatomyositis",
            ),
        ]
    )
    title = "Sun protection and skin care in dermatomyositis"
    assert aliases.find(title) == [title]  # the title reads as its own page
    assert aliases.within(title) == {"Dermatomyositis"}
    assert aliases.within("Dermatomyositis") == set()


def test_a_question_near_one_the_named_page_lists_is_answered(shared_pipeline: Pipeline) -> None:
    """Its passages score below the floors, but the tacrolimus page lists a question about
    grapefruit (min_question_similarity); the answer quotes what the page says of it."""
    doc, _, text = _answer(
        shared_pipeline, "is a glass of grapefruit juice with breakfast ok while I take tacrolimus?"
    )
    assert doc == "tacrolimus" and "grapefruit" in text and "tacrolimus levels" in text


def test_feelings_are_not_words_the_library_lacks(shared_pipeline: Pipeline) -> None:
    doc, _, text = _answer(shared_pipeline, "why can't I stop prednisone all at once? it makes me miserable")
    assert doc == "corticosteroids" and "suddenly" in text
