"""The learned sentence weights (qa_service/answer/sentence_model.py): the shipped model loads and
says how it was trained; a zero model changes nothing; a model for another embedding size is
refused with a clear message; on the corpus index the answer leads with the sentence that answers
where the hand-set score led with a neighbour, and every quote is still cited. Questions are
written for this file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from ingest import TransformerEmbedder
from qa_service.answer import sentence_model as sm
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline, build_pipeline
from tests.qa_service.conftest import flat, make_settings


@pytest.fixture(scope="module")
def hand_set(qa_index: Path, embedder: TransformerEmbedder) -> Pipeline:
    """The same index, learned sentence weights off, quoted in the page's order (no lead: the
    weights' own effect)."""
    settings = make_settings(qa_index, generation={"learned_sentences": False, "answer_lead": 0.0})
    return build_pipeline(settings, embedder=embedder)


def test_the_shipped_model_reads_the_features_and_records_its_held_out_gain() -> None:
    model = sm.default_model()
    assert model.features == sm.FEATURES
    assert model.weights.shape == (len(sm.FEATURES),)
    assert model.vector_weights.shape == (384,)  # the bundled embedding model's dimensions
    held = model.meta["held_out_best_sentence_key"]
    assert held["learned"] > held["hand_set"]
    assert all(name.startswith("answers-blind") for name in model.meta["trained_on"])


def test_the_model_survives_its_json_form_and_refuses_other_features() -> None:
    model = sm.default_model()
    again = sm.SentenceModel.from_dict(model.to_dict())
    rng = np.random.default_rng(0)
    x, p = rng.normal(size=(5, len(sm.FEATURES))), rng.normal(size=(5, 384)) / 384
    assert np.allclose(model.adjust(x, p), again.adjust(x, p), atol=1e-4)
    data = model.to_dict()
    data["features"] = [*data["features"][:-1], "something_else"]
    with pytest.raises(ValueError, match="features"):
        sm.SentenceModel.from_dict(data)


def test_a_model_for_another_embedding_size_says_to_retrain() -> None:
    model = sm.default_model()
    x = np.zeros((2, len(sm.FEATURES)))
    with pytest.raises(ValueError, match="train_sentences"):
        model.adjust(x, np.zeros((2, 768)))


def test_a_zero_model_leaves_the_hand_set_scores(shared_pipeline: Pipeline) -> None:
    loaded = shared_pipeline.index.get()
    retrieval = loaded.retriever.retrieve("How is rituximab given?", [], k=8)
    cands = loaded.scorer.candidates(
        retrieval.expansion.text, retrieval.query_vector, retrieval.hits, retrieval.intents
    )
    zero = dataclasses.replace(
        sm.default_model(),
        weights=np.zeros(len(sm.FEATURES)),
        vector_weights=np.zeros(384),
    )
    again = sm.rescore(loaded.version, retrieval, cands, zero)
    assert [c.score for c in again] == pytest.approx([c.score for c in cands])
    learned = sm.rescore(loaded.version, retrieval, cands, sm.default_model())
    assert [c.score for c in learned] != pytest.approx([c.score for c in cands])


@pytest.mark.parametrize(
    ("question", "section", "fact", "hand_set_section"),
    [
        # (Round 19: "can I drink alcohol while taking methotrexate?" left this list: with pages
        # about a named page in its pool, the hand-set score too leads with the alcohol page.)
        # The hand-set score led with when to call 911; the card's contents are their own section.
        (
            "what should a steroid emergency card say?",
            "How to prepare an emergency information card",
            "The card can list all your medicines",
            "When to get help",
        ),
    ],
)
def test_the_answering_section_leads_where_the_hand_set_score_led_with_another(
    shared_pipeline: Pipeline,
    hand_set: Pipeline,
    question: str,
    section: str,
    fact: str,
    hand_set_section: str,
) -> None:
    before = hand_set.ask(AskRequest(question=question))
    after = shared_pipeline.ask(AskRequest(question=question))
    assert before.citations[0].section == hand_set_section
    assert after.kind == "answer"
    assert after.citations[0].section == section
    assert fact in flat(after.text)
    assert fact in flat(after.citations[0].quote)  # the fact is quoted from the cited passage


def test_the_answer_opens_with_the_sentence_that_answers(
    shared_pipeline: Pipeline, hand_set: Pipeline
) -> None:
    question = "Is IBM passed down in families?"
    before = hand_set.ask(AskRequest(question=question))
    after = shared_pipeline.ask(AskRequest(question=question))
    fact = "IBM is not usually passed down in families."
    body = lambda text: flat(text.split("\n\n")[1])  # noqa: E731  (after the lead-in line)
    # The hand-set answer reached the fact after three sentences on the unknown cause.
    assert body(before.text).index(fact) > body(after.text).index(fact)
    first_two = " ".join(body(after.text).split(". ")[:2])
    assert "passed down in families" in first_two
    assert after.citations[0].section == "Causes"
