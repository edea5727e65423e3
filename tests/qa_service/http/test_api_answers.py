"""/v1/ask over the real corpus through a real HTTP server: answers are made of verbatim sentences,
each found in the chunk it cites, about the page the patient asked about; chat follow-ups use history."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qa_service.pipeline import Pipeline
from tests.qa_service.conftest import ask, assert_grounded, flat, lead_in_topic

# (question, the page that answers it, words the answer must contain)
ANSWERED = [
    ("What is immune-mediated necrotizing myopathy?", "necrotizing-autoimmune-myopathy", "IMNM"),
    # Round 14: the learned sentence weights open with how it is done (numbing, needle or open
    # biopsy), no longer with what a biopsy is.
    ("How is a muscle biopsy done?", "muscle-biopsy", "numbs the area first"),
    ("What are the side effects of IVIG?", "ivig", "IVIG can"),
    ("What is the CK test?", "ck-blood-test", "creatine kinase"),
    ("Can myositis affect breathing muscles?", "interstitial-lung-disease", "breathing muscles"),
    ("What is interstitial lung disease?", "interstitial-lung-disease", "air sacs"),
    ("What is dermatomyositis?", "dermatomyositis", "autoimmune disease"),
    ("Can IVIG cause an allergic reaction?", "ivig", "allergic reaction"),
    # Round 13: the section is read whole (qa_service/answer/sections.py), so the steps are quoted
    # though its last passage (helpers, keeping warm) scores a hair above its first on this index.
    ("How do I get up after a fall?", "falls-and-getting-up", "roll onto your side"),
]


def title_of(client: httpx.Client, doc_id: str) -> str:
    response = client.get(f"/v1/documents/{doc_id}")
    assert response.status_code == 200
    title: str = response.json()["title"]
    return title


@pytest.mark.parametrize(("question", "doc_id", "phrase"), ANSWERED)
def test_answer_is_cited_verbatim_from_the_expected_page(
    client: httpx.Client, shared_pipeline: Pipeline, question: str, doc_id: str, phrase: str
) -> None:
    answer = ask(client, question)
    assert answer["kind"] == "answer", answer["text"]
    assert lead_in_topic(answer["text"]) == title_of(client, doc_id)
    assert_grounded(client, shared_pipeline, answer)
    cited = [c["doc_id"] for c in answer["citations"]]
    assert cited[0] == doc_id
    assert cited.count(doc_id) * 2 > len(cited), cited
    assert phrase.lower() in flat(answer["text"]).lower()
    assert answer["timings"]["total_ms"] > 0


def test_side_effects_question_cites_the_side_effects_section(client: httpx.Client) -> None:
    answer = ask(client, "What are the side effects of IVIG?")
    sections = {c["section"] for c in answer["citations"] if c["doc_id"] == "ivig"}
    assert "Side effects and what to watch for" in sections


def test_k_limits_the_passages_an_answer_draws_from(client: httpx.Client, shared_pipeline: Pipeline) -> None:
    answer = ask(client, "What is the CK test?", k=1)
    assert answer["kind"] == "answer"
    assert [c["n"] for c in answer["citations"]] == [1]
    assert answer["citations"][0]["doc_id"] == "ck-blood-test"
    assert_grounded(client, shared_pipeline, answer)


def test_same_question_same_answer(client: httpx.Client) -> None:
    first = ask(client, "What is the CK test?")
    second = ask(client, "What is the CK test?")
    assert (first["text"], first["citations"]) == (second["text"], second["citations"])


def test_informational_stroke_question_is_answered_from_the_urgent_care_page(
    client: httpx.Client, shared_pipeline: Pipeline
) -> None:
    answer = ask(client, "What is a stroke?")
    assert answer["kind"] == "answer", answer["text"]
    assert answer["citations"][0]["doc_id"] == "when-to-seek-urgent-care"
    assert answer["citations"][0]["section"] == "Signs of a stroke"
    assert_grounded(client, shared_pipeline, answer)
    assert lead_in_topic(answer["text"]) in {c["title"] for c in answer["citations"]}


# --- chat follow-ups ---------------------------------------------------------------------------


def history_of(*exchanges: tuple[str, dict[str, Any]]) -> list[dict[str, str]]:
    turns = []
    for question, answer in exchanges:
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": answer["text"]}]
    return turns


def test_follow_up_with_history_answers_about_the_earlier_topic(
    client: httpx.Client, shared_pipeline: Pipeline
) -> None:
    first = ask(client, "What is dermatomyositis?")
    answer = ask(client, "And how is it treated?", history=history_of(("What is dermatomyositis?", first)))
    assert answer["kind"] == "answer", answer["text"]
    assert_grounded(client, shared_pipeline, answer)
    assert lead_in_topic(answer["text"]) == "Dermatomyositis"
    assert {c["doc_id"] for c in answer["citations"]} == {"dermatomyositis"}
    assert answer["citations"][0]["section"] == "Treatment"
    assert "Dermatomyositis is treated with" in answer["text"]


def test_same_follow_up_without_history_is_not_about_dermatomyositis(client: httpx.Client) -> None:
    answer = ask(client, "And how is it treated?")
    assert answer["kind"] in ("answer", "abstain")
    if answer["kind"] == "answer":
        assert lead_in_topic(answer["text"]) != "Dermatomyositis"
        first = answer["citations"][0]
        assert (first["doc_id"], first["section"]) != ("dermatomyositis", "Treatment")
        assert {c["doc_id"] for c in answer["citations"]} != {"dermatomyositis"}


def test_follow_up_ignores_history_when_the_question_names_its_own_topic(client: httpx.Client) -> None:
    first = ask(client, "What is dermatomyositis?")
    answer = ask(
        client,
        "What are the side effects of IVIG?",
        history=history_of(("What is dermatomyositis?", first)),
    )
    assert answer["citations"][0]["doc_id"] == "ivig"
    assert lead_in_topic(answer["text"]) == "Intravenous immunoglobulin (IVIG)"


def test_second_follow_up_retrieves_from_the_page_the_conversation_is_about(
    shared_pipeline: Pipeline,
) -> None:
    history = [
        ("user", "What is methotrexate?"),
        ("assistant", "Methotrexate is a medicine that calms the immune system."),
        ("user", "What are its side effects?"),
        ("assistant", "Methotrexate can raise the risk of infections."),
    ]
    retrieval, _ = shared_pipeline.retrieve("And how is it given?", 5, history=history)
    assert retrieval.expansion.matched_titles == ("Methotrexate",)
    assert retrieval.hits[0].chunk.doc_id == "methotrexate"


def test_second_follow_up_keeps_the_topic_of_the_conversation(client: httpx.Client) -> None:
    exchanges: list[tuple[str, dict[str, Any]]] = []
    for question in ("What is methotrexate?", "What are its side effects?"):
        exchanges.append((question, ask(client, question, history=history_of(*exchanges))))
        assert exchanges[-1][1]["citations"][0]["doc_id"] == "methotrexate"
    answer = ask(client, "And how is it given?", history=history_of(*exchanges))
    assert answer["kind"] == "answer"
    assert answer["citations"][0]["doc_id"] == "methotrexate"
    assert {c["doc_id"] for c in answer["citations"]} == {"methotrexate"}


def test_grounding_check_catches_misattributed_or_altered_quotes(
    client: httpx.Client, shared_pipeline: Pipeline
) -> None:
    """The check above is not vacuous: it fails for a quote cited to the wrong chunk of the right
    section, for a quote that is not verbatim, and for a citation with no marker in the text."""
    answer = ask(client, "What are the side effects of IVIG?")
    assert_grounded(client, shared_pipeline, answer)
    citations = answer["citations"]
    version = shared_pipeline.index.get().version
    a = citations[0]
    siblings = [
        c.chunk_id
        for c in version.chunks(list(range(version.n_chunks)))
        if (c.doc_id, c.section) == (a["doc_id"], a["section"]) and c.chunk_id != a["chunk_id"]
    ]
    assert siblings, "the IVIG side-effects section should span several chunks"
    swapped = [{**c, "chunk_id": siblings[0]} if c is a else c for c in citations]
    with pytest.raises(AssertionError, match="quote not in chunk"):
        assert_grounded(client, shared_pipeline, {**answer, "citations": swapped})
    altered = [{**c, "quote": c["quote"].replace("IVIG", "IVIG often", 1)} for c in citations]
    with pytest.raises(AssertionError, match="quote not in"):
        assert_grounded(client, shared_pipeline, {**answer, "citations": altered})
    extra = {**citations[0], "n": len(citations) + 1}
    with pytest.raises(AssertionError):
        assert_grounded(client, shared_pipeline, {**answer, "citations": [*citations, extra]})
