"""Metric functions on small hand-made cases whose values are worked out by hand."""

from __future__ import annotations

import math

import pytest

from eval import metrics as m


def test_doc_ranking_keeps_first_appearance() -> None:
    assert m.doc_ranking(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_recall_at_k_is_the_share_of_relevant_documents_found() -> None:
    ranked = ["x", "a", "y", "b", "z"]
    relevant = {"a", "b", "c", "d"}
    assert m.recall_at_k(ranked, relevant, 1) == 0.0
    assert m.recall_at_k(ranked, relevant, 2) == 0.25
    assert m.recall_at_k(ranked, relevant, 5) == 0.5
    assert m.success_at_k(ranked, relevant, 1) == 0.0
    assert m.success_at_k(ranked, relevant, 2) == 1.0
    with pytest.raises(ValueError):
        m.recall_at_k(ranked, set(), 5)


def test_reciprocal_rank_counts_only_the_first_k() -> None:
    assert m.reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    assert m.reciprocal_rank(["a"], {"a"}) == 1.0
    ranked = [f"d{i}" for i in range(10)] + ["a"]
    assert m.reciprocal_rank(ranked, {"a"}, 10) == 0.0
    assert m.reciprocal_rank(ranked, {"a"}, 11) == pytest.approx(1 / 11)


def test_ndcg_with_binary_relevance() -> None:
    # relevant at ranks 2 and 4 of two relevant documents:
    # DCG = 1/log2(3) + 1/log2(5); ideal = 1/log2(2) + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert m.ndcg_at_k(["x", "a", "y", "b"], {"a", "b"}) == pytest.approx(expected)
    assert m.ndcg_at_k(["a", "b"], {"a", "b"}) == pytest.approx(1.0)
    assert m.ndcg_at_k(["x", "y"], {"a"}) == 0.0
    # one relevant document at rank 3: 1/log2(4) = 0.5
    assert m.ndcg_at_k(["x", "y", "a"], {"a"}) == pytest.approx(0.5)


def test_section_hit_needs_the_right_document_and_section() -> None:
    chunks = [("other", "Symptoms"), ("doc", "Treatment"), ("doc", "Diagnosis > Blood Testing")]
    assert m.section_hit_at_k(chunks, {"doc"}, "Symptoms", 3) == 0.0  # right section, wrong doc
    assert m.section_hit_at_k(chunks, {"doc"}, "diagnosis", 2) == 0.0
    assert m.section_hit_at_k(chunks, {"doc"}, "diagnosis", 3) == 1.0


def test_rouge_l_f1() -> None:
    # LCS("the cat sat on the mat", "the cat lay on the mat") = the cat on the mat = 5 tokens
    # P = 5/6, R = 5/6 → F = 5/6
    assert m.rouge_l("The cat sat on the mat.", "the cat lay on the mat") == pytest.approx(5 / 6)
    # LCS("a b c d", "a c") = 2: P = 2/4, R = 2/2 → F = 2·0.5·1/1.5 = 2/3
    assert m.rouge_l("a b c d", "a c") == pytest.approx(2 / 3)
    assert m.rouge_l("nothing shared", "at all") == 0.0
    assert m.rouge_l("", "reference") == 0.0
    assert m.lcs_length(list("ABCBDAB"), list("BDCABA")) == 4


def test_quote_in_passage_checks_every_part() -> None:
    passage = "IVIG is given by vein.\nIt takes  a few hours. Side effects include headache."
    assert m.quote_in_passage("IVIG is given by vein.", passage)
    assert m.quote_in_passage("It takes a few hours. … Side effects include headache.", passage)
    assert not m.quote_in_passage("IVIG is given by vein. … It cures myositis.", passage)
    assert not m.quote_in_passage("", passage)


def test_cited_sentences_split_at_markers_and_sentences() -> None:
    body = "First fact. Second fact [1] Third fact [2]\n- A bullet item [1]"
    assert m.cited_sentences(body) == [
        ("First fact.", [1], False),
        ("Second fact", [1], True),
        ("Third fact", [2], True),
        ("A bullet item", [1], True),
    ]


def test_citation_validity() -> None:
    passages: dict[int, str | None] = {1: "Alpha beta. Gamma delta.", 2: "Epsilon."}
    quotes = {1: "Alpha beta. Gamma delta.", 2: "Epsilon."}
    good = m.cited_sentences("Alpha beta. Gamma delta. [1] Epsilon. [2]")
    assert m.citation_validity(good, quotes, passages) == (True, 1.0, 1.0)
    # a sentence outside every quote and without its own marker is uncited
    uncited = m.cited_sentences("Made up claim. Epsilon. [2]")
    assert m.citation_validity(uncited, {2: "Epsilon."}, passages) == (False, 1.0, 0.5)
    # a quote that is not in its passage, and a citation whose passage cannot be found
    assert m.citation_validity(m.cited_sentences("Zeta. [1]"), {1: "Zeta."}, passages)[:2] == (False, 0.0)
    assert m.citation_validity(m.cited_sentences("Epsilon. [3]"), {3: "Epsilon."}, {3: None})[1] == 0.0
    # a marker naming no citation does not cite
    assert m.citation_validity(m.cited_sentences("Epsilon. [9]"), quotes, passages) == (False, 1.0, 0.0)
    assert m.citation_validity([], quotes, passages) == (False, 0.0, 0.0)


def test_aggregation_helpers() -> None:
    assert m.mean([1.0, None, 0.0]) == 0.5
    assert m.mean([None]) is None
    assert m.rate([True, False, None, True]) == pytest.approx(2 / 3)
    values = [float(v) for v in range(1, 101)]
    assert m.percentile(values, 0.5) == 51.0  # nearest rank: round(0.5 * 99) = 50 → 51
    assert m.percentile(values, 0.95) == 95.0  # round(0.95 * 99) = 94 → 95
    assert m.percentile([], 0.5) is None
    assert m.contains_any("Call 911  now", ["call 911 now"])
    assert not m.contains_any("Call your doctor", ["911", "988"])
