"""qa_service/answer/retrieval.py, the mention prior (off by default, see its description): in a
small library, a page about the asked aspect that speaks of the page the question names ("alcohol"
on methotrexate, eating on steroids) competes with the named page on the fusion alone, instead of
losing to its title prior."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import TransformerEmbedder
from qa_service.answer.retrieval_config import RetrievalConfig
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline, build_pipeline
from tests.qa_service.conftest import make_settings

CASES = [
    ("how much alcohol is safe with methotrexate?", "alcohol-and-medicines", "methotrexate"),
    (
        "can steroids like prednisone make me hungry all the time, what should I eat?",
        "diet-and-weight-on-steroids",
        "corticosteroids",
    ),
]


def _first_page(pipeline: Pipeline, question: str) -> str:
    retrieval, _ = pipeline.retrieve(question, k=5)
    return retrieval.hits[0].chunk.doc_id


@pytest.mark.parametrize(("question", "aspect", "named"), CASES)
def test_with_the_mention_prior_the_page_about_the_asked_aspect_leads(
    qa_index: Path, embedder: TransformerEmbedder, question: str, aspect: str, named: str
) -> None:
    # The fusion's own order: the learned reranker (on by default) reorders after it.
    settings = make_settings(
        qa_index, retrieval=RetrievalConfig(mention_prior=1.0, small_library_rerank=False)
    )
    assert _first_page(build_pipeline(settings, embedder=embedder), question) == aspect


ASPECT_WORDS = {"alcohol-and-medicines": "alcohol", "diet-and-weight-on-steroids": "appetite"}
DEFAULT_CASES = [
    CASES[0],
    pytest.param(
        *CASES[1],
        marks=pytest.mark.xfail(
            strict=True,
            reason="round 14: the learned sentence weights answer 'what should I eat' from the diet "
            "page's eating habits list and leave out that steroids raise the appetite: a known miss",
        ),
    ),
]


@pytest.mark.parametrize(("question", "aspect", "named"), DEFAULT_CASES)
def test_by_default_the_first_passage_speaks_of_the_asked_aspect(
    shared_pipeline: Pipeline, question: str, aspect: str, named: str
) -> None:
    """The default (prior 0): whether the page about the aspect or the named page's passage on it
    answers (the pages' section questions and the learned reranker decide), the answer speaks of
    what is asked."""
    answer = shared_pipeline.ask(AskRequest(question=question))
    assert answer.kind == "answer"
    assert answer.citations[0].doc_id in (aspect, named)
    assert ASPECT_WORDS[aspect] in answer.text.lower()
