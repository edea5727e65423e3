"""Pages about a named page (qa_service/answer/retrieval.py, HybridRetriever.related): a question
that names prednisone may be answered from "Diet and weight on steroids", whose title and summary
name the corticosteroids page, but still not from a page about another condition."""

from __future__ import annotations

from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import flat


def test_related_pages_are_read_from_titles_and_summaries(shared_pipeline: Pipeline) -> None:
    related = shared_pipeline.index.get().retriever.related
    steroids = "Corticosteroids (prednisone and methylprednisolone)"
    assert steroids in related["Diet and weight on steroids"]
    assert "Diet and weight on steroids" in related[steroids]  # both ways
    assert "Steroid side effects" in related[steroids]
    assert "Inclusion body myositis" not in related.get("Dermatomyositis", set())


def test_a_page_about_the_named_medicine_answers_the_asked_aspect(shared_pipeline: Pipeline) -> None:
    # Until round 19 the pool held only the corticosteroids page and sentences naming steroids, so
    # this was answered with why steroids must not be stopped suddenly.
    reply = shared_pipeline.ask(
        AskRequest(
            question="been on prednisone for two months and I'm hungry all day long. "
            "what can I do about the eating?"
        )
    )
    assert reply.kind == "answer"
    assert reply.citations[0].doc_id == "diet-and-weight-on-steroids"
    fact = "Fill half your plate with vegetables and salad"
    assert fact in flat(reply.text)
    assert fact in flat(reply.citations[0].quote)


def test_a_named_condition_still_keeps_other_conditions_out(shared_pipeline: Pipeline) -> None:
    reply = shared_pipeline.ask(AskRequest(question="will prednisone help my dad's inclusion body myositis?"))
    assert reply.kind == "answer"
    assert reply.citations[0].doc_id == "inclusion-body-myositis"
    assert "dermatomyositis" not in {c.doc_id for c in reply.citations}
