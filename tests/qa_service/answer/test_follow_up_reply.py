"""A follow-up is read with the page the last reply was quoted from (the passage nearest the reply,
`reply_source_cosine`), beside the page the user named: "how often after that?" after a reply about
cancer screening, to a question that named dermatomyositis, asks about screening. Conversations
written for this file, on the real corpus index."""

from __future__ import annotations

from qa_service.models import AskRequest
from qa_service.pipeline import Pipeline

SCREENING = [
    {
        "role": "user",
        "content": "My sister has dermatomyositis. Her doctor wants her to have scans of her chest and "
        "belly, why?",
    },
    {
        "role": "assistant",
        "content": "Cancer screening is part of the usual checks when an adult is first diagnosed with "
        "dermatomyositis, because the two can go together.",
    },
]


def test_a_follow_up_is_answered_from_the_page_the_reply_quoted(shared_pipeline: Pipeline) -> None:
    answer = shared_pipeline.ask(AskRequest(question="how often after that?", history=SCREENING))
    assert answer.kind == "answer", answer.text
    first = answer.citations[0]
    assert (first.doc_id, first.section) == ("cancer-associated-myositis", "When is screening done?")
    assert "screening" in answer.text.lower() and "diagnosis" in answer.text.lower(), answer.text
    assert "screening" in first.quote.lower()


def test_the_reply_source_is_the_page_of_the_nearest_passage(shared_pipeline: Pipeline) -> None:
    retriever = shared_pipeline.index.get().retriever
    history = [(turn["role"], turn["content"]) for turn in SCREENING]
    assert retriever.reply_source(history) == "Cancer-associated myositis and cancer screening"
    # A reply that is not the library's words names no page.
    assert retriever.reply_source([("user", "hi"), ("assistant", "Sorry, the line dropped.")]) is None
    found = retriever.retrieve("how often after that?", history, k=3)
    assert "Cancer-associated myositis and cancer screening" in found.expansion.topic_terms
