"""The composer's spans: contiguous, with the sentence a leaning one needs, lists whole."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from eval.metrics import dangling_sentences
from qa_service.answer.compose import _quoted_whole, already_said, grow
from qa_service.answer.generate import Candidate, GeneratorConfig

CONFIG = GeneratorConfig()


def candidate(
    row: int, text: str, score: float, *, bullet: bool = False, line: int | None = None
) -> Candidate:
    vector = np.zeros(8, dtype=np.float32)
    return Candidate(
        0, cast(Any, None), row, row * 100, row * 100 + len(text), text, vector, score, bullet,
        text.rstrip().endswith(":"), row if line is None else line,
    )  # fmt: skip


def test_a_leaning_sentence_brings_the_one_before_it() -> None:
    sents = [
        candidate(0, "Steroids are the first treatment for most types of myositis.", 0.5),
        candidate(1, "However, steroids usually do not help inclusion body myositis.", 0.9),
        candidate(2, "Researchers are testing new treatments in trials.", 0.2),
    ]
    lo, hi = grow(sents, 1, floor=0.6, words_allowed=100, list_answer=False, config=CONFIG, min_words=0)
    assert (lo, hi) == (0, 1)


def test_a_list_item_brings_its_whole_list_and_lead_in_when_a_list_answers() -> None:
    sents = [
        candidate(0, "Signs of a reaction include:", 0.3),
        candidate(1, "A rash.", 0.4, bullet=True),
        candidate(2, "Swelling of the lips or tongue.", 0.9, bullet=True),
        candidate(3, "Trouble breathing.", 0.5, bullet=True),
        candidate(4, "Most infusions go smoothly.", 0.1),
    ]
    assert grow(sents, 2, floor=0.6, words_allowed=100, list_answer=True, config=CONFIG, min_words=0) == (
        0,
        3,
    )


def test_the_span_stops_at_the_first_sentence_that_does_not_answer() -> None:
    sents = [
        candidate(0, "A muscle biopsy takes about an hour.", 0.9),
        candidate(1, "The site may be sore for about a week afterwards.", 0.8),
        candidate(2, "Results often take one to three weeks.", 0.2),
        candidate(3, "Biopsies can miss the affected muscle sometimes.", 0.85),
    ]
    assert grow(sents, 0, floor=0.6, words_allowed=100, list_answer=False, config=CONFIG, min_words=0) == (
        0,
        1,
    )


def test_the_dangling_metric_flags_a_leaning_sentence_without_its_predecessor() -> None:
    passage = "Steroids help most types. However, steroids rarely help IBM. Trials are under way."
    assert dangling_sentences(["However, steroids rarely help IBM."], [passage]) == [
        "However, steroids rarely help IBM."
    ]
    assert (
        dangling_sentences(["Steroids help most types.", "However, steroids rarely help IBM."], [passage] * 2)
        == []
    )
    assert dangling_sentences(["Signs include:"], ["Signs include:\n- A rash."]) == ["Signs include:"]


def test_a_sentence_of_an_earlier_reply_counts_as_said() -> None:
    said = [
        "Methotrexate is taken once a week, on the same day each week. Folic acid helps with side effects."
    ]
    assert already_said("Methotrexate is taken once a week, on the same day each week.", said)
    assert not already_said("Taking methotrexate every day by mistake can cause serious harm.", said)
    assert not already_said("Once a week.", said)  # too short to judge


def test_a_passage_is_quoted_whole_unless_a_later_sentence_clearly_answers_better() -> None:
    """whole_passage_lead (0.1): a short passage is read from its start, unless its best sentence
    outscores every sentence before it by the lead; then the answer starts at that sentence."""
    opening = candidate(0, "Travel takes extra planning with myositis.", 0.45)
    close = candidate(1, "Plan trips around infusion dates and blood tests.", 0.5)
    answers = candidate(2, "Ask about vaccines early, because yellow fever is a live vaccine.", 0.7)
    assert _quoted_whole([opening, close], 1, 100, False, CONFIG)  # 0.05 better: read from the start
    assert not _quoted_whole([opening, close, answers], 2, 100, False, CONFIG)  # 0.2 better: lead
    assert _quoted_whole([opening, close, answers], 2, 100, False, GeneratorConfig(whole_passage_lead=1.0))
    assert not _quoted_whole([opening, close], 0, 5, False, CONFIG)  # too long to quote whole


def test_a_short_answer_at_the_end_of_its_passage_grows_back_to_the_sentence_before() -> None:
    # Nothing after the best sentence: below MIN_WORDS the span takes the sentence before it when
    # that one answers nearly as well (within BACK_MARGIN of the floor), not one that does not.
    sents = [
        candidate(0, "Most people have echo tests in a clinic room near the heart unit.", 0.1),
        candidate(1, "An echo uses sound waves to make moving pictures of the heart and valves.", 0.55),
        candidate(2, "An echo often takes 30 to 60 minutes and uses no radiation.", 0.9),
    ]
    assert grow(sents, 2, floor=0.6, words_allowed=100, list_answer=False, config=CONFIG) == (1, 2)
    # Long enough already: no growing back.
    assert grow(sents, 2, floor=0.6, words_allowed=100, list_answer=False, config=CONFIG, min_words=5) == (
        2,
        2,
    )
