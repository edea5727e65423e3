"""qa_service/answer/sections.py: a section stored as several passages is one unit to quote from,
so the sentence that answers is found in the passage retrieval did not return, and every quote is
still cited under the passage that holds it. Messages are written for this file."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.metrics import quote_in_passage
from ingest import TransformerEmbedder
from qa_service.models import AskRequest, Citation
from qa_service.pipeline import Pipeline, build_pipeline
from tests.qa_service.conftest import flat, make_settings


@pytest.fixture(scope="module")
def sections_only(qa_index: Path, embedder: TransformerEmbedder) -> Pipeline:
    """Sections read whole, as in round 13: the learned sentence weights (round 14) off, and the
    lead a sentence needs to open the answer at 0.1, its value then (this module's subject alone)."""
    settings = make_settings(qa_index, generation={"learned_sentences": False, "whole_passage_lead": 0.1})
    return build_pipeline(settings, embedder=embedder)


@pytest.fixture(scope="module")
def passages_only(qa_index: Path, embedder: TransformerEmbedder) -> Pipeline:
    """The pipeline as before sections were one unit (whole_sections 0; the learned sentence
    weights, which came later, off too, and the round 13 lead)."""
    settings = make_settings(
        qa_index, generation={"whole_sections": 0, "learned_sentences": False, "whole_passage_lead": 0.1}
    )
    return build_pipeline(settings, embedder=embedder)


def _quotes_are_cited(pipeline: Pipeline, answer_citations: list[Citation]) -> None:
    """Every quote of a citation lies in the text the passages it lists cover (the eval's check)."""
    version = pipeline.index.get().version
    for citation in answer_citations:
        chunks = version.chunks_by_id(citation.chunk_ids)
        assert len(chunks) == len(citation.chunk_ids)
        text = version.document_text(chunks[0].doc_id)[
            min(c.start for c in chunks) : max(c.end for c in chunks)
        ]
        assert quote_in_passage(citation.quote, text), (citation.quote, citation.chunk_ids)


def test_the_answer_comes_from_the_passage_retrieval_left_out(
    sections_only: Pipeline, passages_only: Pipeline
) -> None:
    question = "What does a DLCO result tell the doctor?"
    before = passages_only.ask(AskRequest(question=question))
    after = sections_only.ask(AskRequest(question=question))
    assert "how easily gas passes" not in flat(before.text)  # the passage retrieval returned lacks it
    assert after.kind == "answer"
    assert "how easily gas passes from the air sacs into the blood" in flat(after.text)
    assert after.citations[0].doc_id == "lung-function-tests-and-chest-ct"
    assert after.citations[0].section == "Results"
    assert len(after.citations[0].chunk_ids) >= 2  # one citation, both passages of the section
    _quotes_are_cited(sections_only, after.citations)


def test_as_served_the_dlco_answer_says_what_dlco_measures(shared_pipeline: Pipeline) -> None:
    # With the learned sentence weights (round 14) too; graders of round 13 saw it open at "A steady drop".
    served = shared_pipeline.ask(AskRequest(question="What does a DLCO result tell the doctor?"))
    assert "how easily gas passes from the air sacs into the blood" in flat(served.text)
    _quotes_are_cited(shared_pipeline, served.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Is it safe to get pregnant while I'm on CellCept?",
        "I have a titanium knee replacement. Is a muscle MRI safe for me?",
        "how do I get up off the floor on my own after a fall?",
    ],
)
def test_every_quote_is_cited_under_its_own_passage(shared_pipeline: Pipeline, question: str) -> None:
    answer = shared_pipeline.ask(AskRequest(question=question))
    assert answer.kind == "answer" and answer.citations
    _quotes_are_cited(shared_pipeline, answer.citations)
    keys = [(c.doc_id, c.section) for c in answer.citations]
    assert len(keys) == len(set(keys))  # one citation per section
