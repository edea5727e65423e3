"""The learned warning-sign head (qa_service/triage/warning.py): warning signs in words the rules
do not know get the safety-net line, ordinary questions do not, and an abstention gets it at the
head's lower bar."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from eval.scoring import has_safety_net
from ingest import TransformerEmbedder
from ingest.embedding import BUNDLED_MODEL
from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline, build_pipeline
from qa_service.triage.safety import SafetyTriage
from qa_service.triage.warning import WarningHead, default_warning_head
from tests.qa_service.conftest import make_settings

# Written for this test: a gurgly voice after drinking (aspiration) and a grandmother who "went
# a funny colour" (cyanosis, collapse), both over or asked about, in words the cue lists lack.
UNSEEN_SIGNS = (
    "When my mum's voice goes gurgly after a drink, what does that mean for her lungs?",
    "my gran went a funny colour at lunch yesterday but she's fine now, is hypothermia a thing in summer?",
)
ORDINARY = (
    "How long does methotrexate take to work?",
    "Which exercises are safe with inclusion body myositis?",
    "Can IVIG make you feel rough for a day or two?",
)


def test_the_shipped_head_fits_the_bundled_model() -> None:
    head = default_warning_head()
    assert head is not None and head.model_id == BUNDLED_MODEL
    assert 0.0 < head.bar_abstain < head.bar < 1.0
    assert head.weights.shape == (384,)
    assert "triage-blind-u" not in head.meta["trained_on"] and "triage-blind-t" not in head.meta["trained_on"]


@pytest.mark.parametrize("question", UNSEEN_SIGNS)
def test_the_head_puts_the_line_where_the_rules_see_no_sign(
    triage: SafetyTriage, embedder: TransformerEmbedder, question: str
) -> None:
    rules_alone = SafetyTriage(embedder, warning_head=None).triage(question)
    assert rules_alone.kind == "none" and rules_alone.warning is None
    decision = triage.triage(question)
    assert decision.kind == "none" and decision.warning is not None
    assert decision.abstain_warning == decision.warning


@pytest.mark.parametrize("question", ORDINARY)
def test_ordinary_questions_get_no_line(triage: SafetyTriage, question: str) -> None:
    decision = triage.triage(question)
    assert decision.warning is None and decision.abstain_warning is None


def test_a_head_trained_for_another_model_is_not_used(embedder: TransformerEmbedder) -> None:
    head = default_warning_head()
    assert head is not None
    other = SafetyTriage(embedder, warning_head=replace(head, model_id="another-model"))
    assert other.warning_head is None


def test_an_abstention_carries_the_line_at_the_lower_bar(
    qa_index: Path, embedder: TransformerEmbedder
) -> None:
    """A head whose answer bar is never reached and whose abstention bar always is: the library
    cannot answer the question, and the abstention still tells the person to call if it is
    happening now; a question the library answers gets no line from the head."""
    dim = embedder.embed(["x"]).shape[1]
    head = WarningHead(
        np.zeros(dim, dtype=np.float32), 0.0, bar=0.99, bar_abstain=0.5, model_id=BUNDLED_MODEL, meta={}
    )
    settings = make_settings(qa_index)
    triage = SafetyTriage(embedder, config=settings.triage, warning_head=head)
    pipeline: Pipeline = build_pipeline(settings, embedder=embedder, triage=triage)
    abstained = pipeline.ask(AskRequest(question="Is the bends from scuba diving the same as decompression?"))
    assert abstained.kind == "abstain" and has_safety_net(abstained.text)
    answered = pipeline.ask(AskRequest(question="What does a muscle biopsy involve?"))
    assert answered.kind == "answer" and not has_safety_net(answered.text)
