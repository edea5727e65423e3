"""A message in a conversation that the library cannot answer on its own is read with the
conversation's topic before the assistant abstains (qa_service/pipeline.py, `in_context` in
qa_service/answer/expansion.py). Conversations written for this file, on the real corpus index."""

from __future__ import annotations

import pytest

from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline


@pytest.mark.parametrize(
    ("history", "question", "page"),
    [
        (
            [("What happens during an EMG test?", "An EMG records the electrical activity of a muscle.")],
            "Will I be able to go back to the office the same afternoon?",
            "emg-and-nerve-conduction-study",
        ),
        (
            [("Why do people on steroids need to watch what they eat?", "Steroids can raise blood sugar.")],
            "I'm already diabetic, does anything change for me?",
            None,
        ),
    ],
)
def test_a_message_the_library_cannot_answer_alone_is_read_with_the_conversation(
    shared_pipeline: Pipeline, history: list[tuple[str, str]], question: str, page: str | None
) -> None:
    turns = [
        {"role": role, "content": text}
        for pair in history
        for role, text in zip(("user", "assistant"), pair, strict=True)
    ]
    alone = shared_pipeline.ask(AskRequest(question=question))
    answer = shared_pipeline.ask(AskRequest(question=question, history=turns))
    assert alone.kind == "abstain", alone.text
    assert answer.kind == "answer" and answer.citations, answer.text
    if page is not None:
        assert answer.citations[0].doc_id == page
    else:
        assert "blood sugar" in answer.text.lower()


def test_an_unrelated_question_in_a_conversation_still_abstains(shared_pipeline: Pipeline) -> None:
    turns = [
        {"role": "user", "content": "What is methotrexate?"},
        {"role": "assistant", "content": "Methotrexate is a medicine that calms the immune system."},
    ]
    answer = shared_pipeline.ask(AskRequest(question="How is a kidney stone removed?", history=turns))
    assert answer.kind == "abstain", answer.text


def test_a_message_that_names_no_page_is_read_with_the_conversation(shared_pipeline: Pipeline) -> None:
    """Round 11: a follow-up without a pronoun that the library could answer alone from another
    page ("the first drip" alone reads as the CK blood test's preparation) is answered from the
    conversation's page when read with it."""
    turns = [
        {"role": "user", "content": "My neurologist wants to start me on rituximab next month."},
        {"role": "assistant", "content": "Rituximab lowers the number of B cells."},
    ]
    question = "does my blood have to be checked before the first drip?"
    alone = shared_pipeline.ask(AskRequest(question=question))
    answer = shared_pipeline.ask(AskRequest(question=question, history=turns))
    assert alone.kind == "answer" and alone.citations[0].doc_id != "rituximab"
    assert answer.kind == "answer" and answer.citations[0].doc_id == "rituximab", answer.text
